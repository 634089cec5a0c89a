"""The client follows pagination, filters what cannot be offered, and never creates an instance twice."""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

import httpx
import pytest

from tests.client.fakecloud import FAULTS, PROJECT, FakeCloud, settings
from wizard.catalog import HIGH_IO, ULTRA_HIGH_IO, YEARLY_MONTHLY
from wizard.client import CloudClient
from wizard.errors import ApiError, NetworkError, NotCreated, OutcomeUnknown, WizardError
from wizard.http import RetryPolicy
from wizard.model import CreateInstanceRequest
from wizard.validation import parse_request

FAST_RETRY = RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.002, throttle_delay=0.001)


async def _no_sleep(seconds: float) -> None:
    await asyncio.sleep(0)


def _client(cloud: FakeCloud, *, page_size: int | None = None, **kwargs: Any) -> CloudClient:
    kwargs.setdefault("sleep", _no_sleep)
    project_id = kwargs.pop("project_id", PROJECT)
    route = kwargs.pop("api_route", "v1")
    return CloudClient(
        settings(project_id, route),
        cloud.transport(),
        retry=FAST_RETRY,
        page_size=page_size,
        lookup_delays=kwargs.pop("lookup_delays", (0.0,)),
        **kwargs,
    )


def _request(name: str = "orders-mq") -> CreateInstanceRequest:
    return parse_request(
        {
            "name": name,
            "vpc_id": "vpc-1",
            "subnet_id": "subnet-1",
            "security_group_id": "sg-1",
            "available_zones": ["az-1"],
            "product_id": "c6.4u8g.cluster",
            "broker_num": 1,
            "storage_spec_code": HIGH_IO,
            "storage_space": 300,
        }
    )


# ---- pagination and lists ------------------------------------------------------------------------


async def test_vpcs_are_read_over_every_page_by_marker() -> None:
    cloud = FakeCloud(vpcs=[{"id": f"vpc-{i}", "name": f"v{i}", "cidr": "10.0.0.0/16"} for i in range(5)])
    async with _client(cloud, page_size=2) as client:
        vpcs = await client.list_vpcs()
    assert [v.id for v in vpcs] == [f"vpc-{i}" for i in range(5)]
    markers = [dict(httpx.QueryParams(r.url.query)).get("marker") for r in cloud.calls]
    assert markers == [None, "vpc-1", "vpc-3"]


async def test_an_exactly_full_last_page_ends_with_an_empty_page() -> None:
    cloud = FakeCloud(security_groups=[{"id": f"sg-{i}", "name": "g"} for i in range(4)])
    async with _client(cloud, page_size=2) as client:
        groups = await client.list_security_groups()
    assert len(groups) == 4
    assert len(cloud.calls) == 3


async def test_subnets_of_one_vpc() -> None:
    cloud = FakeCloud(
        subnets=[{"id": f"sn-{i}", "name": "s", "vpc_id": "vpc-a" if i % 2 else "vpc-b"} for i in range(7)]
    )
    async with _client(cloud, page_size=2) as client:
        only_a = await client.list_subnets("vpc-a")
        every = await client.list_subnets()
    assert {s.id for s in only_a} == {"sn-1", "sn-3", "sn-5"}
    assert len(every) == 7
    assert all(dict(httpx.QueryParams(r.url.query)).get("vpc_id") == "vpc-a" for r in cloud.calls[:2])


async def test_only_unbound_ipv4_eips_are_offered_across_pages() -> None:
    eips = [
        {"id": "e1", "public_ip_address": "1.1.1.1", "status": "DOWN", "ip_version": 4},
        {"id": "e2", "public_ip_address": "1.1.1.2", "status": "ACTIVE", "ip_version": 4, "port_id": "p"},
        {"id": "e3", "public_ip_address": "::1", "status": "DOWN", "ip_version": 6},
        {"id": "e4", "public_ip_address": "1.1.1.4", "status": "FREEZED", "ip_version": 4},
        {"id": "e5", "public_ip_address": "1.1.1.5", "status": "DOWN", "ip_version": 4, "bandwidth_size": 5},
        {"id": "e6", "public_ip_address": "1.1.1.6", "status": "ERROR", "ip_version": 4},
    ]
    cloud = FakeCloud(eips=eips)
    async with _client(cloud, page_size=2) as client:
        offered = await client.list_eips()
    assert [e.id for e in offered] == ["e1", "e5"]
    assert offered[1].bandwidth_size == 5
    # The marker is the last EIP of the raw page, not of the filtered one.
    assert dict(httpx.QueryParams(cloud.calls[1].url.query))["marker"] == "e2"


