"""`rocketmq-wizard export FILE|--profile NAME --format json|curl|terraform|hcloud`: what would be sent.

Offline and fast by default: it validates against the offline catalog and renders with
`wizard.exporters`. The curl and KooCLI forms use `--region`, `--project-id`, `--endpoint` and `--api`
when given, and shell variables (never a secret) otherwise. With `--live` (or `--sandbox`) it reads the
region's catalog first, so the request is checked against what is really sold and Terraform gets AZ
codes instead of IDs.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from wizard.exitcodes import INVALID, OK, UNREADABLE

if TYPE_CHECKING:
    from wizard.catalog import Catalog
    from wizard.connection import ConnectionSettings
    from wizard.exporters import ExportTarget

FORMATS = ("json", "curl", "terraform", "hcloud")


def configure(parser: argparse.ArgumentParser) -> None:
    """Describe `export` and add its flags (the command table in `wizard.cli` adds the connection flags)."""
    from wizard.commands.request_input import add_source_flags

    parser.description = (
        "Print what the create call would send for a request file or profile: the JSON body, a "
        "curl command (IAM token from $HUAWEICLOUD_SDK_AUTH_TOKEN), a huaweicloud_dms_rocketmq_instance "
        "Terraform resource, or the KooCLI (hcloud) command. Sends nothing; reads nothing either unless "
        "--live or --sandbox. --region, --project-id, --endpoint and --api shape the curl, hcloud and "
        "Terraform forms; what is not given becomes a shell variable there."
    )
    parser.epilog = (
        "exit codes: 0 printed; 1 invalid request, --set or credentials; 2 unreadable file or profile, "
        "or (--live) the API refused; 4 (--live) the API could not be reached"
    )
    add_source_flags(parser, positional_file=True)
    parser.add_argument("--format", choices=FORMATS, default="json", help="output format (default json)")
    parser.add_argument(
        "--live",
        action="store_true",
        help="read the region's catalog first: check against what is really sold, and give Terraform AZ codes "
        "(needs credentials, or --sandbox)",
    )
    parser.set_defaults(run=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    """Validate the request, then print it in the chosen format."""
    from wizard.commands.request_input import (
        RequestInputError,
        check_source_choice,
        issue_lines,
        print_problems,
        problems_with_rules,
        read_request,
    )
    from wizard.create_route import route_from_args, route_problem
    from wizard.exporters import ExportTarget, render
    from wizard.validation import RequestInvalid, parse_request

    check_source_choice(args.parser, args, "FILE")
    try:
        source = read_request(args.file, args.profile, args.overrides)
    except RequestInputError as exc:
        if exc.unreadable:
            print(f"error: {exc.problems[0]}", file=sys.stderr)
            return UNREADABLE
        print_problems(str(args.file or f"profile {args.profile!r}"), "exported", problems_with_rules(exc)[0])
        return INVALID
    endpoint = getattr(args, "endpoint", None)
    if endpoint is not None:
        from wizard.connection import check_endpoint
        from wizard.errors import WizardError

        try:
            # The same rule as create: https, plain http only to loopback, no user name or password in it.
            endpoint = check_endpoint(endpoint)
        except WizardError as exc:
            print(f"error: not exported: {exc}", file=sys.stderr)
            return INVALID
    target = ExportTarget(
        region=getattr(args, "region", None),
        project_id=getattr(args, "project_id", None),
        endpoint=endpoint,
        api_route=route_from_args(args),
    )
    catalog: Catalog | None = None
    if args.live or getattr(args, "sandbox", False):
        loaded = _live_catalog(args, target)
        if isinstance(loaded, int):
            return loaded
        catalog, target = loaded
    try:
        request = parse_request(source.data, catalog)
    except RequestInvalid as exc:
        print_problems(source.origin, "exported", issue_lines(exc.issues))
        return INVALID
    problem = route_problem(target.api_route, request.to_api_body()) if args.format == "curl" else None
    if problem is not None:
        print(f"error: not exported: {problem}", file=sys.stderr)
        return INVALID
    sys.stdout.write(render(args.format, request, catalog=catalog, target=target))
    return OK


def _live_catalog(args: argparse.Namespace, target: ExportTarget) -> tuple[Catalog, ExportTarget] | int:
    """The region's catalog and the target filled in from the connection, or the exit code of a failure."""
    import asyncio

    from wizard.commands.common import connection_from_args
    from wizard.commands.reporting import failure_of, say
    from wizard.errors import WizardError
    from wizard.exporters import ExportTarget

    try:
        settings = connection_from_args(args)
        catalog = asyncio.run(_load_catalog(settings))
    except WizardError as exc:
        failure = failure_of(exc)
        say(f"error: {failure.message}")
        return failure.code
    filled = ExportTarget(
        region=target.region or (None if settings.sandbox or target.endpoint else settings.region),
        project_id=target.project_id or settings.credentials.project_id,
        endpoint=target.endpoint or (settings.dms_endpoint if settings.sandbox else None),
        api_route=target.api_route,
    )
    return catalog, filled


async def _load_catalog(settings: ConnectionSettings) -> Catalog:
    from wizard.client import CloudClient

    async with CloudClient(settings) as client:
        return await client.load_catalog()
