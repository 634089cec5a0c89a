"""`rocketmq-wizard export FILE|--profile NAME --format json|curl|terraform|hcloud`: what would be sent.

Offline and fast: it validates against the offline catalog and renders with `wizard.exporters`. The
curl and KooCLI forms use `--region`, `--project-id`, `--endpoint` and `--api` when given, and shell
variables (never a secret) otherwise.
"""

from __future__ import annotations

import argparse
import sys

from wizard.exitcodes import INVALID, OK, UNREADABLE

FORMATS = ("json", "curl", "terraform", "hcloud")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `export` subcommand."""
    from wizard.commands.request_input import add_source_flags

    parser = commands.add_parser(
        "export",
        help="print the request body, or the curl, Terraform or KooCLI (hcloud) equivalent",
        description="Print what the create call would send for a request file or profile: the JSON body, a "
        "curl command (IAM token from $HUAWEICLOUD_SDK_AUTH_TOKEN), a huaweicloud_dms_rocketmq_instance "
        "Terraform resource, or the KooCLI (hcloud) command. Sends nothing.",
        epilog="exit codes: 0 printed; 1 invalid request or --set; 2 unreadable file or profile",
    )
    add_source_flags(parser, positional_file=True)
    parser.add_argument("--format", choices=FORMATS, default="json", help="output format (default json)")
    target = parser.add_argument_group("where the curl/hcloud/terraform forms point (placeholders if left out)")
    target.add_argument("--region", help="region, e.g. cn-north-4")
    target.add_argument("--project-id", help="project ID")
    target.add_argument("--endpoint", metavar="URL", help="DMS base URL (default https://dms.REGION.myhuaweicloud.com)")
    target.add_argument("--api", choices=("v1", "v2"), default="v1", help="create route for curl (default v1)")
    parser.set_defaults(run=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    """Validate the request, then print it in the chosen format."""
    from wizard.commands.request_input import (
        RequestInputError,
        check_source_choice,
        issue_lines,
        print_problems,
        read_request,
    )
    from wizard.exporters import ExportTarget, render
    from wizard.validation import RequestInvalid, parse_request

    check_source_choice(args.parser, args, "FILE")
    try:
        source = read_request(args.file, args.profile, args.overrides)
    except RequestInputError as exc:
        if exc.unreadable:
            print(f"error: {exc.problems[0]}", file=sys.stderr)
            return UNREADABLE
        print_problems(str(args.file or f"profile {args.profile!r}"), "exported", exc.problems)
        return INVALID
    try:
        request = parse_request(source.data)
    except RequestInvalid as exc:
        print_problems(source.origin, "exported", issue_lines(exc.issues))
        return INVALID
    target = ExportTarget(region=args.region, project_id=args.project_id, endpoint=args.endpoint, api_route=args.api)
    sys.stdout.write(render(args.format, request, target=target))
    return OK
