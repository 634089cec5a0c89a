"""Credentials are found in the SDK's order, endpoints follow the region, and secrets never leak."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.connection import (
    CredentialFlags,
    Credentials,
    build_settings,
    check_endpoint,
    region_from,
    resolve_credentials,
)
from wizard.errors import CredentialsMissing, WizardError
from wizard.signing import AkSkAuth, TokenAuth

ENV_KEYS = {"HUAWEICLOUD_SDK_AK": "ENVAK", "HUAWEICLOUD_SDK_SK": "ENVSK", "HUAWEICLOUD_SDK_PROJECT_ID": "envproj"}
FLAG_KEYS = CredentialFlags(ak="FLAGAK", sk="FLAGSK")


def _write_file(home: Path, text: str = "[basic]\nak = FILEAK\nsk = FILESK\nproject_id = fileproj\n") -> Path:
    path = home / ".huaweicloud" / "credentials"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("flags", "env", "file", "expected_ak", "expected_project", "source_starts"),
    [
        (FLAG_KEYS, ENV_KEYS, True, "FLAGAK", "envproj", "flags"),
        (
            CredentialFlags(ak="FLAGAK", sk="FLAGSK", project_id="flagproj"),
            ENV_KEYS,
            True,
            "FLAGAK",
            "flagproj",
            "flags",
        ),
        (None, ENV_KEYS, True, "ENVAK", "envproj", "environment"),
        (CredentialFlags(project_id="flagproj"), ENV_KEYS, True, "ENVAK", "flagproj", "environment"),
        (None, {}, True, "FILEAK", "fileproj", "/"),
        (CredentialFlags(project_id="flagproj"), {}, True, "FILEAK", "flagproj", "/"),
        (None, {"HUAWEICLOUD_SDK_AK": "A", "HUAWEICLOUD_SDK_SK": "S"}, False, "A", None, "environment"),
    ],
)
def test_credentials_come_from_flags_then_environment_then_file(
    tmp_path: Path,
    flags: CredentialFlags | None,
    env: dict[str, str],
    file: bool,
    expected_ak: str,
    expected_project: str | None,
    source_starts: str,
) -> None:
    if file:
        _write_file(tmp_path)
    creds = resolve_credentials(flags, env, tmp_path)
    assert creds.ak == expected_ak
    assert creds.project_id == expected_project
    assert creds.source.startswith(source_starts)
    assert creds.mode == "aksk"


def test_the_file_source_names_the_file(tmp_path: Path) -> None:
    path = _write_file(tmp_path)
    assert resolve_credentials(None, {}, tmp_path).source == str(path)


def test_credentials_file_variable_points_elsewhere(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.ini"
    other.write_text("[basic]\nak=OTHERAK\nsk=OTHERSK\nsecurity_token=tok\n")
    _write_file(tmp_path)
    creds = resolve_credentials(None, {"HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(other)}, tmp_path)
    assert (creds.ak, creds.security_token, creds.source) == ("OTHERAK", "tok", str(other))


def test_credentials_file_variable_to_a_missing_file_is_explained(tmp_path: Path) -> None:
    with pytest.raises(CredentialsMissing, match="HUAWEICLOUD_SDK_CREDENTIALS_FILE"):
        resolve_credentials(None, {"HUAWEICLOUD_SDK_CREDENTIALS_FILE": str(tmp_path / "nope")}, tmp_path)


def test_security_token_comes_from_the_environment(tmp_path: Path) -> None:
    env = {**ENV_KEYS, "HUAWEICLOUD_SDK_SECURITY_TOKEN": "sts"}
    creds = resolve_credentials(None, env, tmp_path)
    assert creds.security_token == "sts"
    auth = creds.auth()
    assert isinstance(auth, AkSkAuth)


def test_token_mode_by_flag(tmp_path: Path) -> None:
    creds = resolve_credentials(CredentialFlags(auth_token="IAMTOKEN", project_id="p"), ENV_KEYS, tmp_path)
    assert creds.mode == "token"
    assert creds.project_id == "p"
    assert isinstance(creds.auth(), TokenAuth)


def test_nothing_found_says_what_to_set(tmp_path: Path) -> None:
    with pytest.raises(CredentialsMissing) as caught:
        resolve_credentials(None, {}, tmp_path)
    message = str(caught.value)
    for wanted in ("HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "~/.huaweicloud/credentials", "--sandbox"):
        assert wanted in message


@pytest.mark.parametrize(
    ("flags", "env", "named"),
    [
        (CredentialFlags(ak="A"), {}, "--sk"),
        (CredentialFlags(sk="S"), {}, "--ak"),
        (None, {"HUAWEICLOUD_SDK_AK": "A"}, "HUAWEICLOUD_SDK_SK"),
        (None, {"HUAWEICLOUD_SDK_SK": "S"}, "HUAWEICLOUD_SDK_AK"),
    ],
)
def test_half_a_key_pair_is_named(
    tmp_path: Path, flags: CredentialFlags | None, env: dict[str, str], named: str
) -> None:
    with pytest.raises(CredentialsMissing, match=named):
        resolve_credentials(flags, env, tmp_path)


@pytest.mark.parametrize(
    "text",
    ["[basic]\nak = FILEAK\n", "[other]\nak=a\nsk=b\n", "no section at all\nsk = SECRETVALUE\n", "[basic]\n"],
)
def test_a_bad_credentials_file_is_explained_without_its_secret(tmp_path: Path, text: str) -> None:
    path = _write_file(tmp_path, text)
    with pytest.raises(CredentialsMissing) as caught:
        resolve_credentials(None, {}, tmp_path)
    assert str(path) in str(caught.value)
    assert "SECRETVALUE" not in str(caught.value)


def test_reprs_hide_secrets() -> None:
    creds = Credentials("AK", "SECRETSK", "p", "SECRETTOKEN", None, "flags")
    assert "SECRET" not in repr(creds)
    assert "SECRET" not in repr(CredentialFlags(ak="AK", sk="SECRETSK", auth_token="SECRETTOKEN"))
    settings = build_settings("cn-north-4", creds, env={})
    assert "SECRET" not in repr(settings)
    assert "SECRET" not in settings.describe()


CREDS = Credentials("AK", "SK", "proj", None, None, "flags")


@pytest.mark.parametrize(
    ("region", "dms", "vpc", "iam"),
    [
        (
            "cn-north-4",
            "https://dms.cn-north-4.myhuaweicloud.com",
            "https://vpc.cn-north-4.myhuaweicloud.com",
            "https://iam.cn-north-4.myhuaweicloud.com",
        ),
        (
            "ap-southeast-1",
            "https://dms.ap-southeast-1.myhuaweicloud.com",
            "https://vpc.ap-southeast-1.myhuaweicloud.com",
            "https://iam.ap-southeast-1.myhuaweicloud.com",
        ),
        (
            "eu-west-101",
            "https://dms.eu-west-101.myhuaweicloud.eu",
            "https://vpc.eu-west-101.myhuaweicloud.eu",
            "https://iam.eu-west-101.myhuaweicloud.eu",
        ),
    ],
)
def test_endpoints_follow_the_region(region: str, dms: str, vpc: str, iam: str) -> None:
    settings = build_settings(region, CREDS, env={})
    assert (settings.dms_endpoint, settings.vpc_endpoint, settings.iam_endpoint) == (dms, vpc, iam)
    assert settings.describe() == f"{region}, project proj"


def test_one_endpoint_serves_every_service() -> None:
    settings = build_settings("sandbox-1", CREDS, env={}, endpoint="http://127.0.0.1:8123/", sandbox=True)
    assert {settings.dms_endpoint, settings.vpc_endpoint, settings.iam_endpoint, settings.eps_endpoint} == {
        "http://127.0.0.1:8123"
    }
    assert settings.describe() == "SANDBOX http://127.0.0.1:8123"


def test_sdk_region_variables_override_endpoints() -> None:
    env = {
        "HUAWEICLOUD_SDK_REGION_ROCKETMQ_CN_NORTH_4": "https://dms.internal.example,https://backup.example",
        "HUAWEICLOUD_SDK_REGION_VPC_CN_NORTH_4": "https://vpc.internal.example",
        "HUAWEICLOUD_SDK_IAM_ENDPOINT": "https://iam.internal.example",
    }
    settings = build_settings("cn-north-4", CREDS, env=env)
    assert settings.dms_endpoint == "https://dms.internal.example"
    assert settings.vpc_endpoint == "https://vpc.internal.example"
    assert settings.iam_endpoint == "https://iam.internal.example"


def test_unknown_region_is_refused_with_a_suggestion_unless_overridden() -> None:
    with pytest.raises(WizardError, match="Did you mean cn-north-4"):
        build_settings("cn-north-44", CREDS, env={})
    env = {"HUAWEICLOUD_SDK_REGION_ROCKETMQ_XX_NEW_1": "https://dms.xx-new-1.example"}
    assert build_settings("xx-new-1", CREDS, env=env).dms_endpoint == "https://dms.xx-new-1.example"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9000",
        "http://localhost:9000",
        "http://[::1]:9000",
        "https://dms.example.com",
        "http://127.5.0.1",
    ],
)
def test_endpoints_accepted(url: str) -> None:
    assert check_endpoint(url) == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://dms.example.com", "plain http"),
        ("http://10.0.0.1:80", "plain http"),
        ("ftp://x", "https://"),
        ("https://user:pw@dms.example.com", "user name or password"),
        ("https://dms.example.com?sk=1", "query"),
        ("not a url", "https://"),
    ],
)
def test_endpoints_refused(url: str, reason: str) -> None:
    with pytest.raises(WizardError, match=reason):
        check_endpoint(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://ak:TopSecret9@host:xx",
        "ftp://ak:TopSecret9@host",
        "https://host/?token=TopSecret9",
        "https://host/#TopSecret9",
    ],
)
def test_a_refused_endpoint_never_repeats_a_secret_it_carries(url: str) -> None:
    with pytest.raises(WizardError) as caught:
        check_endpoint(url)
    assert "TopSecret9" not in str(caught.value)


def test_region_comes_from_flag_then_terraform_variable() -> None:
    assert region_from("cn-east-3", {"HW_REGION_NAME": "cn-north-4"}) == "cn-east-3"
    assert region_from(None, {"HW_REGION_NAME": "cn-north-4"}) == "cn-north-4"
    with pytest.raises(CredentialsMissing, match="--region"):
        region_from(None, {})


def test_timeout_and_route_are_checked() -> None:
    with pytest.raises(WizardError, match="timeout"):
        build_settings("cn-north-4", CREDS, env={}, timeout=0)
    with pytest.raises(WizardError, match="route"):
        build_settings("cn-north-4", CREDS, env={}, api_route="v3")  # type: ignore[arg-type]
