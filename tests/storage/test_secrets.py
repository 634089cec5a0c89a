"""No secret is ever written: not by field name, not by value, whatever field it was typed into."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.cli import main
from wizard.model import API_FIELD_ORDER, BSS_FIELD_ORDER
from wizard.storage import (
    DebouncedSaver,
    DraftStore,
    InvalidName,
    ProfileInvalid,
    ProfileStore,
    app_paths,
    forget_secrets,
    register_credentials,
    register_secret,
    scan_for_secrets,
    strip_secrets,
)
from wizard.storage.secrets import is_secret_key, known_secrets, redact, strip_secrets_report

from .samples import valid_values

AK = "HPUAXLWQ5Z4RDMQBZK3T"
SK = "qJ8kS2mV9xZ1cR4tY7uW0eB3nL6pH5gF2dA8sK1j"
SECURITY_TOKEN = "gQpjbi1ub3J0aC00Lk9TVElQ" + "x" * 40
AUTH_TOKEN = "MIIEhQYJKoZIhvcNAQcCoIIEdjCCBHICAQExDTALBglghkgBZQMEAgEw" + "y" * 30
SECRETS = (AK, SK, SECURITY_TOKEN, AUTH_TOKEN)


@pytest.fixture(autouse=True)
def clean_registry() -> Iterator[None]:
    forget_secrets()
    yield
    forget_secrets()


@pytest.mark.parametrize(
    "key",
    [
        "ak",
        "SK",
        "access_key",
        "AccessKeyId",
        "secret_key",
        "secret_access_key",
        "security_token",
        "securityToken",
        "X-Auth-Token",
        "auth_token",
        "token",
        "password",
        "db_password",
        "api-key",
        "credentials",
        "private_key",
    ],
)
def test_keys_that_name_a_secret_are_dropped_at_any_depth(key: str) -> None:
    values = {"name": "orders", key: "value", "bss_param": {key: "value", "period_num": 2}}
    clean, dropped = strip_secrets_report(values)
    assert clean == {"name": "orders", "bss_param": {"period_num": 2}}
    assert dropped == [key, f"bss_param.{key}"]


def test_no_field_of_the_api_looks_like_a_secret() -> None:
    assert not [f for f in (*API_FIELD_ORDER, *BSS_FIELD_ORDER) if is_secret_key(f)]
    assert strip_secrets(valid_values()) == valid_values()


@pytest.mark.parametrize(
    "values",
    [
        {"description": SK},
        {"description": f"my key is {SK}!"},
        {"name": AK},
        {"available_zones": ["az-1", SECURITY_TOKEN]},
        {"bss_param": {"period_type": AUTH_TOKEN}},
        {"publicip_id": f"eip-1,{AK}"},
        {AK: "a secret as a key"},
    ],
)
def test_a_known_secret_is_dropped_whatever_field_it_was_typed_into(values: dict[str, Any]) -> None:
    register_credentials(SimpleNamespace(ak=AK, sk=SK, security_token=SECURITY_TOKEN, auth_token=AUTH_TOKEN))
    clean = strip_secrets({"vpc_id": "vpc-1", **values})
    assert not any(secret in json.dumps(clean) for secret in SECRETS)
    assert clean.get("vpc_id") == "vpc-1"


def test_a_short_secret_only_matches_a_whole_value() -> None:
    register_secret("abc")
    assert strip_secrets({"description": "abc", "name": "abcd"}) == {"name": "abcd"}


def test_secrets_in_the_sdk_environment_variables_are_known(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_REGION", "cn-north-4")
    assert SK in known_secrets() and "cn-north-4" not in known_secrets()
    assert strip_secrets({"description": SK}) == {}


def test_redacting_a_message() -> None:
    register_secret(SK)
    assert redact(f"broker_num must be a whole number (got text '{SK}')") == (
        "broker_num must be a whole number (got text '[secret]')"
    )


def test_the_scanner_finds_a_secret_in_content_and_in_names(tmp_path: Path) -> None:
    (tmp_path / "clean.toml").write_text("name = 'x'")
    (tmp_path / "leak.toml").write_text(f"description = '{SK}'")
    (tmp_path / f"{AK}.toml").write_text("")
    found = {(f.path.name, f.what) for f in scan_for_secrets(tmp_path, SECRETS)}
    assert found == {("leak.toml", "secret #4 in the content"), (f"{AK}.toml", "secret #1 in the file name")}
    assert all(secret not in what for secret in SECRETS for _, what in found)


def _everything_typed(secret_index: int) -> dict[str, Any]:
    """A session where the user pastes secrets into every kind of place."""
    secret = SECRETS[secret_index % len(SECRETS)]
    return {
        **valid_values(description=f"pasted {secret}", vpc_id=SECRETS[(secret_index + 1) % len(SECRETS)]),
        "available_zones": ["az-1", secret],
        "bss_param": {"charging_mode": "postPaid", "period_type": secret},
        "ak": AK,
        "sk": SK,
        "security_token": SECURITY_TOKEN,
        "password": "hunter2-hunter2",
        "auth": {"token": AUTH_TOKEN},
    }


def test_no_file_written_in_a_whole_session_holds_a_secret(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    register_credentials(SimpleNamespace(ak=AK, sk=SK, security_token=SECURITY_TOKEN, auth_token=AUTH_TOKEN))
    outside = tmp_path / "exports"
    outside.mkdir()

    drafts = DraftStore()
    saver = DebouncedSaver(drafts, drafts.new(), delay=0.01)
    for index in range(8):
        saver.update(_everything_typed(index), "review")
    saver.flush()
    kept = drafts.save(drafts.new(_everything_typed(1), step="billing"))
    saver.submitted("inst-1")

    profiles = ProfileStore()
    profiles.save("typed", _everything_typed(2), include_name=True)
    with pytest.raises(InvalidName) as bad_name:
        profiles.save(AK, {})
    source = tmp_path / "source.json"
    source.write_text(json.dumps({**valid_values(), "broker_num": SK, "description": AUTH_TOKEN}))
    with pytest.raises(ProfileInvalid) as bad_import:
        profiles.import_(source)
    source.write_text(json.dumps(valid_values(description=SECURITY_TOKEN)))
    imported = profiles.import_(source, name="imported")
    assert imported.dropped == ("description",)
    profiles.export("typed", outside / "typed.toml")
    profiles.export("typed", outside / "typed.json")

    for argv in (
        ["drafts", "list"],
        ["drafts", "list", "--json"],
        ["drafts", "show", kept.id],
        ["drafts", "show", kept.id, "--json"],
        ["profiles", "list"],
        ["profiles", "show", "typed"],
        ["profiles", "show", "typed", "--json"],
        ["profiles", "export", "typed"],
        ["profiles", "export", "imported", str(outside / "imported.toml")],
        ["profiles", "import", str(source), "--name", "cli", "--include-name"],
        ["profiles", "save", "cli-saved", "--from", str(source)],
    ):
        assert main(argv) == 0, argv
    output = capsys.readouterr()
    messages = [output.out, output.err, str(bad_name.value), str(bad_import.value)]
    messages += [problem.message for problem in bad_import.value.problems]

    home = app_paths().data_dir
    written = [p for p in (*home.rglob("*"), *outside.rglob("*")) if p.is_file()]
    assert len(written) >= 8
    assert scan_for_secrets(home, SECRETS) == []
    assert scan_for_secrets(outside, SECRETS) == []
    assert not [m for m in messages for secret in SECRETS if secret in m]
    assert "hunter2" not in "".join(p.read_text() for p in written)


json_leaves = st.one_of(st.text(max_size=12), st.integers(), st.booleans())
nested = st.recursive(
    json_leaves,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=12,
)


@settings(max_examples=50, deadline=None)
@given(
    st.dictionaries(st.text(max_size=10), nested, max_size=6),
    st.sampled_from(SECRETS),
    st.text(max_size=5),
    st.text(max_size=5),
    st.lists(st.text(min_size=1, max_size=8), min_size=1, max_size=3),
)
def test_no_secret_survives_stripping_wherever_it_hides(
    values: dict[str, Any], secret: str, before: str, after: str, where: list[str]
) -> None:
    register_secret(secret)
    holder: dict[str, Any] = values
    for key in where[:-1]:
        child = holder.get(key)
        if not isinstance(child, dict):
            child = {}
            holder[key] = child
        holder = child
    holder[where[-1]] = before + secret + after
    assert secret not in json.dumps(strip_secrets(values))
