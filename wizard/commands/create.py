"""`rocketmq-wizard create (--from FILE | --profile NAME) [--set FIELD=VALUE ...] [--dry-run] [--yes] [--wait]`.

The wizard's create without the screens, for scripts and pipelines: every problem reported at once,
a confirmation only on a terminal, the instance_id on stdout, progress on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from wizard.exitcodes import EPILOG, INTERRUPTED, INVALID, OK

if TYPE_CHECKING:
    from wizard.catalog import Catalog
    from wizard.commands.reporting import Failure
    from wizard.connection import ConnectionSettings
    from wizard.model import CreateInstanceRequest


def configure(parser: argparse.ArgumentParser) -> None:
    """Describe `create` and add its flags (the command table in `wizard.cli` adds the connection flags)."""
    from wizard.commands.ports_check import add_port_flags
    from wizard.commands.reporting import add_wait_flags
    from wizard.commands.request_input import add_source_flags

    parser.description = (
        "Create a RocketMQ instance from a request file (TOML or JSON, the API's field names) or a "
        "saved profile. Every problem is reported at once; on a terminal you are asked to confirm unless "
        "--yes; with standard input not a terminal, --yes is required. The instance_id is printed on stdout "
        "(JSON with --json); progress and errors go to stderr."
    )
    parser.epilog = EPILOG
    add_source_flags(parser, positional_file=False)
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="validate and print the body and its price estimate (when a connection is given); create nothing",
    )
    parser.add_argument("-y", "--yes", action="store_true", help="create without asking for confirmation")
    add_wait_flags(parser)
    add_port_flags(parser)
    parser.add_argument("--json", action="store_true", help="print the result (or the error) as one JSON document")
    parser.set_defaults(run=run, parser=parser)


def stdin_is_terminal() -> bool:
    """Whether a person can answer a question on standard input."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False


def summary(body: Mapping[str, Any], where: str, catalog: Catalog | None = None) -> list[str]:
    """What will be created, in a few lines for a person (AZs by code when the catalog knows them)."""
    bss = body.get("bss_param") or {}
    if bss.get("charging_mode") == "prePaid":
        renew = ", auto-renew" if bss.get("is_auto_renew") else ""
        billing = f"yearly/monthly, {bss.get('period_num')} {bss.get('period_type')}(s){renew}"
    else:
        billing = "pay-per-use"
    public = f"on, EIPs {body['publicip_id']}" if body.get("enable_publicip") else "off"
    zones = []
    for zone_id in body["available_zones"]:
        zone = catalog.zone(zone_id) if catalog is not None else None
        zones.append(f"{zone.code} ({zone_id})" if zone is not None else zone_id)
    return [
        f"Create RocketMQ instance {body['name']} ({where})",
        f"  flavor:   {body['product_id']} x {body['broker_num']} broker(s), engine {body['engine_version']}",
        f"  storage:  {body['storage_space']} GB total, {body['storage_spec_code']}",
        f"  network:  VPC {body['vpc_id']}, subnet {body['subnet_id']}, security group {body['security_group_id']}",
        f"  AZs:      {', '.join(zones)}",
        f"  public:   {public}",
        f"  billing:  {billing}",
    ]


def confirm(question: str) -> bool:
    """Ask on the terminal (prompt on stderr); only an explicit yes counts."""
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


