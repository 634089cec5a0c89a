"""`rocketmq-wizard profiles ...`: reusable choices saved under a name, headless."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from wizard.exitcodes import INVALID, OK, UNREADABLE


def configure(parser: argparse.ArgumentParser) -> None:
    """Describe `profiles` and add its actions."""
    parser.description = (
        "A profile is a named set of choices to start new wizards (or `create --profile`) from. "
        "It never holds the instance name unless --include-name is given, and never a secret. "
        "Exit 0 done; 1 invalid input (a bad name, a file that breaks a rule, no such profile, a name or "
        "export FILE that exists without --force); 2 a file could not be read (missing, not a regular file, "
        "too large, not TOML/JSON) or written."
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list profiles by name")
    listing.add_argument("--json", action="store_true", help="print the list as JSON")
    listing.set_defaults(run=run_list)

    show = actions.add_parser("show", help="print a profile (TOML with a [wizard] header)")
    show.add_argument("name", metavar="NAME")
    show.add_argument("--json", action="store_true", help="print the profile's fields as JSON")
    show.set_defaults(run=run_show)

    save = actions.add_parser("save", help="save a request file (TOML or JSON) as a profile, validated")
    save.add_argument("name", metavar="NAME")
    save.add_argument("--from", dest="source", type=Path, required=True, metavar="FILE")
    _add_import_flags(save)
    save.set_defaults(run=run_import, done="saved")

    remove = actions.add_parser("rm", help="remove a profile")
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(run=run_remove)

    export = actions.add_parser(
        "export", help="print a profile, or write it to FILE (.toml, or .json; '-' is standard output)"
    )
    export.add_argument("name", metavar="NAME")
    export.add_argument("target", type=Path, nargs="?", metavar="FILE")
    export.add_argument(
        "--force", action="store_true", help="replace FILE if it is an existing regular file (never anything else)"
    )
    export.set_defaults(run=run_export)

    imported = actions.add_parser("import", help="import a profile file (TOML or JSON), validated")
    imported.add_argument("source", type=Path, metavar="FILE")
    imported.add_argument("--name", help="the profile's name (default: the file's name without extension)")
    _add_import_flags(imported)
    imported.set_defaults(run=run_import, done="imported")


def _add_import_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--include-name", action="store_true", help="keep the instance name in the profile (left out by default)"
    )
    parser.add_argument("--force", action="store_true", help="replace a profile of the same name")


def _fail(exc: Exception) -> int:
    from wizard.storage import DocumentUnreadable, StorageError
    from wizard.storage.profiles import ProfileUnreadable

    print(f"error: {exc}", file=sys.stderr)
    return UNREADABLE if isinstance(exc, DocumentUnreadable | StorageError | ProfileUnreadable) else INVALID


def run_list(args: argparse.Namespace) -> int:
    """Print every profile."""
    from wizard.errors import WizardError
    from wizard.storage import ProfileStore

    store = ProfileStore()
    try:
        profiles = store.list()
    except WizardError as exc:
        return _fail(exc)
    for problem in store.problems:
        print(f"warning: {problem}", file=sys.stderr)
    if args.json:
        rows = [
            {"name": p.name, "updated": p.updated.isoformat(), "fields": p.fields, "description": p.description}
            for p in profiles
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return OK
    if not profiles:
        print("no profiles")
        return OK
    from wizard.printable import printable

    width = max(len("NAME"), *(len(p.name) for p in profiles))
    print(f"{'NAME':<{width}}  {'FIELDS':>6}  {'SAVED':<19}  DESCRIPTION")
    for p in profiles:
        saved = p.updated.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        print(f"{p.name:<{width}}  {p.fields:>6}  {saved:<19}  {printable(p.description)}".rstrip())
    return OK


def run_show(args: argparse.Namespace) -> int:
    """Print one profile."""
    from wizard.errors import WizardError
    from wizard.storage import ProfileStore

    try:
        store = ProfileStore()
        if args.json:
            print(json.dumps(store.load(args.name).values, indent=2, ensure_ascii=False, default=str))
        else:
            print(store.export(args.name), end="")
    except WizardError as exc:
        return _fail(exc)
    return OK


def _saved(profile_name: str, dropped: tuple[str, ...], verb: str) -> int:
    for field in dropped:
        print(f"warning: {field} was not saved: it names or holds a secret", file=sys.stderr)
    print(f"{verb} profile {profile_name}")
    return OK


def run_import(args: argparse.Namespace) -> int:
    """Validate a request or profile file and store it as a profile (`save --from` and `import`)."""
    from wizard.errors import WizardError
    from wizard.storage import ProfileStore

    try:
        profile = ProfileStore().import_(
            args.source, name=args.name, include_name=args.include_name, overwrite=args.force
        )
    except WizardError as exc:
        return _fail(exc)
    return _saved(profile.name, profile.dropped, args.done)


def run_remove(args: argparse.Namespace) -> int:
    """Remove one profile."""
    from wizard.errors import WizardError
    from wizard.storage import ProfileStore

    try:
        ProfileStore().remove(args.name)
    except WizardError as exc:
        return _fail(exc)
    print(f"removed profile {args.name}")
    return OK


def run_export(args: argparse.Namespace) -> int:
    """Print a profile, or write it to FILE."""
    from wizard.errors import WizardError
    from wizard.storage import ProfileStore

    to_stdout = args.target is None or str(args.target) == "-"
    try:
        text = ProfileStore().export(args.name, None if to_stdout else args.target, force=args.force)
    except WizardError as exc:
        return _fail(exc)
    if to_stdout:
        print(text, end="")
    else:
        print(f"exported profile {args.name} to {args.target}", file=sys.stderr)
    return OK
