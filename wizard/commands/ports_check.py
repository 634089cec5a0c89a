"""The port check `create` makes before it sends: the warning on stderr, and the rules `--open-ports` adds."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from wizard.ports import ANYWHERE

if TYPE_CHECKING:
    from wizard.client import CloudClient
    from wizard.instance_ops import PortCheck


def add_port_flags(parser: argparse.ArgumentParser) -> None:
    """Add --open-ports and --public-source."""
    parser.add_argument(
        "--open-ports",
        action="store_true",
        help="add the security-group rules RocketMQ clients need (8100 and 10100-10199 from the VPC; with public "
        "access 8200 and 10100-10199 from --public-source) when they are missing",
    )
    parser.add_argument(
        "--public-source",
        default=ANYWHERE,
        metavar="CIDR",
        help="where public clients connect from (default anywhere, 0.0.0.0/0)",
    )


async def check_ports(
    client: CloudClient, body: Mapping[str, Any], public_source: str, say: Callable[[str], None]
) -> PortCheck | None:
    """Warn (through `say`) about the ports the chosen group leaves closed; None when it could not be checked."""
    from wizard.errors import WizardError
    from wizard.instance_ops import InstanceOps

    try:
        cidr = next((v.cidr for v in await client.list_vpcs() if v.id == body.get("vpc_id")), "")
        check = await InstanceOps(client).check_ports(
            str(body.get("security_group_id", "")),
            cidr,
            public=body.get("enable_publicip") is True,
            public_source=public_source,
        )
    except WizardError as exc:
        say(f"notice: the security group's rules could not be checked ({exc}).")
        return None
    lines = check.warning_lines()
    for n, line in enumerate(lines):
        say(f"warning: {line}" if n == 0 and check.known else ("notice: " + line if not check.known else line))
    if check.missing:
        say("Pass --open-ports to add these rules, or add them in the console (Security Groups > Inbound Rules).")
    return check


async def open_ports(client: CloudClient, check: PortCheck, say: Callable[[str], None]) -> list[str]:
    """Add the missing rules; returns what was opened (a permission problem is said as a notice)."""
    from wizard.errors import WizardError
    from wizard.instance_ops import InstanceOps

    try:
        result = await InstanceOps(client).open_ports(check.security_group_id, check.missing)
    except WizardError as exc:
        say(f"notice: the rules could not be added ({exc}); add them in the console.")
        return []
    for need in result.added:
        say(f"Opened {need.describe()}.")
    for notice in result.notices:
        say(f"notice: {notice}")
    return [need.describe() for need in result.added]
