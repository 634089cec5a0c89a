"""Fixtures for the headless commands: requests the demo sandbox accepts, flags that point at it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from wizard.sandbox.server import RunningSandbox
from wizard.sandbox.tenants import stable_uuid, zone_id


def sandbox_request(**changes: Any) -> dict[str, Any]:
    """A valid pay-per-use request for the demo tenant; keyword arguments replace fields (None removes one)."""
    data: dict[str, Any] = {
        "name": "orders-mq",
        "vpc_id": stable_uuid("demo", "vpc", 1),
        "subnet_id": stable_uuid("demo", "subnet", 1),
        "security_group_id": stable_uuid("demo", "sg", 2),
        "available_zones": [zone_id("sandbox-1a")],
        "product_id": "c6.4u8g.cluster",
        "broker_num": 1,
        "storage_spec_code": "dms.physical.storage.high.v2",
        "storage_space": 300,
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def write_request(folder: Path, data: dict[str, Any], name: str = "request.json") -> Path:
    """Write `data` as a JSON request file and return its path."""
    path = folder / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def connection_flags(sandbox: RunningSandbox, *extra: str) -> list[str]:
    """Flags that point a command at the sandbox with its keys, as a user would against the cloud."""
    return [
        "--endpoint",
        sandbox.url,
        "--region",
        sandbox.region,
        "--ak",
        sandbox.ak,
        "--sk",
        sandbox.sk,
        "--project-id",
        sandbox.project_id,
        *extra,
    ]


def instances_named(sandbox: RunningSandbox, name: str) -> list[dict[str, Any]]:
    """What the sandbox holds under this exact name (the ground truth for "no duplicates")."""
    return sandbox.state.instances_named(name)


@pytest.fixture
def fast_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the client's look-ups after an ambiguous create and its read retries quick (same rules, less waiting)."""
    from wizard import client as client_module
    from wizard.http import RetryPolicy

    original = client_module.CloudClient

    class QuickClient(original):  # type: ignore[misc, valid-type]
        def __init__(self, settings: Any, transport: Any = None, **kwargs: Any) -> None:
            kwargs.setdefault("lookup_delays", (0.0, 0.05))
            kwargs.setdefault("retry", RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02, max_total=2.0))
            super().__init__(settings, transport, **kwargs)

    monkeypatch.setattr(client_module, "CloudClient", QuickClient)
