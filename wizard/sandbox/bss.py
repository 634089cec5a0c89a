"""The sandbox's billing (BSS) APIs: product discovery and price inquiry, with the vendor's shapes.

Request and response shapes follow `huaweicloudsdkbss` 3.1.219 (models `RateOnDemandReq`,
`ListOnDemandResourceRatingsResponse`, `RateOnPeriodReq`, `ListRateOnPeriodDetailResponse`,
`ResourceSpecsQueryReq`, `ListResourceSpecsResponse`, `ListServiceResourcesResponse`); the official client
parses these answers unchanged (tests/sandbox/test_bss_sdk.py when the SDK is installed).

THE PRICES BELOW ARE MADE UP. They are nobody's price list: round numbers chosen so that tests can compute
an estimate by hand. The RocketMQ `resource_type`/`resource_spec` codes are the sandbox's guess as well (the
vendor does not document them), built the way a third-party catalogue suggests: the instance spec is the
flavor's `billing_code` joined with its `product_id`, the storage spec is the disk's `io_spec`. Guessed too:
`CBC.0100` for a malformed inquiry and `CBC.6006` for a spec not sold in the region (a third-party report).

Each site is served under its own prefix of the one base URL (`wizard.pricing.sites`); an account belongs to
one site and is refused elsewhere with 403 `CBC.0150`, as the vendor does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from starlette.responses import JSONResponse, Response

from wizard.catalog import HIGH_IO, ULTRA_HIGH_IO
from wizard.pricing.sites import (
    CHARGE_MODE_ON_DEMAND,
    CHARGE_MODE_PERIOD,
    ON_DEMAND_RATING_PATH,
    PERIOD_RATING_PATH,
    RESOURCE_SPECS_PATH,
    SERVICE_RESOURCES_PATH,
    SERVICE_TYPE_DMS,
    SERVICE_TYPES_PATH,
    SITES,
    SIZE_GB,
    USAGE_HOUR,
    Site,
)
from wizard.sandbox.rules import VendorError
from wizard.sandbox.tenants import FLAVORS

Json = dict[str, Any]

INSTANCE_TYPE = "hws.resource.type.dms.platinum"
STORAGE_TYPE = "hws.resource.type.dms.storage"
KAFKA_TYPE = "hws.resource.type.dms.kafka"
BILLING_CODE = "dms.platinum.c6"

#: MADE UP: USD per broker per hour, and per broker per month, for each flavor.
INSTANCE_PRICES_USD: Mapping[str, tuple[Decimal, Decimal]] = {
    "c6.4u8g.cluster.small": (Decimal("0.6"), Decimal("300")),
    "c6.4u8g.cluster": (Decimal("0.8"), Decimal("400")),
    "c6.8u16g.cluster": (Decimal("1.6"), Decimal("800")),
    "c6.12u24g.cluster": (Decimal("2.4"), Decimal("1200")),
    "c6.16u32g.cluster": (Decimal("3.2"), Decimal("1600")),
}
#: MADE UP: USD per GB per hour, and per GB per month, for each disk type.
STORAGE_PRICES_USD: Mapping[str, tuple[Decimal, Decimal]] = {
    HIGH_IO: (Decimal("0.00015"), Decimal("0.1")),
    ULTRA_HIGH_IO: (Decimal("0.0003"), Decimal("0.2")),
}
#: MADE UP: a kafka flavor, so that discovery has something to leave out.
KAFKA_PRICES_USD: Mapping[str, tuple[Decimal, Decimal]] = {
    "dms.kafka.c6.2u4g.cluster": (Decimal("0.5"), Decimal("250")),
}
CNY_PER_USD = Decimal("7")
"""MADE UP: the China site's prices are the USD ones times this."""
MONTHS_PER_YEAR_PRICE = 10
"""MADE UP: a year costs ten months."""
DISCOUNT_NAME = "Sandbox account discount (made up)"


@dataclass
class BssAccount:
    """The sandbox account as billing sees it: its site and its discount (a fraction off every price)."""

    site: str = "intl"
    discount: Decimal = Decimal(0)
    may_view_prices: bool = True
    """False answers the rating calls as for an IAM user without `bss:discount:view`."""

    @classmethod
    def for_tenant(cls, tenant: str) -> BssAccount:
        """demo: an international account at list price; large: a China account with 15 % off (made up)."""
        if tenant == "large":
            return cls(site="cn", discount=Decimal("0.15"))
        return cls(site="intl")


