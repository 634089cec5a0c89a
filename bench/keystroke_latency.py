"""Key press in a field to its validation message on screen, measured inside the running wizard.

Run: .venv/bin/python bench/keystroke_latency.py [--keys 150]

The wizard runs headless against the sandbox (120x40) on its Basics step. Each key typed into the
instance name (past 64 characters) changes the message ("... (it has 65)", "(it has 66)", ...); the
time is taken from posting the key event to the frame that carries the new message, by hooking the
app's frame output. Baseline in the same run: a bare Textual app whose Input sets a Static in a `watch`
(the framework's floor). Target: median < 16 ms, p99 < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events
from textual._compositor import CompositorUpdate
from textual.app import App, ComposeResult
from textual.widgets import Input, Static

#: Typing cadence between keys (a fast typist), so each key is measured on its own.
GAP = 0.05


class FrameClock:
    """Records when the app hands a frame containing `expected` to its (headless) output."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.expected: str | None = None
        self.seen_at: float | None = None
        original: Callable[..., Any] = app._display

        def display(screen: Any, renderable: Any) -> Any:
            now = time.perf_counter()
            waiting = self.expected is not None and self.seen_at is None
            if (
                waiting
                and isinstance(renderable, CompositorUpdate)
                and str(self.expected) in renderable.render_segments(app.console)
            ):
                self.seen_at = now
            return original(screen, renderable)

        app._display = display  # type: ignore[method-assign]

    async def time_key(self, key: str, expected: str, timeout: float = 2.0) -> float:
        """Seconds from posting `key` to the first frame showing `expected`."""
        self.expected, self.seen_at = expected, None
        start = time.perf_counter()
        self.app.post_message(events.Key(key, key))
        while self.seen_at is None:
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"{expected!r} never reached the screen")
            await asyncio.sleep(0.0005)
        self.expected = None
        return self.seen_at - start


class WatchBaseline(App[None]):
    """A bare Input whose value is echoed into a Static from a watch: the same-frame floor."""

    def compose(self) -> ComposeResult:
        yield Input(id="field")
        yield Static("", id="message")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        self.watch(field, "value", lambda value: self.query_one("#message", Static).update(f"(it has {len(value)})"))
        field.focus()


async def measure_baseline(keys: int) -> list[float]:
    app = WatchBaseline()
    timings: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        clock = FrameClock(app)
        app.query_one(Input).value = "a" * 64
        await pilot.pause()
        for n in range(keys):
            timings.append(await clock.time_key("b", f"(it has {65 + n})"))
            await asyncio.sleep(GAP)
    return timings


async def measure_wizard(keys: int) -> list[float]:
    from screens.app import WizardApp
    from wizard.connection import Credentials, build_settings
    from wizard.sandbox import SANDBOX_REGION, start_sandbox

    sandbox = start_sandbox(create_delay=0.5)
    try:
        credentials = Credentials(sandbox.ak, sandbox.sk, sandbox.project_id, None, None, "sandbox (built in)")
        settings = build_settings(SANDBOX_REGION, credentials, env={}, endpoint=sandbox.url, sandbox=True)
        app = WizardApp(settings)
        timings: list[float] = []
        async with app.run_test(size=(120, 40)) as pilot:
            deadline = time.monotonic() + 20
            while not (app.screen.name == "start" and app.screen.is_mounted):
                await pilot.pause(0.02)
            await pilot.press("enter")
            while app.screen.name != "basics":
                if time.monotonic() > deadline:
                    raise RuntimeError("the Basics step did not open")
                await pilot.pause(0.02)
            await pilot.pause(1.0)  # let the live lists arrive; they load in workers after the first frame
            name = app.screen.query_one("#name", Input)
            name.focus()
            name.value = "a" * 64
            await pilot.pause()
            clock = FrameClock(app)
            for n in range(keys):
                timings.append(await clock.time_key("b", f"(it has {65 + n})"))
                await asyncio.sleep(GAP)
    finally:
        sandbox.stop()
    return timings


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def report(name: str, values: list[float]) -> None:
    ms = 1000
    print(
        f"  {name:<28} median {statistics.median(values) * ms:6.2f} ms   p99 {percentile(values, 99) * ms:6.2f} ms"
        f"   max {max(values) * ms:6.2f} ms   ({len(values)} keys)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=150)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        # Drafts are autosaved while typing: keep them out of the real home.
        os.environ["HOME"] = home
        os.environ["ROCKETMQ_WIZARD_HOME"] = str(Path(home) / "wizard")
        baseline = await measure_baseline(args.keys)
        wizard = await measure_wizard(args.keys)
    print(f"Key press to validation message on screen (headless, 120x40, python {sys.version.split()[0]})")
    report("baseline: Input + watch", baseline)
    report("wizard: Basics, instance name", wizard)
    print("  target: median < 16 ms, p99 < 50 ms")


if __name__ == "__main__":
    asyncio.run(main())
