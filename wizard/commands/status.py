"""`rocketmq-wizard status INSTANCE_ID [--wait] [--json]`: an instance's status, or follow it to RUNNING."""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING

from wizard.exitcodes import EPILOG, OK

INSTANCE_ID = re.compile(r"[A-Za-z0-9-]{1,64}")
"""What an instance ID can be (they are UUIDs); anything else is refused before a call is made."""

if TYPE_CHECKING:
    from collections.abc import Callable

    from wizard.commands.reporting import Failure
    from wizard.connection import ConnectionSettings
    from wizard.resources import Instance


def configure(parser: argparse.ArgumentParser) -> None:
    """Describe `status` and add its flags (the command table in `wizard.cli` adds the connection flags)."""
    from wizard.commands.reporting import add_wait_flags

    parser.description = (
        "Show an instance's status (stdout; JSON with --json). With --wait, follow it until RUNNING "
        "or a failed status, with progress on stderr."
    )
    parser.epilog = EPILOG
    parser.add_argument("instance_id", metavar="INSTANCE_ID")
    add_wait_flags(parser)
    parser.add_argument("--json", action="store_true", help="print the instance (or the error) as JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Fetch (and optionally follow) the instance."""
    from wizard.commands.common import connection_from_args
    from wizard.commands.reporting import Failure, failure_of, say
    from wizard.commands.request_input import print_json
    from wizard.errors import WizardError
    from wizard.exitcodes import INVALID

    def fail(failure: Failure) -> int:
        say(f"error: {failure.message}")
        if args.json:
            print_json({"instance_id": args.instance_id, "error": failure.as_json()})
        return failure.code

    if not args.instance_id.strip():
        return fail(Failure(INVALID, "invalid", "INSTANCE_ID must not be blank", {}))
    if not INSTANCE_ID.fullmatch(args.instance_id):
        shown = args.instance_id if len(args.instance_id) <= 40 else f"{args.instance_id[:37]}..."
        message = (
            f"INSTANCE_ID {shown!r} ({len(args.instance_id)} characters) is not an instance ID: "
            "at most 64 letters, digits and '-' (instance IDs are UUIDs)"
        )
        args.instance_id = shown
        return fail(Failure(INVALID, "invalid", message, {}))
    if args.wait_timeout <= 0:
        return fail(Failure(INVALID, "invalid", "--wait-timeout must be a positive number of seconds", {}))
    try:
        settings = connection_from_args(args)
    except WizardError as exc:
        return fail(failure_of(exc))
    import asyncio

    return asyncio.run(_status(settings, args, fail))


async def _status(settings: ConnectionSettings, args: argparse.Namespace, report: Callable[[Failure], int]) -> int:
    from wizard.client import CloudClient
    from wizard.commands.reporting import failure_of, instance_json, say, wait_for_running
    from wizard.commands.request_input import print_json
    from wizard.errors import WizardError

    async with CloudClient(settings) as client:
        # One look first: an unknown ID fails at once instead of waiting out the "not visible yet" grace.
        try:
            instance = await client.show_instance(args.instance_id)
        except WizardError as exc:
            return report(failure_of(exc))
        if not args.wait:
            if args.json:
                print_json(instance_json(instance))
            else:
                print(_line(instance))
            return OK
        waited = await wait_for_running(client, args.instance_id, timeout=args.wait_timeout)
        last = waited.instance or instance
        if waited.failure is not None:
            say(f"error: {waited.failure.message}")
            if args.json:
                print_json({**instance_json(last), "error": waited.failure.as_json()})
            else:
                print(_line(last))
            return waited.failure.code
        if args.json:
            print_json({**instance_json(last), "elapsed": round(waited.elapsed, 1)})
        else:
            print(_line(last))
        return OK


def _line(instance: Instance) -> str:
    """The plain result: status, name and ID, tab-separated (easy to cut)."""
    return f"{instance.status}\t{instance.name}\t{instance.id}"
