"""The sandbox's create routes follow the SDK's models: which body each takes, and what each refuses."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from wizard.sandbox.server import RunningSandbox

Body = dict[str, Any]
PREPAID = {"charging_mode": "prePaid", "period_type": "month", "period_num": 1, "is_auto_pay": True}


@pytest.fixture
def plain_body(body: Body) -> Body:
    return {key: value for key, value in body.items() if key not in ("enable_publicip", "publicip_id")}


@pytest.mark.parametrize("route", ["/v1.0/{pid}/instances", "/v2/{pid}/instances"])
@pytest.mark.parametrize("mode", ["prePaid", "postPaid"])
def test_the_post_paid_routes_have_no_bss_param(
    api: httpx.Client, sandbox: RunningSandbox, plain_body: Body, route: str, mode: str
) -> None:
    bss = PREPAID if mode == "prePaid" else {"charging_mode": "postPaid"}
    response = api.post(route.format(pid=sandbox.project_id), json={**plain_body, "bss_param": bss})
    assert response.status_code == 400
    assert response.json()["error_code"] == "DMS.00400800"
    assert "bss_param is not a parameter" in response.json()["error_msg"]
    assert sandbox.state.committed_creates == 0


@pytest.mark.parametrize("missing", ["engine", "engine_version"])
@pytest.mark.parametrize("route", ["/v2/reliability/{pid}/instances", "/v2/{pid}/instances"])
def test_the_sdks_routes_require_engine_and_engine_version(
    api: httpx.Client, sandbox: RunningSandbox, plain_body: Body, missing: str, route: str
) -> None:
    body = {key: value for key, value in plain_body.items() if key != missing}
    response = api.post(route.format(pid=sandbox.project_id), json=body)
    assert response.status_code == 400
    expected = {"error_code": "DMS.00400800", "error_msg": f"Invalid request parameter. {missing} is required."}
    assert response.json() == expected
    # The v1 page marks no body field mandatory: the documented only value is taken.
    assert api.post(f"/v1.0/{sandbox.project_id}/instances", json=body).status_code == 200


def test_the_rocketmq_route_is_not_read_as_a_project_id(
    api: httpx.Client, sandbox: RunningSandbox, plain_body: Body
) -> None:
    response = api.post(f"/v2/{sandbox.project_id}/rocketmq/instances", json=plain_body)
    assert response.status_code == 400
    data = response.json()
    assert data["error_code"] == "DMS.00400008" and "5.x" in data["error_msg"]
    assert "not yours" not in data["error_msg"]


def test_the_by_engine_route_takes_a_prepaid_order(
    api: httpx.Client, sandbox: RunningSandbox, plain_body: Body
) -> None:
    response = api.post(f"/v2/rocketmq/{sandbox.project_id}/instances", json={**plain_body, "bss_param": PREPAID})
    assert response.status_code == 200, response.text
