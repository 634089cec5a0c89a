"""Secrets off the command line: `--sk -` reads a prompt or standard input; a readable credentials file is named."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from tests.cli.conftest import instances_named, sandbox_request, write_request
from wizard.cli import main
from wizard.sandbox.server import RunningSandbox

Capture = pytest.CaptureFixture[str]


def _flags(sandbox: RunningSandbox, sk: str) -> list[str]:
    return ["--endpoint", sandbox.url, "--region", sandbox.region, "--ak", sandbox.ak, "--sk", sk,
            "--project-id", sandbox.project_id]  # fmt: skip


def test_sk_dash_reads_the_secret_from_standard_input(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(sandbox.sk + "\n"))
    path = write_request(tmp_path, sandbox_request())
    assert main(["create", "--from", str(path), "--yes", *_flags(sandbox, "-")]) == 0
    out, err = capsys.readouterr()
    assert len(instances_named(sandbox, "orders-mq")) == 1
    assert sandbox.sk not in out + err


def test_sk_dash_with_nothing_on_standard_input_says_so(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    path = write_request(tmp_path, sandbox_request())
    assert main(["create", "--from", str(path), "--yes", *_flags(sandbox, "-")]) == 1
    assert "--sk -: no secret access key was given on standard input" in capsys.readouterr().err
    assert instances_named(sandbox, "orders-mq") == []


def test_sk_dash_on_a_terminal_prompts_without_echo(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    def getpass(prompt: str, stream: object = None) -> str:
        asked.append(prompt)
        return sandbox.sk

    monkeypatch.setattr("sys.stdin", Terminal(""))
    monkeypatch.setattr("getpass.getpass", getpass)
    path = write_request(tmp_path, sandbox_request())
    assert main(["create", "--from", str(path), "--yes", *_flags(sandbox, "-")]) == 0
    assert asked == ["Secret access key (for --sk -): "]


def test_the_help_offers_the_dash_and_says_why(capsys: Capture) -> None:
    with pytest.raises(SystemExit):
        main(["create", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--sk SK|-" in help_text and "reads it from a prompt or standard input" in help_text


def test_a_credentials_file_others_can_read_is_warned_about(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture, isolated_home: Path
) -> None:
    folder = isolated_home / ".huaweicloud"
    folder.mkdir()
    credentials = folder / "credentials"
    credentials.write_text(f"[basic]\nak = {sandbox.ak}\nsk = {sandbox.sk}\n")
    os.chmod(credentials, 0o644)
    path = write_request(tmp_path, sandbox_request())
    flags = ["--endpoint", sandbox.url, "--region", sandbox.region, "--project-id", sandbox.project_id]
    assert main(["create", "--from", str(path), "--yes", *flags]) == 0
    err = capsys.readouterr().err
    assert f"warning: the credentials file {credentials} can be read by every local user (mode 644)" in err
    assert f"chmod 600 {credentials}" in err
    os.chmod(credentials, 0o600)
    assert main(["create", "--from", str(path), "--yes", "--set", "name=second-mq", *flags]) == 0
    assert "credentials file" not in capsys.readouterr().err
