"""Every read path of the sandbox answers in the vendor's shape, with the vendor's pagination."""

from __future__ import annotations

import httpx
import pytest

from wizard.sandbox import SANDBOX_REGION
from wizard.sandbox.server import RunningSandbox


def test_available_zones_list_four_azs_with_the_camel_case_sold_out_key(api: httpx.Client) -> None:
    response = api.get("/v2/available-zones")
    assert response.status_code == 200
    data = response.json()
    assert data["region_id"] == SANDBOX_REGION
    zones = data["available_zones"]
    assert [zone["code"] for zone in zones] == ["sandbox-1a", "sandbox-1b", "sandbox-1c", "sandbox-1d"]
    for zone in zones:
        assert len(zone["id"]) == 32
        assert int(zone["id"], 16) >= 0
        assert zone["soldOut"] is False
        assert "sold_out" not in zone
        assert zone["resource_availability"] == "true"
    assert [zone["default_az"] for zone in zones] == [True, False, False, False]


def test_products_have_string_properties_and_one_flavor_sold_out_in_one_az(api: httpx.Client) -> None:
    zones = {z["code"]: z["id"] for z in api.get("/v2/available-zones").json()["available_zones"]}
    data = api.get("/v2/reliability/products").json()
    assert data["engine"] == "reliability"
    assert data["versions"] == ["4.8.0"]
    assert data["total"] == 5
    products = {p["product_id"]: p for p in data["products"]}
    assert set(products) == {
        "c6.4u8g.cluster.small",
        "c6.4u8g.cluster",
        "c6.8u16g.cluster",
        "c6.12u24g.cluster",
        "c6.16u32g.cluster",
    }
    for product in products.values():
        assert all(isinstance(value, str) for value in product["properties"].values())
        assert product["properties"]["min_storage_per_node"] == "300"
        assert {io["io_spec"] for io in product["ios"]} == {
            "dms.physical.storage.high.v2",
            "dms.physical.storage.ultra.v2",
        }
    sold_out = {
        (product_id, zone)
        for product_id, product in products.items()
        for io in product["ios"]
        for zone in io["unavailable_zones"]
    }
    assert sold_out == {("c6.16u32g.cluster", zones["sandbox-1d"])}


def test_products_paginate_with_offset_and_limit(api: httpx.Client) -> None:
    first = api.get("/v2/rocketmq/products", params={"limit": 2}).json()
    second = api.get("/v2/rocketmq/products", params={"limit": 2, "offset": 2}).json()
    last = api.get("/v2/rocketmq/products", params={"limit": 2, "offset": 4}).json()
    pages = [p["product_id"] for page in (first, second, last) for p in page["products"]]
    assert len(pages) == 5 == len(set(pages))
    assert (first["next_offset"], second["next_offset"], last["next_offset"]) == (2, 4, 5)


def test_products_of_an_unknown_engine_are_refused(api: httpx.Client) -> None:
    response = api.get("/v2/kafka/products")
    assert response.status_code == 400
    assert response.json()["error_code"] == "DMS.00400007"


def test_vpcs_subnets_and_security_groups_of_the_demo_tenant(api: httpx.Client, sandbox: RunningSandbox) -> None:
    project = sandbox.project_id
    vpcs = api.get(f"/v1/{project}/vpcs").json()["vpcs"]
    assert [(v["name"], v["cidr"]) for v in vpcs] == [("vpc-demo", "192.168.0.0/16"), ("vpc-staging", "10.0.0.0/16")]
    subnets = api.get(f"/v1/{project}/subnets", params={"vpc_id": vpcs[0]["id"]}).json()["subnets"]
    assert [s["name"] for s in subnets] == ["subnet-app", "subnet-data"]
    assert all(s["vpc_id"] == vpcs[0]["id"] for s in subnets)
    groups = api.get(f"/v1/{project}/security-groups").json()["security_groups"]
    assert [g["name"] for g in groups] == ["default", "sg-rocketmq", "sg-staging"]


