"""The price line on the steps: it follows brokers, storage and billing, never makes typing wait, says in words
when there is no price, and the confirm dialog repeats the total.

The sandbox's made-up prices (demo, USD): c6.4u8g.cluster 0.8 a broker-hour or 400 a broker-month; high I/O
0.00015 a GB-hour or 0.1 a GB-month.
"""

from __future__ import annotations

import pytest
from textual.widgets import Static

from screens.app import WizardApp
from screens.widgets.price import PriceLine
from tests.screens.flow_support import (
    answer,
    fill_storage,
    go_next,
    jump,
    make_app,
    step_screen,
    wait_for,
    walk_to,
)
from wizard.sandbox import RunningSandbox

pytestmark = pytest.mark.timeout(90)


def price_text(app: WizardApp) -> str:
    """What the price line on screen says (the total, then the items)."""
    line = app.screen.query_one(PriceLine)
    return "\n".join(str(part.render()) for part in line.query(Static))


def price_shows(app: WizardApp, text: str) -> bool:
    try:
        return text in price_text(app) and not app.screen.query_one(PriceLine).has_class("-updating")
    except Exception:
        return False


async def test_the_figure_follows_storage_brokers_and_billing(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to(pilot, "storage", brokers=1)
        await fill_storage(pilot, per_broker=300)
        await wait_for(pilot, lambda: price_shows(app, "Price: $0.8450/hour (≈ $616.85/month at 730 h)"))
        assert "Instance c6.4u8g.cluster × 1: $0.8000/hour" in price_text(app)
        assert "Storage High I/O × 300 GB: $0.0450/hour" in price_text(app)

        step_screen(app).query_one("#storage-per-broker").value = "600"  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: price_shows(app, "Price: $0.8900/hour"))

        await jump(pilot, "flavor")
        step_screen(app).query_one("#broker_num").value = "3"  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: price_shows(app, "Price: $2.67/hour"))  # 2.4 + 0.00015 × 1,800 GB

        await jump(pilot, "billing")
        answer(app, "bss_param.charging_mode", "prePaid")
        answer(app, "bss_param.period_type", "month")
        step_screen(app).query_one("#period-num").value = "1"  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: price_shows(app, "Price: $1,380.00 for 1 month"))  # 400 × 3 + 0.1 × 1,800


async def test_typing_never_waits_for_the_price(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to(pilot, "storage", brokers=1)
        await fill_storage(pilot, per_broker=300)
        await wait_for(pilot, lambda: price_shows(app, "$0.8450/hour"))
        asked = app.price_tracker.asked
        fault = sandbox.state.faults.add("hold", method="POST", path="*/ratings/*")
        try:
            step_screen(app).query_one("#storage-per-broker").focus()
            await pilot.press("end", "backspace", "backspace", "backspace", "6", "0", "0")
            # Every key landed while the price call is held at the sandbox.
            assert step_screen(app).query_one("#storage-per-broker").value == "600"  # type: ignore[attr-defined]
            assert app.state.get("storage_space") == 600
            await wait_for(pilot, lambda: sandbox.state.faults.fired(fault) == 1)
            line = app.screen.query_one(PriceLine)
            assert line.has_class("-updating")
            assert "Price (updating…): $0.8450/hour" in price_text(app)  # the old figure, marked
        finally:
            sandbox.state.faults.release(fault)
        await wait_for(pilot, lambda: price_shows(app, "Price: $0.8900/hour"))
        assert app.price_tracker.asked == asked + 1  # one inquiry for the whole burst of keys


async def test_an_inquiry_asked_before_is_shown_at_once_without_a_call(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to(pilot, "storage", brokers=1)
        await fill_storage(pilot, per_broker=300)
        field = step_screen(app).query_one("#storage-per-broker")
        await wait_for(pilot, lambda: price_shows(app, "$0.8450/hour"))
        field.value = "600"  # type: ignore[attr-defined]
        await wait_for(pilot, lambda: price_shows(app, "$0.8900/hour"))
        asked = app.price_tracker.asked
        field.value = "300"  # type: ignore[attr-defined]
        await pilot.pause()
        assert price_shows(app, "$0.8450/hour")
        assert app.price_tracker.asked == asked


async def test_no_price_is_said_in_words_and_the_wizard_goes_on(sandbox: RunningSandbox) -> None:
    sandbox.state.bss.may_view_prices = False
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to(pilot, "storage", brokers=1)
        await fill_storage(pilot, per_broker=300)
        await wait_for(pilot, lambda: "Price: unavailable — the account may not see prices" in price_text(app))
        assert "bss:discount:view" in price_text(app)
        await go_next(pilot, "public_access")


async def test_answers_that_break_a_rule_are_not_priced(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to(pilot, "storage", brokers=1)
        await fill_storage(pilot, per_broker=10)
        await wait_for(pilot, lambda: "Price: unavailable — priced once these answers are valid" in price_text(app))


async def test_review_shows_the_estimate_and_the_confirm_dialog_repeats_the_total(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to(pilot, "review", brokers=1)
        await wait_for(pilot, lambda: price_shows(app, "Price: $0.8450/hour"))
        await pilot.press("s")
        await wait_for(pilot, lambda: app.screen.query("#dialog-body").first(Static) is not None)
        body = str(app.screen.query_one("#dialog-body", Static).render())
        assert "Estimated price: $0.8450/hour (≈ $616.85/month at 730 h)." in body
