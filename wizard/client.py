"""The cloud client: every API call the wizard makes, with honest errors and safe retries.

Reads retry on transient failures (see `wizard.http`). The create call is never retried blindly: after an
ambiguous failure (no answer, a reset connection, a 5xx) the instance is looked up by its exact name, and
concurrent or repeated submits of the same request share one create.
"""

from __future__ import annotations

import asyncio
import gc
import json
import random
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from wizard import __version__
from wizard.catalog import (
    PAY_PER_USE,
    STORAGE_TYPES,
    YEARLY_MONTHLY,
    AvailabilityZone,
    Catalog,
    Flavor,
    StorageOffer,
    StorageType,
)
from wizard.connection import ConnectionSettings, is_loopback
from wizard.create_route import ENGINE, body_for_route, create_path
from wizard.error_codes import NOT_FOUND, api_error, is_throttled, parse_error_body
from wizard.errors import ApiError, NetworkError, NotCreated, OutcomeUnknown, WizardError
from wizard.fields import MIN_STORAGE_PER_BROKER_GB
from wizard.http import QueryParams, RetryPolicy, Sender, describe_failure, retry_after_seconds
from wizard.model import CreateInstanceRequest
from wizard.resources import (
    CreateOutcome,
    EnterpriseProject,
    Instance,
    Quota,
    SecurityGroup,
    StatusChange,
    Subnet,
    Vpc,
)
from wizard.resources import Eip as EipRecord

ENGINE_VERSION = "4.8.0"
#: Page sizes of the VPC v1 lists (the API allows up to 2000): about half a megabyte of JSON per page, so
#: parsing one holds the event loop for under ~10 ms of CPU while big accounts still need few round trips.
PAGE_SIZES = {"vpcs": 1000, "subnets": 1000, "security_groups": 2000, "publicips": 1000}
#: list_instances takes 1-50.
INSTANCE_PAGE_SIZE = 50
PRODUCT_PAGE_SIZE = 50
EPS_PAGE_SIZE = 1000
#: Items converted between two yields to the event loop (about 2 ms of work).
CONVERT_CHUNK = 250
#: Guards against a server whose pagination never ends.
MAX_PAGES = 10_000
#: First status checks come quickly (most failures show early), then every `FOLLOW_POLL` seconds.
FOLLOW_QUICK_DELAYS = (1.0, 2.0, 3.0, 5.0)
FOLLOW_POLL = 8.0
#: How long an instance may stay invisible to `show` right after its create before that is an error.
FOLLOW_NOT_FOUND_GRACE = 60.0
FOLLOW_MAX_NETWORK_FAILURES = 3
#: Delays before each lookup by name after an ambiguous create (a slow commit may show up late).
LOOKUP_DELAYS = (0.0, 2.0, 5.0)
#: Failures that prove the create never reached the service whole: no connection, or the body not written out.
NEVER_DELIVERED = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteError, httpx.WriteTimeout)

_T = TypeVar("_T")
_CPU_RE = re.compile(r"(\d+)u(\d+)g")
_BILLING = {"monthly": YEARLY_MONTHLY, "hourly": PAY_PER_USE}


