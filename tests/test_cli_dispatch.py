"""How the command line picks between the interactive wizard and a headless command."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from wizard import cli
from wizard.commands import tui
from wizard.sdk_env import DEFAULT_TIMEOUT


@pytest.fixture
def wizard_runs(monkeypatch: pytest.MonkeyPatch) -> list[argparse.Namespace]:
    """Arguments the interactive wizard was started with (it is not really started)."""
    started: list[argparse.Namespace] = []

    def fake_run(args: argparse.Namespace) -> int:
        started.append(args)
        return 0

    monkeypatch.setattr(tui, "run_wizard", fake_run)
    return started


@pytest.mark.parametrize(
    ("argv", "attribute", "value"),
    [
        ([], "sandbox", False),
        (["--sandbox"], "sandbox", True),
        (["--region", "cn-north-4", "--api", "v2"], "api", "v2"),
        (["--timeout", "12"], "timeout", 12.0),
    ],
)
def test_connection_flags_alone_start_the_wizard(
    wizard_runs: list[argparse.Namespace], argv: list[str], attribute: str, value: object
) -> None:
    assert cli.main(argv) == 0
    assert len(wizard_runs) == 1
    assert getattr(wizard_runs[0], attribute) == value


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--api", "v3"], "invalid choice: 'v3'"),
        (["--timeout", "soon"], "'soon' is not a number of seconds"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        # No abbreviations: a flag means the same before and after a command's name.
        (["--reg", "cn-north-4"], "unrecognized arguments: --reg"),
        (["valdate", "x.toml"], "invalid choice: 'valdate'"),
        (["status"], "the following arguments are required: INSTANCE_ID"),
        (["--endpoint", "http://127.0.0.1:1", "validate", "x.toml"], "takes no connection flags (--endpoint)"),
        (["--sandbox", "drafts", "list"], "takes no connection flags (--sandbox)"),
    ],
)
def test_bad_command_lines_get_a_parsers_message_and_exit_1(
    wizard_runs: list[argparse.Namespace], argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 1
    assert words in capsys.readouterr().err
    assert wizard_runs == []


def test_help_lists_the_commands_and_the_connection_flags(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    for command in cli.COMMANDS:
        assert command.name in out
        assert command.help.split()[0] in out
    assert "--sandbox" in out
    assert "exit codes" in out


def test_a_commands_help_shows_its_own_and_the_connection_flags(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["status", "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: rocketmq-wizard status")
    assert "--wait" in out
    assert "--endpoint" in out


def test_every_command_in_the_table_has_a_module_that_configures_it() -> None:
    for command in cli.COMMANDS:
        parser = cli.command_parser(command.name)
        assert parser.prog == f"rocketmq-wizard {command.name}"
        assert parser.description
        assert ("--endpoint" in parser.format_help()) is command.connection


def _modules_loaded_by(code: str) -> list[str]:
    script = (
        "import sys\n"
        "from wizard import cli\n"
        f"{code}\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('wizard.commands.'))))\n"
        "print('wizard.connection' in sys.modules, 'httpx' in sys.modules, 'wizard.catalog' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


def test_starting_the_wizard_loads_no_command_and_makes_no_connection_before_its_first_frame() -> None:
    loaded = _modules_loaded_by("args = cli.parse(['--sandbox'])\nassert args.sandbox and not hasattr(args, 'run')")
    assert loaded == ["wizard.commands.flags", "False False False"]


def test_a_headless_command_loads_only_its_own_module_and_no_connection_while_parsing() -> None:
    loaded = _modules_loaded_by("cli.parse(['validate', 'x.toml'])")
    assert loaded == ["wizard.commands.flags,wizard.commands.validate", "False False False"]


def test_help_loads_no_command_module() -> None:
    loaded = _modules_loaded_by(
        "import contextlib, io\nwith contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: cli.parse(['--help'])\n    except SystemExit: pass"
    )
    assert loaded == ["wizard.commands.flags", "False False False"]


# Issue 14 item 10: the connection flags are accepted before a command's name as well as after it.


@pytest.mark.parametrize(
    "argv",
    [
        ["--endpoint", "http://127.0.0.1:9", "--region", "r-1", "status", "id-1"],
        ["status", "id-1", "--endpoint", "http://127.0.0.1:9", "--region", "r-1"],
        ["--endpoint", "http://127.0.0.1:9", "status", "--region", "r-1", "id-1"],
        ["--region", "r-0", "--endpoint", "http://127.0.0.1:9", "status", "id-1", "--region", "r-1"],
    ],
)
def test_connection_flags_go_before_or_after_the_command_name(argv: list[str]) -> None:
    args = cli.parse(argv)
    assert (args.endpoint, args.region, args.instance_id) == ("http://127.0.0.1:9", "r-1", "id-1")
    assert args.run.__module__ == "wizard.commands.status"
    assert args.timeout == DEFAULT_TIMEOUT  # defaults still filled in


def test_flags_before_the_name_reach_create_and_export_too() -> None:
    created = cli.parse(["--sandbox", "--api", "v2", "create", "--from", "r.toml", "--dry-run"])
    assert (created.sandbox, created.api, created.dry_run) == (True, "v2", True)
    exported = cli.parse(["--project-id", "p-1", "export", "r.toml", "--format", "curl"])
    assert (exported.project_id, exported.format) == ("p-1", "curl")
    priced = cli.parse(["--sandbox", "price", "r.toml", "--json"])
    assert (priced.sandbox, priced.json) == (True, True)


# Issue 17 item 8: a mistyped flag never has its value echoed.

SECRET = "SK-4f9d0c2e7b1a"


@pytest.mark.parametrize(
    "argv",
    [
        ["--secret-key", SECRET],
        ["--secret-key", SECRET, "status", "id-1"],
        ["status", "id-1", "--secret-key", SECRET],
        ["status", "id-1", f"--secret-key={SECRET}"],
        ["create", "--from", "r.toml", "--secret-key", SECRET, "--dry-run"],
        ["validate", "x.toml", "--secret-key", SECRET],
        ["profiles", "save", "team", "--from", "r.toml", "--secret-key", SECRET],
        ["sandbox", "--secret", SECRET],
    ],
)
def test_a_mistyped_flag_is_named_but_its_value_never_printed(
    wizard_runs: list[argparse.Namespace], argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 1
    out, err = capsys.readouterr()
    assert SECRET not in out + err
    assert "unrecognized arguments: --secret" in err
    assert wizard_runs == []


def test_a_mistyped_flag_in_a_real_process_never_prints_its_value() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wizard", "status", "id-1", "--secret-key", SECRET],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert SECRET not in result.stdout + result.stderr
    assert "unrecognized arguments: --secret-key and 1 other word (not shown" in result.stderr
