"""`rocketmq-wizard topic create INSTANCE_ID --name N [--queues 8] [--permission all] [--brokers B,...]`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from wizard.next_steps import QUEUES_DEFAULT, QUEUES_MAX, QUEUES_MIN, TOPIC_PERMISSIONS

if TYPE_CHECKING:
    from wizard.commands.followup import Outcome
    from wizard.instance_ops import InstanceOps
    from wizard.resources import Instance


def configure(parser: argparse.ArgumentParser) -> None:
    """Describe `topic create` and add its flags (the command table adds the connection flags)."""
    from wizard.commands.followup import add_instance_arguments

    add_instance_arguments(
        parser,
        description="Create a topic on a RUNNING instance (waits for RUNNING first). The name is 3-64 letters, "
        "digits, %, |, - or _, and not one RocketMQ keeps for itself (TBW102, rmq_sys_..., ...).",
        waits=True,
        action="create",
    )
    parser.add_argument("--name", required=True, help="the topic's name")
    parser.add_argument(
        "--queues",
        type=int,
        default=QUEUES_DEFAULT,
        help=f"total queues, {QUEUES_MIN}-{QUEUES_MAX} (default {QUEUES_DEFAULT})",
    )
    parser.add_argument("--permission", default="all", help=f"one of {', '.join(TOPIC_PERMISSIONS)} (default all)")
    parser.add_argument("--brokers", default="", metavar="NAMES", help="comma-separated brokers (default: all)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Validate the topic, then create it."""
    from wizard.commands.followup import Reporter, run_on_instance
    from wizard.fields import split_ids
    from wizard.next_steps import NextStepInvalid, TopicRequest, parse_form

    data = {"name": args.name, "queue_num": args.queues, "permission": args.permission}
    if args.brokers.strip():
        data["brokers"] = split_ids(args.brokers)
    try:
        topic = parse_form(TopicRequest, data)
    except NextStepInvalid as exc:
        return Reporter(args).invalid(
            "topic",
            exc.problems,
            {"name": "--name", "queue_num": "--queues", "permission": "--permission", "brokers": "--brokers"},
        )

    async def work(ops: InstanceOps, instance: Instance) -> Outcome:
        from wizard.commands.followup import Outcome

        created = await ops.create_topic(instance.id, topic)
        note = " (found after a lost answer; sent once)" if created.recovered else ""
        return Outcome(
            {"instance_id": instance.id, "topic": topic.name, "recovered": created.recovered},
            stdout=[topic.name],
            stderr=[f"Created topic {topic.name} on {instance.name}{note}."],
        )

    return run_on_instance(args, work, needs_running=True)