class _Reporter:
    """Prints results and failures the way --json asks."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def fail(self, failure: Failure, *, instance_id: str | None = None, extra: dict[str, Any] | None = None) -> int:
        from wizard.commands.reporting import say

        say(f"error: {failure.message}")
        if self.as_json:
            from wizard.commands.request_input import print_json

            document: dict[str, Any] = {"instance_id": instance_id, "error": failure.as_json()}
            document.update(extra or {})
            print_json(document)
        return failure.code

    def invalid(self, origin: str, lines: list[str], errors: list[dict[str, str]]) -> int:
        from wizard.commands.reporting import Failure
        from wizard.commands.request_input import print_json, print_problems

        print_problems(origin, "created", lines)
        if self.as_json:
            message = f"{origin}: {len(lines)} problem(s)"
            print_json(
                {"instance_id": None, "error": Failure(INVALID, "invalid", message, {}).as_json(), "errors": errors}
            )
        return INVALID


def run(args: argparse.Namespace) -> int:
    """Validate, confirm, create, and optionally wait."""
    from wizard.commands.request_input import (
        RequestInputError,
        check_source_choice,
        issue_lines,
        print_json,
        problems_with_rules,
        read_request,
    )
    from wizard.validation import RequestInvalid, parse_request

    check_source_choice(args.parser, args, "--from FILE")
    report = _Reporter(args.json)
    try:
        source = read_request(args.file, args.profile, args.overrides)
    except RequestInputError as exc:
        lines, errors = problems_with_rules(exc)
        return report.invalid(str(args.file or f"profile {args.profile!r}"), lines, errors)
    if args.wait_timeout <= 0:
        return report.invalid(source.origin, ["--wait-timeout must be a positive number of seconds"], [])

    if args.dry_run:
        try:
            body = parse_request(source.data).to_api_body()
        except RequestInvalid as exc:
            return report.invalid(source.origin, issue_lines(exc.issues), [i.as_json() for i in exc.issues])
        refused = _route_refusal(args, body)
        if refused is not None:
            return report.fail(refused)
        for line in summary(body, "dry run, checked against the offline catalog"):
            print(line, file=sys.stderr)
        from wizard.commands.price import dry_run_estimate

        estimate = dry_run_estimate(args, source.data)
        asked = "nothing was sent" if estimate is None else "nothing was created (only its price was asked)"
        print(f"Dry run: {asked}.", file=sys.stderr)
        print_json({"dry_run": True, "body": body, "estimate": estimate} if args.json else body)
        return OK

    if not args.yes and not stdin_is_terminal():
        from wizard.commands.reporting import Failure

        message = (
            "Not created: standard input is not a terminal, so nobody can confirm. Pass --yes to create "
            "without asking, or --dry-run to only check."
        )
        return report.fail(Failure(INVALID, "needs_confirmation", message, {}))

    from wizard.commands.common import connection_from_args
    from wizard.commands.reporting import failure_of
    from wizard.errors import WizardError

    try:
        settings = connection_from_args(args)
    except WizardError as exc:
        return report.fail(failure_of(exc))
    state = _Progress()
    try:
        import asyncio

        with interrupt_on_termination():
            return asyncio.run(
                _create(settings, data=source.data, origin=source.origin, args=args, report=report, state=state)
            )
    except KeyboardInterrupt:
        return _interrupted(state, as_json=args.json)


@contextmanager
def interrupt_on_termination() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into KeyboardInterrupt while a create runs, so they end it as Ctrl+C does:
    saying what may exist (and printing the JSON outcome) instead of dying silently."""
    import signal

    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    try:
        previous = {number: signal.signal(number, signal.default_int_handler) for number in wanted}
    except ValueError:  # not the main thread: signals stay as they are
        previous = {}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _interrupted(state: _Progress, *, as_json: bool) -> int:
    """What an interrupted create says: the instance created, one that may exist, or nothing sent."""
    if state.instance_id:
        kind = "interrupted_created"
        message = f"interrupted: instance {state.instance_id} was created; it keeps being built."
    elif state.sent:
        kind = "interrupted_unknown"
        message = (
            f"interrupted while the create call was under way: instance {state.name!r} may exist; check "
            "before trying again (a second create with this name is refused if it does)."
        )
    else:
        kind = "interrupted"
        message = "interrupted: nothing was sent."
    print(message, file=sys.stderr, flush=True)
    if as_json:
        from wizard.commands.request_input import print_json

        print_json(
            {
                "instance_id": state.instance_id or None,
                "name": state.name or None,
                "error": {"kind": kind, "message": message, "sent": state.sent},
            }
        )
    return INTERRUPTED