@dataclass(frozen=True)
class PricedSpec:
    """One sellable spec: its codes, whether it is priced by size (GB), and its USD unit prices."""

    resource_type: str
    resource_spec: str
    name: str
    per_hour: Decimal
    per_month: Decimal
    linear: bool = False


def _specs() -> list[PricedSpec]:
    specs = [
        PricedSpec(INSTANCE_TYPE, f"{BILLING_CODE}.{flavor.id.removeprefix('c6.')}", f"RocketMQ {flavor.alias}", *price)
        for flavor in FLAVORS
        for price in (INSTANCE_PRICES_USD[flavor.id],)
    ]
    specs += [
        PricedSpec(STORAGE_TYPE, code, f"DMS physical storage {code}", *price, linear=True)
        for code, price in STORAGE_PRICES_USD.items()
    ]
    specs += [PricedSpec(KAFKA_TYPE, code, "Kafka 2u4g", *price) for code, price in KAFKA_PRICES_USD.items()]
    return specs


SPECS = {spec.resource_spec: spec for spec in _specs()}
RESOURCE_TYPES = (
    (INSTANCE_TYPE, "dms instance platinum", "Distributed Message Service RocketMQ dedicated flavor"),
    (STORAGE_TYPE, "dms physical storage", "Distributed Message Service physical storage"),
    (KAFKA_TYPE, "dms kafka instance", "Distributed Message Service Kafka instance"),
)

WRONG_SITE = (403, "CBC.0150", "Access denied. The customer does not belong to the website you are now at.")
NO_PERMISSION = (403, "CBC.0151", "Access denied: the user has no permission bss:discount:view.")
"""The sandbox's guess: the vendor's answer to a user without the permission is not documented."""
BAD_INQUIRY = "CBC.0100"
SPEC_NOT_FOUND = "CBC.6006"


def _bad(message: str) -> VendorError:
    return VendorError(400, BAD_INQUIRY, message)


def _number(amount: Decimal) -> float:
    """An amount for JSON, at the API's default 6 decimals (a float's repr gives those digits back exactly)."""
    return float(amount.quantize(Decimal("0.000001")))


