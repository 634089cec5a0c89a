"""Where headless commands get a request from: a file or a saved profile, then `--set` overrides.

Shared by `create` and `export`. Nothing here imports pydantic or the storage package until it is used,
so `--help` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Sequence

    from wizard.validation import Issue


class RequestInputError(Exception):
    """The request could not be read; `problems` says why (one line each), `unreadable` if no file/profile."""

    def __init__(
        self,
        problems: list[str],
        *,
        unreadable: bool,
        data: dict[str, Any] | None = None,
        fields: list[str] | None = None,
    ) -> None:
        self.problems = problems
        self.unreadable = unreadable
        self.data = data
        """The request with every good `--set` applied, when only some `--set`s were bad."""
        self.fields = fields if fields is not None else [""] * len(problems)
        """The field each problem is about ("" when it is about the whole file or profile)."""
        super().__init__("; ".join(problems))


class RequestInput(NamedTuple):
    """The request's fields and where they came from (for messages)."""

    data: dict[str, Any]
    origin: str


def add_source_flags(parser: argparse.ArgumentParser, *, positional_file: bool) -> None:
    """FILE (positional or `--from`), `--profile NAME` and repeatable `--set FIELD=VALUE`."""
    if positional_file:
        parser.add_argument("file", type=Path, metavar="FILE", nargs="?", help="request file (TOML or JSON)")
    else:
        parser.add_argument("--from", dest="file", type=Path, metavar="FILE", help="request file (TOML or JSON)")
    parser.add_argument("--profile", metavar="NAME", help="start from a saved profile instead of a file")
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="change one field, by its dotted API path (bss_param.period_num=3, available_zones=a,b,c); "
        "typed as the model types it (whole numbers, true/false, comma-separated AZ IDs); an empty "
        "VALUE removes the field; repeatable",
    )


def check_source_choice(parser: argparse.ArgumentParser, args: argparse.Namespace, file_flag: str) -> None:
    """Exactly one of FILE and --profile (argparse exits with status 2 on a usage error; we want 1)."""
    if (args.file is None) == (args.profile is None):
        print(f"{parser.prog}: error: give exactly one of {file_flag} and --profile NAME", file=sys.stderr)
        raise SystemExit(1)


def read_request(file: Path | None, profile: str | None, overrides: Sequence[str]) -> RequestInput:
    """The request's fields from the file or profile, with the overrides applied."""
    from wizard.errors import WizardError
    from wizard.overrides import OverrideError, apply_overrides
    from wizard.requestfile import RequestFileError, load_request_file

    if file is not None:
        origin = str(file)
        try:
            data = load_request_file(file)
        except RequestFileError as exc:
            raise RequestInputError([str(exc)], unreadable=True) from None
    else:
        from wizard.storage.profiles import ProfileStore

        assert profile is not None
        origin = f"profile {profile!r}"
        try:
            data = ProfileStore().load(profile).values
        except WizardError as exc:
            describe = getattr(exc, "describe", None)
            raise RequestInputError([describe() if callable(describe) else str(exc)], unreadable=True) from None
    try:
        data = apply_overrides(data, overrides)
    except OverrideError as exc:
        raise RequestInputError(exc.problems, unreadable=False, data=exc.applied, fields=exc.fields) from None
    return RequestInput(data, origin)


def print_problems(origin: str, verb: str, problems: Sequence[str]) -> None:
    """`origin: not <verb>, N problem(s)` and one indented line per problem, on stderr."""
    from wizard.validation import MAX_PROBLEMS_SHOWN, more_line

    print(f"{origin}: not {verb}, {len(problems)} problem(s)", file=sys.stderr)
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        print(f"  {problem}", file=sys.stderr)
    if more_line(len(problems)):
        print(f"  {more_line(len(problems))}", file=sys.stderr)


def problems_with_rules(exc: RequestInputError) -> tuple[list[str], list[dict[str, str]]]:
    """Every problem to report for a request that could not be read whole: the `--set` problems, then the
    rules the rest of the request breaks (checked offline), as lines and as `validate --json` errors."""
    from wizard.fields import FIELD_SPECS
    from wizard.validation import check_request

    lines = list(exc.problems)
    errors = [
        {"field": field, "step": FIELD_SPECS[field].step.value if field in FIELD_SPECS else "", "message": problem}
        for field, problem in zip(exc.fields, exc.problems, strict=True)
    ]
    if exc.data is not None:
        issues = check_request(exc.data)
        lines += issue_lines(issues)
        errors += [issue.as_json() for issue in issues]
    return lines, errors


def issue_lines(issues: Sequence[Issue]) -> list[str]:
    """One line per validation issue: `[step] field: message`."""
    return [f"[{issue.step.value}] {issue.field}: {issue.message}" for issue in issues]


def print_json(document: object) -> None:
    """One JSON document on stdout (indented, UTF-8 kept)."""
    import json

    print(json.dumps(document, indent=2, ensure_ascii=False))
