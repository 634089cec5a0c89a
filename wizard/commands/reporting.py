"""What `create` and `status` tell scripts and people: exit codes for errors, JSON for results, progress.

Results go to stdout (one JSON document with `--json`); progress and errors go to stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wizard.exitcodes import API_REFUSED, INVALID, OK, OUTCOME_UNKNOWN, UNREACHABLE, WAIT_TIMED_OUT

if TYPE_CHECKING:
    from wizard.client import CloudClient
    from wizard.resources import Instance

DEFAULT_WAIT_TIMEOUT = 3000.0
"""Seconds --wait follows the instance (Terraform waits 50 minutes for a create)."""


def add_wait_flags(parser: argparse.ArgumentParser) -> None:
    """Add --wait and --wait-timeout, shared by `create` and `status`."""
    from wizard.commands.flags import positive_seconds

    parser.add_argument("--wait", action="store_true", help="follow the status until RUNNING (progress on stderr)")
    parser.add_argument(
        "--wait-timeout",
        type=positive_seconds,
        default=DEFAULT_WAIT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up waiting after this long (default {DEFAULT_WAIT_TIMEOUT:g}; exit 5)",
    )


@dataclass(frozen=True)
class Failure:
    """An error as a command reports it: exit code, a kind scripts can match, and the message."""

    code: int
    kind: str
    message: str
    details: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """The `error` object of a `--json` answer."""
        return {"kind": self.kind, "message": self.message, **self.details}


def failure_of(exc: BaseException) -> Failure:
    """The exit code and description of an error raised while talking to the API."""
    from wizard.errors import ApiError, CredentialsMissing, NetworkError, NotCreated, OutcomeUnknown, Throttled

    if isinstance(exc, ApiError):
        details: dict[str, Any] = {
            "code": exc.code,
            "http_status": exc.http_status,
            "request_id": exc.request_id,
            "api_message": exc.message,
        }
        if exc.hint is not None and exc.hint.field:
            details["field"] = exc.hint.field
            details["step"] = exc.hint.step
        return Failure(API_REFUSED, "refused", exc.describe(), details)
    if isinstance(exc, OutcomeUnknown):
        return Failure(OUTCOME_UNKNOWN, "outcome_unknown", str(exc), {})
    if isinstance(exc, NotCreated):
        return Failure(UNREACHABLE, "not_created", str(exc), {})
    if isinstance(exc, Throttled):
        return Failure(UNREACHABLE, "throttled", str(exc), {})
    if isinstance(exc, NetworkError):
        return Failure(UNREACHABLE, "unreachable", str(exc), {})
    if isinstance(exc, CredentialsMissing):
        return Failure(INVALID, "credentials", str(exc), {})
    return Failure(INVALID, "invalid", str(exc), {})


def say(message: str) -> None:
    """A line of progress or an error for people, on stderr."""
    print(message, file=sys.stderr, flush=True)


def instance_json(instance: Instance) -> dict[str, Any]:
    """What `status --json` prints of an instance, with how clients connect (addresses once RUNNING)."""
    from wizard.connect_info import connection_details

    return {
        "instance_id": instance.id,
        "name": instance.name,
        "status": instance.status,
        "engine_version": instance.engine_version,
        "product_id": instance.product_id,
        "broker_num": instance.broker_num,
        "storage_space": instance.storage_space,
        "available_zones": list(instance.available_zones),
        "created_at": instance.created_at,
        "connection": connection_details(instance.raw).as_json(),
    }


@dataclass
class WaitResult:
    """How a wait ended: the exit code, the last instance seen, seconds waited, and the failure if any."""

    code: int
    instance: Instance | None
    elapsed: float
    failure: Failure | None = None


async def wait_for_running(
    client: CloudClient,
    instance_id: str,
    *,
    timeout: float,
    progress: Callable[[str], None] = say,
) -> WaitResult:
    """Follow an instance's status until RUNNING, a failed status, or `timeout` seconds (progress on stderr)."""
    import asyncio

    from wizard.errors import WizardError
    from wizard.resources import RUNNING

    last: Instance | None = None
    elapsed = 0.0
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        # Our own deadline, so that running out of time is told apart from every other error.
        async with asyncio.timeout(timeout):
            async for change in client.follow(instance_id, timeout=timeout + 3600):
                last, elapsed = change.instance, change.elapsed
                progress(f"{instance_id}: {change.instance.status} after {change.elapsed:.0f} s")
                if change.finished:
                    break
    except TimeoutError:
        elapsed = loop.time() - started
        status = last.status if last is not None else "not visible yet"
        message = (
            f"Instance {instance_id} is still {status} after {elapsed:.0f} s; it may yet finish: "
            f"check it later with `rocketmq-wizard status {instance_id}`."
        )
        return WaitResult(WAIT_TIMED_OUT, last, elapsed, Failure(WAIT_TIMED_OUT, "wait_timed_out", message, {}))
    except WizardError as exc:
        failure = failure_of(exc)
        message = f"Following instance {instance_id} failed: {failure.message}"
        if failure.code == UNREACHABLE:
            # The instance exists; only its progress is unknown.
            failure = Failure(OUTCOME_UNKNOWN, "wait_failed", message, failure.details)
        else:
            failure = Failure(failure.code, failure.kind, message, failure.details)
        return WaitResult(failure.code, last, elapsed, failure)
    if last is not None and last.status == RUNNING:
        return WaitResult(OK, last, elapsed)
    status = last.status if last is not None else "unknown"
    message = f"Instance {instance_id} ended {status}: it will not reach RUNNING without someone acting."
    return WaitResult(API_REFUSED, last, elapsed, Failure(API_REFUSED, "instance_failed", message, {"status": status}))
