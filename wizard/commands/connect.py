"""`rocketmq-wizard connect INSTANCE_ID [--json]`: how a client connects (addresses, TLS, ACL, ports, config)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.commands.followup import Outcome
    from wizard.instance_ops import InstanceOps
    from wizard.resources import Instance


def configure(parser: argparse.ArgumentParser) -> None:
    """Describe `connect` and add its flags (the command table adds the connection flags)."""
    from wizard.commands.followup import add_instance_arguments
    from wizard.ports import ANYWHERE

    add_instance_arguments(
        parser,
        description="Print the instance's NameServer and broker addresses (private, and public when public access "
        "is on), TLS and ACL, a minimal Java client configuration, and the ports its security group leaves closed "
        "(on stderr).",
        waits=False,
    )
    parser.add_argument(
        "--public-source",
        default=ANYWHERE,
        metavar="CIDR",
        help="where public clients connect from, for the port check (default anywhere)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Show the connection block."""
    from wizard.commands.followup import run_on_instance

    async def work(ops: InstanceOps, instance: Instance) -> Outcome:
        from wizard.commands.followup import Outcome
        from wizard.connect_info import connection_details

        details = connection_details(instance.raw)
        check = await ops.check_ports(
            str(instance.raw.get("security_group_id", "")),
            await _vpc_cidr(ops, instance),
            public=details.public_access,
            public_source=args.public_source,
        )
        document = {
            "instance_id": instance.id,
            "name": instance.name,
            "status": instance.status,
            **details.as_json(),
            "closed_ports": [need.describe() for need in check.missing],
            "notice": check.notice,
        }
        stdout = [f"{instance.name} ({instance.id}): {instance.status}", *details.lines()]
        if details.ready:
            stdout += ["", details.client_config()]
        return Outcome(document, stdout=stdout, stderr=check.warning_lines())

    return run_on_instance(args, work, needs_running=False)


async def _vpc_cidr(ops: InstanceOps, instance: Instance) -> str:
    """The CIDR of the instance's VPC (private clients come from there)."""
    vpc_id = instance.raw.get("vpc_id")
    for vpc in await ops.client.list_vpcs():
        if vpc.id == vpc_id:
            return vpc.cidr
    return str(instance.raw.get("subnet_cidr") or "")
