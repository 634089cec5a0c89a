"""The client end to end against the sandbox, over real HTTP on 127.0.0.1: signing, lists, create, faults."""

from __future__ import annotations

import argparse
import asyncio
import random
from typing import Any

import pytest

from tests.sandbox.support import ManualClock
from wizard.client import CloudClient
from wizard.commands.common import connection_from_args, stop_process_sandboxes
from wizard.commands.flags import add_connection_flags
from wizard.connection import ConnectionSettings, Credentials, build_settings
from wizard.errors import ApiError, NotCreated, OutcomeUnknown
from wizard.http import RetryPolicy
from wizard.model import CreateInstanceRequest
from wizard.sandbox import SANDBOX_TOKEN
from wizard.sandbox.server import RunningSandbox
from wizard.validation import parse_request

FAST_RETRY = RetryPolicy(max_attempts=4, base_delay=0.05, max_delay=0.2, max_total=10, throttle_delay=0.05)


def _settings(sandbox: RunningSandbox, *, route: str = "v1", timeout: float = 5.0, **creds: Any) -> ConnectionSettings:
    credentials = Credentials(
        ak=creds.get("ak", sandbox.ak),
        sk=creds.get("sk", sandbox.sk),
        project_id=creds.get("project_id", sandbox.project_id),
        security_token=None,
        auth_token=creds.get("auth_token"),
        source="test",
    )
    return build_settings(
        sandbox.region,
        credentials,
        env={},
        endpoint=sandbox.url,
        api_route=route,  # type: ignore[arg-type]
        timeout=timeout,
        sandbox=True,
    )


def _client(sandbox: RunningSandbox, **kwargs: Any) -> CloudClient:
    lookup_delays = kwargs.pop("lookup_delays", (0.0, 0.2))
    return CloudClient(_settings(sandbox, **kwargs), retry=FAST_RETRY, lookup_delays=lookup_delays)


async def _request(client: CloudClient, name: str) -> CreateInstanceRequest:
    """A valid request built from what the sandbox lists, as the wizard would build it."""
    catalog = await client.load_catalog()
    zone = next(z for z in catalog.zones if not z.sold_out)
    flavor = next(f for f in catalog.flavors if f.sold_in([zone.id]))
    storage = next(o.storage_spec_code for o in flavor.storage if o.sold_in([zone.id]))
    vpc = (await client.list_vpcs())[0]
    subnet = next(s for s in await client.list_subnets() if s.vpc_id == vpc.id)
    group = (await client.list_security_groups())[0]
    return parse_request(
        {
            "name": name,
            "vpc_id": vpc.id,
            "subnet_id": subnet.id,
            "security_group_id": group.id,
            "available_zones": [zone.id],
            "product_id": flavor.id,
            "broker_num": 1,
            "storage_spec_code": storage,
            "storage_space": flavor.min_storage_per_broker,
        },
        catalog,
    )


async def test_the_network_steps_lists_from_the_sandbox(sandbox: RunningSandbox) -> None:
    async with _client(sandbox) as client:
        catalog = await client.load_catalog()
        vpcs, subnets, groups = (
            await client.list_vpcs(),
            await client.list_subnets(),
            await client.list_security_groups(),
        )
        eips = await client.list_eips()
    assert catalog.live and catalog.flavors and catalog.zones
    assert any(z.sold_out for z in catalog.zones) or any(
        not f.sold_in([z.id for z in catalog.zones]) for f in catalog.flavors
    )
    assert vpcs and subnets and groups
    assert eips and all(e.status == "DOWN" and e.ip_version == 4 for e in eips)
    bound = [e for e in sandbox.state.resource_list("publicips") if e.get("status") != "DOWN"]
    assert bound and not {e["id"] for e in bound} & {e.id for e in eips}


@pytest.mark.parametrize("route", ["v1", "v2"])
async def test_create_and_follow_to_running(sandbox: RunningSandbox, route: str) -> None:
    clock = ManualClock(sandbox.state.clock())
    sandbox.state.clock = clock  # CREATING until the test has seen it, at any machine speed
    async with _client(sandbox, route=route) as client:
        request = await _request(client, f"e2e-{route}")
        outcome = await client.create_instance(request)
        statuses: list[str] = []
        async for change in client.follow(outcome.instance_id, poll=0.1, timeout=20):
            statuses.append(change.instance.status)
            clock.advance(60)
        found = await client.instances_named(f"e2e-{route}")
    assert not outcome.recovered
    assert statuses[0] == "CREATING" and statuses[-1] == "RUNNING"
    assert [instance.id for instance in found] == [outcome.instance_id]


async def test_taken_name_is_refused_with_its_field(sandbox: RunningSandbox) -> None:
    async with _client(sandbox) as client:
        request = await _request(client, "taken-name")
        await client.create_instance(request)
    async with _client(sandbox) as other:
        with pytest.raises(ApiError) as caught:
            await other.create_instance(request)
    assert caught.value.code == "DMS.00400060"
    assert caught.value.hint is not None and (caught.value.hint.step, caught.value.hint.field) == ("basics", "name")
    assert caught.value.request_id
    assert len(sandbox.state.instances_named("taken-name")) == 1


