"""The sandbox's HTTP face: a Starlette ASGI app serving the vendor's paths from one base URL.

Every vendor path checks, in this order: faults (latency, then at most one decisive fault), the
signature (SDK-HMAC-SHA256 with the sandbox AK/SK, or the sandbox token in X-Auth-Token; failures get
the gateway's 401 ``APIG.0301`` / ``APIG.0307``), the project ID in the path (``DMS.00400002``), then
the call itself. Unknown paths and methods get the gateway's 404 ``APIG.0101``. Every answer carries an
``X-Request-Id``. Error bodies are ``{"error_code": ..., "error_msg": ...}``.

Codes the vendor documents are used as documented (see `wizard.sandbox.rules`); a few answers the facts
do not pin down are the sandbox's own, stated here: VPC/EIP/EPS query errors use ``VPC.0002`` /
``EPS.0002`` "Invalid query parameter", a 500 fault answers ``DMS.00500000``, 502 and 503 answer
``APIG.0202`` "Backend unavailable", 504 answers ``APIG.0203`` "Backend timeout", 429 answers
``APIG.0308`` with ``Retry-After``.

The control path ``/_sandbox/...`` (faults, health) cannot collide with a vendor path and needs no
signature.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import socket
import struct
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from wizard.sandbox import rules
from wizard.sandbox.bss import BssSandbox
from wizard.sandbox.faults import Fault, FaultKind
from wizard.sandbox.followups import FollowUpApi
from wizard.sandbox.rules import ENGINES, VendorError, refuse
from wizard.sandbox.state import LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX, SandboxState
from wizard.signing import UNSIGNED_PAYLOAD, verify_request

Json = dict[str, Any]
TransportFinder = Callable[[tuple[str, int]], asyncio.Transport | None]
"""Finds the server's transport of a client connection, so a fault can reset it."""

VPC_LIMIT_DEFAULT = 2000
EPS_LIMIT_DEFAULT = 1000
PRODUCTS_LIMIT_DEFAULT = 10

_FAULT_ERRORS = {
    429: ("APIG.0308", "The throttling threshold has been reached: policy user over ratelimit, limit:5, time:1 second"),
    500: ("DMS.00500000", "Internal service error."),
    502: ("APIG.0202", "Backend unavailable."),
    503: ("APIG.0202", "Backend unavailable."),
    504: ("APIG.0203", "Backend timeout."),
}


def error_response(error: VendorError, request_id: str) -> JSONResponse:
    """The vendor's error answer, with its request ID."""
    headers = {"X-Request-Id": request_id, **error.headers}
    return JSONResponse(error.body(), status_code=error.http_status, headers=headers)


class ResetResponse(Response):
    """Not an answer: optionally stalls (until the client gives up, `stall` seconds pass or the sandbox
    stops), then resets the TCP connection."""

    def __init__(self, finder: TransportFinder | None, stall: float, closing: Callable[[], bool]) -> None:
        super().__init__(status_code=502)
        self._finder = finder
        self._stall = stall
        self._closing = closing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        loop = asyncio.get_running_loop()
        if self._stall > 0:
            disconnected = asyncio.ensure_future(receive())
            deadline = loop.time() + self._stall
            try:
                while not disconnected.done() and loop.time() < deadline and not self._closing():
                    await asyncio.wait({disconnected}, timeout=0.05)
            finally:
                disconnected.cancel()
        client = scope.get("client")
        transport = self._finder(tuple(client)) if self._finder and client else None
        if transport is None:
            return  # the client has hung up already: there is nothing left to reset
        raw = transport.get_extra_info("socket")
        if raw is not None:
            # SO_LINGER 0 makes close() send RST: the client sees a reset, not a clean end.
            raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
        for _ in range(3):
            await asyncio.sleep(0)


@dataclass
class Call:
    """One vendor call, after faults and authentication."""

    request: Request
    body: bytes
    params: dict[str, str]

    @property
    def query(self) -> QueryParams:
        """The query parameters."""
        return self.request.query_params


Handler = Callable[[Call], Response]


