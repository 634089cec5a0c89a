"""What is priced: the parts of a request that change the price, as one hashable value.

Two requests that differ only in what the price does not depend on (name, network, EIP IDs) make the same
inquiry, so one answer serves both. The instance is the flavor × brokers; the storage is the disk type ×
total GB (what the create body's `storage_space` holds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wizard.catalog import PAY_PER_USE, YEARLY_MONTHLY, Catalog
from wizard.fields import field_spec
from wizard.pricing.estimate import PriceUnavailable

PRICED_FIELDS = (
    "product_id",
    "broker_num",
    "storage_spec_code",
    "storage_space",
    "bss_param.charging_mode",
    "bss_param.period_type",
    "bss_param.period_num",
)
"""The request fields an estimate depends on."""


@dataclass(frozen=True)
class PriceInquiry:
    """Everything an estimate depends on."""

    region: str
    flavor_id: str
    billing_code: str
    broker_num: int
    storage_spec_code: str
    storage_total_gb: int
    charging_mode: str = PAY_PER_USE
    period_type: str | None = None
    period_num: int | None = None
    public_access: bool = False

    @property
    def yearly_monthly(self) -> bool:
        """True when the instance is bought for a period (prePaid)."""
        return self.charging_mode == YEARLY_MONTHLY

    def period_words(self) -> str:
        """The period in words ("1 year", "3 months"), or "hour" for pay-per-use."""
        if not self.yearly_monthly or self.period_num is None or self.period_type is None:
            return "hour"
        unit = self.period_type if self.period_num == 1 else f"{self.period_type}s"
        return f"{self.period_num} {unit}"


def _billing_code(catalog: Catalog, flavor_id: str) -> str:
    flavor = catalog.flavor(flavor_id)
    if flavor is None or not flavor.billing_code:
        raise PriceUnavailable(
            f"the flavor list gives no billing code for {flavor_id}, so its price cannot be looked up"
            + ("" if catalog.live else " (the live flavor list has not loaded)")
        )
    return flavor.billing_code


def inquiry_from_answers(
    get: Callable[[str], Any], has_problem: Callable[[str], bool], catalog: Catalog, region: str
) -> PriceInquiry:
    """The inquiry of answers still being typed: PriceUnavailable (saying which answer) until the priced ones
    are valid. `get` reads a field by its dotted path; `has_problem` says whether a field breaks a rule."""
    missing = [path for path in PRICED_FIELDS[:4] if get(path) in (None, "") or has_problem(path)]
    if missing:
        names = ", ".join(field_spec(path).label for path in missing)
        raise PriceUnavailable(f"priced once these answers are valid: {names}")
    mode = get("bss_param.charging_mode") or PAY_PER_USE
    period_type = get("bss_param.period_type") if mode == YEARLY_MONTHLY else None
    period_num = get("bss_param.period_num") if mode == YEARLY_MONTHLY else None
    if mode == YEARLY_MONTHLY and (
        has_problem("bss_param.period_type") or has_problem("bss_param.period_num") or not period_type or not period_num
    ):
        raise PriceUnavailable("priced once the billing period is valid")
    flavor_id = str(get("product_id"))
    return PriceInquiry(
        region=region,
        flavor_id=flavor_id,
        billing_code=_billing_code(catalog, flavor_id),
        broker_num=int(get("broker_num")),
        storage_spec_code=str(get("storage_spec_code")),
        storage_total_gb=int(get("storage_space")),
        charging_mode=str(mode),
        period_type=str(period_type) if period_type else None,
        period_num=int(period_num) if period_num else None,
        public_access=bool(get("enable_publicip")),
    )
