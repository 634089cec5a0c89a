"""`rocketmq-wizard group create INSTANCE_ID --name N [--retries 16] [--broadcast] [--brokers B,...]`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from wizard.next_steps import RETRIES_DEFAULT, RETRIES_MAX, RETRIES_MIN

if TYPE_CHECKING:
    from wizard.commands.followup import Outcome
    from wizard.instance_ops import InstanceOps
    from wizard.resources import Instance


def configure(parser: argparse.ArgumentParser) -> None:
    """Describe `group create` and add its flags (the command table adds the connection flags)."""
    from wizard.commands.followup import add_instance_arguments

    add_instance_arguments(
        parser,
        description="Create a consumer group on a RUNNING instance (waits for RUNNING first). The name is 3-64 "
        "letters, digits, %, |, - or _.",
        waits=True,
        action="create",
    )
    parser.add_argument("--name", required=True, help="the group's name")
    parser.add_argument(
        "--retries",
        type=int,
        default=RETRIES_DEFAULT,
        help=f"most times a message is redelivered, {RETRIES_MIN}-{RETRIES_MAX} (default {RETRIES_DEFAULT})",
    )
    parser.add_argument("--broadcast", action="store_true", help="every consumer gets every message")
    parser.add_argument("--brokers", default="", metavar="NAMES", help="comma-separated brokers (default: all)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Validate the group, then create it."""
    from wizard.commands.followup import Reporter, run_on_instance
    from wizard.fields import split_ids
    from wizard.next_steps import GroupRequest, NextStepInvalid, parse_form

    data = {"name": args.name, "retry_max_time": args.retries, "broadcast": args.broadcast}
    if args.brokers.strip():
        data["brokers"] = split_ids(args.brokers)
    try:
        group = parse_form(GroupRequest, data)
    except NextStepInvalid as exc:
        return Reporter(args).invalid(
            "consumer group", exc.problems, {"name": "--name", "retry_max_time": "--retries", "brokers": "--brokers"}
        )

    async def work(ops: InstanceOps, instance: Instance) -> Outcome:
        from wizard.commands.followup import Outcome

        created = await ops.create_group(instance.id, group)
        note = " (found after a lost answer; sent once)" if created.recovered else ""
        return Outcome(
            {"instance_id": instance.id, "group": group.name, "recovered": created.recovered},
            stdout=[group.name],
            stderr=[f"Created consumer group {group.name} on {instance.name}{note}."],
        )

    return run_on_instance(args, work, needs_running=True)
