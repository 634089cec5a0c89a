"""Subcommand parsers that add some of their flags only when a command line or the help needs them.

The connection flags come from `wizard.commands.flags`. Every subcommand is registered at start-up, so
adding a dozen flags with their help to each of them eagerly would slow `validate` and `export` too. A
deferred parser adds them when its help is shown or when the command line holds an option it does not
know yet; `create --from FILE --dry-run` (no connection flags, nothing sent) never pays for them.
Commands read the deferred flags with `getattr(args, name, default)`, as `connection_from_args` does.
Abbreviated options are off, so a command line means the same with or without the deferred flags.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

FlagAdder = Callable[[argparse.ArgumentParser], None]


class DeferredFlagsParser(argparse.ArgumentParser):
    """An ArgumentParser that runs its deferred flag adders before it first parses or prints help."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)
        self._deferred: list[FlagAdder] = []

    def defer(self, adder: FlagAdder) -> None:
        """Add flags with `adder(parser)` when the parser is first used."""
        self._deferred.append(adder)

    def complete(self) -> None:
        """Run every deferred adder now."""
        while self._deferred:
            self._deferred.pop(0)(self)

    def needs_deferred(self, args: Sequence[str]) -> bool:
        """True when `args` hold an option this parser does not know without its deferred flags."""
        for arg in args:
            if arg == "--":
                return False
            if arg.startswith("-") and arg != "-" and arg.split("=", 1)[0] not in self._option_string_actions:
                return True
        return False

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        if self.needs_deferred(sys.argv[1:] if args is None else args):
            self.complete()
        return super().parse_known_args(args, namespace)

    def format_help(self) -> str:
        self.complete()
        return super().format_help()

    def format_usage(self) -> str:
        self.complete()
        return super().format_usage()


def add_deferred_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str, *, help: str, **kwargs: Any
) -> DeferredFlagsParser:
    """Register subcommand `name` (with its help line) backed by a DeferredFlagsParser."""
    placeholder = commands.add_parser(name, help=help, **kwargs)
    parser = DeferredFlagsParser(prog=placeholder.prog, **kwargs)
    commands.choices[name] = parser
    return parser


def defer_connection_flags(parser: DeferredFlagsParser) -> None:
    """Add the connection flags of `wizard.commands.flags` when the parser is first used."""

    def add(target: argparse.ArgumentParser) -> None:
        from wizard.commands.flags import add_connection_flags

        add_connection_flags(target)

    parser.defer(add)
