"""Key press to updated price on screen, and how many price calls a walk through every step makes.

Run: .venv/bin/python bench/price.py [--keys 20]

The wizard runs headless (120x40) against the sandbox answering every call in 200 ms (`latency_ms=200`).
On the Storage step each sample types the last digit of a new per-broker size (a valid, never-asked
inquiry); the time runs from posting that key to the first frame showing the new total. It includes the
tracker's pause after typing (`DEBOUNCE`) by design. Baseline in the same run: one rating call through the
`Pricer` alone (no screen, no pause), for new inquiries against the same sandbox.

Then one walk through every step (Basics to Review, switching Billing to a month and back) counts the
distinct inquiries the answers made and the rating calls sent. Target: one rating call per distinct
inquiry.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.keystroke_latency import FrameClock, percentile
from wizard.catalog import HIGH_IO
from wizard.sandbox import SANDBOX_REGION, RunningSandbox, start_sandbox

LATENCY_MS = 200


def expected_total(brokers: int, per_broker: int) -> str:
    """The total line the sandbox's made-up prices give (demo tenant, USD, pay-per-use)."""
    from decimal import Decimal

    from wizard.pricing.estimate import money

    total = Decimal("0.8") * brokers + Decimal("0.00015") * per_broker * brokers
    return f"Price: {money(total, 'USD')}/hour"


async def measure_screen(sandbox: RunningSandbox, keys: int) -> list[float]:
    from textual.widgets import Input

    from tests.screens.flow_support import fill_storage, make_app, step_screen, wait_for, walk_to

    app = make_app(sandbox)
    timings: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to(pilot, "storage", brokers=1)
        await fill_storage(pilot, per_broker=300)
        await wait_for(pilot, lambda: app.price_tracker.view.estimate is not None, timeout=30)
        field = step_screen(app).query_one("#storage-per-broker", Input)
        field.focus()
        await pilot.pause()  # focusing selects the text: let that happen before the cursor is placed
        clock = FrameClock(app)
        for n in range(keys):
            size = 1001 + 10 * n  # a new inquiry each time; "100" before the last digit is not priced
            field.value = str(size)[:-1]
            field.action_end()
            await pilot.pause(0.5)
            digit = str(size)[-1]
            timings.append(await clock.time_key(digit, expected_total(1, size), timeout=10.0))
    return timings


async def measure_pricer(sandbox: RunningSandbox, samples: int) -> list[float]:
    from wizard.connection import Credentials, build_settings
    from wizard.pricing.codes import CodeCache
    from wizard.pricing.inquiry import PriceInquiry
    from wizard.pricing.pricer import Pricer

    credentials = Credentials(sandbox.ak, sandbox.sk, sandbox.project_id, None, None, "bench")
    settings = build_settings(SANDBOX_REGION, credentials, env={}, endpoint=sandbox.url, sandbox=True)

    async def project_id() -> str:
        return sandbox.project_id

    with tempfile.TemporaryDirectory() as folder:
        pricer = Pricer(settings, project_id, cache=CodeCache(Path(folder)))
        try:
            await pricer.estimate(PriceInquiry(SANDBOX_REGION, "c6.4u8g.cluster", "dms.platinum.c6", 1, HIGH_IO, 300))
            timings = []
            for n in range(samples):
                inquiry = PriceInquiry(SANDBOX_REGION, "c6.4u8g.cluster", "dms.platinum.c6", 1, HIGH_IO, 2001 + n)
                start = time.perf_counter()
                await pricer.estimate(inquiry)
                timings.append(time.perf_counter() - start)
        finally:
            await pricer.aclose()
    return timings


async def walk_every_step(sandbox: RunningSandbox) -> dict[str, Any]:
    from tests.screens.flow_support import answer, jump, make_app, step_screen, wait_for, walk_to
    from wizard.pricing.inquiry import PriceInquiry

    app = make_app(sandbox)
    seen: set[PriceInquiry] = set()
    async with app.run_test(size=(120, 40)) as pilot:
        tracker = app.price_tracker
        original = tracker.changed

        def changed() -> None:
            original()
            if tracker.inquiry is not None:
                seen.add(tracker.inquiry)

        tracker.changed = changed  # type: ignore[method-assign]

        def settled() -> bool:
            view = tracker.view
            return not view.updating and (view.estimate is not None or bool(view.unavailable))

        async def after_changes() -> None:
            await pilot.pause()  # the screens' AnswerChanged messages reach the tracker
            await wait_for(pilot, settled, timeout=30)

        await walk_to(pilot, "review", brokers=1)
        await after_changes()
        await jump(pilot, "billing")
        answer(app, "bss_param.charging_mode", "prePaid")
        answer(app, "bss_param.period_type", "month")
        step_screen(app).query_one("#period-num").value = "1"  # type: ignore[attr-defined]
        await after_changes()
        answer(app, "bss_param.charging_mode", "postPaid")
        await after_changes()
        await jump(pilot, "flavor")
        step_screen(app).query_one("#broker_num").value = "2"  # type: ignore[attr-defined]
        await after_changes()
        await jump(pilot, "review")
        await after_changes()
        pricer = tracker._pricer
        calls = pricer.calls if pricer is not None else []
    return {
        "distinct": len(seen),
        "rating": sum("/ratings/" in c for c in calls),
        "discovery": sum("/products/" in c for c in calls),
        "asked": tracker.asked,
    }


def report(name: str, values: list[float]) -> None:
    ms = 1000
    print(
        f"  {name:<44} median {statistics.median(values) * ms:7.1f} ms   p95 {percentile(values, 95) * ms:7.1f} ms"
        f"   ({len(values)} samples)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=20)
    args = parser.parse_args()
    from screens.widgets.price import DEBOUNCE

    with tempfile.TemporaryDirectory() as home:
        os.environ["HOME"] = home
        os.environ["ROCKETMQ_WIZARD_HOME"] = str(Path(home) / "wizard")
        sandbox = start_sandbox(create_delay=0.5, latency_ms=LATENCY_MS)
        try:
            baseline = await measure_pricer(sandbox, args.keys)
            screen = await measure_screen(sandbox, args.keys)
            walk = await walk_every_step(sandbox)
        finally:
            sandbox.stop()
    print(f"Price on screen, sandbox answering in {LATENCY_MS} ms (headless, 120x40, python {sys.version.split()[0]})")
    report("baseline: one rating call through the Pricer", baseline)
    report(f"wizard: key press to new price (incl. {DEBOUNCE * 1000:.0f} ms pause)", screen)
    print(
        f"  walk through every step: {walk['distinct']} distinct inquiries, {walk['rating']} rating calls "
        f"({walk['asked']} asked by the screens), {walk['discovery']} discovery calls"
    )
    print("  target: one rating call per distinct inquiry")


if __name__ == "__main__":
    asyncio.run(main())
