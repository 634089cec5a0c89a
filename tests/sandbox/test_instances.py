"""Create, show, list and delete, and the lifecycle an instance goes through in the sandbox."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.sandbox.support import ManualClock
from wizard.sandbox.server import RunningSandbox


def _create(api: httpx.Client, project: str, body: dict[str, Any], route: str = "v1") -> str:
    path = f"/v1.0/{project}/instances" if route == "v1" else f"/v2/reliability/{project}/instances"
    response = api.post(path, json=body)
    assert response.status_code == 200, response.text
    instance_id = response.json()["instance_id"]
    assert list(response.json()) == ["instance_id"]
    return str(instance_id)


def _status(api: httpx.Client, sandbox: RunningSandbox, instance_id: str) -> str:
    return str(api.get(f"/v2/{sandbox.project_id}/instances/{instance_id}").json()["status"])


def _wait_for(api: httpx.Client, project: str, instance_id: str, status: str, timeout: float = 5) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        detail: dict[str, Any] = api.get(f"/v2/{project}/instances/{instance_id}").json()
        if detail["status"] == status or time.monotonic() > deadline:
            return detail
        time.sleep(0.05)


@pytest.mark.parametrize("route", ["v1", "v2"])
def test_create_on_either_route_then_creating_then_running(
    api: httpx.Client, sandbox: RunningSandbox, clock: ManualClock, body: dict[str, Any], route: str
) -> None:
    instance_id = _create(api, sandbox.project_id, body, route)
    first = api.get(f"/v2/{sandbox.project_id}/instances/{instance_id}").json()
    assert first["status"] == "CREATING"
    assert first["namesrv_address"] == ""
    clock.advance(0.49)
    assert _status(api, sandbox, instance_id) == "CREATING"
    clock.advance(0.01)
    detail = api.get(f"/v2/{sandbox.project_id}/instances/{instance_id}").json()
    assert detail["status"] == "RUNNING"
    assert detail["instance_id"] == instance_id
    assert detail["name"] == body["name"]
    assert detail["engine"] == "reliability"
    assert detail["product_id"] == body["product_id"]
    assert detail["broker_num"] == 1
    assert detail["storage_space"] == detail["total_storage_space"] == 300
    assert detail["vpc_name"] == "vpc-demo"
    assert detail["subnet_name"] == "subnet-app"
    assert detail["charging_mode"] == 1
    assert detail["namesrv_address"].endswith(":8100")
    assert detail["created_at"].isdigit()


def test_real_time_moves_an_instance_to_running_after_the_create_delay(
    api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]
) -> None:
    instance_id = _create(api, sandbox.project_id, body)
    assert _wait_for(api, sandbox.project_id, instance_id, "RUNNING")["status"] == "RUNNING"


def test_the_engine_alias_rocketmq_is_accepted_in_the_path_and_body(
    api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]
) -> None:
    response = api.post(f"/v2/rocketmq/{sandbox.project_id}/instances", json={**body, "engine": "rocketmq"})
    assert response.status_code == 200, response.text


def test_available_zones_come_back_in_another_order(
    api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]
) -> None:
    plain = {key: value for key, value in body.items() if key not in ("enable_publicip", "publicip_id")}
    for name, requested in (
        ("zones-sorted", sorted(body["available_zones"])),
        ("zones-reversed", sorted(body["available_zones"], reverse=True)),
    ):
        instance_id = _create(api, sandbox.project_id, {**plain, "name": name, "available_zones": requested})
        detail = api.get(f"/v2/{sandbox.project_id}/instances/{instance_id}").json()
        assert detail["available_zones"] != requested
        assert sorted(detail["available_zones"]) == sorted(requested)
        assert detail["available_zone_names"] == [
            {"sandbox-1a": "AZ1", "sandbox-1b": "AZ2", "sandbox-1c": "AZ3"}[code]
            for code in _codes(api, detail["available_zones"])
        ]


def _codes(api: httpx.Client, zone_ids: list[str]) -> list[str]:
    by_id = {z["id"]: z["code"] for z in api.get("/v2/available-zones").json()["available_zones"]}
    return [by_id[zone] for zone in zone_ids]


def test_eips_become_bound_and_are_refused_to_a_second_instance(
    api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]
) -> None:
    _create(api, sandbox.project_id, body)
    eips = {e["id"]: e for e in api.get(f"/v1/{sandbox.project_id}/publicips").json()["publicips"]}
    used = body["publicip_id"].split(",")
    assert all(eips[e]["status"] == "ACTIVE" and eips[e]["port_id"] for e in used)
    again = api.post(f"/v1.0/{sandbox.project_id}/instances", json={**body, "name": "second-one"})
    assert again.status_code == 400
    assert again.json()["error_code"] == "DMS.00400800"
    assert "already bound" in again.json()["error_msg"]


def test_the_quota_counts_a_new_instance(api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]) -> None:
    _create(api, sandbox.project_id, body)
    resources = api.get(f"/v2/{sandbox.project_id}/quotas").json()["quotas"]["resources"]
    assert next(r["used"] for r in resources if r["type"] == "rocketmqInstance") == 2


def test_a_name_starting_with_fail_ends_createfailed_and_frees_its_eips(
    api: httpx.Client, sandbox: RunningSandbox, clock: ManualClock, body: dict[str, Any]
) -> None:
    instance_id = _create(api, sandbox.project_id, {**body, "name": "fail-on-purpose"})
    assert _status(api, sandbox, instance_id) == "CREATING"
    clock.advance(0.5)
    assert _status(api, sandbox, instance_id) == "CREATEFAILED"
    assert sandbox.state.quota_used() == 2
    eips = {e["id"]: e["status"] for e in api.get(f"/v1/{sandbox.project_id}/publicips").json()["publicips"]}
    assert all(eips[e] == "DOWN" for e in body["publicip_id"].split(","))


def test_a_create_failed_fault_ends_the_next_create_createfailed(
    api: httpx.Client, sandbox: RunningSandbox, clock: ManualClock, body: dict[str, Any]
) -> None:
    sandbox.state.faults.add("create_failed", method="POST", path="*/instances")
    api.get(f"/v2/{sandbox.project_id}/instances", params={"engine": "reliability"})  # does not consume it
    failed = _create(api, sandbox.project_id, body)
    plain = {key: value for key, value in body.items() if key not in ("enable_publicip", "publicip_id")}
    fine = _create(api, sandbox.project_id, {**plain, "name": "after-fault"})
    clock.advance(0.5)
    assert _status(api, sandbox, failed) == "CREATEFAILED"
    assert _status(api, sandbox, fine) == "RUNNING"


def test_show_of_an_unknown_instance_is_404_with_the_vendor_code(api: httpx.Client, sandbox: RunningSandbox) -> None:
    response = api.get(f"/v2/{sandbox.project_id}/instances/8959ab1c-0000-0000-0000-93dfc361b32d")
    assert response.status_code == 404
    assert response.json()["error_code"] == "DMS.00404022"


def test_list_filters_by_exact_and_fuzzy_name(api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]) -> None:
    plain = {key: value for key, value in body.items() if key not in ("enable_publicip", "publicip_id")}
    _create(api, sandbox.project_id, {**plain, "name": "orders-a"})
    _create(api, sandbox.project_id, {**plain, "name": "orders-ab"})
    path = f"/v2/{sandbox.project_id}/instances"
    exact = api.get(path, params={"engine": "reliability", "name": "orders-a", "exact_match_name": "true"}).json()
    fuzzy = api.get(path, params={"engine": "reliability", "name": "orders-a"}).json()
    assert [i["name"] for i in exact["instances"]] == ["orders-a"]
    assert exact["instance_num"] == 1
    assert sorted(i["name"] for i in fuzzy["instances"]) == ["orders-a", "orders-ab"]


def test_list_pages_with_offset_and_limit_newest_first(
    api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]
) -> None:
    sandbox.state.set_instance_quota(20)
    plain = {key: value for key, value in body.items() if key not in ("enable_publicip", "publicip_id")}
    for n in range(4):
        _create(api, sandbox.project_id, {**plain, "name": f"paged-{n}"})
    path = f"/v2/{sandbox.project_id}/instances"
    names: list[str] = []
    for offset in (0, 2, 4):
        page = api.get(path, params={"engine": "reliability", "limit": 2, "offset": offset}).json()
        assert page["instance_num"] == 5
        names += [i["name"] for i in page["instances"]]
    assert names == ["paged-3", "paged-2", "paged-1", "paged-0", "rocketmq-orders"]


def test_list_filters_by_status(
    api: httpx.Client, sandbox: RunningSandbox, clock: ManualClock, body: dict[str, Any]
) -> None:
    _create(api, sandbox.project_id, body)
    path = f"/v2/{sandbox.project_id}/instances"
    creating = api.get(path, params={"engine": "reliability", "status": "CREATING"}).json()["instances"]
    running = api.get(path, params={"engine": "reliability", "status": "RUNNING"}).json()["instances"]
    assert [i["name"] for i in creating] == [body["name"]]
    assert [i["name"] for i in running] == ["rocketmq-orders"]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "DMS.00400800"),
        ({"engine": "kafka"}, "DMS.00400007"),
        ({"engine": "reliability", "limit": "0"}, "DMS.00400800"),
        ({"engine": "reliability", "limit": "51"}, "DMS.00400800"),
        ({"engine": "reliability", "offset": "-1"}, "DMS.00400800"),
        ({"engine": "reliability", "limit": "ten"}, "DMS.00400800"),
        ({"engine": "reliability", "exact_match_name": "yes"}, "DMS.00400800"),
    ],
)
def test_list_refuses_bad_query_parameters(
    api: httpx.Client, sandbox: RunningSandbox, params: dict[str, str], code: str
) -> None:
    response = api.get(f"/v2/{sandbox.project_id}/instances", params=params)
    assert response.status_code == 400
    assert response.json()["error_code"] == code


def test_delete_goes_deleting_then_gone_and_frees_quota_and_eips(
    api: httpx.Client, sandbox: RunningSandbox, clock: ManualClock, body: dict[str, Any]
) -> None:
    instance_id = _create(api, sandbox.project_id, body)
    path = f"/v2/{sandbox.project_id}/instances/{instance_id}"
    refused = api.delete(path)
    assert refused.status_code == 400
    assert refused.json()["error_code"] == "DMS.00400026"  # still CREATING
    clock.advance(0.5)
    response = api.delete(path)
    assert response.status_code == 204
    assert response.content == b""
    assert api.get(path).json()["status"] == "DELETING"
    assert api.delete(path).json()["error_code"] == "DMS.00400026"
    clock.advance(sandbox.state.delete_delay)
    assert api.get(path).status_code == 404
    assert sandbox.state.quota_used() == 1
    eips = {e["id"]: e["status"] for e in api.get(f"/v1/{sandbox.project_id}/publicips").json()["publicips"]}
    assert all(eips[e] == "DOWN" for e in body["publicip_id"].split(","))
    assert api.delete(path).status_code == 404


def test_a_failed_instance_can_be_deleted(
    api: httpx.Client, sandbox: RunningSandbox, clock: ManualClock, body: dict[str, Any]
) -> None:
    instance_id = _create(api, sandbox.project_id, {**body, "name": "fail-then-delete"})
    clock.advance(0.5)
    assert api.delete(f"/v2/{sandbox.project_id}/instances/{instance_id}").status_code == 204


def test_the_post_paid_route_creates_too(api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]) -> None:
    response = api.post(f"/v2/{sandbox.project_id}/instances", json=body)
    assert response.status_code == 200, response.text
    assert len(sandbox.state.instances_named(body["name"])) == 1
