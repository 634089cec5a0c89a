"""The calls after creation, end to end against the sandbox over HTTP: ports, rules, topic, group, user, delete."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.sandbox.support import ManualClock
from wizard.client import CloudClient
from wizard.connection import Credentials, build_settings
from wizard.errors import ApiError, NotCreated, WizardError
from wizard.http import RetryPolicy
from wizard.instance_ops import InstanceOps
from wizard.next_steps import GroupRequest, TopicRequest, UserRequest, parse_form
from wizard.sandbox.server import RunningSandbox

FAST_RETRY = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05, max_total=5, throttle_delay=0.01)
USER = {"access_key": "orders_app", "secret_key": "Orders-Secret-42"}


class Sleeps:
    """A sleep that returns at once and remembers what it was asked for."""

    def __init__(self) -> None:
        self.asked: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        await asyncio.sleep(0)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def client(sandbox: RunningSandbox, sleeps: Sleeps) -> AsyncIterator[CloudClient]:
    credentials = Credentials(sandbox.ak, sandbox.sk, sandbox.project_id, None, None, "test")
    settings = build_settings(sandbox.region, credentials, env={}, endpoint=sandbox.url, timeout=2.0, sandbox=True)
    async with CloudClient(settings, retry=FAST_RETRY, sleep=sleeps) as cloud:
        yield cloud


def _ids(sandbox: RunningSandbox) -> dict[str, str]:
    state = sandbox.state
    groups = {g["name"]: g["id"] for g in state.resource_list("security_groups")}
    vpcs = {v["name"]: v["id"] for v in state.resource_list("vpcs")}
    subnets = {s["name"]: s["id"] for s in state.resource_list("subnets")}
    return {**groups, **vpcs, **subnets}


def _instance(sandbox: RunningSandbox, *, running: bool = True, **extra: Any) -> str:
    ids = _ids(sandbox)
    zone = sandbox.state.zones[0]["id"]
    body = {
        "name": extra.pop("name", "ready-test"),
        "engine": "reliability",
        "engine_version": "4.8.0",
        "storage_space": 600,
        "vpc_id": ids["vpc-demo"],
        "subnet_id": ids["subnet-app"],
        "security_group_id": ids["sg-rocketmq"],
        "available_zones": [zone],
        "product_id": "c6.4u8g.cluster",
        "storage_spec_code": "dms.physical.storage.high.v2",
        "broker_num": 2,
        **extra,
    }
    clock = ManualClock(sandbox.state.clock())
    sandbox.state.clock = clock
    record = sandbox.state.create_instance(body)
    if running:
        clock.advance(60)
    return record.id


async def test_port_check_on_the_demo_groups(sandbox: RunningSandbox, client: CloudClient) -> None:
    ops, ids = InstanceOps(client), _ids(sandbox)
    opened = await ops.check_ports(ids["sg-rocketmq"], "192.168.0.0/16", public=True, public_source="0.0.0.0/0")
    assert opened.known
    assert opened.missing == []
    assert opened.warning_lines() == []
    closed = await ops.check_ports(ids["sg-staging"], "10.0.0.0/16", public=True, public_source="0.0.0.0/0")
    assert [str(n.ports) for n in closed.missing] == ["8100", "10100-10199", "8200", "10100-10199"]
    assert "sendDefaultImpl call timeout" in closed.warning_lines()[-1]
    default = await ops.check_ports(ids["default"], "192.168.0.0/16", public=False, public_source="0.0.0.0/0")
    assert len(default.missing) == 2


async def test_open_ports_adds_the_missing_rules_once(sandbox: RunningSandbox, client: CloudClient) -> None:
    ops, group = InstanceOps(client), _ids(sandbox)["sg-staging"]
    check = await ops.check_ports(group, "10.0.0.0/16", public=False, public_source="0.0.0.0/0")
    result = await ops.open_ports(group, check.missing)
    assert (result.added, result.notices) == (check.missing, [])
    again = await ops.check_ports(group, "10.0.0.0/16", public=False, public_source="0.0.0.0/0")
    assert again.missing == []
    assert (await ops.open_ports(group, check.missing)).added == check.missing  # 409: already there
    assert sum(1 for kind, _ in sandbox.state.followups.sent if kind == "security_group_rule") == 2


async def test_permission_problems_are_notices(sandbox: RunningSandbox, client: CloudClient) -> None:
    ops, group = InstanceOps(client), _ids(sandbox)["sg-staging"]
    sandbox.state.followups.deny("vpc:securityGroupRules:get")
    check = await ops.check_ports(group, "10.0.0.0/16", public=False, public_source="0.0.0.0/0")
    assert not check.known
    assert "may not read this security group's rules" in check.warning_lines()[0]
    sandbox.state.followups.allow("vpc:securityGroupRules:get")
    sandbox.state.followups.deny("vpc:securityGroupRules:create")
    missing = (await ops.check_ports(group, "10.0.0.0/16", public=False, public_source="0.0.0.0/0")).missing
    result = await ops.open_ports(group, missing)
    assert result.added == []
    assert "may not add rules" in result.notices[0]


async def test_an_ambiguous_rule_add_is_looked_up_not_resent(sandbox: RunningSandbox, client: CloudClient) -> None:
    ops, group = InstanceOps(client), _ids(sandbox)["sg-staging"]
    missing = (await ops.check_ports(group, "10.0.0.0/16", public=False, public_source="0.0.0.0/0")).missing
    sandbox.state.faults.add("timeout_after_commit", method="POST", path="*/security-group-rules", count=2)
    result = await ops.open_ports(group, missing)
    assert result.added == missing
    assert sum(1 for kind, _ in sandbox.state.followups.sent if kind == "security_group_rule") == 2


async def test_topic_group_and_user_on_a_running_instance(sandbox: RunningSandbox, client: CloudClient) -> None:
    instance_id = _instance(sandbox, enable_acl=True)
    ops = InstanceOps(client)
    assert await ops.brokers(instance_id) == ["broker-0", "broker-1"]
    topic = await ops.create_topic(instance_id, parse_form(TopicRequest, {"name": "orders"}))
    assert (topic.name, topic.recovered, topic.busy_retries) == ("orders", False, 0)
    stored = sandbox.state.followups.contents(instance_id).topics["orders"]
    assert [b["broker_name"] for b in stored["brokers"]] == ["broker-0", "broker-1"]
    await ops.create_group(instance_id, parse_form(GroupRequest, {"name": "orders-app", "retry_max_time": 5}))
    user = await ops.create_user(instance_id, parse_form(UserRequest, USER))
    assert user.answer == {}
    assert await ops.names(instance_id, "users") == ["orders_app"]
    _, details = await ops.connection(instance_id)
    assert details.acl
    assert details.ready


async def test_a_busy_instance_is_tried_again_until_it_takes_the_write(
    sandbox: RunningSandbox, client: CloudClient, sleeps: Sleeps
) -> None:
    instance_id = _instance(sandbox)
    sandbox.state.followups.busy(instance_id, times=2)
    created = await InstanceOps(client).create_topic(instance_id, parse_form(TopicRequest, {"name": "orders"}))
    assert created.busy_retries == 2
    assert sleeps.asked[-2:] == [2.0, 4.0]
    assert sandbox.state.followups.sent.count(("topic", instance_id)) == 1


async def test_a_creating_instance_stays_busy_until_the_timeout(sandbox: RunningSandbox, client: CloudClient) -> None:
    instance_id = _instance(sandbox, running=False)
    ops = InstanceOps(client, busy_timeout=10)
    with pytest.raises(ApiError) as caught:
        await ops.create_group(instance_id, parse_form(GroupRequest, {"name": "orders-app"}))
    assert caught.value.code == "DMS.00400026"
    assert "stayed busy for 10 s" in str(caught.value)


async def test_an_ambiguous_topic_create_is_looked_up_not_resent(sandbox: RunningSandbox, client: CloudClient) -> None:
    instance_id = _instance(sandbox)
    sandbox.state.faults.add("timeout_after_commit", method="POST", path="*/topics")
    created = await InstanceOps(client).create_topic(instance_id, parse_form(TopicRequest, {"name": "orders"}))
    assert created.recovered
    assert sandbox.state.followups.sent.count(("topic", instance_id)) == 1


async def test_a_lost_topic_create_that_did_not_happen_says_so(sandbox: RunningSandbox, client: CloudClient) -> None:
    instance_id = _instance(sandbox)
    sandbox.state.faults.add("status", method="POST", path="*/topics", status=502)
    with pytest.raises(NotCreated, match="safe to try again"):
        await InstanceOps(client).create_topic(instance_id, parse_form(TopicRequest, {"name": "orders"}))
    assert sandbox.state.followups.sent == []


async def test_a_refused_write_is_not_retried(sandbox: RunningSandbox, client: CloudClient) -> None:
    instance_id = _instance(sandbox)
    with pytest.raises(ApiError, match="ACL is off"):
        await InstanceOps(client).create_user(instance_id, parse_form(UserRequest, USER))


async def test_delete_a_pay_per_use_instance(sandbox: RunningSandbox, client: CloudClient) -> None:
    instance_id = _instance(sandbox)
    await InstanceOps(client).delete_instance(instance_id)
    assert (await client.show_instance(instance_id)).status == "DELETING"


async def test_delete_refuses_a_yearly_monthly_instance(sandbox: RunningSandbox, client: CloudClient) -> None:
    bss = {"charging_mode": "prePaid", "period_type": "month", "period_num": 1, "is_auto_pay": True}
    instance_id = _instance(sandbox, bss_param=bss)
    with pytest.raises(WizardError, match="yearly/monthly"):
        await InstanceOps(client).delete_instance(instance_id)
    assert (await client.show_instance(instance_id)).status == "RUNNING"