async def test_quota(sandbox: RunningSandbox) -> None:
    async with _client(sandbox) as client:
        quota = await client.quota()
    assert quota.quota >= quota.used >= 0


async def test_project_id_is_looked_up_through_iam(sandbox: RunningSandbox) -> None:
    async with _client(sandbox, project_id=None) as client:
        assert await client.project_id() == sandbox.project_id
        assert await client.list_vpcs()


async def test_iam_token_mode(sandbox: RunningSandbox) -> None:
    async with _client(sandbox, ak=None, sk=None, auth_token=SANDBOX_TOKEN) as client:
        assert await client.list_security_groups()


async def test_a_wrong_secret_key_is_refused_by_the_gateway(sandbox: RunningSandbox) -> None:
    async with _client(sandbox, sk="not-the-key") as client:
        with pytest.raises(ApiError) as caught:
            await client.list_vpcs()
    assert caught.value.http_status == 401
    assert "not-the-key" not in str(caught.value)


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "status", "status": 429, "retry_after": 1},
        {"kind": "status", "status": 503, "count": 2},
        {"kind": "status", "status": 502},
        {"kind": "reset"},
    ],
)
async def test_reads_survive_transient_faults(sandbox: RunningSandbox, fault: dict[str, Any]) -> None:
    sandbox.state.faults.add(method="GET", path="*/vpcs", **fault)
    async with _client(sandbox) as client:
        assert await client.list_vpcs()


async def test_a_read_timeout_is_retried(sandbox: RunningSandbox) -> None:
    sandbox.state.faults.add("timeout", method="GET", path="*/security-groups", delay=1.5)
    async with _client(sandbox, timeout=0.5) as client:
        assert await client.list_security_groups()


async def test_lost_create_answer_is_recovered_by_name(sandbox: RunningSandbox) -> None:
    async with _client(sandbox, timeout=1.0) as client:
        request = await _request(client, "lost-answer")
        sandbox.state.faults.add("timeout_after_commit", method="POST", path="*/instances", delay=2.0)
        outcome = await client.create_instance(request)
    assert outcome.recovered
    assert [i["instance_id"] for i in sandbox.state.instances_named("lost-answer")] == [outcome.instance_id]


async def test_reset_create_is_reported_unknown_and_can_be_retried(sandbox: RunningSandbox) -> None:
    """A reset after the request went out proves nothing (exit 3); running it again creates it exactly once."""
    async with _client(sandbox) as client:
        request = await _request(client, "reset-create")
        sandbox.state.faults.add("reset", method="POST", path="*/instances")
        with pytest.raises(OutcomeUnknown, match="proves nothing"):
            await client.create_instance(request)
        assert sandbox.state.instances_named("reset-create") == []
        outcome = await client.create_instance(request)
    assert [i["instance_id"] for i in sandbox.state.instances_named("reset-create")] == [outcome.instance_id]


CREATE_FAULTS: list[dict[str, Any]] = [
    {"kind": "timeout_after_commit", "delay": 1.0},
    {"kind": "timeout", "delay": 1.0},
    {"kind": "reset"},
    {"kind": "status", "status": 502},
    {"kind": "status", "status": 503},
    {"kind": "status", "status": 500},
]


@pytest.mark.parametrize("seed", range(4))
async def test_repeated_fault_trials_create_exactly_one_instance(sandbox: RunningSandbox, seed: int) -> None:
    rng = random.Random(seed)
    name = f"trial-{seed}"
    async with _client(sandbox, timeout=0.5, lookup_delays=(0.0,)) as client:
        request = await _request(client, name)
        for _ in range(3):
            sandbox.state.faults.add(method="POST", path="*/instances", **rng.choice(CREATE_FAULTS))
        outcome = None
        for _ in range(6):
            try:
                outcome = await client.create_instance(request)
                break
            except (NotCreated, OutcomeUnknown):
                continue
    assert outcome is not None
    assert [i["instance_id"] for i in sandbox.state.instances_named(name)] == [outcome.instance_id]


async def test_double_submit_sends_one_create(sandbox: RunningSandbox) -> None:
    async with _client(sandbox) as client:
        request = await _request(client, "double-click")
        outcomes = await asyncio.gather(client.create_instance(request), client.create_instance(request))
    assert outcomes[0] == outcomes[1]
    assert len(sandbox.state.instances_named("double-click")) == 1


async def test_sandbox_flag_starts_a_sandbox_and_points_at_it() -> None:
    parser = argparse.ArgumentParser()
    add_connection_flags(parser)
    settings = connection_from_args(parser.parse_args(["--sandbox", "--api", "v2", "--timeout", "7"]))
    try:
        assert settings.sandbox and settings.api_route == "v2" and settings.timeout == 7
        assert settings.describe().startswith("SANDBOX http://127.0.0.1:")
        async with CloudClient(settings) as client:
            assert (await client.quota()).quota > 0
    finally:
        stop_process_sandboxes()
