"""The connection flags every command that talks to the cloud shares (and the interactive wizard).

Light on purpose: the wizard parses these before its first frame, so this imports nothing that makes a
connection.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from wizard.create_route import DEFAULT_ROUTE, ROUTE_HELP, ROUTES
from wizard.sdk_env import DEFAULT_TIMEOUT, ENV_REGION


def _shown(text: str) -> str:
    return repr(text if len(text) <= 30 else text[:27] + "...")


def positive_seconds(text: str) -> float:
    """A number of seconds above 0 (not nan, not infinite), for argparse's `type=`."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{_shown(text)}: give a number of seconds more than 0")
    return value


def seconds_or_zero(text: str) -> float:
    """A number of seconds, 0 or more (not nan, not infinite), for argparse's `type=`."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{_shown(text)} is not a number of seconds") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{_shown(text)}: give a number of seconds, 0 or more")
    return value


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse `type=` for a whole number from `low` to `high`, written with the digits 0-9."""

    def parse(text: str) -> int:
        if not (text.isascii() and text.strip().lstrip("+-").isdigit()) or len(text) > 18:
            raise argparse.ArgumentTypeError(f"{_shown(text)} is not a whole number")
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range: give {low} to {high}")
        return value

    return parse


def add_connection_flags(parser: argparse.ArgumentParser) -> None:
    """Add --region, --project-id, --endpoint, --sandbox, --api, --timeout and the credential flags."""
    group = parser.add_argument_group(
        "connection",
        "Where requests go and who signs them. Credentials are taken from these flags, else from "
        "HUAWEICLOUD_SDK_AK/SK/PROJECT_ID/SECURITY_TOKEN, else from ~/.huaweicloud/credentials [basic] "
        "(or the file HUAWEICLOUD_SDK_CREDENTIALS_FILE names).",
    )
    group.add_argument("--region", help=f"region ID, e.g. cn-north-4 (default: ${ENV_REGION})")
    group.add_argument("--project-id", help="project ID (default: from the credentials, else looked up via IAM)")
    group.add_argument(
        "--endpoint",
        metavar="URL",
        help="one base URL for every service (DMS, VPC, IAM, EPS), e.g. a sandbox; plain http only to loopback",
    )
    group.add_argument(
        "--sandbox", action="store_true", help="start the built-in sandbox on loopback and use it (no account needed)"
    )
    group.add_argument(
        "--api",
        choices=ROUTES,
        default=DEFAULT_ROUTE,
        help=ROUTE_HELP,
    )
    group.add_argument(
        "--timeout",
        type=positive_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"timeout of each API call (default {DEFAULT_TIMEOUT:g})",
    )
    cli_warning = (
        "'-' reads it from a prompt or standard input; a value typed here is visible to other local users in "
        "the process list: prefer '-', the environment variables or the credentials file"
    )
    group.add_argument("--ak", help="access key ID")
    group.add_argument("--sk", metavar="SK|-", help=f"secret access key ({cli_warning})")
    group.add_argument("--security-token", metavar="TOKEN|-", help=f"security token of temporary keys ({cli_warning})")
    group.add_argument("--auth-token", metavar="TOKEN|-", help=f"an IAM token, used instead of AK/SK ({cli_warning})")
