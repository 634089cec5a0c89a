"""Faults on demand: each does what it says, to the requests it targets, as many times as asked."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest

from wizard.sandbox import start_sandbox
from wizard.sandbox.faults import FaultPlan
from wizard.sandbox.server import RunningSandbox


def _plain_body(body: dict[str, Any], name: str) -> dict[str, Any]:
    return {**{k: v for k, v in body.items() if k not in ("enable_publicip", "publicip_id")}, "name": name}


def test_latency_delays_only_the_targeted_path(api: httpx.Client, sandbox: RunningSandbox) -> None:
    fault = sandbox.state.faults.add("latency", path="/v2/available-zones", delay=0.3, count=None)
    api.get("/v2/reliability/products")
    assert sandbox.state.faults.active()[0].fired == 0
    started = time.monotonic()
    assert api.get("/v2/available-zones").status_code == 200
    assert time.monotonic() - started >= 0.3
    assert sandbox.state.faults.active()[0].fired == 1
    assert sandbox.state.faults.active()[0].id == fault.id


def test_base_latency_applies_to_every_vendor_call(plain: httpx.Client) -> None:
    with start_sandbox(latency_ms=200) as running:
        started = time.monotonic()
        response = plain.get(f"{running.url}/v2/available-zones", headers={"X-Auth-Token": running.token})
        assert response.status_code == 200
        assert time.monotonic() - started >= 0.2


def test_429_carries_retry_after_and_the_gateway_throttling_code(api: httpx.Client, sandbox: RunningSandbox) -> None:
    sandbox.state.faults.add("status", status=429, retry_after=3, path="/v1/*/vpcs")
    response = api.get(f"/v1/{sandbox.project_id}/vpcs")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3"
    assert response.json()["error_code"] == "APIG.0308"
    assert response.headers["X-Request-Id"]
    assert api.get(f"/v1/{sandbox.project_id}/vpcs").status_code == 200  # count 1: it fired once


@pytest.mark.parametrize(
    ("status", "code"),
    [(500, "DMS.00500000"), (502, "APIG.0202"), (503, "APIG.0202"), (504, "APIG.0203")],
)
def test_server_errors_in_the_vendor_shape(api: httpx.Client, sandbox: RunningSandbox, status: int, code: str) -> None:
    sandbox.state.faults.add("status", status=status, count=2)
    first, second, third = (api.get("/v2/available-zones") for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (status, status, 200)
    assert first.json()["error_code"] == code
    assert "Retry-After" not in first.headers


def test_a_status_fault_on_create_creates_nothing(
    api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]
) -> None:
    sandbox.state.faults.add("status", status=503, method="POST", path="*/instances")
    response = api.post(f"/v1.0/{sandbox.project_id}/instances", json=body)
    assert response.status_code == 503
    assert sandbox.state.instances_named(body["name"]) == []


def test_faults_target_by_method(api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]) -> None:
    sandbox.state.faults.add("status", status=500, method="POST", path="*/instances")
    listed = api.get(f"/v2/{sandbox.project_id}/instances", params={"engine": "reliability"})
    assert listed.status_code == 200
    assert api.post(f"/v2/reliability/{sandbox.project_id}/instances", json=body).status_code == 500


def test_a_reset_fault_resets_the_connection_and_does_nothing(
    api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]
) -> None:
    sandbox.state.faults.add("reset", method="POST", path="*/instances")
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        api.post(f"/v1.0/{sandbox.project_id}/instances", json=body)
    assert sandbox.state.instances_named(body["name"]) == []
    assert api.post(f"/v1.0/{sandbox.project_id}/instances", json=body).status_code == 200


def test_a_timeout_fault_stalls_until_the_client_gives_up_and_does_nothing(
    api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]
) -> None:
    sandbox.state.faults.add("timeout", method="POST", path="*/instances")
    with pytest.raises(httpx.ReadTimeout):
        api.post(f"/v1.0/{sandbox.project_id}/instances", json=body, timeout=0.3)
    assert sandbox.state.instances_named(body["name"]) == []
    assert sandbox.state.committed_creates == 0


def test_a_timeout_after_commit_stores_the_instance_but_loses_the_answer(
    api: httpx.Client, sandbox: RunningSandbox, clock: object, body: dict[str, Any]
) -> None:
    sandbox.state.faults.add("timeout_after_commit", method="POST", path="*/instances")
    with pytest.raises(httpx.ReadTimeout):
        api.post(f"/v2/reliability/{sandbox.project_id}/instances", json=body, timeout=0.3)
    found = api.get(
        f"/v2/{sandbox.project_id}/instances",
        params={"engine": "reliability", "name": body["name"], "exact_match_name": "true"},
    ).json()
    assert [i["name"] for i in found["instances"]] == [body["name"]]
    assert found["instances"][0]["status"] == "CREATING"
    assert sandbox.state.committed_creates == 1


def test_a_timeout_after_commit_with_a_short_stall_resets_the_connection(
    api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]
) -> None:
    sandbox.state.faults.add("timeout_after_commit", method="POST", path="*/instances", delay=0.1)
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        api.post(f"/v1.0/{sandbox.project_id}/instances", json=body, timeout=5)
    assert len(sandbox.state.instances_named(body["name"])) == 1


def test_a_refused_create_under_timeout_after_commit_commits_nothing(
    api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]
) -> None:
    sandbox.state.faults.add("timeout_after_commit", method="POST", path="*/instances", delay=0.05)
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        api.post(f"/v1.0/{sandbox.project_id}/instances", json={**body, "name": "x"})
    assert sandbox.state.committed_creates == 0


def test_stopping_the_sandbox_ends_a_stalled_answer_at_once(plain: httpx.Client) -> None:
    running = start_sandbox()
    running.state.faults.add("timeout")
    started = time.monotonic()
    threading.Timer(0.2, running.stop).start()
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        plain.get(f"{running.url}/v2/available-zones", headers={"X-Auth-Token": running.token}, timeout=10)
    assert time.monotonic() - started < 3
    running.stop()
    assert not running.running


def test_faults_over_http_add_list_and_clear(api: httpx.Client, plain: httpx.Client, sandbox: RunningSandbox) -> None:
    control = f"{sandbox.url}/_sandbox/faults"
    added = plain.post(control, json={"kind": "status", "status": 502, "path": "/v2/available-zones", "count": 3})
    assert added.status_code == 201
    assert added.json()["kind"] == "status"
    listed = plain.get(control).json()["faults"]
    assert [(f["kind"], f["status"], f["count"]) for f in listed] == [("status", 502, 3)]
    assert api.get("/v2/available-zones").status_code == 502
    assert plain.get(control).json()["faults"][0]["count"] == 2
    assert plain.delete(control).status_code == 204
    assert plain.get(control).json()["faults"] == []
    assert api.get("/v2/available-zones").status_code == 200


@pytest.mark.parametrize(
    "payload",
    [
        {"kind": "meteor"},
        {"kind": "status", "status": 418},
        {"kind": "latency", "delay": -1},
        {"kind": "status", "count": 0},
        {"kind": "status", "colour": "red"},
        {"status": 503},
        {"kind": "status", "count": "2"},
        [],
    ],
)
def test_malformed_faults_over_http_are_refused_with_a_reason(
    plain: httpx.Client, sandbox: RunningSandbox, payload: object
) -> None:
    response = plain.post(f"{sandbox.url}/_sandbox/faults", json=payload)
    assert response.status_code == 400
    assert response.json()["error"]
    assert sandbox.state.faults.active() == []


def test_a_fault_without_a_count_fires_until_cleared() -> None:
    plan = FaultPlan()
    plan.add("status", status=500, count=None)
    assert all(plan.for_request("GET", "/x").decisive is not None for _ in range(20))
    plan.clear()
    assert plan.for_request("GET", "/x").decisive is None


def test_latency_faults_add_up_and_only_one_decisive_fault_fires_per_request() -> None:
    plan = FaultPlan()
    plan.add("latency", delay=0.1)
    plan.add("latency", delay=0.2)
    first = plan.add("status", status=500)
    plan.add("reset")
    decided = plan.for_request("GET", "/v2/available-zones")
    assert decided.latency == pytest.approx(0.3)
    assert decided.decisive == first
    assert [f.kind for f in plan.active()] == ["reset"]


def test_the_control_path_needs_no_signature_but_vendor_paths_do(plain: httpx.Client, sandbox: RunningSandbox) -> None:
    assert plain.get(f"{sandbox.url}/_sandbox/health").json()["status"] == "ok"
    assert plain.get(f"{sandbox.url}/v2/available-zones").status_code == 401