async def test_catalog_parses_string_properties_and_pages_of_products() -> None:
    products = [
        {
            "product_id": f"c6.{n}u{2 * n}g.cluster",
            "charging_mode": ["hourly"],
            "ios": [
                {"io_spec": HIGH_IO, "available_zones": ["az-1", "az-2"], "unavailable_zones": ["az-3"]},
                {"io_spec": ULTRA_HIGH_IO, "available_zones": ["az-1"], "unavailable_zones": []},
            ],
            "properties": {
                "max_broker": "10",
                "min_broker": "1",
                "step_length": "1",
                "max_storage_per_node": "60000",
                "min_storage_per_node": "300",
                "max_topic_per_broker": str(1000 * n),
                "max_consumer_per_broker": str(1000 * n),
                "max_tps_per_broker": "20000",
                "engine_versions": "4.8.0",
            },
        }
        for n in (4, 8, 12, 16)
    ] + [{"product_id": "rocketmq.b1.large.1", "properties": {"engine_versions": "5.x"}}]
    zones: list[dict[str, Any]] = [
        {"id": "az-1", "code": "cn-north-4a", "name": "AZ1", "soldOut": False, "default_az": True},
        {"id": "az-2", "code": "cn-north-4b", "name": "AZ2", "soldOut": True},
        {"id": "az-3", "code": "cn-north-4c", "name": "AZ3", "resource_availability": "false"},
    ]
    cloud = FakeCloud(products=products, zones=zones, product_page_cap=2)
    async with _client(cloud) as client:
        catalog = await client.load_catalog()
    assert catalog.live
    assert [f.id for f in catalog.flavors] == [
        "c6.4u8g.cluster",
        "c6.8u16g.cluster",
        "c6.12u24g.cluster",
        "c6.16u32g.cluster",
    ]
    flavor = catalog.flavor("c6.8u16g.cluster")
    assert flavor is not None
    assert (flavor.topics_per_broker, flavor.max_storage_per_broker, flavor.cpu_label) == (
        8000,
        60000,
        "8 vCPUs | 16 GB",
    )
    assert flavor.billing_modes == frozenset({"postPaid"}) and YEARLY_MONTHLY not in flavor.billing_modes
    assert flavor.sold_in(["az-1", "az-2"], HIGH_IO) and not flavor.sold_in(["az-3"], HIGH_IO)
    assert [(z.code, z.sold_out, z.default) for z in catalog.zones] == [
        ("cn-north-4a", False, True),
        ("cn-north-4b", True, False),
        ("cn-north-4c", True, False),
    ]
    assert [s.code for s in catalog.storage_types] == [HIGH_IO, ULTRA_HIGH_IO]
    product_calls = [r for r in cloud.calls if r.url.path.endswith("/products")]
    assert len(product_calls) == 3


async def test_enterprise_projects_are_empty_when_eps_is_forbidden() -> None:
    async with _client(FakeCloud(eps_status=403)) as client:
        assert await client.list_enterprise_projects() == []
    async with _client(FakeCloud()) as client:
        assert [p.name for p in await client.list_enterprise_projects()] == ["default"]


async def test_quota() -> None:
    cloud = FakeCloud(instances={"i": {"instance_id": "i", "name": "x", "status": "RUNNING"}})
    async with _client(cloud) as client:
        quota = await client.quota()
    assert (quota.quota, quota.used, quota.remaining) == (5, 1, 4)


async def test_missing_project_id_is_looked_up_once_through_iam() -> None:
    cloud = FakeCloud(vpcs=[{"id": "v", "name": "n"}])
    async with _client(cloud, project_id=None) as client:
        await asyncio.gather(client.list_vpcs(), client.list_security_groups(), client.list_eips())
        assert await client.project_id() == PROJECT
    lookups = [r for r in cloud.calls if r.url.path == "/v3/projects"]
    assert len(lookups) == 1
    assert lookups[0].url.host == "iam.cn-north-4.myhuaweicloud.com"
    assert dict(httpx.QueryParams(lookups[0].url.query)) == {"name": "cn-north-4"}
    assert all(r.headers.get("x-project-id") == PROJECT for r in cloud.calls[1:])


@pytest.mark.parametrize("projects", [[], [{"id": "a", "name": "cn-north-4"}, {"id": "b", "name": "cn-north-4"}]])
async def test_project_lookup_that_is_not_one_match_says_what_to_set(projects: list[dict[str, str]]) -> None:
    async with _client(FakeCloud(projects=projects), project_id=None) as client:
        with pytest.raises(WizardError, match="--project-id"):
            await client.list_vpcs()


