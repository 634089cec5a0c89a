"""`rocketmq-wizard drafts list|show ID|rm ID|history`: the wizard's autosaved drafts, headless."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import Any

from wizard.exitcodes import INVALID, OK, UNREADABLE


def configure(parser: argparse.ArgumentParser) -> None:
    """Describe `drafts` and add its actions."""
    parser.description = (
        "The wizard autosaves every session as a draft (values as typed, and the step reached) "
        "until it is submitted. Exit 0 done, 1 no such draft (or it is open in a running wizard), "
        "2 a file could not be read or written."
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list drafts, most recent first")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")
    listing.set_defaults(run=run_list)
    show = actions.add_parser("show", help="print one draft (a TOML request file with a [wizard] header)")
    show.add_argument("draft_id", metavar="ID")
    show.add_argument("--json", action="store_true", help="print the draft as JSON")
    show.set_defaults(run=run_show)
    remove = actions.add_parser("rm", help="remove a draft")
    remove.add_argument("draft_id", metavar="ID")
    remove.set_defaults(run=run_remove)
    history = actions.add_parser("history", help="list submitted drafts with their instance IDs, newest first")
    history.add_argument("--json", action="store_true", help="print the history as JSON (with each request)")
    history.set_defaults(run=run_history)


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _report_problems(problems: list[Any]) -> None:
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)


def run_list(args: argparse.Namespace) -> int:
    """Print every draft: ID, instance name, step reached, last saved."""
    from wizard.errors import WizardError
    from wizard.storage import DraftStore

    store = DraftStore()
    try:
        drafts = store.list()
    except WizardError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return UNREADABLE
    _report_problems(store.problems)
    if args.json:
        rows = [
            {
                "id": d.id,
                "name": d.name,
                "step": d.step,
                "updated": d.updated.isoformat(),
                "open_in_pid": d.open_in_pid,
            }
            for d in drafts
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return OK
    if not drafts:
        print("no drafts")
        return OK
    from wizard.printable import printable

    width = max(len("NAME"), *(len(printable(d.name) or "-") for d in drafts))
    print(f"{'ID':<24}  {'NAME':<{width}}  {'STEP':<13}  SAVED")
    for d in drafts:
        note = f"  (open in wizard pid {d.open_in_pid})" if d.open_in_pid else ""
        name, step = printable(d.name) or "-", printable(d.step)
        print(f"{d.id:<24}  {name:<{width}}  {step:<13}  {_when(d.updated)}{note}")
    return OK


def run_show(args: argparse.Namespace) -> int:
    """Print one draft."""
    from wizard.errors import WizardError
    from wizard.storage import DocumentUnreadable, DraftStore, StorageError
    from wizard.storage.documents import render_document

    store = DraftStore()
    try:
        draft = store.load(args.draft_id)
    except (DocumentUnreadable, StorageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return UNREADABLE
    except WizardError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return INVALID
    if args.json:
        shown = {
            "id": draft.id,
            "step": draft.step,
            "created": draft.created.isoformat(),
            "updated": draft.updated.isoformat(),
            "values": draft.values,
        }
        print(json.dumps(shown, indent=2, ensure_ascii=False, default=str))
    else:
        text = render_document(
            "draft", draft.values, created=draft.created, updated=draft.updated, header={"step": draft.step}
        )
        print(text, end="")
    return OK


def run_remove(args: argparse.Namespace) -> int:
    """Remove one draft, unless a running wizard has it open."""
    from wizard.errors import WizardError
    from wizard.storage import DraftStore, StorageError

    store = DraftStore()
    try:
        store.remove(args.draft_id)
    except StorageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return UNREADABLE
    except WizardError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return INVALID
    print(f"removed draft {args.draft_id}")
    return OK


def run_history(args: argparse.Namespace) -> int:
    """Print every submitted draft: when, the instance name and the instance_id it created."""
    from wizard.errors import WizardError
    from wizard.storage import HistoryStore

    store = HistoryStore()
    try:
        entries = store.list()
    except WizardError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return UNREADABLE
    _report_problems(store.problems)
    if args.json:
        rows = [
            {"id": e.id, "instance_id": e.instance_id, "submitted": e.submitted.isoformat(), "request": e.values}
            for e in entries
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return OK
    if not entries:
        print("no submitted drafts")
        return OK
    from wizard.printable import printable

    width = max(len("NAME"), *(len(printable(e.name) or "-") for e in entries))
    print(f"{'SUBMITTED':<19}  {'NAME':<{width}}  INSTANCE_ID")
    for e in entries:
        print(f"{_when(e.submitted):<19}  {printable(e.name) or '-':<{width}}  {printable(e.instance_id)}")
    return OK