@pytest.mark.parametrize("path", ["vpcs", "subnets", "security-groups", "publicips"])
def test_network_lists_page_with_marker_and_limit_until_a_short_page(
    api: httpx.Client, sandbox: RunningSandbox, path: str
) -> None:
    key = path.replace("-", "_")
    everything = api.get(f"/v1/{sandbox.project_id}/{path}").json()[key]
    seen: list[str] = []
    marker: str | None = None
    while True:
        params = {"limit": 1, **({"marker": marker} if marker else {})}
        page = api.get(f"/v1/{sandbox.project_id}/{path}", params=params).json()[key]
        seen += [item["id"] for item in page]
        if len(page) < 1:
            break
        marker = page[-1]["id"]
    assert seen == [item["id"] for item in everything]


def test_an_unknown_marker_is_refused(api: httpx.Client, sandbox: RunningSandbox) -> None:
    response = api.get(f"/v1/{sandbox.project_id}/vpcs", params={"marker": "no-such-vpc"})
    assert response.status_code == 400
    assert response.json()["error_code"] == "VPC.0002"


def test_eips_six_unbound_and_one_bound(api: httpx.Client, sandbox: RunningSandbox) -> None:
    eips = api.get(f"/v1/{sandbox.project_id}/publicips").json()["publicips"]
    assert sorted(e["status"] for e in eips) == ["ACTIVE"] + ["DOWN"] * 6
    bound = next(e for e in eips if e["status"] == "ACTIVE")
    assert bound["port_id"]
    assert all("port_id" not in e for e in eips if e["status"] == "DOWN")
    assert all(e["ip_version"] == 4 for e in eips)


def test_iam_finds_the_project_by_region_name(api: httpx.Client, sandbox: RunningSandbox) -> None:
    found = api.get("/v3/projects", params={"name": SANDBOX_REGION}).json()["projects"]
    assert [(p["id"], p["name"]) for p in found] == [(sandbox.project_id, SANDBOX_REGION)]
    assert api.get("/v3/projects", params={"name": "cn-north-4"}).json()["projects"] == []


def test_enterprise_projects_in_the_eps_shape(api: httpx.Client) -> None:
    data = api.get("/v1.0/enterprise-projects").json()
    assert data["total_count"] == 2
    assert [p["name"] for p in data["enterprise_projects"]] == ["default", "production"]
    assert all({"id", "name", "status"} <= set(p) for p in data["enterprise_projects"])
    one = api.get("/v1.0/enterprise-projects", params={"limit": 1, "offset": 1}).json()
    assert [p["name"] for p in one["enterprise_projects"]] == ["production"]
    assert one["total_count"] == 2


def test_quotas_count_the_existing_instance(api: httpx.Client, sandbox: RunningSandbox) -> None:
    resources = api.get(f"/v2/{sandbox.project_id}/quotas").json()["quotas"]["resources"]
    rocketmq = next(r for r in resources if r["type"] == "rocketmqInstance")
    assert (rocketmq["quota"], rocketmq["used"]) == (5, 1)


def test_every_answer_carries_a_request_id(api: httpx.Client, sandbox: RunningSandbox) -> None:
    ok = api.get("/v2/available-zones")
    missing = api.get(f"/v2/{sandbox.project_id}/instances/no-such-instance")
    assert ok.headers["X-Request-Id"]
    assert missing.headers["X-Request-Id"]
    assert ok.headers["X-Request-Id"] != missing.headers["X-Request-Id"]


def test_an_unknown_path_gets_the_gateway_404(api: httpx.Client) -> None:
    response = api.get("/v2/nothing/here/at/all")
    assert response.status_code == 404
    assert response.json()["error_code"] == "APIG.0101"


def test_a_wrong_method_gets_the_gateway_404(api: httpx.Client) -> None:
    response = api.put("/v2/available-zones", json={})
    assert response.status_code == 404
    assert response.json()["error_code"] == "APIG.0101"


def test_another_project_id_in_the_path_is_refused(api: httpx.Client) -> None:
    response = api.get("/v2/0123456789abcdef0123456789abcdef/quotas")
    assert response.status_code == 400
    assert response.json()["error_code"] == "DMS.00400002"


def test_a_sandbox_bug_still_answers_in_the_vendor_shape(
    api: httpx.Client, sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> dict[str, object]:
        raise RuntimeError("a bug")

    monkeypatch.setattr(sandbox.state, "quotas_json", broken)
    response = api.get(f"/v2/{sandbox.project_id}/quotas")
    assert response.status_code == 500
    assert response.json()["error_code"] == "DMS.00500000"