# ---- create ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "path"),
    [("v1", f"/v1.0/{PROJECT}/instances"), ("v2", f"/v2/reliability/{PROJECT}/instances")],
)
async def test_create_posts_the_api_body_to_the_chosen_route(route: str, path: str) -> None:
    cloud = FakeCloud()
    request = _request()
    async with _client(cloud, api_route=route) as client:
        outcome = await client.create_instance(request)
    post = next(r for r in cloud.calls if r.method == "POST")
    assert post.url.path == path
    assert json.loads(post.content) == request.to_api_body()
    assert post.headers["authorization"].startswith("SDK-HMAC-SHA256 Access=AK, ")
    assert (outcome.instance_id, outcome.recovered) == ("inst-1", False)


async def test_refusal_is_an_api_error_pointing_at_the_field() -> None:
    cloud = FakeCloud(instances={"old": {"instance_id": "old", "name": "orders-mq", "status": "RUNNING"}})
    async with _client(cloud) as client:
        with pytest.raises(ApiError) as caught:
            await client.create_instance(_request())
    assert caught.value.code == "DMS.00400060"
    assert caught.value.hint is not None and caught.value.hint.field == "name"
    assert caught.value.request_id == "req-1"
    assert cloud.posts == 1


def _throttle_posts(times: int, retry_after: str | None = "1") -> Any:
    posts = 0

    def throttle(request: httpx.Request) -> httpx.Response | None:
        nonlocal posts
        if request.method == "POST" and posts < times:
            posts += 1
            headers = {"Retry-After": retry_after} if retry_after is not None else {}
            return httpx.Response(429, json={"error_code": "APIG.0308", "error_msg": "limit:1"}, headers=headers)
        return None

    return throttle


async def test_a_throttled_create_waits_the_retry_after_once_then_is_safe_to_retry() -> None:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    cloud = FakeCloud(override=_throttle_posts(times=5))
    async with _client(cloud, sleep=sleep) as client:
        with pytest.raises(NotCreated, match=r"throttled the create.*nothing was created\. It is safe to try again"):
            await client.create_instance(_request())
    assert [r.method for r in cloud.calls] == ["GET", "POST", "POST"]
    assert slept == [1.0] and cloud.instances == {}


async def test_a_create_throttled_once_goes_through_on_the_second_try() -> None:
    cloud = FakeCloud(override=_throttle_posts(times=1))
    async with _client(cloud) as client:
        outcome = await client.create_instance(_request())
    assert (outcome.instance_id, outcome.recovered, cloud.posts) == ("inst-1", False, 1)


async def test_a_create_throttled_for_longer_than_the_wizard_waits_is_safe_to_retry_at_once() -> None:
    cloud = FakeCloud(override=_throttle_posts(times=5, retry_after="3600"))
    async with _client(cloud) as client:
        with pytest.raises(NotCreated, match=r"safe to try again after 3600 s"):
            await client.create_instance(_request())
    assert [r.method for r in cloud.calls] == ["GET", "POST"]


@pytest.mark.parametrize("fault", ["timeout-after-commit", "reset-after-commit", "502-after-commit"])
async def test_ambiguous_failure_after_commit_is_recovered_by_name(fault: str) -> None:
    cloud = FakeCloud(create_faults=[fault])
    async with _client(cloud) as client:
        outcome = await client.create_instance(_request())
    assert outcome.recovered
    assert outcome.instance_id == "inst-1"
    assert cloud.posts == 1


@pytest.mark.parametrize("fault", ["timeout-before-commit", "503-before-commit", "reset-before-commit"])
async def test_an_ambiguous_failure_is_never_called_safe_to_retry(fault: str) -> None:
    """A timeout, a 5xx or a reset after sending proves nothing: the service may commit later (exit 3)."""
    cloud = FakeCloud(create_faults=[fault])
    async with _client(cloud, lookup_delays=(0.0, 0.0)) as client:
        with pytest.raises(OutcomeUnknown, match=r"2 times over \d+ s\) found no instance.*proves nothing"):
            await client.create_instance(_request())
    assert cloud.posts == 1
    assert cloud.instances == {}


async def test_a_body_that_could_not_be_written_out_was_never_delivered() -> None:
    def fail_the_write(request: httpx.Request) -> httpx.Response | None:
        if request.method == "POST":
            raise httpx.WriteError("broken pipe", request=request)
        return None

    cloud = FakeCloud(override=fail_the_write)
    async with _client(cloud) as client:
        with pytest.raises(NotCreated, match="Nothing was sent"):
            await client.create_instance(_request())