def _int(value: object) -> int | None:
    """An integer from the API's numbers or numeric strings (product properties are all strings)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def _str(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _items(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = data.get(key)
    # `dict`, not `Mapping`: json gives dicts, and the abstract check costs ~1 µs an item on big pages.
    return [item for item in value if type(item) is dict] if isinstance(value, list) else []


def instance_from(data: Mapping[str, Any]) -> Instance:
    """An Instance from a show/list answer."""
    zones = data.get("available_zones")
    return Instance(
        id=_str(data.get("instance_id")),
        name=_str(data.get("name")),
        status=_str(data.get("status")),
        engine_version=_str(data.get("engine_version")),
        product_id=_str(data.get("product_id")),
        broker_num=_int(data.get("broker_num")),
        storage_space=_int(data.get("storage_space")),
        available_zones=tuple(_str(z) for z in zones) if isinstance(zones, list) else (),
        created_at=_str(data.get("created_at")),
        raw=dict(data),
    )


def vpc_from(data: Mapping[str, Any]) -> Vpc:
    """A Vpc from the VPC list."""
    return Vpc(
        id=_str(data.get("id")),
        name=_str(data.get("name")),
        cidr=_str(data.get("cidr")),
        status=_str(data.get("status")),
    )


def subnet_from(data: Mapping[str, Any]) -> Subnet:
    """A Subnet from the subnet list (its `id` is the network ID the create body takes)."""
    return Subnet(
        id=_str(data.get("id")),
        name=_str(data.get("name")),
        vpc_id=_str(data.get("vpc_id")),
        cidr=_str(data.get("cidr")),
        availability_zone=_str(data.get("availability_zone")),
        status=_str(data.get("status")),
        available_ips=_int(data.get("available_ip_address_count")),
    )


def security_group_from(data: Mapping[str, Any]) -> SecurityGroup:
    """A SecurityGroup from the security group list."""
    return SecurityGroup(
        id=_str(data.get("id")),
        name=_str(data.get("name")),
        vpc_id=_str(data.get("vpc_id")),
        description=_str(data.get("description")),
    )


def bindable_eip_from(data: Mapping[str, Any]) -> EipRecord | None:
    """An Eip from the EIP list when a new instance can take it (unbound IPv4), else None."""
    eip = EipRecord(
        id=_str(data.get("id")),
        address=_str(data.get("public_ip_address")),
        status=_str(data.get("status")),
        ip_version=_int(data.get("ip_version")) or 4,
        bandwidth_size=_int(data.get("bandwidth_size")),
    )
    return eip if eip.bindable and not data.get("port_id") else None


def _cpu_label(product_id: str) -> str:
    match = _CPU_RE.search(product_id)
    return f"{match[1]} vCPUs | {match[2]} GB" if match else ""


def flavor_from(product: Mapping[str, Any]) -> Flavor | None:
    """A Flavor from one product of `GET /v2/{engine}/products`, or None for another engine version's."""
    product_id = _str(product.get("product_id"))
    raw_props = product.get("properties")
    props: Mapping[str, Any] = raw_props if isinstance(raw_props, Mapping) else {}
    versions = _str(props.get("engine_versions"))
    if not product_id or (versions and ENGINE_VERSION not in versions):
        return None
    offers = tuple(
        StorageOffer(
            storage_spec_code=_str(io.get("io_spec")),
            available_zones=frozenset(_str(z) for z in io.get("available_zones") or ()),
            unavailable_zones=frozenset(_str(z) for z in io.get("unavailable_zones") or ()),
        )
        for io in _items(product, "ios")
        if io.get("io_spec")
    )
    modes = product.get("charging_mode")
    billing = frozenset(_BILLING[m] for m in modes if m in _BILLING) if isinstance(modes, list) else frozenset()
    return Flavor(
        id=product_id,
        topics_per_broker=_int(props.get("max_topic_per_broker")),
        consumer_groups_per_broker=_int(props.get("max_consumer_per_broker")),
        tps_per_broker=_int(props.get("max_tps_per_broker")),
        min_broker=_int(props.get("min_broker")) or 1,
        max_broker=_int(props.get("max_broker")) or 10,
        broker_step=_int(props.get("step_length")) or 1,
        min_storage_per_broker=_int(props.get("min_storage_per_node")) or MIN_STORAGE_PER_BROKER_GB,
        max_storage_per_broker=_int(props.get("max_storage_per_node")),
        billing_modes=billing or frozenset({PAY_PER_USE, YEARLY_MONTHLY}),
        storage=offers,
        cpu_label=_cpu_label(product_id),
        billing_code=_str(product.get("billing_code")),
    )


