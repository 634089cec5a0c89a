"""How the command line picks between the interactive wizard and a headless command."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from wizard import cli
from wizard.commands import tui


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
        (["--reg", "cn-north-4"], "region", "cn-north-4"),
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
        (["valdate", "x.toml"], "invalid choice: 'valdate'"),
    ],
)
def test_bad_command_lines_get_the_full_parsers_message_and_exit_1(
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
    for command in cli.COMMAND_MODULES:
        assert command in out
    assert "--sandbox" in out
    assert "exit codes" in out


def test_starting_the_wizard_registers_no_subcommand_and_makes_no_connection_before_its_first_frame() -> None:
    script = (
        "import sys\n"
        "from wizard import cli\n"
        "args = cli.wizard_arguments(['--sandbox'])\n"
        "assert args is not None and args.sandbox\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('wizard.commands.') and m != "
        "'wizard.commands.flags')))\n"
        "print('wizard.connection' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["", "False"]


def test_a_headless_command_never_loads_the_connection_while_parsing() -> None:
    script = (
        "import sys\n"
        "from wizard import cli\n"
        "assert cli.wizard_arguments(['validate', 'x.toml']) is None\n"
        "cli.build_parser(['validate', 'x.toml']).parse_args(['validate', 'x.toml'])\n"
        "print('wizard.connection' in sys.modules, 'httpx' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False False"
