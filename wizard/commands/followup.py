"""What the commands on an existing instance share (`topic/group/user create`, `connect`, `delete`).

Each takes the instance ID, `--json` and the connection flags; results go to stdout (one JSON document with
`--json`), progress and errors to stderr, with the exit codes of `wizard.exitcodes`. Writes wait for the
instance to be RUNNING first (progress on stderr), as the API refuses them before.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wizard.exitcodes import INVALID, OK

if TYPE_CHECKING:
    from wizard.commands.reporting import Failure
    from wizard.instance_ops import InstanceOps
    from wizard.next_steps import Problem
    from wizard.resources import Instance


@dataclass
class Outcome:
    """What a command did: the JSON document, and the lines for a person (stdout) and for stderr."""

    document: dict[str, Any]
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)


Work = Callable[["InstanceOps", "Instance"], Awaitable[Outcome]]


def add_instance_arguments(
    parser: argparse.ArgumentParser, *, description: str, waits: bool, action: str | None = None
) -> None:
    """Describe the command; add [ACTION] INSTANCE_ID, --json (and --wait-timeout when it waits for RUNNING)."""
    from wizard.commands.reporting import DEFAULT_WAIT_TIMEOUT
    from wizard.exitcodes import EPILOG

    parser.description = description
    parser.epilog = EPILOG
    if action is not None:
        parser.add_argument("action", choices=(action,), metavar=action.upper(), help=f"what to do: {action}")
    parser.add_argument("instance_id", metavar="INSTANCE_ID")
    parser.add_argument("--json", action="store_true", help="print the result (or the error) as JSON")
    if waits:
        parser.add_argument(
            "--wait-timeout",
            type=float,
            default=DEFAULT_WAIT_TIMEOUT,
            metavar="SECONDS",
            help=f"wait this long for the instance to be RUNNING first (default {DEFAULT_WAIT_TIMEOUT:g}; exit 5)",
        )


class Reporter:
    """Prints failures and problems the way --json asks."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args

    def fail(self, failure: Failure) -> int:
        from wizard.commands.reporting import say
        from wizard.commands.request_input import print_json

        say(f"error: {failure.message}")
        if self.args.json:
            print_json({"instance_id": self.args.instance_id, "error": failure.as_json()})
        return failure.code

    def invalid(self, what: str, problems: list[Problem], flags: dict[str, str] | None = None) -> int:
        from wizard.commands.reporting import Failure, say
        from wizard.commands.request_input import print_json

        say(f"error: the {what} was not created: {len(problems)} problem(s):")
        for problem in problems:
            flag = (flags or {}).get(problem.field)
            named = problem.message.startswith(problem.field)
            say(f"  {flag}{problem.message[len(problem.field) :]}" if flag and named else f"  {problem.message}")
        if self.args.json:
            failure = Failure(INVALID, "invalid", f"{len(problems)} problem(s)", {})
            errors = [p.as_json() for p in problems]
            print_json({"instance_id": self.args.instance_id, "error": failure.as_json(), "errors": errors})
        return INVALID


def run_on_instance(args: argparse.Namespace, work: Work, *, needs_running: bool) -> int:
    """Connect, look the instance up (waiting for RUNNING when needed), do the work and report it."""
    from wizard.commands.common import connection_from_args
    from wizard.commands.reporting import Failure, failure_of
    from wizard.errors import WizardError

    report = Reporter(args)
    if not args.instance_id.strip():
        return report.fail(Failure(INVALID, "invalid", "INSTANCE_ID must not be blank", {}))
    if needs_running and args.wait_timeout <= 0:
        return report.fail(Failure(INVALID, "invalid", "--wait-timeout must be a positive number of seconds", {}))
    try:
        settings = connection_from_args(args)
    except WizardError as exc:
        return report.fail(failure_of(exc))
    import asyncio

    async def go() -> int:
        from wizard.client import CloudClient
        from wizard.commands.reporting import say, wait_for_running
        from wizard.commands.request_input import print_json
        from wizard.instance_ops import InstanceOps
        from wizard.resources import RUNNING

        async with CloudClient(settings) as client:
            try:
                instance = await client.show_instance(args.instance_id)
            except WizardError as exc:
                return report.fail(failure_of(exc))
            if needs_running and instance.status != RUNNING:
                say(f"{instance.name} is {instance.status}: waiting for RUNNING before sending anything.")
                waited = await wait_for_running(client, args.instance_id, timeout=args.wait_timeout)
                if waited.failure is not None or waited.instance is None:
                    failure = waited.failure or Failure(INVALID, "invalid", "the instance did not appear", {})
                    return report.fail(failure)
                instance = waited.instance
            try:
                outcome = await work(InstanceOps(client), instance)
            except WizardError as exc:
                return report.fail(failure_of(exc))
        for line in outcome.stderr:
            say(line)
        if args.json:
            print_json(outcome.document)
        else:
            for line in outcome.stdout:
                print(line)
        return OK

    return asyncio.run(go())
