"""What a price inquiry answers: the items, their list and discounted amounts, the total, in the site's currency.

Amounts stay `Decimal` from the JSON to the screen; only `money` turns one into text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from wizard.errors import WizardError
from wizard.pricing.sites import HOURS_PER_MONTH

CURRENCY_SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€"}
EIPS_NOT_INCLUDED = "EIPs and their bandwidth are billed by VPC, not by DMS: not included."


class PriceUnavailable(WizardError):
    """No price could be had; the message says why in words (no permission, no matching spec, unreachable).

    `lasting` is True when asking again cannot help (no spec matches): the answer is kept for the inquiry.
    """

    def __init__(self, reason: str, *, lasting: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.lasting = lasting


def money(amount: Decimal, currency: str) -> str:
    """An amount for people: the currency's symbol (or code), thousands separated, cents (4 places below 1)."""
    places = Decimal("0.01") if abs(amount) >= 1 or amount == 0 else Decimal("0.0001")
    text = f"{amount.quantize(places, rounding=ROUND_HALF_UP):,}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


@dataclass(frozen=True)
class PricedItem:
    """One line of the estimate: what it is, how much of it, and what the vendor said it costs."""

    key: str
    """instance or storage."""
    label: str
    quantity: str
    list_amount: Decimal
    amount: Decimal
    """After the account's discount (equal to the list amount when there is none)."""
    inquiry: Mapping[str, Any]
    """The product_infos entry it was priced with."""

    @property
    def discounted(self) -> bool:
        """True when the account pays less than the list price."""
        return self.amount < self.list_amount


@dataclass(frozen=True)
class Estimate:
    """The estimate of one inquiry: per hour for pay-per-use, for the whole period for yearly/monthly."""

    currency: str
    site: str
    per: str
    """"hour" or the period in words ("1 year", "3 months")."""
    items: tuple[PricedItem, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def hourly(self) -> bool:
        """True for a pay-per-use estimate (amounts per hour)."""
        return self.per == "hour"

    @property
    def list_total(self) -> Decimal:
        """The list price of everything."""
        return sum((item.list_amount for item in self.items), Decimal(0))

    @property
    def total(self) -> Decimal:
        """What the account pays for everything, after its discount."""
        return sum((item.amount for item in self.items), Decimal(0))

    @property
    def discounted(self) -> bool:
        """True when some item is discounted."""
        return any(item.discounted for item in self.items)

    def per_month(self, amount: Decimal) -> Decimal:
        """A pay-per-use amount over a month of 730 hours, as the console shows it."""
        return amount * HOURS_PER_MONTH

    def total_line(self) -> str:
        """The total in one line, e.g. "$2.54/hour (≈ $1,854.20/month at 730 h)" or "$4,410.00 for 1 year"."""
        amount = money(self.total, self.currency)
        if self.hourly:
            month = money(self.per_month(self.total), self.currency)
            text = f"{amount}/hour (≈ {month}/month at {HOURS_PER_MONTH} h)"
        else:
            text = f"{amount} for {self.per}"
        if self.discounted:
            text += f", list price {money(self.list_total, self.currency)}"
        return text

    def item_line(self, item: PricedItem) -> str:
        """One item in one line, e.g. "Instance  c6.4u8g.cluster × 3  $2.40/hour"."""
        unit = "/hour" if self.hourly else ""
        text = f"{item.label} {item.quantity}: {money(item.amount, self.currency)}{unit}"
        if item.discounted:
            text += f" (list {money(item.list_amount, self.currency)}{unit})"
        return text

    def as_json(self) -> dict[str, Any]:
        """The estimate for `--json`: amounts as decimal strings, each item with the inquiry it was priced with."""
        data: dict[str, Any] = {
            "currency": self.currency,
            "site": self.site,
            "per": self.per,
            "total": str(self.total),
            "list_total": str(self.list_total),
            "items": [
                {
                    "item": item.key,
                    "label": item.label,
                    "quantity": item.quantity,
                    "amount": str(item.amount),
                    "list_amount": str(item.list_amount),
                    "inquiry": dict(item.inquiry),
                }
                for item in self.items
            ],
            "notes": list(self.notes),
        }
        if self.hourly:
            data["total_per_month_730h"] = str(self.per_month(self.total))
        return data
