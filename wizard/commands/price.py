"""`rocketmq-wizard price (FILE | --profile NAME) [--set FIELD=VALUE ...] [--json]`: what a request will cost.

The estimate comes from the vendor's own price inquiry (see `wizard.pricing`); it is printed on stdout, one
line per item, or as one JSON document holding each item's inquiry so anyone can check it.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from typing import TYPE_CHECKING, Any

from wizard.exitcodes import API_REFUSED, EPILOG, OK

if TYPE_CHECKING:
    from wizard.connection import ConnectionSettings
    from wizard.pricing.estimate import Estimate, PriceUnavailable


def configure(parser: argparse.ArgumentParser) -> None:
    """Describe `price` and add its flags (the command table in `wizard.cli` adds the connection flags)."""
    from wizard.commands.request_input import add_source_flags

    parser.description = (
        "Estimate what the instance a request file or profile describes will cost: per hour for "
        "pay-per-use (with the month at 730 h), the whole period for yearly/monthly; the instance and the "
        "storage on their own lines, list price and the account's discounted price, in the site's currency. "
        "Nothing is created. Exit 0 with an estimate, 1 for an invalid request, 2 when no price could be had."
    )
    parser.epilog = EPILOG
    add_source_flags(parser, positional_file=True)
    parser.add_argument("--json", action="store_true", help="print the estimate (or why there is none) as JSON")
    parser.set_defaults(run=run, parser=parser)


def estimate_lines(estimate: Estimate) -> list[str]:
    """The estimate for a person: a heading, one line per item, the total, and what is not included."""
    from wizard.pricing.sites import SITES_BY_CODE

    site = SITES_BY_CODE[estimate.site].name if estimate.site in SITES_BY_CODE else estimate.site
    mode = "pay-per-use, per hour" if estimate.hourly else f"yearly/monthly, for {estimate.per}"
    lines = [f"Estimate ({site}, {estimate.currency}, {mode}):"]
    lines += [f"  {estimate.item_line(item)}" for item in estimate.items]
    lines.append(f"  Total: {estimate.total_line()}")
    lines += [f"  {note}" for note in estimate.notes]
    return lines


async def estimate_request(settings: ConnectionSettings, data: dict[str, Any]) -> Estimate | PriceUnavailable:
    """The estimate of a request whose priced answers hold against the live catalog (its flavors give the
    billing codes); the rest of the request (network, names) does not change the price."""
    from wizard.client import CloudClient
    from wizard.errors import WizardError
    from wizard.pricing.estimate import PriceUnavailable
    from wizard.pricing.inquiry import inquiry_from_answers
    from wizard.pricing.pricer import default_pricer
    from wizard.validation import check_request

    async with CloudClient(settings) as client:
        try:
            catalog = await client.load_catalog()
        except WizardError as exc:
            return PriceUnavailable(f"the flavor list could not be read, so no billing code is known ({exc})")
        broken = {issue.field for issue in check_request(data, catalog)}
        try:
            inquiry = inquiry_from_answers(partial(_value, data), broken.__contains__, catalog, settings.region)
        except PriceUnavailable as exc:
            return exc
        pricer = default_pricer(settings, client.project_id)
        try:
            return await pricer.estimate(inquiry)
        except PriceUnavailable as exc:
            return exc
        finally:
            await pricer.aclose()


def _value(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def run(args: argparse.Namespace) -> int:
    """Read the request, check it, and print its estimate."""
    import asyncio

    from wizard.commands.common import connection_from_args
    from wizard.commands.reporting import failure_of, say
    from wizard.commands.request_input import (
        RequestInputError,
        check_source_choice,
        issue_lines,
        print_json,
        print_problems,
        problems_with_rules,
        read_request,
    )
    from wizard.errors import WizardError
    from wizard.exitcodes import INVALID
    from wizard.pricing.estimate import PriceUnavailable
    from wizard.validation import check_request

    check_source_choice(args.parser, args, "FILE")
    try:
        source = read_request(args.file, args.profile, args.overrides)
    except RequestInputError as exc:
        lines, errors = problems_with_rules(exc)
        print_problems(str(args.file or f"profile {args.profile!r}"), "priced", lines)
        if args.json:
            print_json({"estimate": None, "errors": errors})
        return INVALID
    issues = check_request(source.data)
    if issues:
        print_problems(source.origin, "priced", issue_lines(issues))
        if args.json:
            print_json({"estimate": None, "errors": [issue.as_json() for issue in issues]})
        return INVALID
    try:
        settings = connection_from_args(args)
    except WizardError as exc:
        failure = failure_of(exc)
        say(f"error: {failure.message}")
        if args.json:
            print_json({"estimate": None, "error": failure.as_json()})
        return failure.code
    result = asyncio.run(estimate_request(settings, source.data))
    if isinstance(result, PriceUnavailable):
        say(f"Price unavailable for {source.origin}: {result.reason}.")
        if args.json:
            print_json({"estimate": None, "unavailable": result.reason})
        return API_REFUSED
    if args.json:
        print_json({"estimate": result.as_json()})
    else:
        print("\n".join(estimate_lines(result)), file=sys.stdout)
    return OK


def dry_run_estimate(args: argparse.Namespace, data: dict[str, Any]) -> dict[str, Any] | None:
    """For `create --dry-run`: print the estimate (or why there is none) on stderr; return it for --json.

    None when nothing was asked (no connection could be made: no region or credentials), so nothing was sent.
    """
    import asyncio

    from wizard.commands.common import connection_from_args
    from wizard.commands.reporting import say
    from wizard.errors import WizardError
    from wizard.pricing.estimate import PriceUnavailable

    try:
        settings = connection_from_args(args)
    except WizardError as exc:
        say(f"Price unavailable: {exc}")
        return None
    result = asyncio.run(estimate_request(settings, data))
    if isinstance(result, PriceUnavailable):
        say(f"Price unavailable: {result.reason}.")
        return {"unavailable": result.reason}
    for line in estimate_lines(result):
        say(line)
    return result.as_json()
