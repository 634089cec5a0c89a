"""`rocketmq-wizard export FILE --format json`: print what would be sent."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from wizard.exitcodes import INVALID, OK, UNREADABLE

FORMATS = ("json",)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `export` subcommand."""
    parser = commands.add_parser(
        "export",
        help="print the request body a file would send",
        description="Print the exact request body the create call would send for a request file.",
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--format", choices=FORMATS, default="json", help="output format (default json)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Validate the file, then print its API body."""
    from wizard.requestfile import RequestFileError, load_request_file
    from wizard.validation import RequestInvalid, parse_request

    try:
        data = load_request_file(args.file)
    except RequestFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return UNREADABLE
    try:
        request = parse_request(data)
    except RequestInvalid as exc:
        print(f"{args.file}: not exported, {len(exc.issues)} problem(s)", file=sys.stderr)
        for issue in exc.issues:
            print(f"  [{issue.step.value}] {issue.field}: {issue.message}", file=sys.stderr)
        return INVALID
    print(json.dumps(request.to_api_body(), indent=2, ensure_ascii=False))
    return OK
