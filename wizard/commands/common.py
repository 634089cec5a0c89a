"""Flags every command that talks to the cloud shares, and the connection settings they resolve to."""

from __future__ import annotations

import argparse
import atexit
import os
from pathlib import Path
from typing import TYPE_CHECKING

from wizard.connection import (
    DEFAULT_TIMEOUT,
    ENV_REGION,
    ApiRoute,
    ConnectionSettings,
    CredentialFlags,
    Credentials,
    build_settings,
    region_from,
    resolve_credentials,
)

if TYPE_CHECKING:
    from wizard.sandbox.server import RunningSandbox

#: Sandboxes started for this process; kept referenced so they live as long as the process, stopped at exit.
_RUNNING_SANDBOXES: list[RunningSandbox] = []


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("the timeout must be more than 0 seconds")
    return value


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
        choices=("v1", "v2"),
        default="v1",
        help="create route: v1 = POST /v1.0/{project_id}/instances (default), "
        "v2 = POST /v2/reliability/{project_id}/instances",
    )
    group.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"timeout of each API call (default {DEFAULT_TIMEOUT:g})",
    )
    cli_warning = "visible to other local users in the process list: prefer the environment variables"
    group.add_argument("--ak", help="access key ID")
    group.add_argument("--sk", help=f"secret access key ({cli_warning})")
    group.add_argument("--security-token", help=f"security token of temporary keys ({cli_warning})")
    group.add_argument("--auth-token", help=f"an IAM token, used instead of AK/SK ({cli_warning})")


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
    api_route: ApiRoute = "v2" if getattr(args, "api", None) == "v2" else "v1"
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
    return build_settings(region, credentials, env=env, endpoint=endpoint, api_route=api_route, timeout=timeout)


def _registered(credentials: Credentials) -> Credentials:
    """Tell the stores these secrets, so no draft, profile or history file can ever hold them."""
    from wizard.storage.secrets import register_credentials

    register_credentials(credentials)
    return credentials
