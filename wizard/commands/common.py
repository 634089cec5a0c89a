"""Flags every command that talks to the cloud shares, and the connection settings they resolve to."""

from __future__ import annotations

import argparse
import atexit
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.connection import (
    ConnectionSettings,
    CredentialFlags,
    Credentials,
    build_settings,
    region_from,
    resolve_credentials,
)
from wizard.create_route import route_from_args
from wizard.sdk_env import DEFAULT_TIMEOUT, ENV_REGION

if TYPE_CHECKING:
    from wizard.sandbox.server import RunningSandbox

#: Sandboxes started for this process; kept referenced so they live as long as the process, stopped at exit.
_RUNNING_SANDBOXES: list[RunningSandbox] = []


def start_sandbox_for_process() -> RunningSandbox:
    """Start the built-in sandbox for the rest of this process (stopped when it exits)."""
    # Imported here: the sandbox pulls in uvicorn and starlette, which other commands never need.
    from wizard.sandbox import start_sandbox

    running = start_sandbox()
    _RUNNING_SANDBOXES.append(running)
    atexit.register(running.stop)
    return running


def stop_process_sandboxes() -> None:
    """Stop the sandboxes `--sandbox` started in this process (they are also stopped at exit)."""
    while _RUNNING_SANDBOXES:
        running = _RUNNING_SANDBOXES.pop()
        atexit.unregister(running.stop)
        running.stop()


def connection_from_args(args: argparse.Namespace) -> ConnectionSettings:
    """The connection settings the flags ask for; `--sandbox` starts the sandbox and points at it.

    Raises CredentialsMissing (no credentials or no region: the message says what to set) or WizardError.
    """
    api_route = route_from_args(args)
    timeout = getattr(args, "timeout", None) or DEFAULT_TIMEOUT
    if getattr(args, "sandbox", False):
        running = start_sandbox_for_process()
        credentials = _registered(
            Credentials(
                ak=running.ak,
                sk=running.sk,
                project_id=running.project_id,
                security_token=None,
                auth_token=None,
                source="the sandbox's built-in keys",
            )
        )
        return build_settings(
            running.region,
            credentials,
            env={},
            endpoint=running.url,
            api_route=api_route,
            timeout=timeout,
            sandbox=True,
        )
    env = os.environ
    from wizard.commands.secret_input import read_secret_flags

    read_secret_flags(args)
    flags = CredentialFlags(
        ak=getattr(args, "ak", None),
        sk=getattr(args, "sk", None),
        project_id=getattr(args, "project_id", None),
        security_token=getattr(args, "security_token", None),
        auth_token=getattr(args, "auth_token", None),
    )
    endpoint = getattr(args, "endpoint", None)
    region_flag = getattr(args, "region", None)
    # With --endpoint the region only names the IAM project to look up; without it, it picks the endpoints.
    region = (region_flag or env.get(ENV_REGION) or "") if endpoint else region_from(region_flag, env)
    credentials = _registered(resolve_credentials(flags, env, Path.home()))
    for warning in credentials.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return build_settings(region, credentials, env=env, endpoint=endpoint, api_route=api_route, timeout=timeout)


def _registered(credentials: Credentials) -> Credentials:
    """Tell the stores these secrets, so no draft, profile or history file can ever hold them."""
    from wizard.storage.secrets import register_credentials

    register_credentials(credentials)
    return credentials
