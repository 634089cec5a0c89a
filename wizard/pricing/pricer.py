"""Estimates for inquiries: the right billing site, the discovered codes, one rating call per distinct inquiry.

The site is detected once (a call refused with CBC.0150/CBC.0156 moves on to the next site) and remembered
in the settings file. Answers are kept per inquiry while the pricer lives, and concurrent asks for the same
inquiry share one call. Every failure becomes `PriceUnavailable` with the reason in words.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

import httpx

from wizard.catalog import STORAGE_TYPES
from wizard.connection import ConnectionSettings
from wizard.errors import ApiError, CredentialsMissing, NetworkError, WizardError
from wizard.http import RetryPolicy
from wizard.pricing.bss import BssClient, WrongSite
from wizard.pricing.codes import CodeCache, SpecCode, instance_spec, storage_spec
from wizard.pricing.estimate import EIPS_NOT_INCLUDED, Estimate, PricedItem, PriceUnavailable
from wizard.pricing.inquiry import PriceInquiry
from wizard.pricing.sites import (
    CHARGE_MODE_ON_DEMAND,
    CHARGE_MODE_PERIOD,
    PERIOD_TYPES,
    SERVICE_TYPE_DMS,
    SIZE_GB,
    USAGE_HOUR,
    Site,
    site_order,
)
from wizard.storage.errors import StorageError
from wizard.storage.settings import SettingsFile

SITE_SETTING = "pricing.site"
"""Where the settings file remembers the account's billing site."""

_T = TypeVar("_T")
_STORAGE_LABELS = {s.code: s.label for s in STORAGE_TYPES}


def _amount(value: object) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return None


def _by_id(results: object) -> dict[str, Mapping[str, Any]]:
    if not isinstance(results, list):
        return {}
    return {str(r.get("id")): r for r in results if isinstance(r, dict)}


