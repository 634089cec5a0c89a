"""The shared connection flags resolve to settings in the documented order, with clear refusals."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from wizard.commands.common import connection_from_args
from wizard.commands.flags import add_connection_flags
from wizard.errors import CredentialsMissing, WizardError


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_connection_flags(parser)
    return parser.parse_args(list(argv))


def test_flags_with_region(isolated_home: Path) -> None:
    settings = connection_from_args(_args("--region", "cn-east-3", "--ak", "A", "--sk", "S", "--project-id", "p"))
    assert settings.dms_endpoint == "https://dms.cn-east-3.myhuaweicloud.com"
    assert settings.credentials.source.startswith("flags")
    assert (settings.api_route, settings.timeout, settings.sandbox) == ("v2", 30.0, False)


def test_environment_credentials_and_region(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "ENVAK")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "ENVSK")
    monkeypatch.setenv("HW_REGION_NAME", "eu-west-101")
    settings = connection_from_args(_args("--api", "v1"))
    assert settings.dms_endpoint == "https://dms.eu-west-101.myhuaweicloud.eu"
    assert settings.credentials.ak == "ENVAK"
    assert settings.api_route == "v1"


def test_credentials_file_in_the_isolated_home(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = isolated_home / ".huaweicloud"
    folder.mkdir()
    (folder / "credentials").write_text("[basic]\nak = FILEAK\nsk = FILESK\n")
    monkeypatch.setenv("HW_REGION_NAME", "cn-north-4")
    assert connection_from_args(_args()).credentials.ak == "FILEAK"


def test_nothing_configured_explains_what_to_set() -> None:
    with pytest.raises(CredentialsMissing, match="--region"):
        connection_from_args(_args())
    with pytest.raises(CredentialsMissing, match="HUAWEICLOUD_SDK_AK"):
        connection_from_args(_args("--region", "cn-north-4"))


def test_endpoint_needs_no_known_region_but_refuses_plain_http_off_loopback() -> None:
    settings = connection_from_args(_args("--endpoint", "http://127.0.0.1:9", "--ak", "A", "--sk", "S"))
    assert settings.iam_endpoint == "http://127.0.0.1:9"
    with pytest.raises(WizardError, match="plain http"):
        connection_from_args(_args("--endpoint", "http://dms.example.com", "--ak", "A", "--sk", "S"))


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_timeout_must_be_positive(value: str) -> None:
    with pytest.raises(SystemExit):
        _args("--timeout", value)
