"""`rocketmq-wizard user create INSTANCE_ID --access-key A`: an ACL user; the secret is read from a prompt on
a terminal (typed twice) or from the first line of standard input, never from a flag (the process list and
shell history would show it)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from wizard.next_steps import ACCESS_KEY_RULE, SECRET_RULE

if TYPE_CHECKING:
    from wizard.commands.followup import Outcome
    from wizard.instance_ops import InstanceOps
    from wizard.resources import Instance


def configure(parser: argparse.ArgumentParser) -> None:
    """Describe `user create` and add its flags (the command table adds the connection flags)."""
    from wizard.commands.followup import add_instance_arguments

    add_instance_arguments(
        parser,
        description="Create an ACL user on a RUNNING instance with ACL on (waits for RUNNING first). The secret "
        "key is asked for on a terminal (twice), else read from the first line of standard input; it is never "
        f"a flag, and never stored or printed. Access key: {ACCESS_KEY_RULE}. Secret key: {SECRET_RULE}.",
        waits=True,
        action="create",
    )
    parser.add_argument("--access-key", required=True, help="the user's name (its access key)")
    parser.add_argument("--admin", action="store_true", help="publish and subscribe on every topic and group")
    parser.add_argument("--topic-perm", default="DENY", help="default topic permission: PUB|SUB, PUB, SUB or DENY")
    parser.add_argument("--group-perm", default="DENY", help="default group permission: SUB or DENY")
    parser.add_argument("--white-list", default="", metavar="ADDRESSES", help="IPs or CIDRs the user may come from")
    parser.set_defaults(run=run)


def read_secret(access_key: str) -> str | None:
    """The secret: typed twice on a terminal (None when they differ), else the first line of stdin."""
    from wizard.commands.create import stdin_is_terminal

    if stdin_is_terminal():
        import getpass

        first = getpass.getpass(f"Secret key for {access_key}: ", stream=sys.stderr)
        second = getpass.getpass("Once more: ", stream=sys.stderr)
        return first if first == second else None
    return sys.stdin.readline().rstrip("\r\n") if sys.stdin is not None else ""


def run(args: argparse.Namespace) -> int:
    """Read the secret, validate the user, then create it."""
    from wizard.commands.followup import Reporter, run_on_instance
    from wizard.commands.reporting import Failure
    from wizard.exitcodes import INVALID
    from wizard.next_steps import NextStepInvalid, UserRequest, parse_form
    from wizard.storage.secrets import register_secret

    report = Reporter(args)
    secret = read_secret(args.access_key)
    if secret is None:
        return report.fail(Failure(INVALID, "invalid", "The two secret keys typed differ: nothing was sent.", {}))
    register_secret(secret)
    data = {
        "access_key": args.access_key,
        "secret_key": secret,
        "admin": args.admin,
        "default_topic_perm": args.topic_perm,
        "default_group_perm": args.group_perm,
        "white_remote_address": args.white_list,
    }
    try:
        user = parse_form(UserRequest, data)
    except NextStepInvalid as exc:
        return report.invalid(
            "user",
            exc.problems,
            {
                "access_key": "--access-key",
                "secret_key": "the secret key",
                "default_topic_perm": "--topic-perm",
                "default_group_perm": "--group-perm",
                "white_remote_address": "--white-list",
            },
        )

    async def work(ops: InstanceOps, instance: Instance) -> Outcome:
        from wizard.commands.followup import Outcome
        from wizard.errors import WizardError

        if instance.raw.get("enable_acl") is not True:
            raise WizardError(f"ACL is off on {instance.name}: users are only for instances with ACL on.")
        created = await ops.create_user(instance.id, user)
        note = " (found after a lost answer; sent once)" if created.recovered else ""
        return Outcome(
            {"instance_id": instance.id, "access_key": user.access_key, "recovered": created.recovered},
            stdout=[user.access_key],
            stderr=[
                f"Created ACL user {user.access_key} on {instance.name}{note}. Keep the secret key safe: it "
                "cannot be shown again (clients read it, e.g. from ROCKETMQ_SECRET_KEY)."
            ],
        )

    return run_on_instance(args, work, needs_running=True)
