"""`rocketmq-wizard delete INSTANCE_ID [--yes]`: delete a pay-per-use instance (a yearly/monthly one is refused:
it is unsubscribed, not deleted). Asks on a terminal unless --yes; without a terminal, --yes is required."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wizard.commands.followup import Outcome
    from wizard.instance_ops import InstanceOps
    from wizard.resources import Instance


def configure(parser: argparse.ArgumentParser) -> None:
    """Describe `delete` and add its flags (the command table adds the connection flags)."""
    from wizard.commands.followup import add_instance_arguments

    add_instance_arguments(
        parser,
        description="Delete a pay-per-use instance and everything in it (topics, groups, users, messages). A "
        "yearly/monthly instance is refused: unsubscribe it in the Billing Center. On a terminal you are asked to "
        "confirm unless --yes; with standard input not a terminal, --yes is required.",
        waits=False,
    )
    parser.add_argument("-y", "--yes", action="store_true", help="delete without asking")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Confirm, then delete."""
    from wizard.commands.create import confirm, stdin_is_terminal
    from wizard.commands.followup import Reporter, run_on_instance
    from wizard.commands.reporting import Failure
    from wizard.exitcodes import INVALID

    if not args.yes and not stdin_is_terminal():
        message = "Not deleted: standard input is not a terminal, so nobody can confirm. Pass --yes to delete."
        return Reporter(args).fail(Failure(INVALID, "needs_confirmation", message, {}))

    async def work(ops: InstanceOps, instance: Instance) -> Outcome:
        from wizard.commands.followup import Outcome
        from wizard.errors import WizardError

        if instance.raw.get("charging_mode") == 1 and not args.yes:
            question = f"Delete {instance.name} ({instance.id}, {instance.status}) and everything in it?"
            if not confirm(question):
                raise WizardError("Not deleted: the confirmation was declined.")
        deleted = await ops.delete_instance(instance.id)
        return Outcome(
            {"instance_id": instance.id, "name": deleted.name, "deleted": True},
            stdout=[instance.id],
            stderr=[f"Deleting {deleted.name} ({instance.id}); it is gone in a few minutes."],
        )

    return run_on_instance(args, work, needs_running=False)
