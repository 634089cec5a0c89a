"""Properties that hold for any input: pagination loses and repeats nothing; faults fire exactly their count."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.sandbox.faults import FaultKind, FaultPlan
from wizard.sandbox.server import RunningSandbox


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(["vpcs", "subnets", "security-groups", "publicips"]),
    limit=st.integers(min_value=1, max_value=8),
)
def test_marker_pages_join_up_to_the_whole_list(
    api: httpx.Client, sandbox: RunningSandbox, path: str, limit: int
) -> None:
    key = path.replace("-", "_")
    whole = [item["id"] for item in api.get(f"/v1/{sandbox.project_id}/{path}").json()[key]]
    joined: list[str] = []
    marker = None
    while True:
        params = {"limit": limit, **({"marker": marker} if marker else {})}
        page = api.get(f"/v1/{sandbox.project_id}/{path}", params=params).json()[key]
        assert len(page) <= limit
        joined += [item["id"] for item in page]
        if len(page) < limit:
            break
        marker = page[-1]["id"]
    assert joined == whole


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=st.integers(min_value=1, max_value=6), offset=st.integers(min_value=0, max_value=7))
def test_product_pages_are_slices_of_the_whole_list(api: httpx.Client, limit: int, offset: int) -> None:
    whole = [p["product_id"] for p in api.get("/v2/reliability/products", params={"limit": 50}).json()["products"]]
    page = api.get("/v2/reliability/products", params={"limit": limit, "offset": offset}).json()
    assert [p["product_id"] for p in page["products"]] == whole[offset : offset + limit]
    assert page["total"] == len(whole)


@given(
    counts=st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=5),
    requests=st.integers(min_value=0, max_value=30),
)
def test_decisive_faults_fire_exactly_their_counts_in_order(counts: list[int], requests: int) -> None:
    plan = FaultPlan()
    faults = [plan.add(FaultKind.STATUS, status=500, count=count) for count in counts]
    fired = [plan.for_request("GET", "/v2/available-zones").decisive for _ in range(requests)]
    expected = [fault.id for fault, count in zip(faults, counts, strict=True) for _ in range(count)][:requests]
    assert [f.id for f in fired if f is not None] == expected
    assert fired.count(None) == max(requests - sum(counts), 0)
