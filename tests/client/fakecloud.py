"""A tiny in-memory cloud behind httpx.MockTransport, for the client's unit tests.

It knows just enough of the paths to test the client's own rules: pagination, filtering, the project
lookup, and above all the create call with faults injected before or after the instance is committed.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import httpx

from wizard.connection import Credentials, build_settings

PROJECT = "proj0001"
ENDPOINT = "https://dms.cn-north-4.myhuaweicloud.com"

#: Fault names for the create call: what happens to the request, and whether the instance is committed.
FAULTS: dict[str, tuple[bool, str]] = {
    "ok": (True, "answer"),
    "timeout-after-commit": (True, "timeout"),
    "reset-after-commit": (True, "reset"),
    "502-after-commit": (True, "502"),
    "timeout-before-commit": (False, "timeout"),
    "503-before-commit": (False, "503"),
    "reset-before-commit": (False, "reset"),
    "connect-refused": (False, "connect"),
}


def settings(project_id: str | None = PROJECT, api_route: str = "v1") -> Any:
    credentials = Credentials("AK", "SK", project_id, None, None, "test")
    return build_settings(
        "cn-north-4",
        credentials,
        env={},
        endpoint=None,
        api_route=api_route,  # type: ignore[arg-type]
    )


@dataclass
class FakeCloud:
    """The state and the request handler."""

    vpcs: list[dict[str, Any]] = field(default_factory=list)
    subnets: list[dict[str, Any]] = field(default_factory=list)
    security_groups: list[dict[str, Any]] = field(default_factory=list)
    eips: list[dict[str, Any]] = field(default_factory=list)
    zones: list[dict[str, Any]] = field(default_factory=list)
    products: list[dict[str, Any]] = field(default_factory=list)
    instances: dict[str, dict[str, Any]] = field(default_factory=dict)
    projects: list[dict[str, Any]] = field(default_factory=lambda: [{"id": PROJECT, "name": "cn-north-4"}])
    eps_status: int = 200
    product_page_cap: int = 3
    create_faults: list[str] = field(default_factory=list)
    #: False makes the cloud accept a second instance with a taken name, so duplicates would show.
    unique_names: bool = True
    list_fails: int = 0
    list_fail_status: int = 500
    status_script: list[str] = field(default_factory=list)
    latency: float = 0.0
    #: Every call waits until this many calls are in flight at once (or 3 s pass): concurrency, not speed.
    rendezvous: int = 0
    #: While set and not yet released, every call waits for it: a test sees the in-between state it wants.
    hold: asyncio.Event | None = None
    in_flight: int = 0
    max_in_flight: int = 0
    calls: list[httpx.Request] = field(default_factory=list)
    posts: int = 0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    override: Callable[[httpx.Request], httpx.Response | None] | None = None

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def paths(self) -> list[str]:
        return [request.url.path for request in self.calls]

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await self._wait_for_the_test()
            return await self._answer(request)
        finally:
            self.in_flight -= 1

    async def _wait_for_the_test(self) -> None:
        if self.latency:
            await asyncio.sleep(self.latency)
        if self.hold is not None:
            await asyncio.wait_for(self.hold.wait(), 10)
        if self.rendezvous:
            deadline = asyncio.get_running_loop().time() + 3
            while self.in_flight < self.rendezvous and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.005)

    async def _answer(self, request: httpx.Request) -> httpx.Response:
        if self.override is not None:
            answer = self.override(request)
            if answer is not None:
                return answer
        path = request.url.path
        query = dict(parse_qsl(request.url.query.decode(), keep_blank_values=True))
        if path == "/v3/projects":
            return _json({"projects": [p for p in self.projects if p["name"] == query.get("name")]})
        if path == f"/v1/{PROJECT}/vpcs":
            return _marker_page(self.vpcs, "vpcs", query)
        if path == f"/v1/{PROJECT}/subnets":
            items = [s for s in self.subnets if "vpc_id" not in query or s["vpc_id"] == query["vpc_id"]]
            return _marker_page(items, "subnets", query)
        if path == f"/v1/{PROJECT}/security-groups":
            return _marker_page(self.security_groups, "security_groups", query)
        if path == f"/v1/{PROJECT}/publicips":
            return _marker_page(self.eips, "publicips", query)
        if path == "/v1.0/enterprise-projects":
            if self.eps_status != 200:
                return _json({"error_code": "EPS.0004", "error_msg": "forbidden"}, self.eps_status)
            return _json({"enterprise_projects": [{"id": "0", "name": "default", "status": 1}], "total_count": 1})
        if path == "/v2/available-zones":
            return _json({"region_id": "cn-north-4", "available_zones": self.zones})
        if path == "/v2/reliability/products":
            offset, limit = int(query.get("offset", 0)), min(int(query.get("limit", 10)), self.product_page_cap)
            page = self.products[offset : offset + limit]
            return _json({"total": len(self.products), "products": page, "engine": "reliability"})
        if path == f"/v2/{PROJECT}/quotas":
            used = len(self.instances)
            return _json({"quotas": {"resources": [{"type": "rocketmqInstance", "quota": 5, "used": used}]}})
        if path == f"/v2/{PROJECT}/instances" and request.method == "GET":
            if self.list_fails:
                self.list_fails -= 1
                return _json({"error_code": "DMS.00500000", "error_msg": "list failed"}, self.list_fail_status)
            found = [i for i in self.instances.values() if i["name"] == query.get("name")]
            return _json({"instances": found, "instance_num": len(found)})
        if path.startswith(f"/v2/{PROJECT}/instances/") and request.method == "GET":
            instance = self.instances.get(path.rsplit("/", 1)[1])
            if instance is None:
                return _json({"error_code": "DMS.00404022", "error_msg": "not found"}, 404)
            if self.status_script:
                instance["status"] = self.status_script.pop(0)
            return _json(instance)
        if request.method == "POST" and path in (
            f"/v1.0/{PROJECT}/instances",
            f"/v2/reliability/{PROJECT}/instances",
        ):
            return self._create(request)
        return _json({"error_code": "APIG.0101", "error_msg": f"no route {path}"}, 404)

    def _create(self, request: httpx.Request) -> httpx.Response:
        self.posts += 1
        fault = self.create_faults.pop(0) if self.create_faults else "ok"
        commit, outcome = FAULTS[fault]
        if outcome == "connect":
            raise httpx.ConnectError("connection refused", request=request)
        body = json.loads(request.content)
        if self.unique_names and any(i["name"] == body["name"] for i in self.instances.values()):
            return _json({"error_code": "DMS.00400060", "error_msg": "The instance name already exists."}, 400)
        instance_id = f"inst-{next(self._ids)}"
        if commit:
            self.instances[instance_id] = {"instance_id": instance_id, "name": body["name"], "status": "CREATING"}
        if outcome == "timeout":
            raise httpx.ReadTimeout("no answer", request=request)
        if outcome == "reset":
            raise httpx.ReadError("connection reset by peer", request=request)
        if outcome in ("502", "503"):
            return _json({"error_code": "APIG.0202", "error_msg": "backend unavailable"}, int(outcome))
        return _json({"instance_id": instance_id})


def _json(data: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(status, json=data, headers={"X-Request-Id": "req-1"})


def _marker_page(items: list[dict[str, Any]], key: str, query: dict[str, str]) -> httpx.Response:
    start = 0
    if "marker" in query:
        start = next(i for i, item in enumerate(items) if item["id"] == query["marker"]) + 1
    limit = int(query.get("limit", 2000))
    return _json({key: items[start : start + limit]})
