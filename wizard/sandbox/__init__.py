"""A local emulator of the DMS for RocketMQ, VPC, EIP, IAM and EPS APIs, served over HTTP on loopback.

The wizard, its tests and its demos talk to it exactly as they would to the cloud: same paths, query
parameters, JSON shapes, status codes, pagination, error codes and SDK-HMAC-SHA256 signatures. One base
URL serves every service. Start it with `start_sandbox()` (a background thread) or with
`rocketmq-wizard sandbox` (the foreground).

The credentials below are fixed and public: they open nothing but the sandbox.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wizard.sandbox.server import RunningSandbox

SANDBOX_AK = "SANDBOXAK00000000000"
"""The sandbox's access key (20 characters, like the cloud's)."""
SANDBOX_SK = "sandbox-secret-key-for-local-use-only-00"
"""The sandbox's secret key; it signs requests to the sandbox and nothing else."""
SANDBOX_PROJECT_ID = "5b0c1d2e3f40415263748596a7b8c9d0"
"""The one project of the sandbox account."""
SANDBOX_TOKEN = "sandbox-iam-token"  # noqa: S105 - a public, sandbox-only token
"""An IAM token the sandbox accepts in X-Auth-Token."""
SANDBOX_REGION = "sandbox-1"
"""The sandbox's region name (IAM answers `GET /v3/projects?name=sandbox-1` with the project above)."""

TENANTS = ("demo", "large")
"""The account contents the sandbox can start with (see `wizard.sandbox.tenants`)."""


def start_sandbox(
    *,
    tenant: str = "demo",
    host: str = "127.0.0.1",
    port: int = 0,
    latency_ms: int = 0,
    create_delay: float = 3.0,
    ak: str = SANDBOX_AK,
    sk: str = SANDBOX_SK,
    project_id: str = SANDBOX_PROJECT_ID,
) -> RunningSandbox:
    """Serve the sandbox on a loopback port (0 = any free one) in a background thread; returns at once.

    Raises ValueError for a non-loopback host or an unknown tenant, OSError when the port is taken.
    """
    # Imported here so that reading the constants above never pulls in uvicorn and starlette.
    from wizard.sandbox.server import start

    return start(
        tenant=tenant,
        host=host,
        port=port,
        latency_ms=latency_ms,
        create_delay=create_delay,
        ak=ak,
        sk=sk,
        project_id=project_id,
    )


def __getattr__(name: str) -> Any:
    if name == "RunningSandbox":
        from wizard.sandbox.server import RunningSandbox

        return RunningSandbox
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SANDBOX_AK",
    "SANDBOX_PROJECT_ID",
    "SANDBOX_REGION",
    "SANDBOX_SK",
    "SANDBOX_TOKEN",
    "TENANTS",
    "RunningSandbox",
    "start_sandbox",
]
