"""The billing (BSS) APIs the price needs: discovery and rating, signed with global (domain-scoped) credentials.

As the vendor's `GlobalCredentials` do: no project in the URL and no X-Project-Id header (the project ID goes
in the rating body), X-Domain-Id when the SDK's HUAWEICLOUD_SDK_DOMAIN_ID gives one. Amounts are parsed as
`Decimal` straight from the JSON text. Every call is a read: it has a timeout and retries with back-off.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import httpx

from wizard import __version__
from wizard.connection import ConnectionSettings, is_loopback
from wizard.errors import ApiError, CredentialsMissing, WizardError
from wizard.http import RetryPolicy, Sender
from wizard.pricing.codes import SpecCode
from wizard.pricing.sites import (
    ON_DEMAND_RATING_PATH,
    PERIOD_RATING_PATH,
    RESOURCE_SPECS_PATH,
    SERVICE_RESOURCES_PATH,
    WRONG_SITE_CODES,
    Site,
)
from wizard.sdk_env import ENV_DOMAIN_ID
from wizard.signing import AkSkAuth, TokenAuth

SERVICE_RESOURCES_PAGE = 100
SPECS_PAGE = 100
MAX_PAGES = 100


class WrongSite(WizardError):
    """The account does not belong to the site asked (403 CBC.0150/CBC.0156)."""


def _object(response: httpx.Response, what: str) -> Mapping[str, Any]:
    try:
        data: Any = json.loads(response.content or b"{}", parse_float=Decimal)
    except ValueError:
        raise WizardError(f"the answer to {what} was not JSON") from None
    if not isinstance(data, dict):
        raise WizardError(f"the answer to {what} was not a JSON object")
    return data


class BssClient:
    """Calls one account's billing APIs on any site; use as `async with BssClient(settings) as bss:`."""

    def __init__(
        self,
        settings: ConnectionSettings,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        retry: RetryPolicy | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.settings = settings
        self.endpoints = dict(settings.bss_endpoints)
        loopback = all(is_loopback(httpx.URL(url).host) for url in self.endpoints.values())
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(settings.timeout, connect=min(settings.timeout, 10.0)),
            verify=True,
            follow_redirects=False,
            trust_env=not loopback,
            headers={"User-Agent": f"rocketmq-wizard/{__version__}"},
        )
        self._sender = Sender(self._http, retry)
        credentials = settings.credentials
        self._auth: httpx.Auth
        if credentials.auth_token:
            self._auth = TokenAuth(credentials.auth_token)
        elif credentials.ak and credentials.sk:
            self._auth = AkSkAuth(credentials.ak, credentials.sk, None, credentials.security_token)
        else:
            raise CredentialsMissing("No credentials to ask the price service with.")
        domain = (os.environ if env is None else env).get(ENV_DOMAIN_ID, "").strip()
        self._headers = {"Content-Type": "application/json", **({"X-Domain-Id": domain} if domain else {})}
        self.calls: list[str] = []
        """"site METHOD path" of every call sent (benches and tests count them)."""

    async def __aenter__(self) -> BssClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def _call(
        self, site: Site, method: str, path: str, *, what: str, params: Sequence[tuple[str, str]] = (), body: Any = None
    ) -> Mapping[str, Any]:
        base = self.endpoints.get(site.code, site.host)
        content = None if body is None else json.dumps(body, separators=(",", ":"), default=str).encode("utf-8")
        self.calls.append(f"{site.code} {method} {path}")
        try:
            response = await self._sender.read(
                method, base + path, params=params, auth=self._auth, headers=self._headers, content=content
            )
        except ApiError as exc:
            if exc.http_status == 403 and exc.code in WRONG_SITE_CODES:
                raise WrongSite(f"the account does not belong to {site.name}") from None
            raise
        return _object(response, what)

    async def resource_types(self, site: Site, service_type: str) -> list[str]:
        """Every resource type code of a service (`GET /v2/products/service-resources`)."""
        found: list[str] = []
        for _ in range(MAX_PAGES):
            params = [
                ("service_type_code", service_type),
                ("limit", str(SERVICE_RESOURCES_PAGE)),
                ("offset", str(len(found))),
            ]
            data = await self._call(site, "GET", SERVICE_RESOURCES_PATH, what="the resource types", params=params)
            infos = data.get("infos")
            page = [
                str(info["basic_info"]["resource_type_code"])
                for info in infos or ()
                if isinstance(info, dict)
                and isinstance(info.get("basic_info"), dict)
                and info["basic_info"].get("resource_type_code")
            ]
            found += page
            total = data.get("total_count")
            if not page or (isinstance(total, int) and len(found) >= total):
                break
        return found

    async def resource_specs(
        self, site: Site, service_type: str, resource_type: str, region: str, charge_mode: str
    ) -> list[SpecCode]:
        """Every spec of a resource type in a region for a charge mode (`POST /v2/products/resource-specs-query`)."""
        specs: list[SpecCode] = []
        marker: str | None = None
        for _ in range(MAX_PAGES):
            body: dict[str, Any] = {
                "cloud_service_type": service_type,
                "resource_type": resource_type,
                "region_code": region,
                "charge_mode": charge_mode,
                "limit": SPECS_PAGE,
            }
            if marker:
                body["marker"] = marker
            data = await self._call(site, "POST", RESOURCE_SPECS_PATH, what="the resource specs", body=body)
            for item in data.get("cloud_service_basics") or ():
                if isinstance(item, dict) and item.get("resource_spec"):
                    specs.append(
                        SpecCode(
                            str(item.get("cloud_service_type") or service_type),
                            str(item.get("resource_type") or resource_type),
                            str(item["resource_spec"]),
                        )
                    )
            page_info = data.get("page_info")
            next_marker = page_info.get("next_marker") if isinstance(page_info, dict) else None
            if not next_marker or next_marker == marker:
                break
            marker = str(next_marker)
        return specs

    async def rate_on_demand(self, site: Site, project_id: str, products: list[dict[str, Any]]) -> Mapping[str, Any]:
        """`POST /v2/bills/ratings/on-demand-resources`: the price of each product for the usage given."""
        body = {"project_id": project_id, "product_infos": products}
        return await self._call(site, "POST", ON_DEMAND_RATING_PATH, what="the pay-per-use price", body=body)

    async def rate_period(self, site: Site, project_id: str, products: list[dict[str, Any]]) -> Mapping[str, Any]:
        """`POST /v2/bills/ratings/period-resources/subscribe-rate`: the price of each product for the period."""
        body = {"project_id": project_id, "product_infos": products}
        return await self._call(site, "POST", PERIOD_RATING_PATH, what="the yearly/monthly price", body=body)
