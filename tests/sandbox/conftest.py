"""Fixtures for the sandbox's contract tests: a signed client and a valid create body for the demo tenant."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.sandbox.support import ManualClock
from wizard.sandbox.server import RunningSandbox
from wizard.signing import AkSkAuth

TLS = ssl.create_default_context()
"""One TLS context for every test client: httpx builds a new one per client otherwise (~0.2 s each), and
the sandbox is plain http on loopback anyway."""


@pytest.fixture
def api(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """An httpx client signing every call with the sandbox's AK/SK, as the SDK does."""
    auth = AkSkAuth(sandbox.ak, sandbox.sk, project_id=sandbox.project_id)
    with httpx.Client(base_url=sandbox.url, auth=auth, timeout=5, verify=TLS) as client:
        yield client


@pytest.fixture
def plain() -> Iterator[httpx.Client]:
    """An httpx client that signs nothing (tests give each call its own auth or headers)."""
    with httpx.Client(timeout=5, verify=TLS) as client:
        yield client


@pytest.fixture
def ids(api: httpx.Client, sandbox: RunningSandbox) -> dict[str, Any]:
    """IDs of the demo tenant's resources, read from the sandbox's own listings."""
    project = sandbox.project_id
    zones = api.get("/v2/available-zones").json()["available_zones"]
    vpcs = api.get(f"/v1/{project}/vpcs").json()["vpcs"]
    subnets = api.get(f"/v1/{project}/subnets").json()["subnets"]
    groups = api.get(f"/v1/{project}/security-groups").json()["security_groups"]
    eips = api.get(f"/v1/{project}/publicips").json()["publicips"]
    return {
        "zones": {zone["code"]: zone["id"] for zone in zones},
        "vpcs": {vpc["name"]: vpc["id"] for vpc in vpcs},
        "subnets": {subnet["name"]: subnet["id"] for subnet in subnets},
        "groups": {group["name"]: group["id"] for group in groups},
        "free_eips": [eip["id"] for eip in eips if eip["status"] == "DOWN"],
        "bound_eips": [eip["id"] for eip in eips if eip["status"] == "ACTIVE"],
    }


@pytest.fixture
def body(ids: dict[str, Any]) -> dict[str, Any]:
    """A valid create body in the demo tenant: 3 AZs, one broker, public access with 3 free EIPs."""
    zones = ids["zones"]
    return {
        "name": "orders-test",
        "engine": "reliability",
        "engine_version": "4.8.0",
        "storage_space": 300,
        "vpc_id": ids["vpcs"]["vpc-demo"],
        "subnet_id": ids["subnets"]["subnet-app"],
        "security_group_id": ids["groups"]["sg-rocketmq"],
        "available_zones": [zones["sandbox-1a"], zones["sandbox-1b"], zones["sandbox-1c"]],
        "product_id": "c6.4u8g.cluster",
        "storage_spec_code": "dms.physical.storage.high.v2",
        "broker_num": 1,
        "enable_publicip": True,
        "publicip_id": ",".join(ids["free_eips"][:3]),
    }


@pytest.fixture
def clock(sandbox: RunningSandbox) -> ManualClock:
    """Freeze the sandbox's clock: instances stay CREATING (or DELETING) until the test advances it."""
    manual = ManualClock(sandbox.state.clock())
    sandbox.state.clock = manual
    return manual
