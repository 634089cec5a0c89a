"""The vendor's billing (BSS) sites: hosts, currencies, the codes that say "wrong site", and the BSS paths.

Facts from the SDKs `huaweicloudsdkbss`/`huaweicloudsdkbssintl` 3.1.219 (region tables, response
docstrings) and the Terraform provider's site probe (`config.go` SetWebsiteType). An account belongs to one
site, which cannot be known in advance: a call on another site is refused with 403 `CBC.0150` or `CBC.0156`.
"""

from __future__ import annotations

from dataclasses import dataclass

SERVICE_TYPE_DMS = "hws.service.type.dms"
"""The DMS service's code in the BSS product catalogue (RocketMQ instances and storage are priced under it)."""

WRONG_SITE_CODES = frozenset({"CBC.0150", "CBC.0156"})
"""BSS codes meaning "the customer does not belong to the website you are now at"."""

SERVICE_RESOURCES_PATH = "/v2/products/service-resources"
SERVICE_TYPES_PATH = "/v2/products/service-types"
RESOURCE_SPECS_PATH = "/v2/products/resource-specs-query"
ON_DEMAND_RATING_PATH = "/v2/bills/ratings/on-demand-resources"
PERIOD_RATING_PATH = "/v2/bills/ratings/period-resources/subscribe-rate"

CHARGE_MODE_PERIOD = "1"
"""resource-specs-query's charge_mode for yearly/monthly."""
CHARGE_MODE_ON_DEMAND = "3"
"""resource-specs-query's charge_mode for pay-per-use."""

PERIOD_TYPES = {"month": 2, "year": 3}
"""The rating API's period_type for the create body's period_type."""
USAGE_HOUR = 4
"""usage_measure_id of an hour (Huawei's own pay-per-use example)."""
SIZE_GB = 17
"""size_measure_id of a gigabyte."""
HOURS_PER_MONTH = 730
"""The hours in a month that the console uses to show a pay-per-use price per month."""


@dataclass(frozen=True)
class Site:
    """One billing site: its code (as the settings file remembers it), host, currency and name."""

    code: str
    host: str
    currency: str
    name: str
    sandbox_prefix: str
    """Where the sandbox serves this site under its one base URL (the China site at the root)."""
    sdk_service: str
    sdk_region: str
    """The SDK's name and region key for this host: HUAWEICLOUD_SDK_REGION_<SERVICE>_<REGION> overrides it."""


SITES = (
    Site("cn", "https://bss.myhuaweicloud.com", "CNY", "Huawei Cloud China", "", "BSS", "cn-north-1"),
    Site(
        "intl",
        "https://bss-intl.myhuaweicloud.com",
        "USD",
        "Huawei Cloud International",
        "/bss-intl",
        "BSSINTL",
        "ap-southeast-1",
    ),
    Site("eu", "https://bss.myhuaweicloud.eu", "USD", "Huawei Cloud Europe", "/bss-eu", "BSSINTL", "eu-west-101"),
)
SITES_BY_CODE = {site.code: site for site in SITES}


def site_order(region: str, remembered: str | None) -> list[Site]:
    """The sites to try, in order: the remembered one, then the region's own (the .eu regions' first)."""
    order = list(SITES)
    if region == SITES_BY_CODE["eu"].sdk_region:
        order = [SITES_BY_CODE["eu"], SITES_BY_CODE["intl"], SITES_BY_CODE["cn"]]
    if remembered in SITES_BY_CODE:
        order.sort(key=lambda site: site.code != remembered)
    return order