def zone_from(data: Mapping[str, Any]) -> AvailabilityZone:
    """An AvailabilityZone from `GET /v2/available-zones` (an AZ without resources counts as sold out)."""
    return AvailabilityZone(
        id=_str(data.get("id")),
        code=_str(data.get("code")),
        name=_str(data.get("name")) or _str(data.get("code")),
        sold_out=data.get("soldOut") is True or _str(data.get("resource_availability")).lower() == "false",
        default=data.get("default_az") is True,
    )


def catalog_from(zones: Sequence[Mapping[str, Any]], products: Sequence[Mapping[str, Any]]) -> Catalog:
    """The live catalog built from the AZ and products answers."""
    flavors = tuple(f for f in (flavor_from(p) for p in products) if f is not None)
    known = {s.code: s for s in STORAGE_TYPES}
    codes: list[str] = []
    for flavor in flavors:
        codes += [c for c in flavor.storage_codes() if c not in codes]
    return Catalog(
        flavors=flavors,
        storage_types=tuple(known.get(code, StorageType(code, code)) for code in codes),
        zones=tuple(zone_from(z) for z in zones if z.get("id")),
        engine_versions=(ENGINE_VERSION,),
        live=True,
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector while a page is parsed and converted.

    A 2,000-item page allocates some 100,000 containers, which would trigger several collections
    (full ones take tens of milliseconds on a big heap) in the middle of the event loop. JSON holds no
    cycles: the parsed dicts are freed by reference counting as soon as the page is converted. Only
    ever used around synchronous code, so no other coroutine runs while the collector is paused.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _json_object(response: httpx.Response, what: str) -> Mapping[str, Any]:
    """The JSON object an answer holds; WizardError when it is not one."""
    content = response.content
    try:
        data: Any = json.loads(content) if content else {}
    except ValueError:
        raise WizardError(
            f"The answer to {what} was not JSON (HTTP {response.status_code}, "
            f"request {response.headers.get('x-request-id', 'unknown')})."
        ) from None
    if not isinstance(data, Mapping):
        raise WizardError(f"The answer to {what} was not a JSON object.")
    return data


class CloudClient:
    """An async client for the DMS, VPC/EIP, IAM and EPS calls the wizard makes.

    Use as `async with CloudClient(settings) as client:`. Keep one client for a session: it is what makes a
    repeated submit of the same request share one create.
    """

    def __init__(
        self,
        settings: ConnectionSettings,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        page_size: int | None = None,
        lookup_delays: Sequence[float] = LOOKUP_DELAYS,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        loopback = is_loopback(httpx.URL(settings.dms_endpoint).host)
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(settings.timeout, connect=min(settings.timeout, 10.0)),
            verify=True,
            follow_redirects=False,
            # Proxy variables are for the internet; the sandbox on loopback must never go through one.
            trust_env=not loopback,
            headers={"User-Agent": f"rocketmq-wizard/{__version__}"},
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=16),
        )
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self._sender = Sender(self._http, retry, sleep=sleep, clock=clock, rng=self._rng)
        self._page_size = page_size
        self._lookup_delays = tuple(lookup_delays)
        self._credentials = settings.credentials
        self._auth = self._credentials.auth()
        self._project_lock = asyncio.Lock()
        self._inflight: dict[tuple[str, bytes], asyncio.Future[CreateOutcome]] = {}
        self._created: dict[tuple[str, bytes], CreateOutcome] = {}
        self._ambiguous_names: set[str] = set()

    async def __aenter__(self) -> CloudClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    def __repr__(self) -> str:
        return f"CloudClient({self.settings.describe()!r})"

    # ---- plumbing ---------------------------------------------------------------------------------

    async def project_id(self) -> str:
        """The project ID: configured, or looked up once through IAM by region name, as the SDKs do."""
        if self._credentials.project_id:
            return self._credentials.project_id
        async with self._project_lock:
            if self._credentials.project_id:
                return self._credentials.project_id
            region = self.settings.region
            data = await self._get_json(
                f"{self.settings.iam_endpoint}/v3/projects", [("name", region)], what="IAM projects"
            )
            projects = [p for p in _items(data, "projects") if _str(p.get("name")) == region and p.get("id")]
            if len(projects) != 1:
                found = "no project" if not projects else f"{len(projects)} projects"
                raise WizardError(
                    f"IAM lists {found} named {region!r}, so the project ID cannot be chosen automatically: "
                    "pass --project-id or set HUAWEICLOUD_SDK_PROJECT_ID."
                )
            self._credentials = self._credentials.with_project_id(_str(projects[0]["id"]))
            self._auth = self._credentials.auth()
            return _str(projects[0]["id"])

    async def _get_json(self, url: str, params: QueryParams | None = None, *, what: str) -> Mapping[str, Any]:
        response = await self._sender.read("GET", url, params=params, auth=self._auth)
        with _gc_paused():
            return _json_object(response, what)

    def _dms(self, path: str) -> str:
        return f"{self.settings.dms_endpoint}{path}"

    def _vpc(self, path: str) -> str:
        return f"{self.settings.vpc_endpoint}{path}"

    async def _marker_pages(
        self,
        url: str,
        key: str,
        convert: Callable[[Mapping[str, Any]], _T | None],
        params: QueryParams = (),
        *,
        what: str,
    ) -> AsyncIterator[list[_T]]:
        """Pages of a VPC v1 list, converted (None drops an item): `marker` is the last ID of the previous
        raw page; a short page is the last."""
        marker = ""
        limit = self._page_size or PAGE_SIZES.get(key, 1000)
        for _ in range(MAX_PAGES):
            query = [*params, ("limit", str(limit))]
            if marker:
                query.append(("marker", marker))
            response = await self._sender.read("GET", url, params=query, auth=self._auth)
            with _gc_paused():
                raw = _items(_json_object(response, what), key)
            count, next_marker = len(raw), (_str(raw[-1].get("id")) if raw else "")
            page: list[_T] = []
            for start in range(0, count, CONVERT_CHUNK):
                if start:
                    await asyncio.sleep(0)  # let the screens draw between chunks of a big page
                with _gc_paused():
                    page += [item for item in map(convert, raw[start : start + CONVERT_CHUNK]) if item is not None]
            del raw
            yield page
            if count < limit or not next_marker or next_marker == marker:
                return
            marker = next_marker

    async def _offset_pages(
        self, url: str, key: str, params: QueryParams, *, limit: int, what: str, total_key: str
    ) -> AsyncIterator[list[Mapping[str, Any]]]:
        """Pages of an offset/limit list, until the total is reached (or, with no total, a short page)."""
        offset = 0
        for _ in range(MAX_PAGES):
            query = [*params, ("limit", str(limit)), ("offset", str(offset))]
            data = await self._get_json(url, query, what=what)
            page = _items(data, key)
            yield page
            offset += len(page)
            total = _int(data.get(total_key))
            # A server may cap `limit` lower than asked: trust its total when it gives one.
            if not page or (offset >= total if total is not None else len(page) < limit):
                return

    # ---- catalog and network ----------------------------------------------------------------------

    async def list_zones(self) -> list[Mapping[str, Any]]:
        """The raw AZ list (`GET /v2/available-zones`)."""
        data = await self._get_json(
            self._dms("/v2/available-zones"), [("engine", ENGINE)], what="the availability zones"
        )
        return _items(data, "available_zones")

    async def list_products(self) -> list[Mapping[str, Any]]:
        """The raw products list (`GET /v2/{engine}/products`), every page."""
        products: list[Mapping[str, Any]] = []
        async for page in self._offset_pages(
            self._dms(f"/v2/{ENGINE}/products"),
            "products",
            (),
            limit=PRODUCT_PAGE_SIZE,
            what="the flavors",
            total_key="total",
        ):
            products += page
        return products

    async def load_catalog(self) -> Catalog:
        """The live catalog: AZs and flavors, fetched concurrently."""
        zones, products = await asyncio.gather(self.list_zones(), self.list_products())
        return catalog_from(zones, products)

    async def list_vpcs(self) -> list[Vpc]:
        """Every VPC of the project."""
        pid = await self.project_id()
        vpcs: list[Vpc] = []
        async for page in self._marker_pages(self._vpc(f"/v1/{pid}/vpcs"), "vpcs", vpc_from, what="the VPCs"):
            vpcs += page
        return vpcs

    async def list_subnets(self, vpc_id: str | None = None) -> list[Subnet]:
        """Every subnet of the project, or of one VPC."""
        pid = await self.project_id()
        params = [("vpc_id", vpc_id)] if vpc_id else []
        subnets: list[Subnet] = []
        async for page in self._marker_pages(
            self._vpc(f"/v1/{pid}/subnets"), "subnets", subnet_from, params, what="the subnets"
        ):
            subnets += page
        return subnets

    async def list_security_groups(self) -> list[SecurityGroup]:
        """Every security group of the project."""
        pid = await self.project_id()
        groups: list[SecurityGroup] = []
        async for page in self._marker_pages(
            self._vpc(f"/v1/{pid}/security-groups"), "security_groups", security_group_from, what="the security groups"
        ):
            groups += page
        return groups

    async def list_eips(self) -> list[EipRecord]:
        """The EIPs a new instance can take: unbound (status DOWN) IPv4 ones only."""
        pid = await self.project_id()
        eips: list[EipRecord] = []
        async for page in self._marker_pages(
            self._vpc(f"/v1/{pid}/publicips"), "publicips", bindable_eip_from, what="the EIPs"
        ):
            eips += page
        return eips

    async def list_enterprise_projects(self) -> list[EnterpriseProject]:
        """Enabled enterprise projects; empty when the account does not use them (EPS answers 403/404)."""
        projects: list[EnterpriseProject] = []
        try:
            async for page in self._offset_pages(
                f"{self.settings.eps_endpoint}/v1.0/enterprise-projects",
                "enterprise_projects",
                (),
                limit=EPS_PAGE_SIZE,
                what="the enterprise projects",
                total_key="total_count",
            ):
                projects += [
                    EnterpriseProject(id=_str(p.get("id")), name=_str(p.get("name")))
                    for p in page
                    if _int(p.get("status")) in (None, 1)
                ]
        except ApiError as exc:
            if exc.http_status in (403, 404):
                return []
            raise
        return projects

    async def quota(self) -> Quota:
        """The RocketMQ instance quota of the project and how much of it is used."""
        pid = await self.project_id()
        data = await self._get_json(self._dms(f"/v2/{pid}/quotas"), what="the quotas")
        quotas = data.get("quotas")
        resources = _items(quotas, "resources") if isinstance(quotas, Mapping) else []
        for item in resources:
            if item.get("type") == "rocketmqInstance":
                return Quota(quota=_int(item.get("quota")) or 0, used=_int(item.get("used")) or 0)
        raise WizardError("The quota answer has no entry for RocketMQ instances (rocketmqInstance).")

    # ---- instances --------------------------------------------------------------------------------

    async def show_instance(self, instance_id: str) -> Instance:
        """One instance, by ID."""
        pid = await self.project_id()
        url = self._dms(f"/v2/{pid}/instances/{quote(instance_id, safe='')}")
        return instance_from(await self._get_json(url, what="the instance"))

    async def instances_named(self, name: str) -> list[Instance]:
        """Every instance whose name is exactly `name` (failed ones included)."""
        pid = await self.project_id()
        params = [
            ("engine", ENGINE),
            ("name", name),
            ("exact_match_name", "true"),
            ("include_failure", "true"),
        ]
        found: list[Instance] = []
        async for page in self._offset_pages(
            self._dms(f"/v2/{pid}/instances"),
            "instances",
            params,
            limit=INSTANCE_PAGE_SIZE,
            what="the instance list",
            total_key="instance_num",
        ):
            found += [i for i in (instance_from(item) for item in page) if i.name == name and i.id]
        return found

    def _create_url(self, project_id: str) -> str:
        return self._dms(create_path(self.settings.api_route, project_id))

    async def create_instance(self, request: CreateInstanceRequest) -> CreateOutcome:
        """Create the instance; concurrent or repeated calls with the same request share one create.

        Raises ApiError when the API refuses, NotCreated when a failure was ambiguous but a lookup by name
        proved nothing exists (safe to try again), OutcomeUnknown when even that could not be settled, and
        RouteRefused (nothing sent) when the chosen route cannot take the request.
        """
        body = body_for_route(self.settings.api_route, request.to_api_body())
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        key = (self.settings.api_route, payload)
        if key in self._created:
            return self._created[key]
        future = self._inflight.get(key)
        if future is None:
            future = asyncio.ensure_future(self._create_once(_str(body.get("name")), payload))
            self._inflight[key] = future
            future.add_done_callback(lambda done: self._settle(key, done))
        # Shielded: one caller giving up (a closed screen) must not cancel the create the others wait on.
        return await asyncio.shield(future)

    def _settle(self, key: tuple[str, bytes], done: asyncio.Future[CreateOutcome]) -> None:
        self._inflight.pop(key, None)
        if not done.cancelled() and done.exception() is None:
            self._created[key] = done.result()

    async def _create_once(self, name: str, payload: bytes) -> CreateOutcome:
        try:
            existing = await self.instances_named(name)
        except (ApiError, NetworkError) as exc:
            raise NotCreated(f"Nothing was sent: checking the name {name!r} before creating failed ({exc}).") from None
        if existing and name in self._ambiguous_names:
            # An earlier attempt of ours failed ambiguously and its instance has appeared since.
            return CreateOutcome(existing[0].id, name, recovered=True)
        known_ids = {i.id for i in existing}
        url = self._create_url(await self.project_id())
        throttled_once = False
        while True:
            try:
                response = await self._sender.send_once("POST", url, json_body=payload, auth=self._auth)
            except httpx.HTTPError as exc:
                reason = describe_failure(exc, httpx.URL(url).host, self.settings.timeout)
                if isinstance(exc, NEVER_DELIVERED):
                    raise NotCreated(f"Nothing was sent: {reason}. It is safe to try again.") from None
                return await self._recover(name, known_ids, reason)
            if not is_throttled(response.status_code, parse_error_body(response.content)[0]):
                break
            # The gateway turned the call away before the service saw it: nothing was processed.
            wait = self._throttle_wait(response)
            if throttled_once or wait is None:
                raise NotCreated(self._throttled_message(response, wait)) from None
            throttled_once = True
            await self._sleep(wait)
        if response.is_success:
            try:
                data = _json_object(response, "the create call")
            except WizardError:
                data = {}
            instance_id = _str(data.get("instance_id"))
            if instance_id:
                return CreateOutcome(instance_id, name)
            return await self._recover(name, known_ids, "the create answer had no instance_id")
        if response.status_code >= 500:
            error = api_error(response.status_code, response.content, response.headers)
            return await self._recover(name, known_ids, f"the API answered {error}")
        raise api_error(response.status_code, response.content, response.headers)

    def _throttle_wait(self, response: httpx.Response) -> float | None:
        """Seconds to wait before the one retry of a throttled create; None when it asks for longer than we wait."""
        policy = self._sender.policy
        asked = retry_after_seconds(response.headers.get("retry-after"))
        if asked is None:
            return policy.throttle_delay
        return asked if asked <= policy.max_retry_after else None

    def _throttled_message(self, response: httpx.Response, wait: float | None) -> str:
        error = api_error(response.status_code, response.content, response.headers)
        asked = retry_after_seconds(response.headers.get("retry-after"))
        later = f" after {asked:.0f} s (the API's Retry-After)" if asked is not None else " in a little while"
        tried = "" if wait is None else ", also when tried once more"
        return (
            f"The API throttled the create{tried} ({error}): the gateway turned it away before it was processed, "
            f"so nothing was created. It is safe to try again{later}."
        )

    async def _recover(self, name: str, known_ids: set[str], reason: str) -> CreateOutcome:
        """After an ambiguous create, look the instance up by exact name to learn what happened.

        Finding it settles the outcome; not finding it does not (a create can commit long after its answer was
        lost), so that is OutcomeUnknown saying what was checked, never "nothing was created".
        """
        self._ambiguous_names.add(name)
        last_error: WizardError | None = None
        started = self._clock()
        lookups = 0
        for delay in self._lookup_delays or (0.0,):
            if delay:
                await self._sleep(delay)
            try:
                found = [i for i in await self.instances_named(name) if i.id not in known_ids]
            except (ApiError, NetworkError) as exc:
                last_error = exc
                continue
            lookups += 1
            if found:
                return CreateOutcome(found[0].id, name, recovered=True)
        spent = self._clock() - started
        if lookups == 0 and last_error is not None:
            raise OutcomeUnknown(
                f"The create call failed ({reason}) and looking the instance up by its name {name!r} failed "
                f"too ({last_error}). It may or may not exist: check the console or list instances before "
                "trying again (a second create with this name is refused if it exists)."
            )
        times = "once" if lookups == 1 else f"{lookups} times"
        raise OutcomeUnknown(
            f"The create call failed ({reason}). A lookup by exact name ({times} over {spent:.0f} s) found no "
            f"instance called {name!r} yet, but that proves nothing: the service may still commit a create whose "
            "answer was lost. Look for the instance in the console (or run the same create again later: it is "
            "refused if the name exists) before creating it anew."
        )

    async def follow(
        self, instance_id: str, *, timeout: float = 3000, poll: float | None = None
    ) -> AsyncIterator[StatusChange]:
        """Yield each status change of an instance until RUNNING or a failed status.

        Checks come quickly at first, then every ~`FOLLOW_POLL` s (or every `poll` s when given). Raises
        WizardError when `timeout` seconds pass first.
        """
        started = self._clock()
        last_status: str | None = None
        network_failures = 0
        checks = 0
        while True:
            elapsed = self._clock() - started
            try:
                instance = await self.show_instance(instance_id)
            except ApiError as exc:
                not_yet = exc.http_status == 404 or exc.code == NOT_FOUND
                if not (not_yet and elapsed < FOLLOW_NOT_FOUND_GRACE):
                    raise
                instance = None
            except NetworkError:
                network_failures += 1
                if network_failures > FOLLOW_MAX_NETWORK_FAILURES:
                    raise
                instance = None
            else:
                network_failures = 0
            if instance is not None and instance.status != last_status:
                last_status = instance.status
                change = StatusChange(instance, self._clock() - started)
                yield change
                if change.finished:
                    return
            delay = self._next_poll(checks, poll)
            checks += 1
            if self._clock() - started + delay > timeout:
                raise WizardError(
                    f"Instance {instance_id} is still {last_status or 'not visible'} after {timeout:g} s; "
                    f"it may yet finish: check it later with `rocketmq-wizard status {instance_id}`."
                )
            await self._sleep(delay)

    def _next_poll(self, checks: int, poll: float | None) -> float:
        if poll is not None:
            return poll
        if checks < len(FOLLOW_QUICK_DELAYS):
            return FOLLOW_QUICK_DELAYS[checks]
        return self._rng.uniform(FOLLOW_POLL * 0.75, FOLLOW_POLL * 1.25)
