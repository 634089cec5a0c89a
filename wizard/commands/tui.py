"""The interactive wizard, started when no subcommand is given.

It imports the screens (and with them Textual) lazily, so `wizard/` itself never imports Textual and the
headless commands stay fast.
"""

from __future__ import annotations

import argparse
import copy
import sys
from typing import TYPE_CHECKING

from wizard.errors import CredentialsMissing, WizardError
from wizard.exitcodes import INVALID, OK

if TYPE_CHECKING:
    from wizard.connection import ConnectionSettings


def run_wizard(args: argparse.Namespace) -> int:
    """Run the Textual wizard; print the created instance's ID on exit (clipboards are unreliable)."""
    # Imported where used: with --sandbox the connection (and what it imports) waits for the first frame.
    settings: ConnectionSettings | None = None
    problem: str | None = None
    sandbox_at_start = bool(getattr(args, "sandbox", False))
    if not sandbox_at_start:
        from wizard.commands.common import connection_from_args

        try:
            settings = connection_from_args(args)
        except CredentialsMissing as exc:
            # The start screen explains what to set and offers the sandbox instead.
            problem = str(exc)
        except WizardError as exc:
            print(f"rocketmq-wizard: {exc}", file=sys.stderr)
            return INVALID

    def connect_sandbox() -> ConnectionSettings:
        from wizard.commands.common import connection_from_args

        sandbox_args = copy.copy(args)
        sandbox_args.sandbox = True
        return connection_from_args(sandbox_args)

    # The core's one edge into the screens (and Textual), declared in pyproject.toml's import-linter
    # contracts: imported here, when the wizard starts, so no headless command ever loads Textual.
    from screens.app import run_app

    # With --sandbox the app starts the server once its start screen is drawn (importing it alone takes
    # ~0.6 s); the start screen shows the SANDBOX badge at once and its URL once it is up.
    instance_id, kept_draft = run_app(
        settings, credentials_problem=problem, connect_sandbox=connect_sandbox, sandbox_at_start=sandbox_at_start
    )
    if instance_id:
        print(f"instance_id: {instance_id}")
    elif kept_draft:
        print(f"Draft kept: {kept_draft}. Run rocketmq-wizard again to resume it.", file=sys.stderr)
    return OK
