"""`rocketmq-wizard validate FILE [--json]`: check a request file against every rule."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from wizard.exitcodes import INVALID, OK, UNREADABLE


def configure(parser: argparse.ArgumentParser) -> None:
    """Describe `validate` and add its arguments."""
    parser.description = (
        "Check a request file (TOML or JSON, with the API's field names) against every rule. "
        "Exit 0 valid, 1 invalid, 2 unreadable or not TOML/JSON."
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--json", action="store_true", help="print the verdict as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Validate the file and report every problem at once."""
    from wizard.requestfile import RequestFileError, load_request_file
    from wizard.validation import MAX_PROBLEMS_SHOWN, check_request, more_line

    try:
        data = load_request_file(args.file)
    except RequestFileError as exc:
        if args.json:
            print(json.dumps({"valid": False, "errors": [{"field": "", "step": "", "message": str(exc)}]}))
        else:
            print(f"error: {exc}", file=sys.stderr)
        return UNREADABLE
    issues = check_request(data)
    shown = issues[:MAX_PROBLEMS_SHOWN]
    if args.json:
        verdict: dict[str, object] = {"valid": not issues, "errors": [issue.as_json() for issue in shown]}
        if len(issues) > len(shown):
            verdict["more_errors"] = len(issues) - len(shown)
        print(json.dumps(verdict, indent=2))
    elif issues:
        print(f"{args.file}: {len(issues)} problem(s)", file=sys.stderr)
        for issue in shown:
            print(f"  [{issue.step.value}] {issue.field}: {issue.message}", file=sys.stderr)
        if more_line(len(issues)):
            print(f"  {more_line(len(issues))}", file=sys.stderr)
    else:
        print(f"{args.file}: valid")
    return INVALID if issues else OK