async def test_refused_connection_sends_nothing_and_needs_no_lookup() -> None:
    cloud = FakeCloud(create_faults=["connect-refused"])
    async with _client(cloud) as client:
        with pytest.raises(NotCreated, match="Nothing was sent"):
            await client.create_instance(_request())
    assert [r.method for r in cloud.calls] == ["GET", "POST"]


async def test_lookup_that_fails_leaves_the_outcome_unknown() -> None:
    cloud = FakeCloud(create_faults=["timeout-after-commit"])

    def break_lookups_after_the_post(request: httpx.Request) -> httpx.Response | None:
        if request.method == "GET" and cloud.posts:
            raise httpx.ConnectError("down", request=request)
        return None

    cloud.override = break_lookups_after_the_post
    async with _client(cloud, lookup_delays=(0.0, 0.0)) as client:
        with pytest.raises(OutcomeUnknown, match="may or may not exist"):
            await client.create_instance(_request())
    assert cloud.posts == 1


async def test_name_check_that_fails_sends_nothing() -> None:
    cloud = FakeCloud(list_fails=5)
    async with _client(cloud) as client:
        with pytest.raises(NotCreated, match="Nothing was sent"):
            await client.create_instance(_request())
    assert cloud.posts == 0


async def test_a_late_commit_is_found_by_a_later_lookup() -> None:
    cloud = FakeCloud(create_faults=["timeout-before-commit"])
    lookups_after_post = 0

    def commit_late(request: httpx.Request) -> httpx.Response | None:
        nonlocal lookups_after_post
        if request.method == "GET" and cloud.posts:
            lookups_after_post += 1
            if lookups_after_post == 2:
                cloud.instances["late"] = {"instance_id": "late", "name": "orders-mq", "status": "CREATING"}
        return None

    cloud.override = commit_late
    async with _client(cloud, lookup_delays=(0.0, 0.0, 0.0)) as client:
        outcome = await client.create_instance(_request())
    assert (outcome.instance_id, outcome.recovered) == ("late", True)


async def test_double_submit_sends_one_create() -> None:
    cloud = FakeCloud(latency=0.05)
    request = _request()
    async with _client(cloud) as client:
        outcomes = await asyncio.gather(*(client.create_instance(request) for _ in range(5)))
        again = await client.create_instance(_request())
    assert cloud.posts == 1
    assert {o.instance_id for o in [*outcomes, again]} == {"inst-1"}


async def test_a_cancelled_submitter_does_not_cancel_the_shared_create() -> None:
    cloud = FakeCloud(hold=asyncio.Event())
    async with _client(cloud) as client:
        first = asyncio.ensure_future(client.create_instance(_request()))
        while cloud.in_flight == 0:  # the create is on the wire, held there
            await asyncio.sleep(0.005)
        second = asyncio.ensure_future(client.create_instance(_request()))
        await asyncio.sleep(0)
        first.cancel()
        assert cloud.hold is not None
        cloud.hold.set()
        outcome = await second
    assert outcome.instance_id == "inst-1"
    assert cloud.posts == 1


async def test_retry_after_an_unknown_outcome_returns_the_instance_instead_of_creating() -> None:
    cloud = FakeCloud(create_faults=["timeout-after-commit"])

    def lookups_down_once(request: httpx.Request) -> httpx.Response | None:
        if request.method == "GET" and cloud.posts == 1 and not cloud.create_faults and not hasattr(cloud, "healed"):
            raise httpx.ConnectError("down", request=request)
        return None

    cloud.override = lookups_down_once
    async with _client(cloud) as client:
        with pytest.raises(OutcomeUnknown):
            await client.create_instance(_request())
        cloud.healed = True  # type: ignore[attr-defined]
        outcome = await client.create_instance(_request())
    assert (outcome.instance_id, outcome.recovered) == ("inst-1", True)
    assert cloud.posts == 1