class BssSandbox:
    """Serves the BSS paths of every site; `account` and `region`/`project_id` come from the sandbox state."""

    def __init__(self, account: BssAccount, *, region: str, project_id: str) -> None:
        self.account = account
        self.region = region
        self.project_id = project_id

    def routes(self) -> list[tuple[str, str, Callable[[Any], Response]]]:
        """(method, path, handler) for each BSS path under each site's prefix."""
        routes: list[tuple[str, str, Callable[[Any], Response]]] = []
        for site in SITES:
            prefix = site.sandbox_prefix
            routes += [
                ("GET", prefix + SERVICE_TYPES_PATH, self._on(site, self.service_types)),
                ("GET", prefix + SERVICE_RESOURCES_PATH, self._on(site, self.service_resources)),
                ("POST", prefix + RESOURCE_SPECS_PATH, self._on(site, self.resource_specs)),
                ("POST", prefix + ON_DEMAND_RATING_PATH, self._on(site, self.rate_on_demand)),
                ("POST", prefix + PERIOD_RATING_PATH, self._on(site, self.rate_period)),
            ]
        return routes

    def _on(self, site: Site, handler: Callable[[Site, Any], Json]) -> Callable[[Any], Response]:
        def answer(call: Any) -> Response:
            if site.code != self.account.site:
                raise VendorError(*WRONG_SITE)
            if handler in (self.rate_on_demand, self.rate_period) and not self.account.may_view_prices:
                raise VendorError(*NO_PERMISSION)
            return JSONResponse(handler(site, call))

        return answer

    # --- discovery ---------------------------------------------------------------------------------

    def service_types(self, site: Site, call: Any) -> Json:
        """GET /v2/products/service-types (the site probe Terraform uses)."""
        types = [{"service_type_name": "Distributed Message Service", "service_type_code": SERVICE_TYPE_DMS}]
        return {"total_count": len(types), "service_types": types}

    def service_resources(self, site: Site, call: Any) -> Json:
        """GET /v2/products/service-resources?service_type_code=…&limit=…&offset=…"""
        query = call.query
        code = query.get("service_type_code")
        if not code:
            raise _bad("service_type_code is required.")
        limit, offset = _whole(query.get("limit"), 10, "limit"), _whole(query.get("offset"), 0, "offset")
        found = [
            {"basic_info": {"resource_type_code": rtype, "product_owner_service": code, "name": name, "description": d}}
            for rtype, name, d in RESOURCE_TYPES
            if code == SERVICE_TYPE_DMS
        ]
        return {"total_count": len(found), "infos": found[offset : offset + limit]}

    def resource_specs(self, site: Site, call: Any) -> Json:
        """POST /v2/products/resource-specs-query: the specs of one resource type in a region and charge mode."""
        body = _body(call.body)
        for key in ("cloud_service_type", "resource_type", "region_code", "charge_mode"):
            if not isinstance(body.get(key), str) or not body[key]:
                raise _bad(f"{key} is required.")
        if body["charge_mode"] not in (CHARGE_MODE_PERIOD, CHARGE_MODE_ON_DEMAND):
            raise _bad("charge_mode must be 1 (yearly/monthly) or 3 (pay-per-use).")
        limit = body.get("limit", 100)
        if not isinstance(limit, int) or not 1 <= limit <= 100:
            raise _bad("limit must be 1-100.")
        wanted = {f.get("value") for f in body.get("filters") or () if isinstance(f, dict)}
        specs = [
            spec
            for spec in SPECS.values()
            if body["cloud_service_type"] == SERVICE_TYPE_DMS
            and spec.resource_type == body["resource_type"]
            and body["region_code"] == self.region
            and (not wanted or spec.resource_spec in wanted)
        ]
        start = _whole(body.get("marker"), 0, "marker")
        page = specs[start : start + limit]
        more = start + limit < len(specs)
        return {
            "page_info": {"next_marker": str(start + limit) if more else None},
            "cloud_service_basics": [
                {
                    "cloud_service_type": SERVICE_TYPE_DMS,
                    "cloud_service_type_name": "Distributed Message Service",
                    "resource_type": spec.resource_type,
                    "resource_type_name": next(n for t, n, _ in RESOURCE_TYPES if t == spec.resource_type),
                    "resource_spec": spec.resource_spec,
                    "resource_spec_name": spec.name,
                    "charge_mode": body["charge_mode"],
                    "region_code": self.region,
                }
                for spec in page
            ],
        }

    # --- rating ------------------------------------------------------------------------------------

    def _products(self, body: Json) -> list[Json]:
        if body.get("project_id") != self.project_id:
            raise _bad("project_id is missing or is not a project of this account.")
        products = body.get("product_infos")
        if not isinstance(products, list) or not products or not all(isinstance(p, dict) for p in products):
            raise _bad("product_infos must be a non-empty list.")
        ids = [p.get("id") for p in products]
        if len(set(ids)) != len(ids) or not all(isinstance(i, str) and i for i in ids):
            raise _bad("each product_infos[].id is required and must be unique.")
        return products

    def _spec_of(self, product: Json) -> tuple[PricedSpec, int]:
        """The priced spec a product asks for and the size it is priced at (1 for specs not priced by size)."""
        for key in ("cloud_service_type", "resource_type", "resource_spec", "region"):
            if not isinstance(product.get(key), str) or not product[key]:
                raise _bad(f"product_infos[].{key} is required.")
        spec = SPECS.get(product["resource_spec"])
        if (
            spec is None
            or product["cloud_service_type"] != SERVICE_TYPE_DMS
            or product["resource_type"] != spec.resource_type
            or product["region"] != self.region
        ):
            raise VendorError(400, SPEC_NOT_FOUND, f"The product {product['resource_spec']} is not sold here.")
        if not spec.linear:
            return spec, 1
        size = product.get("resource_size")
        if not isinstance(size, int) or size <= 0 or product.get("size_measure_id") != SIZE_GB:
            raise _bad("resource_size (with size_measure_id 17, GB) is required for a product priced by size.")
        return spec, size

    def _count(self, product: Json) -> int:
        count = product.get("subscription_num")
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise _bad("product_infos[].subscription_num must be a whole number of at least 1.")
        return count

    def _in_currency(self, site: Site, usd: Decimal) -> Decimal:
        return usd * CNY_PER_USD if site.currency == "CNY" else usd

    def rate_on_demand(self, site: Site, call: Any) -> Json:
        """POST /v2/bills/ratings/on-demand-resources."""
        body = _body(call.body)
        results = []
        for product in self._products(body):
            spec, size = self._spec_of(product)
            if product.get("usage_factor") != "Duration" or product.get("usage_measure_id") != USAGE_HOUR:
                raise _bad("the sandbox rates usage_factor Duration in hours (usage_measure_id 4) only.")
            usage = product.get("usage_value")
            if not isinstance(usage, (int, float)) or isinstance(usage, bool) or usage <= 0:
                raise _bad("product_infos[].usage_value must be a positive number.")
            official = self._in_currency(site, spec.per_hour) * size * Decimal(str(usage)) * self._count(product)
            results.append(self._rated(product["id"], spec, official))
        return {
            "amount": _number(sum((r["_amount"] for r in results), Decimal(0))),
            "discount_amount": _number(sum((r["_discount"] for r in results), Decimal(0))),
            "official_website_amount": _number(sum((r["_official"] for r in results), Decimal(0))),
            "measure_id": 1,
            "currency": site.currency,
            "product_rating_results": [r["json"] for r in results],
        }

    def _rated(self, product_id: str, spec: PricedSpec, official: Decimal) -> Json:
        discount = official * self.account.discount
        amount = official - discount
        item: Json = {
            "id": product_id,
            "product_id": f"sandbox-{spec.resource_spec}",
            "amount": _number(amount),
            "discount_amount": _number(discount),
            "official_website_amount": _number(official),
            "measure_id": 1,
            "discount_rating_results": (
                [
                    {
                        "discount_id": "sandbox-discount",
                        "discount_type": 607,
                        "amount": _number(discount),
                        "measure_id": 1,
                        "discount_name": DISCOUNT_NAME,
                    }
                ]
                if discount
                else []
            ),
        }
        return {"json": item, "_amount": amount, "_discount": discount, "_official": official}

    def rate_period(self, site: Site, call: Any) -> Json:
        """POST /v2/bills/ratings/period-resources/subscribe-rate."""
        body = _body(call.body)
        official_items: list[Json] = []
        discounted_items: list[Json] = []
        totals = {"official": Decimal(0), "amount": Decimal(0)}
        for product in self._products(body):
            spec, size = self._spec_of(product)
            period_type, period_num = product.get("period_type"), product.get("period_num")
            if period_type not in (2, 3):
                raise _bad("the sandbox sells by month (period_type 2) or year (period_type 3) only.")
            if not isinstance(period_num, int) or isinstance(period_num, bool) or period_num < 1:
                raise _bad("product_infos[].period_num must be a whole number of at least 1.")
            months = period_num * (MONTHS_PER_YEAR_PRICE if period_type == 3 else 1)
            official = self._in_currency(site, spec.per_month) * size * months * self._count(product)
            discount = official * self.account.discount
            totals["official"] += official
            totals["amount"] += official - discount
            base = {"id": product["id"], "product_id": f"sandbox-{spec.resource_spec}", "measure_id": 1}
            official_items.append({**base, "official_website_amount": _number(official)})
            discounted_items.append(
                {
                    **base,
                    "amount": _number(official - discount),
                    "official_website_amount": _number(official),
                    "discount_amount": _number(discount),
                }
            )
        offers = []
        if self.account.discount:
            offers.append(
                {
                    "discount_id": "sandbox-discount",
                    "amount": _number(totals["amount"]),
                    "official_website_amount": _number(totals["official"]),
                    "discount_amount": _number(totals["official"] - totals["amount"]),
                    "measure_id": 1,
                    "discount_type": 607,
                    "discount_name": DISCOUNT_NAME,
                    "best_offer": 1,
                    "product_rating_results": discounted_items,
                }
            )
        return {
            "official_website_rating_result": {
                "official_website_amount": _number(totals["official"]),
                "measure_id": 1,
                "product_rating_results": official_items,
            },
            "optional_discount_rating_results": offers,
            "currency": site.currency,
        }


def _body(raw: bytes) -> Json:
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise _bad("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise _bad("The request body must be a JSON object.")
    return data


def _whole(raw: object, default: int, name: str) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(str(raw))
    except ValueError:
        raise _bad(f"{name} must be a whole number.") from None
    if value < 0:
        raise _bad(f"{name} must not be negative.")
    return value