class Pricer:
    """Prices inquiries for one account (see the module docstring); close it with `aclose()`."""

    def __init__(
        self,
        settings: ConnectionSettings,
        project_id: Callable[[], Awaitable[str]],
        *,
        settings_file: SettingsFile | None = None,
        cache: CodeCache | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.settings = settings
        self._project_id = project_id
        self._settings_file = settings_file
        self._cache = cache
        self._transport = transport
        self._retry = retry
        self._env = env
        self._bss: BssClient | None = None
        self._site: Site | None = None
        self._site_lock = asyncio.Lock()
        self._specs: dict[tuple[str, str], list[SpecCode]] = {}
        self._specs_from_disk: set[tuple[str, str]] = set()
        self._discovering: dict[tuple[str, str], asyncio.Future[list[SpecCode]]] = {}
        self._answers: dict[PriceInquiry, Estimate | PriceUnavailable] = {}
        self._inflight: dict[PriceInquiry, asyncio.Future[Estimate]] = {}

    async def aclose(self) -> None:
        """Close the connections."""
        if self._bss is not None:
            await self._bss.aclose()

    @property
    def calls(self) -> list[str]:
        """The path of every billing call sent so far."""
        return list(self._bss.calls) if self._bss is not None else []

    @property
    def rating_calls(self) -> int:
        """How many price (rating) calls were sent so far."""
        return sum("/ratings/" in path for path in self.calls)

    @property
    def site(self) -> Site | None:
        """The account's billing site, once known."""
        return self._site

    def known(self, inquiry: PriceInquiry) -> Estimate | PriceUnavailable | None:
        """The answer already had for this inquiry, without asking."""
        return self._answers.get(inquiry)

    async def estimate(self, inquiry: PriceInquiry) -> Estimate:
        """The estimate of an inquiry; PriceUnavailable says why there is none. Asks at most once per inquiry."""
        known = self._answers.get(inquiry)
        if isinstance(known, Estimate):
            return known
        if isinstance(known, PriceUnavailable):
            raise known
        future = self._inflight.get(inquiry)
        if future is None:
            future = asyncio.ensure_future(self._estimate(inquiry))
            self._inflight[inquiry] = future
            future.add_done_callback(lambda _: self._inflight.pop(inquiry, None))
        return await asyncio.shield(future)

    async def _estimate(self, inquiry: PriceInquiry) -> Estimate:
        try:
            estimate = await self._on_site(lambda site: self._rate(site, inquiry))
        except PriceUnavailable as exc:
            if exc.lasting:
                self._answers[inquiry] = exc
            raise
        except CredentialsMissing as exc:
            raise PriceUnavailable(f"there are no credentials to ask the price service with ({exc})") from None
        except ApiError as exc:
            raise PriceUnavailable(_refusal(exc)) from None
        except NetworkError as exc:
            raise PriceUnavailable(f"the price service could not be reached: {exc}") from None
        except WizardError as exc:
            raise PriceUnavailable(f"the price service answered something unusable: {exc}") from None
        self._answers[inquiry] = estimate
        return estimate

    def _client(self) -> BssClient:
        if self._bss is None:
            self._bss = BssClient(self.settings, self._transport, retry=self._retry, env=self._env)
        return self._bss

    # --- the site ----------------------------------------------------------------------------------

    async def _on_site(self, work: Callable[[Site], Awaitable[_T]]) -> _T:
        if self._site is not None:
            try:
                return await work(self._site)
            except WrongSite:
                self._site = None  # the account moved, or the remembered site was wrong: detect again
        async with self._site_lock:
            if self._site is not None:
                return await work(self._site)
            remembered = self._settings_file.get(SITE_SETTING) if self._settings_file else None
            tried: list[str] = []
            for site in site_order(self.settings.region, str(remembered) if remembered else None):
                try:
                    result = await work(site)
                except WrongSite:
                    tried.append(site.name)
                    continue
                self._site = site
                if remembered != site.code and self._settings_file is not None:
                    # If it cannot be remembered it is detected again next time: worth one call, not an error.
                    with contextlib.suppress(StorageError):
                        self._settings_file.set(SITE_SETTING, site.code)
                return result
        raise PriceUnavailable(f"the account belongs to none of the billing sites ({', '.join(tried)} refused it)")

    # --- codes -------------------------------------------------------------------------------------

    async def _specs_for(self, site: Site, charge_mode: str, *, fresh: bool = False) -> list[SpecCode]:
        key = (site.code, charge_mode)
        if not fresh and key in self._specs:
            return self._specs[key]
        if not fresh and self._cache is not None:
            cached = self._cache.load(site.code, self.settings.region, charge_mode)
            if cached is not None:
                self._specs[key] = cached
                self._specs_from_disk.add(key)
                return cached
        future = self._discovering.get(key)
        if future is None:
            future = asyncio.ensure_future(self._discover(site, charge_mode))
            self._discovering[key] = future
            future.add_done_callback(lambda _: self._discovering.pop(key, None))
        specs = await asyncio.shield(future)
        self._specs[key] = specs
        self._specs_from_disk.discard(key)
        return specs

    async def _discover(self, site: Site, charge_mode: str) -> list[SpecCode]:
        bss = self._client()
        types = await bss.resource_types(site, SERVICE_TYPE_DMS)
        pages = await asyncio.gather(
            *(bss.resource_specs(site, SERVICE_TYPE_DMS, t, self.settings.region, charge_mode) for t in types)
        )
        specs = [spec for page in pages for spec in page]
        if self._cache is not None:
            self._cache.save(site.code, self.settings.region, charge_mode, specs)
        return specs

    async def _codes(self, site: Site, inquiry: PriceInquiry) -> tuple[SpecCode, SpecCode]:
        mode = CHARGE_MODE_PERIOD if inquiry.yearly_monthly else CHARGE_MODE_ON_DEMAND
        where = f"{site.name} in {inquiry.region}"
        specs = await self._specs_for(site, mode)
        if (site.code, mode) in self._specs_from_disk:
            try:
                return _match(specs, inquiry, where)
            except PriceUnavailable:
                # The cached list may be out of date: discover once more before giving up.
                specs = await self._specs_for(site, mode, fresh=True)
        try:
            return _match(specs, inquiry, where)
        except PriceUnavailable as exc:
            raise PriceUnavailable(exc.reason, lasting=True) from None

    # --- rating ------------------------------------------------------------------------------------

    async def _rate(self, site: Site, inquiry: PriceInquiry) -> Estimate:
        instance, storage = await self._codes(site, inquiry)
        project_id = await self._project_id()
        products = [_product(instance, inquiry, "instance"), _product(storage, inquiry, "storage")]
        bss = self._client()
        if inquiry.yearly_monthly:
            data = await bss.rate_period(site, project_id, products)
            list_amounts, amounts = _period_amounts(data)
        else:
            data = await bss.rate_on_demand(site, project_id, products)
            results = _by_id(data.get("product_rating_results"))
            list_amounts = {k: _amount(r.get("official_website_amount")) for k, r in results.items()}
            amounts = {k: _amount(r.get("amount")) for k, r in results.items()}
        currency = str(data.get("currency") or site.currency)
        items = []
        for product in products:
            key = str(product["id"])
            listed = list_amounts.get(key)
            paid = amounts.get(key)
            if listed is None:
                raise PriceUnavailable(f"the price answer has no amount for the {key}")
            items.append(
                PricedItem(
                    key=key,
                    label=key.capitalize(),
                    quantity=_quantity(inquiry, key),
                    list_amount=listed,
                    amount=paid if paid is not None else listed,
                    inquiry={**product, "project_id": project_id},
                )
            )
        notes = (EIPS_NOT_INCLUDED,) if inquiry.public_access else ()
        return Estimate(currency, site.code, inquiry.period_words(), tuple(items), notes)


def _match(specs: list[SpecCode], inquiry: PriceInquiry, where: str) -> tuple[SpecCode, SpecCode]:
    return (
        instance_spec(specs, inquiry.billing_code, inquiry.flavor_id, where),
        storage_spec(specs, inquiry.storage_spec_code, where),
    )


def _product(spec: SpecCode, inquiry: PriceInquiry, key: str) -> dict[str, Any]:
    product: dict[str, Any] = {
        "id": key,
        "cloud_service_type": spec.cloud_service_type,
        "resource_type": spec.resource_type,
        "resource_spec": spec.resource_spec,
        "region": inquiry.region,
    }
    if key == "storage":
        product |= {"resource_size": inquiry.storage_total_gb, "size_measure_id": SIZE_GB}
    count = inquiry.broker_num if key == "instance" else 1
    if inquiry.yearly_monthly and inquiry.period_type is not None:
        product |= {
            "period_type": PERIOD_TYPES[inquiry.period_type],
            "period_num": inquiry.period_num,
            "subscription_num": count,
        }
    else:
        product |= {"usage_factor": "Duration", "usage_value": 1, "usage_measure_id": USAGE_HOUR}
        product["subscription_num"] = count
    return product


def _quantity(inquiry: PriceInquiry, key: str) -> str:
    if key == "instance":
        return f"{inquiry.flavor_id} × {inquiry.broker_num}"
    label = _STORAGE_LABELS.get(inquiry.storage_spec_code, inquiry.storage_spec_code)
    return f"{label} × {inquiry.storage_total_gb:,} GB"


def _period_amounts(data: Mapping[str, Any]) -> tuple[dict[str, Decimal | None], dict[str, Decimal | None]]:
    official = data.get("official_website_rating_result")
    official_results = _by_id(official.get("product_rating_results") if isinstance(official, dict) else None)
    list_amounts = {k: _amount(r.get("official_website_amount")) for k, r in official_results.items()}
    offers = [o for o in data.get("optional_discount_rating_results") or () if isinstance(o, dict)]
    best = next((o for o in offers if o.get("best_offer") == 1), None)
    if best is None and offers:
        best = min(offers, key=lambda o: _amount(o.get("amount")) or Decimal("Infinity"))
    discounted = _by_id(best.get("product_rating_results")) if best else {}
    amounts = {k: _amount(r.get("amount")) for k, r in discounted.items()}
    return list_amounts, amounts


def _refusal(exc: ApiError) -> str:
    if exc.http_status == 403:
        return f"the account may not see prices (an IAM user needs the permission bss:discount:view): {exc}"
    if exc.http_status == 401:
        return f"the price service refused the credentials: {exc}"
    return f"the price service refused the inquiry: {exc}"


def default_pricer(settings: ConnectionSettings, project_id: Callable[[], Awaitable[str]]) -> Pricer:
    """A pricer that remembers the site in the user's settings file and caches codes in the user cache folder."""
    from wizard.storage.paths import app_paths
    from wizard.storage.settings import settings_file

    paths = app_paths()
    return Pricer(
        settings, project_id, settings_file=settings_file(paths), cache=CodeCache(paths.cache_dir / "price-codes")
    )