@pytest.mark.parametrize("seed", range(60))
async def test_repeated_fault_trials_never_create_a_duplicate(seed: int) -> None:
    """A user who retries after every failure ends with one instance and its ID, whatever the faults.

    The fake cloud here accepts duplicate names, so only the client's own rules prevent a second create.
    """
    rng = random.Random(seed)
    cloud = FakeCloud(create_faults=[rng.choice(list(FAULTS)) for _ in range(6)], unique_names=False)

    def flaky_lookups(request: httpx.Request) -> httpx.Response | None:
        if request.method == "GET" and rng.random() < 0.3:
            raise httpx.ConnectError("flaky", request=request)
        return None

    cloud.override = flaky_lookups
    outcome = None
    last_error: Exception | None = None
    async with _client(cloud, rng=random.Random(seed), lookup_delays=(0.0, 0.0)) as client:
        for _ in range(10):
            try:
                outcome = await client.create_instance(_request())
                break
            except (NotCreated, OutcomeUnknown) as exc:
                last_error = exc
    named = [i["instance_id"] for i in cloud.instances.values() if i["name"] == "orders-mq"]
    assert len(named) <= 1, f"duplicates after faults {cloud.calls}"
    if outcome is not None:
        assert named == [outcome.instance_id]
    elif named:
        assert isinstance(last_error, OutcomeUnknown), "an instance exists but the user was told it did not"


# ---- follow ----------------------------------------------------------------------------------------


async def _collect(client: CloudClient, instance_id: str, **kwargs: Any) -> list[str]:
    return [change.instance.status async for change in client.follow(instance_id, **kwargs)]


async def test_follow_reports_each_change_until_running() -> None:
    cloud = FakeCloud(
        instances={"i": {"instance_id": "i", "name": "n", "status": "CREATING"}},
        status_script=["CREATING", "CREATING", "CREATING", "RUNNING", "RUNNING"],
    )
    async with _client(cloud) as client:
        assert await _collect(client, "i", poll=0.0) == ["CREATING", "RUNNING"]
    assert len([r for r in cloud.calls if r.url.path.endswith("/instances/i")]) == 4


async def test_follow_ends_on_failure() -> None:
    cloud = FakeCloud(
        instances={"i": {"instance_id": "i", "name": "n", "status": "CREATING"}},
        status_script=["CREATING", "CREATEFAILED"],
    )
    async with _client(cloud) as client:
        changes = [c async for c in client.follow("i", poll=0.0)]
    assert [c.instance.status for c in changes] == ["CREATING", "CREATEFAILED"]
    assert changes[-1].finished


async def test_follow_times_out_with_advice() -> None:
    cloud = FakeCloud(instances={"i": {"instance_id": "i", "name": "n", "status": "CREATING"}})
    now = 0.0

    def clock() -> float:
        return now

    async def sleep(seconds: float) -> None:
        nonlocal now
        now += seconds

    client = CloudClient(settings(), cloud.transport(), retry=FAST_RETRY, sleep=sleep, clock=clock)
    async with client:
        with pytest.raises(WizardError, match="still CREATING after 60 s"):
            await _collect(client, "i", timeout=60)
    polls = len(cloud.calls)
    # Quick checks first (1, 2, 3, 5 s), then about every 8 s: 60 s takes about a dozen checks, not hundreds.
    assert 8 <= polls <= 14


async def test_follow_waits_for_an_instance_not_yet_visible() -> None:
    cloud = FakeCloud()
    shows = 0

    def appear_on_third_show(request: httpx.Request) -> httpx.Response | None:
        nonlocal shows
        if request.url.path.endswith("/instances/i"):
            shows += 1
            if shows == 3:
                cloud.instances["i"] = {"instance_id": "i", "name": "n", "status": "RUNNING"}
        return None

    cloud.override = appear_on_third_show
    async with _client(cloud) as client:
        assert await _collect(client, "i", poll=0.0) == ["RUNNING"]


async def test_follow_gives_up_after_repeated_network_failures() -> None:
    def down(request: httpx.Request) -> httpx.Response | None:
        raise httpx.ConnectError("down", request=request)

    async with _client(FakeCloud(override=down)) as client:
        with pytest.raises(NetworkError):
            await _collect(client, "i", poll=0.0)


async def test_a_commit_later_than_every_lookup_is_unknown_and_the_next_attempt_finds_it() -> None:
    """The server committed long after the answer was lost (14 s in the field): exit 3, then found, never sent twice."""
    cloud = FakeCloud(create_faults=["timeout-before-commit"])
    async with _client(cloud, lookup_delays=(0.0, 0.0)) as client:
        with pytest.raises(OutcomeUnknown):
            await client.create_instance(_request())
        cloud.instances["late"] = {"instance_id": "late", "name": "orders-mq", "status": "CREATING"}
        outcome = await client.create_instance(_request())
    assert (outcome.instance_id, outcome.recovered, cloud.posts) == ("late", True, 1)