def _route_refusal(args: argparse.Namespace, body: Mapping[str, Any]) -> Failure | None:
    """Why the chosen `--api` route cannot take this body (nothing is sent), or None."""
    from wizard.commands.reporting import Failure
    from wizard.create_route import route_from_args, route_problem

    problem = route_problem(route_from_args(args), body)
    if problem is None:
        return None
    return Failure(INVALID, "wrong_route", f"Not created: {problem}", {"field": "bss_param.charging_mode"})


class _Progress:
    """How far a create got, for what to say when interrupted."""

    def __init__(self) -> None:
        self.sent = False
        self.name = ""
        self.instance_id = ""


async def _create(
    settings: ConnectionSettings,
    *,
    data: dict[str, Any],
    origin: str,
    args: argparse.Namespace,
    report: _Reporter,
    state: _Progress,
) -> int:
    from wizard.client import CloudClient
    from wizard.commands.reporting import failure_of, say, wait_for_running
    from wizard.commands.request_input import issue_lines, print_json
    from wizard.errors import NetworkError, WizardError
    from wizard.validation import RequestInvalid, check_request, parse_request

    async with CloudClient(settings) as client:
        # Validate against what this region really sells (AZ IDs, flavors, disk types).
        try:
            catalog = await client.load_catalog()
        except NetworkError as exc:
            offline = check_request(data)
            if offline:
                return report.invalid(origin, issue_lines(offline), [i.as_json() for i in offline])
            return report.fail(failure_of(exc))
        except WizardError as exc:
            return report.fail(failure_of(exc))
        try:
            request: CreateInstanceRequest = parse_request(data, catalog)
        except RequestInvalid as exc:
            return report.invalid(origin, issue_lines(exc.issues), [i.as_json() for i in exc.issues])

        body = request.to_api_body()
        refused = _route_refusal(args, body)
        if refused is not None:
            return report.fail(refused)
        for line in summary(body, settings.describe(), catalog):
            print(line, file=sys.stderr)
        from wizard.commands.ports_check import check_ports, open_ports

        ports = await check_ports(client, body, args.public_source, say)
        if not args.yes and not confirm("Create this instance?"):
            from wizard.commands.reporting import Failure

            return report.fail(Failure(INVALID, "declined", "Not created: the confirmation was declined.", {}))

        state.sent, state.name = True, request.name
        try:
            outcome = await client.create_instance(request)
        except WizardError as exc:
            return report.fail(failure_of(exc))
        state.instance_id = outcome.instance_id
        opened = await open_ports(client, ports, say) if args.open_ports and ports and ports.missing else []
        if outcome.recovered:
            say(
                f"The create call's answer was lost to a fault; instance {outcome.instance_id} was found by its "
                f"exact name {outcome.name!r} (nothing was sent twice)."
            )
        result: dict[str, Any] = {
            "instance_id": outcome.instance_id,
            "name": outcome.name,
            "recovered": outcome.recovered,
        }
        closed = [need.describe() for need in ports.missing if need.describe() not in opened] if ports else []
        result.update({"closed_ports": closed} if closed else {})
        result.update({"opened_ports": opened} if opened else {})
        if not args.json:
            # Printed at once, so a script has the ID even if the wait below fails.
            print(outcome.instance_id, flush=True)
        if not args.wait:
            if args.json:
                print_json(result)
            else:
                say(f"Created {outcome.name}: {outcome.instance_id}")
            return OK

        waited = await wait_for_running(client, outcome.instance_id, timeout=args.wait_timeout)
        result["status"] = waited.instance.status if waited.instance is not None else None
        result["elapsed"] = round(waited.elapsed, 1)
        if waited.failure is not None:
            if args.json:
                return report.fail(waited.failure, instance_id=outcome.instance_id, extra=result)
            say(f"error: {waited.failure.message}")
            return waited.failure.code
        if args.json:
            print_json(result)
        else:
            say(f"{outcome.name} ({outcome.instance_id}) is RUNNING.")
        return OK
