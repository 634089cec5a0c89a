"""Contract tests of the sandbox's billing (BSS) APIs: the vendor's paths, bodies, answers and errors.

Signed as the vendor's GlobalCredentials sign: no X-Project-Id, the project ID in the body.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.sandbox.conftest import TLS
from wizard.sandbox.server import RunningSandbox
from wizard.signing import AkSkAuth

DMS = "hws.service.type.dms"
INTL = "/bss-intl"


@pytest.fixture
def bss(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """A client of the international site (where the demo account belongs), signed without a project."""
    auth = AkSkAuth(sandbox.ak, sandbox.sk)
    with httpx.Client(base_url=sandbox.url + INTL, auth=auth, timeout=5, verify=TLS) as client:
        yield client


def demand(spec: str, resource_type: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": spec,
        "cloud_service_type": DMS,
        "resource_type": resource_type,
        "resource_spec": spec,
        "region": "sandbox-1",
        "usage_factor": "Duration",
        "usage_value": 1,
        "usage_measure_id": 4,
        "subscription_num": 1,
        **extra,
    }


def test_service_resources_lists_the_dms_resource_types(bss: httpx.Client) -> None:
    answer = bss.get("/v2/products/service-resources", params={"service_type_code": DMS, "limit": 2})
    assert answer.status_code == 200
    data = answer.json()
    assert data["total_count"] == 3
    assert len(data["infos"]) == 2
    assert set(data["infos"][0]["basic_info"]) == {"resource_type_code", "product_owner_service", "name", "description"}


def test_resource_specs_pages_with_a_marker(bss: httpx.Client) -> None:
    query = {
        "cloud_service_type": DMS,
        "resource_type": "hws.resource.type.dms.platinum",
        "region_code": "sandbox-1",
        "charge_mode": "3",
        "limit": 3,
    }
    first = bss.post("/v2/products/resource-specs-query", json=query).json()
    assert len(first["cloud_service_basics"]) == 3
    second = bss.post("/v2/products/resource-specs-query", json={**query, "marker": first["page_info"]["next_marker"]})
    rest = second.json()
    assert rest["page_info"]["next_marker"] is None
    specs = [b["resource_spec"] for b in first["cloud_service_basics"] + rest["cloud_service_basics"]]
    assert "dms.platinum.c6.4u8g.cluster" in specs and len(specs) == 5


def test_on_demand_rating_answers_per_product_and_in_total(bss: httpx.Client, sandbox: RunningSandbox) -> None:
    products = [
        demand("dms.platinum.c6.8u16g.cluster", "hws.resource.type.dms.platinum", subscription_num=2),
        demand(
            "dms.physical.storage.ultra.v2", "hws.resource.type.dms.storage", resource_size=1000, size_measure_id=17
        ),
    ]
    answer = bss.post(
        "/v2/bills/ratings/on-demand-resources", json={"project_id": sandbox.project_id, "product_infos": products}
    )
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert data["currency"] == "USD"
    assert data["official_website_amount"] == pytest.approx(3.5)  # 1.6 × 2 + 0.0003 × 1000
    assert [r["id"] for r in data["product_rating_results"]] == [p["id"] for p in products]


def test_period_rating_answers_the_official_result(bss: httpx.Client, sandbox: RunningSandbox) -> None:
    product = {**demand("dms.platinum.c6.4u8g.cluster", "hws.resource.type.dms.platinum"), "period_type": 2}
    product |= {"period_num": 2}
    for key in ("usage_factor", "usage_value", "usage_measure_id"):
        product.pop(key)
    answer = bss.post(
        "/v2/bills/ratings/period-resources/subscribe-rate",
        json={"project_id": sandbox.project_id, "product_infos": [product]},
    )
    data = answer.json()
    assert data["official_website_rating_result"]["official_website_amount"] == 800
    assert data["optional_discount_rating_results"] == []


def test_the_wrong_site_answers_cbc_0150(sandbox: RunningSandbox) -> None:
    with httpx.Client(base_url=sandbox.url, auth=AkSkAuth(sandbox.ak, sandbox.sk), timeout=5, verify=TLS) as china:
        answer = china.get("/v2/products/service-resources", params={"service_type_code": DMS})
    assert answer.status_code == 403
    assert answer.json()["error_code"] == "CBC.0150"
    assert answer.headers["x-request-id"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"project_id": "someone-else"}, "CBC.0100"),
        ({"product_infos": []}, "CBC.0100"),
        ({"product_infos": [demand("dms.platinum.c9.1u1g", "hws.resource.type.dms.platinum")]}, "CBC.6006"),
        ({"product_infos": [demand("dms.physical.storage.high.v2", "hws.resource.type.dms.storage")]}, "CBC.0100"),
    ],
)
def test_a_bad_inquiry_is_refused_with_a_code(
    bss: httpx.Client, sandbox: RunningSandbox, change: dict[str, Any], code: str
) -> None:
    body = {"project_id": sandbox.project_id, "product_infos": [demand("dms.platinum.c6.4u8g.cluster", "x")]} | change
    answer = bss.post("/v2/bills/ratings/on-demand-resources", json=body)
    assert answer.status_code == 400
    assert answer.json()["error_code"] == code


def test_an_unsigned_call_is_refused(sandbox: RunningSandbox) -> None:
    answer = httpx.get(f"{sandbox.url}{INTL}/v2/products/service-resources?service_type_code={DMS}", verify=TLS)
    assert answer.status_code == 401


def test_faults_reach_the_billing_paths(bss: httpx.Client, sandbox: RunningSandbox) -> None:
    sandbox.state.faults.add("status", status=503, path="*/resource-specs-query")
    answer = bss.post("/v2/products/resource-specs-query", json={})
    assert answer.status_code == 503
    assert answer.json()["error_code"] == "APIG.0202"
