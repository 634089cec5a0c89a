"""The `rocketmq-wizard` command: the Textual wizard by default, headless subcommands beside it.

Subcommands live in `wizard.commands`, one module each; none imports Textual, so they start fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from wizard import __version__
from wizard.commands.flags import add_connection_flags
from wizard.exitcodes import EPILOG, INTERRUPTED, INVALID

#: Modules of `wizard.commands` that each register one subcommand.
COMMAND_MODULES = ("validate", "export", "drafts", "profiles", "sandbox", "create", "status", "price")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The full argument parser; given the arguments, it adds the wizard's connection flags when they name no
    command (only the interactive wizard needs them at the top level)."""
    parser = argparse.ArgumentParser(
        prog="rocketmq-wizard",
        description="Create a Huawei Cloud DMS for RocketMQ instance, step by step, validated before "
        "anything is sent. With no command, the interactive wizard starts.",
        epilog=EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"wizard.commands.{name}").register(commands)
    if argv is not None and not set(argv) & set(commands.choices or ()):
        add_connection_flags(parser)
    return parser


def wizard_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The interactive wizard's arguments when `argv` holds only valid connection flags, else None.

    A command line naming a command returns None at once, so headless commands never pay for this.

    The wizard's first frame waits for this: parsing with the connection flags alone skips importing and
    registering every subcommand (~50 ms). Anything else (a command, help, a typo, a bad value) returns None,
    and the full parser handles it with its usual messages.
    """
    if any(arg in ("-h", "--help", "--version", *COMMAND_MODULES) for arg in argv):
        return None
    parser = argparse.ArgumentParser(prog="rocketmq-wizard", add_help=False, allow_abbrev=False, exit_on_error=False)
    add_connection_flags(parser)
    try:
        args, rest = parser.parse_known_args(argv)
    except argparse.ArgumentError:
        return None
    return None if rest else args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = wizard_arguments(arguments)
    if args is None:
        try:
            args = build_parser(arguments).parse_args(arguments)
        except SystemExit as exc:
            # argparse exits 2 on a usage error; here 2 means the API refused, and a usage error is invalid input.
            if exc.code == 2:
                return INVALID
            raise
    run = getattr(args, "run", None)
    try:
        if run is None:
            from wizard.commands.tui import run_wizard

            wizard_code: int = run_wizard(args)
            return wizard_code
        code: int = run(args)
        return code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return INTERRUPTED
    finally:
        _report_storage_repairs()


def _report_storage_repairs() -> None:
    """Tell the user what the stores repaired (a folder others could write), once the command is done."""
    atomic = sys.modules.get("wizard.storage.atomic")
    if atomic is not None:
        for warning in atomic.drain_warnings():
            print(f"warning: {warning}", file=sys.stderr)


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())