class SandboxApp:
    """The ASGI app; `transport_finder` is set by the server so faults can reset connections."""

    def __init__(self, state: SandboxState, *, ak: str, sk: str, token: str) -> None:
        self.state = state
        self.ak = ak
        self._sk = sk
        self.token = token
        self.transport_finder: TransportFinder | None = None
        self._checks = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sandbox-handler")
        self.bss = BssSandbox(state.bss, region=state.region, project_id=state.project_id)
        self.app = Starlette(
            routes=self._routes(),
            exception_handlers={HTTPException: self._no_such_api, Exception: self._internal_error},
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    def __repr__(self) -> str:
        return f"SandboxApp(ak={self.ak!r}, tenant={self.state.tenant.name!r})"

    # --- plumbing -------------------------------------------------------------------------------

    def _routes(self) -> list[Route]:
        dms = [
            ("POST", "/v1.0/{project_id}/instances", self.create_v1),
            # Before the by-engine route, which would read `rocketmq` as the project ID.
            ("POST", "/v2/{project_id}/rocketmq/instances", self.create_for_rocketmq),
            ("POST", "/v2/{engine}/{project_id}/instances", self.create_by_engine),
            ("POST", "/v2/{project_id}/instances", self.create_post_paid),
            ("GET", "/v2/{project_id}/instances", self.list_instances),
            ("GET", "/v2/{project_id}/instances/{instance_id}", self.show_instance),
            ("DELETE", "/v2/{project_id}/instances/{instance_id}", self.delete_instance),
            ("GET", "/v2/{project_id}/quotas", self.quotas),
            ("GET", "/v1/{project_id}/vpcs", self.list_vpcs),
            ("GET", "/v1/{project_id}/subnets", self.list_subnets),
            ("GET", "/v1/{project_id}/security-groups", self.list_security_groups),
            ("GET", "/v1/{project_id}/publicips", self.list_eips),
            *FollowUpApi(self.state).routes(),
        ]
        unscoped = [
            ("GET", "/v2/available-zones", self.available_zones),
            ("GET", "/v2/{engine}/products", self.products),
            ("GET", "/v3/projects", self.iam_projects),
            ("GET", "/v3/auth/domains", self.iam_domains),
            ("GET", "/v1.0/enterprise-projects", self.enterprise_projects),
        ]
        routes = [Route(path, self._vendor(handler, scoped=True), methods=[m]) for m, path, handler in dms]
        routes += [Route(path, self._vendor(handler, scoped=False), methods=[m]) for m, path, handler in unscoped]
        routes += [Route(path, self._vendor(fn, scoped=False), methods=[m]) for m, path, fn in self.bss.routes()]
        routes += [
            Route("/_sandbox/faults", self._faults_endpoint, methods=["GET", "POST", "DELETE"]),
            Route("/_sandbox/health", self._health, methods=["GET"]),
        ]
        return routes

    async def _no_such_api(self, request: Request, exc: Exception) -> Response:
        error = VendorError(404, "APIG.0101", "The API does not exist or has not been published in the environment.")
        return error_response(error, uuid.uuid4().hex)

    async def _internal_error(self, request: Request, exc: Exception) -> Response:
        # A sandbox bug: still answer in the vendor's shape (Starlette logs the traceback).
        return error_response(VendorError(500, *_FAULT_ERRORS[500]), uuid.uuid4().hex)

    def _vendor(self, handler: Handler, *, scoped: bool) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            request_id = uuid.uuid4().hex
            body = await request.body()
            faults = self.state.faults.for_request(request.method, request.url.path)
            delay = self.state.latency + faults.latency
            if delay > 0:
                await asyncio.sleep(delay)
            for gate in faults.holds:
                await asyncio.to_thread(gate.wait, faults.hold_limit)
            decisive = faults.decisive
            if decisive is not None and decisive.kind is not FaultKind.TIMEOUT_AFTER_COMMIT:
                return self._fault_answer(decisive, request_id)
            refusal = self._authenticate(request, body)
            params = dict(request.path_params)
            if refusal is None and scoped and params.get("project_id") != self.state.project_id:
                refusal = refuse(rules.BAD_PROJECT, f"The project ID {params.get('project_id')} is not yours.")
            if refusal is not None:
                return error_response(refusal, request_id)
            try:
                # Off the event loop (one worker, so handlers still run one at a time): a slow check of a huge
                # body never stalls other connections, faults' releases or the health path.
                call = Call(request, body, params)
                response = await asyncio.get_running_loop().run_in_executor(self._checks, handler, call)
            except VendorError as error:
                response = error_response(error, request_id)
            if decisive is not None:
                return self._reset(decisive.delay)
            response.headers["X-Request-Id"] = request_id
            return response

        return endpoint

    def _fault_answer(self, fault: Fault, request_id: str) -> Response:
        if fault.kind is FaultKind.STATUS:
            code, message = _FAULT_ERRORS[fault.status]
            headers = {"Retry-After": str(fault.retry_after)} if fault.status == 429 else {}
            return error_response(VendorError(fault.status, code, message, headers), request_id)
        return self._reset(fault.delay if fault.kind is FaultKind.TIMEOUT else 0.0)

    def _reset(self, stall: float) -> Response:
        return ResetResponse(self.transport_finder, stall, self.state.closing.is_set)

    def _authenticate(self, request: Request, body: bytes) -> VendorError | None:
        """A signature is checked first and alone decides; the published token opens only a sandbox that runs
        on its published keys (one started with its own keys must not open to a token everyone knows)."""
        token = request.headers.get("x-auth-token")
        if "authorization" in request.headers or token is None:
            raw_path = request.scope.get("raw_path")
            path = raw_path.decode("latin-1") if isinstance(raw_path, bytes) else request.url.path
            query = request.scope.get("query_string", b"").decode("latin-1")
            now = datetime.now(UTC)
            reason = verify_request(request.method, path, query, request.headers, body, self._secret_for, now)
            if reason is None and body and request.headers.get("x-sdk-content-sha256") == UNSIGNED_PAYLOAD:
                # A guess: the SDKs send UNSIGNED-PAYLOAD only for streamed uploads, never for a JSON body, so a
                # JSON call that leaves its body unsigned is refused as the gateway refuses a bad signature.
                reason = "the body of this call must be signed (UNSIGNED-PAYLOAD is only for streamed uploads)"
            if reason is None:
                return None
            return VendorError(401, "APIG.0301", f"Incorrect IAM authentication information: {reason}.")
        if self._own_keys():
            return VendorError(401, "APIG.0307", "The token must be updated: this sandbox accepts only its own keys.")
        if hmac.compare_digest(token.encode(), self.token.encode()):
            return None
        return VendorError(401, "APIG.0307", "The token must be updated.")

    def _own_keys(self) -> bool:
        """Whether the sandbox was started with keys of its own rather than the published ones."""
        from wizard.sandbox import SANDBOX_AK, SANDBOX_SK

        return not (hmac.compare_digest(self.ak, SANDBOX_AK) and hmac.compare_digest(self._sk, SANDBOX_SK))

    def _secret_for(self, ak: str) -> str | None:
        return self._sk if hmac.compare_digest(ak.encode(), self.ak.encode()) else None

    # --- control path ---------------------------------------------------------------------------

    async def _faults_endpoint(self, request: Request) -> Response:
        plan = self.state.faults
        if request.method == "DELETE":
            plan.clear()
            return Response(status_code=204)
        if request.method == "GET":
            return JSONResponse({"faults": [f.as_json() for f in plan.active()]})
        try:
            data = json.loads(await request.body() or b"null")
            fault = plan.add_from_json(data)
        except (ValueError, UnicodeDecodeError) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(fault.as_json(), status_code=201)

    async def _health(self, request: Request) -> Response:
        return JSONResponse({"status": "ok", "tenant": self.state.tenant.name, "region": self.state.region})

    # --- DMS ------------------------------------------------------------------------------------

    def create_v1(self, call: Call) -> Response:
        """POST /v1.0/{project_id}/instances (CreatePostPaidInstanceV1): no `bss_param`; its page marks no
        body field mandatory, so a missing engine or engine_version takes the documented only value."""
        body = rules.parse_body(call.body)
        rules.check_post_paid_body(body)
        return self._create(call, body)

    def create_post_paid(self, call: Call) -> Response:
        """POST /v2/{project_id}/instances (CreatePostPaidInstanceReq): no `bss_param`, engine and version required."""
        body = rules.parse_body(call.body)
        rules.check_post_paid_body(body)
        rules.check_by_engine_body(body)
        return self._create(call, body)

    def create_by_engine(self, call: Call) -> Response:
        """POST /v2/{engine}/{project_id}/instances (CreateInstanceByEngine): engine and version required."""
        engine = call.params["engine"]
        if engine not in ENGINES:
            raise refuse(rules.BAD_ENGINE, f"Engine {engine!r} is not reliability or rocketmq.")
        body = rules.parse_body(call.body)
        rules.check_by_engine_body(body)
        return self._create(call, body)

    def create_for_rocketmq(self, call: Call) -> Response:
        """POST /v2/{project_id}/rocketmq/instances: the by-engine body, documented for 5.x instances only."""
        body = rules.parse_body(call.body)
        rules.check_by_engine_body(body)
        rules.check_five_x_only(body)
        return self._create(call, body)

    def _create(self, call: Call, body: dict[str, Any]) -> Response:
        view = rules.check_create_body(body, self.state.catalog)
        method, path = call.request.method, call.request.url.path
        record = self.state.create_instance(
            {**body, **view}, fail=lambda: self.state.faults.take_create_failed(method, path)
        )
        return JSONResponse({"instance_id": record.id})

    def show_instance(self, call: Call) -> Response:
        """GET /v2/{project_id}/instances/{instance_id}."""
        return JSONResponse(self.state.show_instance(call.params["instance_id"]))

    def delete_instance(self, call: Call) -> Response:
        """DELETE /v2/{project_id}/instances/{instance_id}: 204, then DELETING, then gone."""
        self.state.delete_instance(call.params["instance_id"])
        return Response(status_code=204)

    def list_instances(self, call: Call) -> Response:
        """GET /v2/{project_id}/instances?engine=…&name=…&exact_match_name=…&status=…&limit=…&offset=…"""
        query = call.query
        engine = query.get("engine")
        if engine is None:
            raise refuse(rules.INVALID_PARAMETER, "The query parameter engine is required.")
        if engine not in ENGINES:
            raise refuse(rules.BAD_ENGINE, f"Engine {engine!r} is not reliability or rocketmq.")
        limit = _int_param(query, "limit", LIST_LIMIT_DEFAULT, 1, LIST_LIMIT_MAX, error=rules.INVALID_PARAMETER)
        offset = _int_param(query, "offset", 0, 0, None, error=rules.INVALID_PARAMETER)
        found = self.state.list_instances(
            name=query.get("name"),
            exact_match_name=_bool_param(query, "exact_match_name", default=False),
            instance_id=query.get("instance_id"),
            status=query.get("status"),
            include_failure=_bool_param(query, "include_failure", default=True),
            enterprise_project_id=query.get("enterprise_project_id"),
        )
        return JSONResponse({"instances": found[offset : offset + limit], "instance_num": len(found)})

    def quotas(self, call: Call) -> Response:
        """GET /v2/{project_id}/quotas."""
        return JSONResponse(self.state.quotas_json())

    def available_zones(self, call: Call) -> Response:
        """GET /v2/available-zones."""
        return JSONResponse({"region_id": self.state.region, "available_zones": self.state.zones})

    def products(self, call: Call) -> Response:
        """GET /v2/{engine}/products?type=…&product_id=…&limit=…&offset=…"""
        engine = call.params["engine"]
        if engine not in ENGINES:
            raise refuse(rules.BAD_ENGINE, f"Engine {engine!r} is not reliability or rocketmq.")
        query = call.query
        limit = _int_param(query, "limit", PRODUCTS_LIMIT_DEFAULT, 1, None, error=rules.INVALID_PARAMETER)
        offset = _int_param(query, "offset", 0, 0, None, error=rules.INVALID_PARAMETER)
        items = self.state.products
        if "product_id" in query:
            items = [p for p in items if p["product_id"] == query["product_id"]]
        page = items[offset : offset + limit]
        return JSONResponse(
            {
                "engine": "reliability",
                "versions": ["4.8.0"],
                "products": page,
                "total": len(items),
                "next_offset": min(offset + limit, len(items)),
                "previous_offset": max(offset - limit, 0),
            }
        )

    # --- VPC and EIP ----------------------------------------------------------------------------

    def list_vpcs(self, call: Call) -> Response:
        """GET /v1/{project_id}/vpcs?limit=…&marker=…&id=…"""
        return self._marker_page(call, "vpcs", ("id", "enterprise_project_id"))

    def list_subnets(self, call: Call) -> Response:
        """GET /v1/{project_id}/subnets?limit=…&marker=…&vpc_id=…"""
        return self._marker_page(call, "subnets", ("vpc_id",))

    def list_security_groups(self, call: Call) -> Response:
        """GET /v1/{project_id}/security-groups?limit=…&marker=…&vpc_id=…"""
        return self._marker_page(call, "security_groups", ("vpc_id", "enterprise_project_id"))

    def list_eips(self, call: Call) -> Response:
        """GET /v1/{project_id}/publicips?limit=…&marker=…&ip_version=…"""
        return self._marker_page(call, "publicips", ("id", "ip_version", "enterprise_project_id"))

    def _marker_page(self, call: Call, kind: str, filters: tuple[str, ...]) -> Response:
        bad_query = ("VPC.0002", "Invalid query parameter.")
        query = call.query
        limit = _int_param(query, "limit", VPC_LIMIT_DEFAULT, 0, None, error=bad_query) or VPC_LIMIT_DEFAULT
        marker = query.get("marker")
        wanted = {key: query.getlist(key) for key in filters if key in query}
        with self.state.lock:
            items = self.state.resource_list(kind)
            if wanted:
                items = [item for item in items if all(str(item.get(k, "")) in v for k, v in wanted.items())]
                position = next((n for n, item in enumerate(items) if item["id"] == marker), None)
            else:
                position = self.state.position(kind, marker) if marker else None
            if marker and position is None:
                raise refuse(bad_query, f"marker {marker} is not an item of this list.")
            start = 0 if position is None else position + 1
            page = [dict(item) for item in items[start : start + limit]]
        return JSONResponse({kind: page})

    # --- IAM and EPS ----------------------------------------------------------------------------

    def iam_projects(self, call: Call) -> Response:
        """GET /v3/projects?name=<region>: the sandbox's one project, as the SDK looks it up."""
        name = call.query.get("name")
        project = {
            "id": self.state.project_id,
            "name": self.state.region,
            "domain_id": domain_id_of(self.state.project_id),
            "description": "",
            "enabled": True,
            "is_domain": False,
            "parent_id": domain_id_of(self.state.project_id),
            "links": {"self": f"{call.request.base_url}v3/projects/{self.state.project_id}"},
        }
        projects = [project] if name in (None, self.state.region) else []
        links = {"self": str(call.request.url), "previous": None, "next": None}
        return JSONResponse({"projects": projects, "links": links})

    def iam_domains(self, call: Call) -> Response:
        """GET /v3/auth/domains: the account the credentials belong to, as the SDK looks up a domain ID."""
        domain = {"id": domain_id_of(self.state.project_id), "name": "sandbox-account", "enabled": True}
        return JSONResponse({"domains": [domain], "links": {"self": str(call.request.url)}})

    def enterprise_projects(self, call: Call) -> Response:
        """GET /v1.0/enterprise-projects?name=…&status=…&limit=…&offset=…"""
        bad_query = ("EPS.0002", "Invalid query parameter.")
        query = call.query
        limit = _int_param(query, "limit", EPS_LIMIT_DEFAULT, 1, 1000, error=bad_query)
        offset = _int_param(query, "offset", 0, 0, None, error=bad_query)
        items = self.state.enterprise_projects
        if "name" in query:
            items = [p for p in items if query["name"].lower() in p["name"].lower()]
        if "status" in query:
            items = [p for p in items if str(p["status"]) == query["status"]]
        page = items[offset : offset + limit]
        return JSONResponse({"enterprise_projects": page, "total_count": len(items)})


def domain_id_of(project_id: str) -> str:
    """The sandbox account's domain (account) ID."""
    return uuid.uuid5(uuid.NAMESPACE_OID, f"domain/{project_id}").hex


def _int_param(
    query: QueryParams, key: str, default: int, low: int, high: int | None, *, error: tuple[str, str]
) -> int:
    raw = query.get(key)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise refuse(error, f"{key} must be a whole number (got {raw!r}).") from None
    if value < low or (high is not None and value > high):
        bounds = f"{low}-{high}" if high is not None else f"at least {low}"
        raise refuse(error, f"{key} must be {bounds} (got {value}).")
    return value


def _bool_param(query: QueryParams, key: str, *, default: bool) -> bool:
    raw = query.get(key)
    if raw is None:
        return default
    if raw not in ("true", "false"):
        raise refuse(rules.INVALID_PARAMETER, f"{key} must be true or false (got {raw!r}).")
    return raw == "true"
