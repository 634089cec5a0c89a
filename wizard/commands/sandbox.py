"""`rocketmq-wizard sandbox`: serve the local emulator of the cloud's APIs in the foreground."""

from __future__ import annotations

import argparse
import errno
import signal
import sys
import threading

from wizard.exitcodes import INVALID, OK
from wizard.sdk_env import ENV_AK, ENV_SK


def configure(parser: argparse.ArgumentParser) -> None:
    """Describe `sandbox` and add its flags (its own --ak/--sk/--project-id: what it accepts)."""
    from wizard.sandbox import SANDBOX_AK, SANDBOX_PROJECT_ID, SANDBOX_SK, TENANTS

    parser.description = (
        "Serve a local emulator of the DMS for RocketMQ, VPC, EIP, IAM and enterprise-project APIs "
        "on a loopback address, in the foreground, until Ctrl+C. It prints its URL and the credentials it "
        "takes. Instances become RUNNING after --create-delay seconds; a name starting with 'fail-' ends "
        "CREATEFAILED. Faults can be injected with POST /_sandbox/faults."
    )
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    from wizard.commands.flags import seconds_or_zero, whole_number

    parser.add_argument(
        "--port", type=whole_number(0, 65535), default=0, help="port to bind, 0-65535 (default 0: any free port)"
    )
    parser.add_argument("--tenant", choices=TENANTS, default="demo", help="account contents (default demo)")
    parser.add_argument(
        "--latency-ms",
        type=whole_number(0, 600_000),
        default=0,
        help="added latency per call, in ms (default 0)",
    )
    parser.add_argument(
        "--create-delay",
        type=seconds_or_zero,
        default=3.0,
        help="seconds a new instance stays CREATING before RUNNING (default 3)",
    )
    parser.add_argument("--ak", default=SANDBOX_AK, help="access key to accept (default: the fixed sandbox key)")
    parser.add_argument("--sk", default=SANDBOX_SK, help="secret key to accept (default: the fixed sandbox key)")
    parser.add_argument("--project-id", default=SANDBOX_PROJECT_ID, help="the account's project ID")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    """Serve until Ctrl+C (or until `stop` is set, for tests); exit 1 when the options are refused."""
    from wizard.sandbox import start_sandbox

    try:
        running = start_sandbox(
            tenant=args.tenant,
            host=args.host,
            port=args.port,
            latency_ms=args.latency_ms,
            create_delay=args.create_delay,
            ak=args.ak,
            sk=args.sk,
            project_id=args.project_id,
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(
                f"error: port {args.port} on {args.host} is in use: choose another --port, or 0 for any free one",
                file=sys.stderr,
            )
        else:
            print(f"error: cannot serve on {args.host} port {args.port}: {exc.strerror or exc}", file=sys.stderr)
        return INVALID
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return INVALID
    # The sandbox's keys are public and open nothing else, so printing them is the point.
    print(
        f"Sandbox ({running.state.tenant.name} tenant) serving every API at {running.url}\n"
        f"  region      {running.region}\n"
        f"  project id  {running.project_id}\n"
        f"  AK          {running.ak}\n"
        f"  SK          {running.sk}\n"
        f"  token       {running.token}  (X-Auth-Token)\n"
        # Keys go in the environment, never on a command line, where every local user can read them.
        f"Use it: export {ENV_AK}={running.ak} {ENV_SK}={running.sk}\n"
        f"        rocketmq-wizard --endpoint {running.url} --region {running.region} "
        f"--project-id {running.project_id}\n"
        f"Press Ctrl+C to stop.",
        flush=True,
    )
    waiter = stop or threading.Event()
    on_main_thread = threading.current_thread() is threading.main_thread()
    # `kill` (SIGTERM) stops it as cleanly as Ctrl+C does.
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: waiter.set()) if on_main_thread else None
    try:
        while not waiter.wait(0.5):
            if not running.running:
                print("error: the sandbox stopped unexpectedly", file=sys.stderr)
                return INVALID
    except KeyboardInterrupt:
        print("\nstopping the sandbox", file=sys.stderr)
    finally:
        running.stop()
        if on_main_thread:
            signal.signal(signal.SIGTERM, previous)
    print("sandbox stopped", file=sys.stderr)
    return OK
