"""Estimates against the sandbox over real HTTP: the table computed by hand, the site, the caches, the failures.

The sandbox's prices are made up (wizard/sandbox/bss.py); the figures below are worked out here from that
table by hand: demo is an international account (USD) at list price, large a China account (CNY = USD × 7)
with 15 % off. Per hour: c6.4u8g.cluster 0.8 a broker, high I/O 0.00015 a GB, ultra-high I/O 0.0003 a GB.
Per month: 400 a broker, 0.1 and 0.2 a GB; a year costs ten months.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from wizard.catalog import HIGH_IO, ULTRA_HIGH_IO
from wizard.connection import Credentials, build_settings
from wizard.http import RetryPolicy
from wizard.pricing.codes import CodeCache
from wizard.pricing.estimate import PriceUnavailable, money
from wizard.pricing.inquiry import PriceInquiry
from wizard.pricing.pricer import SITE_SETTING, Pricer
from wizard.sandbox import SANDBOX_REGION, start_sandbox
from wizard.sandbox.server import RunningSandbox
from wizard.storage.settings import SettingsFile

ONE_TRY = RetryPolicy(max_attempts=1)


def inquiry(brokers: int, disk: str, gb: int, *, period: tuple[str, int] | None = None) -> PriceInquiry:
    return PriceInquiry(
        region=SANDBOX_REGION,
        flavor_id="c6.4u8g.cluster",
        billing_code="dms.platinum.c6",
        broker_num=brokers,
        storage_spec_code=disk,
        storage_total_gb=gb,
        charging_mode="prePaid" if period else "postPaid",
        period_type=period[0] if period else None,
        period_num=period[1] if period else None,
    )


def pricer_for(sandbox: RunningSandbox, home: Path, *, url: str | None = None) -> Pricer:
    credentials = Credentials(sandbox.ak, sandbox.sk, sandbox.project_id, None, None, "test")
    settings = build_settings(SANDBOX_REGION, credentials, env={}, endpoint=url or sandbox.url, sandbox=True)

    async def project_id() -> str:
        return sandbox.project_id

    return Pricer(
        settings,
        project_id,
        settings_file=SettingsFile(home / "settings.toml"),
        cache=CodeCache(home / "cache"),
        retry=ONE_TRY,
        env={},
    )


@pytest.fixture
async def pricer(sandbox: RunningSandbox, tmp_path: Path) -> AsyncIterator[Pricer]:
    made = pricer_for(sandbox, tmp_path)
    yield made
    await made.aclose()


TABLE = [
    # (brokers, disk, total GB, period, instance, storage) — per hour, or for the whole period.
    (1, HIGH_IO, 300, None, "0.8", "0.045"),
    (10, HIGH_IO, 3000, None, "8.0", "0.45"),
    (1, ULTRA_HIGH_IO, 300, None, "0.8", "0.09"),
    (10, ULTRA_HIGH_IO, 3000, None, "8.0", "0.9"),
    (1, HIGH_IO, 300, ("month", 1), "400", "30"),
    (10, HIGH_IO, 3000, ("month", 3), "12000", "900"),
    (1, ULTRA_HIGH_IO, 300, ("year", 1), "4000", "600"),
    (10, ULTRA_HIGH_IO, 3000, ("year", 2), "80000", "12000"),
]


@pytest.mark.parametrize(("brokers", "disk", "gb", "period", "instance", "storage"), TABLE)
async def test_the_estimate_is_the_sandbox_table_worked_out_by_hand(
    pricer: Pricer, brokers: int, disk: str, gb: int, period: tuple[str, int] | None, instance: str, storage: str
) -> None:
    estimate = await pricer.estimate(inquiry(brokers, disk, gb, period=period))
    amounts = {item.key: item.amount for item in estimate.items}
    assert amounts == {"instance": Decimal(instance), "storage": Decimal(storage)}
    assert estimate.total == Decimal(instance) + Decimal(storage)
    assert estimate.currency == "USD"
    assert not estimate.discounted
    assert all(isinstance(item.amount, Decimal) for item in estimate.items)
    assert estimate.hourly is (period is None)


async def test_a_discounted_account_sees_list_and_discounted_prices_in_its_currency(tmp_path: Path) -> None:
    with start_sandbox(tenant="large") as sandbox:
        pricer = pricer_for(sandbox, tmp_path)
        try:
            estimate = await pricer.estimate(inquiry(1, HIGH_IO, 300))
        finally:
            await pricer.aclose()
    assert estimate.currency == "CNY"
    assert estimate.list_total == Decimal("5.915")  # (0.8 + 0.045) × 7
    assert estimate.total == Decimal("5.02775")  # 15 % off
    assert estimate.discounted
    assert "list price ¥5.92" in estimate.total_line()
    assert estimate.total_line().startswith("¥5.03/hour (≈ ¥3,670.26/month at 730 h)")


async def test_each_item_carries_the_inquiry_it_was_priced_with(pricer: Pricer, sandbox: RunningSandbox) -> None:
    estimate = await pricer.estimate(inquiry(3, HIGH_IO, 900, period=("year", 1)))
    data = estimate.as_json()
    assert data["total"] == str(estimate.total)
    instance, storage = data["items"]
    assert instance["inquiry"] == {
        "id": "instance",
        "cloud_service_type": "hws.service.type.dms",
        "resource_type": "hws.resource.type.dms.platinum",
        "resource_spec": "dms.platinum.c6.4u8g.cluster",
        "region": SANDBOX_REGION,
        "period_type": 3,
        "period_num": 1,
        "subscription_num": 3,
        "project_id": sandbox.project_id,
    }
    assert storage["inquiry"]["resource_size"] == 900
    assert storage["inquiry"]["size_measure_id"] == 17
    assert storage["inquiry"]["resource_spec"] == HIGH_IO


async def test_the_site_is_detected_once_and_remembered(sandbox: RunningSandbox, tmp_path: Path) -> None:
    first = pricer_for(sandbox, tmp_path)
    try:
        await first.estimate(inquiry(1, HIGH_IO, 300))
        assert first.calls[0].startswith("cn ")  # the China site refused the account with CBC.0150
        assert first.site is not None and first.site.code == "intl"
    finally:
        await first.aclose()
    assert SettingsFile(tmp_path / "settings.toml").get(SITE_SETTING) == "intl"
    again = pricer_for(sandbox, tmp_path)
    try:
        await again.estimate(inquiry(2, HIGH_IO, 600))
        # The remembered site and the cached codes: one call, the rating itself.
        assert again.calls == ["intl POST /v2/bills/ratings/on-demand-resources"]
    finally:
        await again.aclose()


async def test_a_remembered_site_that_turned_wrong_is_detected_again(sandbox: RunningSandbox, tmp_path: Path) -> None:
    SettingsFile(tmp_path / "settings.toml").set(SITE_SETTING, "cn")
    pricer = pricer_for(sandbox, tmp_path)
    try:
        await pricer.estimate(inquiry(1, HIGH_IO, 300))
    finally:
        await pricer.aclose()
    assert SettingsFile(tmp_path / "settings.toml").get(SITE_SETTING) == "intl"


async def test_one_rating_call_per_distinct_inquiry(pricer: Pricer) -> None:
    same = inquiry(2, HIGH_IO, 600)
    await asyncio.gather(pricer.estimate(same), pricer.estimate(same))
    await pricer.estimate(same)
    await pricer.estimate(inquiry(3, HIGH_IO, 900))
    assert pricer.rating_calls == 2


async def test_the_codes_cache_is_versioned_and_a_corrupt_one_is_moved_aside(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    pricer = pricer_for(sandbox, tmp_path)
    try:
        await pricer.estimate(inquiry(1, HIGH_IO, 300))
    finally:
        await pricer.aclose()
    cache_file = tmp_path / "cache" / f"intl-{SANDBOX_REGION}.json"
    saved = json.loads(cache_file.read_text())
    assert saved["version"] == 1
    assert ["hws.service.type.dms", "hws.resource.type.dms.storage", HIGH_IO] in saved["charge_modes"]["3"]["specs"]
    assert oct(cache_file.stat().st_mode & 0o777) == "0o600"
    cache_file.write_text("{not json")
    assert CodeCache(tmp_path / "cache").load("intl", SANDBOX_REGION, "3") is None
    assert [p.name for p in cache_file.parent.iterdir() if ".corrupt-" in p.name]


async def test_a_flavor_no_spec_matches_is_unavailable_not_a_number(pricer: Pricer) -> None:
    odd = PriceInquiry(SANDBOX_REGION, "c7.4u8g.cluster", "dms.platinum.c7", 1, HIGH_IO, 300)
    with pytest.raises(PriceUnavailable, match=r"no spec matching the flavor c7\.4u8g\.cluster"):
        await pricer.estimate(odd)
    calls = pricer.rating_calls
    with pytest.raises(PriceUnavailable):
        await pricer.estimate(odd)
    assert pricer.rating_calls == calls == 0


async def test_no_permission_is_unavailable_in_words(pricer: Pricer, sandbox: RunningSandbox) -> None:
    sandbox.state.bss.may_view_prices = False
    with pytest.raises(PriceUnavailable, match="bss:discount:view"):
        await pricer.estimate(inquiry(1, HIGH_IO, 300))


async def test_an_account_of_no_site_is_unavailable_in_words(pricer: Pricer, sandbox: RunningSandbox) -> None:
    sandbox.state.bss.site = "nowhere"
    with pytest.raises(PriceUnavailable, match="belongs to none of the billing sites"):
        await pricer.estimate(inquiry(1, HIGH_IO, 300))


async def test_an_unreachable_price_service_is_unavailable_in_words(sandbox: RunningSandbox, tmp_path: Path) -> None:
    pricer = pricer_for(sandbox, tmp_path, url="http://127.0.0.1:9")
    try:
        with pytest.raises(PriceUnavailable, match="could not be reached"):
            await pricer.estimate(inquiry(1, HIGH_IO, 300))
    finally:
        await pricer.aclose()


async def test_a_failing_price_service_is_unavailable_then_asked_again(pricer: Pricer, sandbox: RunningSandbox) -> None:
    fault = sandbox.state.faults.add("status", status=503, method="POST", path="*/ratings/*")
    with pytest.raises(PriceUnavailable, match="refused the inquiry"):
        await pricer.estimate(inquiry(1, HIGH_IO, 300))
    assert sandbox.state.faults.fired(fault) == 1
    estimate = await pricer.estimate(inquiry(1, HIGH_IO, 300))  # a passing failure is not remembered
    assert estimate.total == Decimal("0.845")


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        (Decimal("1234.5"), "USD", "$1,234.50"),
        (Decimal("0.045"), "USD", "$0.0450"),
        (Decimal("5.02775"), "CNY", "¥5.03"),
        (Decimal("7"), "GBP", "7.00 GBP"),
    ],
)
def test_amounts_are_shown_per_currency(amount: Decimal, currency: str, text: str) -> None:
    assert money(amount, currency) == text
