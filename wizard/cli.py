"""The `rocketmq-wizard` command: the Textual wizard by default, headless subcommands beside it.

The commands are a plain table (`COMMANDS`): a name, its one-line help, and whether it talks to the cloud.
Each lives in `wizard.commands.<name>`, imported only when that command runs (`configure(parser)` adds its
arguments, `run` is set as the parser's default); none imports Textual, so they start fast. The connection
flags may come before a command's name or after it: `rocketmq-wizard --endpoint URL status ID`.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence

from wizard import __version__
from wizard.commands.flags import add_connection_flags
from wizard.exitcodes import EPILOG, INTERRUPTED, INVALID

# Not `typing.TYPE_CHECKING`: the wizard's first frame waits for this module, and typing, dataclasses and
# what they import cost it milliseconds (argparse already brings re).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

PROG = "rocketmq-wizard"


class Command:
    """One headless command: `wizard.commands.<name>` holds its `configure(parser)`."""

    __slots__ = ("connection", "help", "name")

    def __init__(self, name: str, help: str, *, connection: bool) -> None:
        self.name = name
        self.help = help
        self.connection = connection
        """It talks to the cloud, so it takes the connection flags (before its name or after it)."""


COMMANDS: tuple[Command, ...] = (
    Command("validate", "check a request file (TOML or JSON) against every rule", connection=False),
    Command("export", "print the request body, or the curl, Terraform or KooCLI (hcloud) equivalent", connection=True),
    Command("drafts", "list, show or remove the wizard's autosaved drafts", connection=False),
    Command("profiles", "list, show, save, remove, export or import profiles (reusable choices)", connection=False),
    Command("sandbox", "serve a local emulator of the DMS, VPC, EIP and IAM APIs on loopback", connection=False),
    Command("create", "create an instance from a request file or profile, without the screens", connection=True),
    Command("status", "show an instance's status, or wait until it is RUNNING", connection=True),
    Command("price", "estimate what a request will cost, from the vendor's price inquiry", connection=True),
    Command(
        "connect", "print how a client connects to an instance (addresses, TLS, ACL, closed ports)", connection=True
    ),
    Command("topic", "topic create: create a topic on an instance (topics are not made on first use)", connection=True),
    Command("group", "group create: create a consumer group on an instance", connection=True),
    Command(
        "user", "user create: create an ACL user on an instance with ACL on (secret from a prompt)", connection=True
    ),
    Command("delete", "delete a pay-per-use instance (asks first unless --yes)", connection=True),
)
BY_NAME = {command.name: command for command in COMMANDS}

DESCRIPTION = (
    "Create a Huawei Cloud DMS for RocketMQ instance, step by step, validated before anything is sent. "
    "With no command, the interactive wizard starts. The connection flags go before a command's name or after it."
)

#: What an option looks like on a command line; only its name (never a value after `=`) is ever printed.
OPTION_NAME = re.compile(r"-{1,2}[A-Za-z][A-Za-z0-9_-]*")


class _HelpAction(argparse.Action):
    """`-h/--help` at the top: the help lists every command without importing any of them."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help="show this help and exit")

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        help_parser().print_help()
        parser.exit()


def _parser(prog: str, **kwargs: Any) -> argparse.ArgumentParser:
    # No abbreviations: `--reg` is not `--region`, so a command line means the same wherever a flag stands.
    return argparse.ArgumentParser(prog=prog, allow_abbrev=False, **kwargs)


def top_parser() -> argparse.ArgumentParser:
    """What comes before a command's name (or the interactive wizard's whole command line)."""
    parser = _parser(PROG, description=DESCRIPTION, epilog=EPILOG, add_help=False)
    parser.add_argument("-h", "--help", action=_HelpAction)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_connection_flags(parser)
    parser.add_argument("command", nargs="?", metavar="COMMAND")
    parser.add_argument("arguments", nargs=argparse.REMAINDER)
    return parser


def help_parser() -> argparse.ArgumentParser:
    """The parser `--help` prints: the table's commands with their help lines, then the connection flags."""
    parser = _parser(PROG, description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    for command in COMMANDS:
        commands.add_parser(command.name, help=command.help)
    add_connection_flags(parser)
    return parser


def command_parser(name: str) -> argparse.ArgumentParser:
    """The full parser of command `name`, its module imported now."""
    command = BY_NAME[name]
    parser = _parser(f"{PROG} {name}")
    importlib.import_module(f"wizard.commands.{name}").configure(parser)
    if command.connection:
        add_connection_flags(parser)
    return parser


def refuse_unknown(parser: argparse.ArgumentParser, extras: Sequence[str]) -> NoReturn:
    """Stop on arguments nobody takes, naming the options only: a mistyped flag's value may be a secret."""
    names = [match.group() for arg in extras if (match := OPTION_NAME.match(arg))]
    others = len(extras) - len(names)
    words = ", ".join(dict.fromkeys(names))
    if others:
        hidden = f"{others} other word{'s' if others > 1 else ''} (not shown: a value may be a secret)"
        words = f"{words} and {hidden}" if words else hidden
    parser.error(f"unrecognized arguments: {words}")


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """The arguments of the interactive wizard (no `run`) or of one command (its `run` set)."""
    top = top_parser()
    args, extras = top.parse_known_args(argv)
    if extras:
        refuse_unknown(top, extras)
    name: str | None = args.command
    if name is None:
        return args
    command = BY_NAME.get(name)
    if command is None:
        top.error(f"argument COMMAND: invalid choice: {name!r} (choose from {', '.join(BY_NAME)})")
    rest: list[str] = args.arguments
    before = list(argv[: len(argv) - len(rest) - 1])
    if before and not command.connection:
        flags = ", ".join(dict.fromkeys(m.group() for arg in before if (m := OPTION_NAME.match(arg))))
        top.error(f"{name} talks to no cloud: it takes no connection flags ({flags})")
    parser = command_parser(name)
    # The flags given before the name go first, so the same flag after the name wins.
    args, extras = parser.parse_known_args([*before, *rest])
    if extras:
        refuse_unknown(parser, extras)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parse(arguments)
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
