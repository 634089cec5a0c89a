"""The server enforces every rule of the request model, and what only a server can check, with vendor codes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from wizard.sandbox.server import RunningSandbox

Body = dict[str, Any]
Ids = dict[str, Any]


def _without(*keys: str) -> Callable[[Body, Ids], Body]:
    return lambda body, ids: {key: value for key, value in body.items() if key not in keys}


def _with(**changes: Any) -> Callable[[Body, Ids], Body]:
    return lambda body, ids: {**body, **changes}


def _zones(*codes: str) -> Callable[[Body, Ids], Body]:
    return lambda body, ids: {**body, "available_zones": [ids["zones"].get(code, code) for code in codes]}


def _sold_out_flavor(body: Body, ids: Ids) -> Body:
    zones = [ids["zones"][code] for code in ("sandbox-1b", "sandbox-1c", "sandbox-1d")]
    return {**body, "product_id": "c6.16u32g.cluster", "available_zones": zones}


def _subnet_of_other_vpc(body: Body, ids: Ids) -> Body:
    return {**body, "subnet_id": ids["subnets"]["subnet-staging-a"]}


def _group_of_other_vpc(body: Body, ids: Ids) -> Body:
    return {**body, "security_group_id": ids["groups"]["sg-staging"]}


def _bound_eip(body: Body, ids: Ids) -> Body:
    return {**body, "publicip_id": ",".join([*ids["free_eips"][:2], ids["bound_eips"][0]])}


def _unknown_eip(body: Body, ids: Ids) -> Body:
    return {**body, "publicip_id": ",".join([*ids["free_eips"][:2], "00000000-0000-4000-8000-000000000000"])}


CASES: list[tuple[str, Callable[[Body, Ids], Body], str, str]] = [
    ("name too short", _with(name="abc"), "DMS.00400010", "4-64"),
    ("name starts with a digit", _with(name="1orders"), "DMS.00400010", "start with a letter"),
    ("name with a dot", _with(name="orders.prod"), "DMS.00400010", "only letters"),
    ("description too long", _with(description="x" * 1025), "DMS.00400011", "1024"),
    ("unknown flavor", _with(product_id="c6.99u99g.cluster"), "DMS.00400009", "c6.99u99g.cluster"),
    ("vpc_id blank", _with(vpc_id=" "), "DMS.00400013", "vpc_id"),
    ("vpc_id missing", _without("vpc_id"), "DMS.00400013", "vpc_id"),
    ("unknown AZ ID", _zones("sandbox-1a", "sandbox-1b", "0123456789abcdef0123456789abcdef"), "DMS.00400042", ""),
    ("AZ code instead of ID", _zones("sandbox-1a", "sandbox-1b", "cn-north-4a"), "DMS.00400042", ""),
    ("flavor sold out in an AZ", _sold_out_flavor, "DMS.00400055", "c6.16u32g.cluster"),
    ("two AZs", _zones("sandbox-1a", "sandbox-1b"), "DMS.00400800", "never 2"),
    ("engine not reliability", _with(engine="kafka"), "DMS.00400007", "engine"),
    ("engine version 5.x", _with(engine_version="5.x"), "DMS.00400008", "4.8.0"),
    ("storage below 300 GB per broker", _with(storage_space=200), "DMS.00400800", "300"),
    ("storage as a string", _with(storage_space="300"), "DMS.00400800", "whole number"),
    ("too many brokers", _with(broker_num=11, storage_space=3300), "DMS.00400800", "broker_num"),
    ("two EIPs for one broker", _with(publicip_id="a,b"), "DMS.00400800", "exactly 3"),
    ("EIPs without public access", _with(enable_publicip=False), "DMS.00400800", "publicip_id"),
    ("unknown disk type", _with(storage_spec_code="dms.physical.storage.normal"), "DMS.00400800", "disk type"),
    ("unknown key", _with(brokers_num=1), "DMS.00400800", "did you mean broker_num"),
    ("prePaid without a period", _with(bss_param={"charging_mode": "prePaid"}), "DMS.00400800", "period"),
    ("unknown VPC", _with(vpc_id="no-such-vpc"), "DMS.00400800", "does not exist"),
    ("subnet of another VPC", _subnet_of_other_vpc, "DMS.00400800", "not a subnet of VPC"),
    ("unknown subnet", _with(subnet_id="no-such-subnet"), "DMS.00400800", "does not exist"),
    ("security group of another VPC", _group_of_other_vpc, "DMS.00400800", "another VPC"),
    ("unknown security group", _with(security_group_id="no-such-group"), "DMS.00400800", "does not exist"),
    ("a bound EIP", _bound_eip, "DMS.00400800", "already bound"),
    ("an unknown EIP", _unknown_eip, "DMS.00400800", "does not exist"),
    ("unknown enterprise project", _with(enterprise_project_id="no-such-project"), "DMS.00400800", "enterprise"),
]


@pytest.mark.parametrize(("case", "change", "code", "words"), CASES, ids=[case[0] for case in CASES])
def test_a_broken_rule_is_refused_with_the_vendor_code_and_nothing_is_created(
    api: httpx.Client,
    sandbox: RunningSandbox,
    body: Body,
    ids: Ids,
    case: str,
    change: Callable[[Body, Ids], Body],
    code: str,
    words: str,
) -> None:
    changed = change(body, ids)
    # The v1 route has no bss_param at all (test_routes.py): billing rules are the v2 route's.
    routes = [f"/v2/reliability/{sandbox.project_id}/instances"]
    if "bss_param" not in changed:
        routes.append(f"/v1.0/{sandbox.project_id}/instances")
    for route in routes:
        response = api.post(route, json=changed)
        assert response.status_code == 400, (case, response.text)
        data = response.json()
        assert set(data) == {"error_code", "error_msg"}
        assert data["error_code"] == code, (case, data)
        assert words in data["error_msg"], (case, data)
    assert sandbox.state.committed_creates == 0
    assert sandbox.state.quota_used() == 1


def test_the_valid_body_itself_is_accepted(api: httpx.Client, sandbox: RunningSandbox, body: Body) -> None:
    response = api.post(f"/v1.0/{sandbox.project_id}/instances", json=body)
    assert response.status_code == 200, response.text


def test_an_empty_body_is_00400004(api: httpx.Client, sandbox: RunningSandbox) -> None:
    response = api.post(
        f"/v1.0/{sandbox.project_id}/instances", content=b"", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error_code"] == "DMS.00400004"


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe", b'"just a string"'])
def test_a_body_that_is_not_a_json_object_is_00400005(
    api: httpx.Client, sandbox: RunningSandbox, content: bytes
) -> None:
    response = api.post(
        f"/v2/reliability/{sandbox.project_id}/instances", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error_code"] == "DMS.00400005"


def test_a_taken_name_is_00400060(api: httpx.Client, sandbox: RunningSandbox, body: Body) -> None:
    plain = {key: value for key, value in body.items() if key not in ("enable_publicip", "publicip_id")}
    response = api.post(f"/v1.0/{sandbox.project_id}/instances", json={**plain, "name": "rocketmq-orders"})
    assert response.status_code == 400
    assert response.json()["error_code"] == "DMS.00400060"
    assert "rocketmq-orders" in response.json()["error_msg"]


def test_a_used_up_quota_is_00400039(api: httpx.Client, sandbox: RunningSandbox, body: Body) -> None:
    plain = {key: value for key, value in body.items() if key not in ("enable_publicip", "publicip_id")}
    sandbox.state.set_instance_quota(2)
    assert api.post(f"/v1.0/{sandbox.project_id}/instances", json={**plain, "name": "fits-quota"}).status_code == 200
    response = api.post(f"/v1.0/{sandbox.project_id}/instances", json={**plain, "name": "over-quota"})
    assert response.status_code == 400
    assert response.json()["error_code"] == "DMS.00400039"


def test_an_unknown_engine_in_the_path_is_00400007(api: httpx.Client, sandbox: RunningSandbox, body: Body) -> None:
    response = api.post(f"/v2/kafka/{sandbox.project_id}/instances", json=body)
    assert response.status_code == 400
    assert response.json()["error_code"] == "DMS.00400007"


def test_vendor_fields_the_wizard_does_not_offer_are_accepted(
    api: httpx.Client, sandbox: RunningSandbox, body: Body
) -> None:
    extra = {"arch_type": "X86", "tls_mode": "PLAINTEXT", "proxy_enable": False, "disk_encrypted_enable": False}
    response = api.post(f"/v2/reliability/{sandbox.project_id}/instances", json={**body, **extra})
    assert response.status_code == 200, response.text
    detail = api.get(f"/v2/{sandbox.project_id}/instances/{response.json()['instance_id']}").json()
    assert (detail["arch_type"], detail["tls_mode"]) == ("X86", "PLAINTEXT")


def test_prepaid_billing_is_accepted_on_the_v2_route_and_shown_as_charging_mode_0(
    api: httpx.Client, sandbox: RunningSandbox, body: Body
) -> None:
    plain = {key: value for key, value in body.items() if key not in ("enable_publicip", "publicip_id")}
    bss = {"charging_mode": "prePaid", "period_type": "month", "period_num": 3, "is_auto_pay": True}
    response = api.post(f"/v2/reliability/{sandbox.project_id}/instances", json={**plain, "bss_param": bss})
    assert response.status_code == 200, response.text
    detail = api.get(f"/v2/{sandbox.project_id}/instances/{response.json()['instance_id']}").json()
    assert detail["charging_mode"] == 0


def test_the_same_flavor_is_sold_in_the_other_azs(api: httpx.Client, sandbox: RunningSandbox, body: Body) -> None:
    plain = {key: value for key, value in body.items() if key not in ("enable_publicip", "publicip_id")}
    response = api.post(f"/v1.0/{sandbox.project_id}/instances", json={**plain, "product_id": "c6.16u32g.cluster"})
    assert response.status_code == 200, response.text
