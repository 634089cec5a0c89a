"""FilteredList at 50,000 entries: time per key press (filter + repaint), mount time and peak memory.

Run: .venv/bin/python bench/list_filter.py [--entries 50000] [--runs 5]

Baselines measured in the same run: the same FilteredList mounted with no entries, and Textual's
OptionList holding every entry (the approach this widget replaces). Targets: filter p95 < 50 ms per
key press, mount < 150 ms, peak memory < 250 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable

from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, OptionList

from screens.widgets.filtered_list import Choice, FilteredList

#: Typing sessions: each string is typed key by key, then erased key by key.
SESSIONS = ("vpc-prod-0421", "10.12", "subnet 7", "zzz", "id-4999")


def make_choices(count: int) -> list[Choice]:
    """VPC-like rows: name, CIDR and ID in columns, as the network step shows them."""
    choices = []
    for n in range(count):
        name = f"vpc-{('prod', 'test', 'dev')[n % 3]}-{n:05d}"
        cidr = f"10.{n % 256}.{n // 256 % 256}.0/24"
        vpc_id = f"{n:08x}-5c1f-4d7e-9a1b-{n * 7919 % 10**12:012d}"
        label = f"{name:<22}{cidr:<18}{vpc_id}"
        reason = "quota exhausted" if n % 97 == 0 else None
        choices.append(Choice(vpc_id, label, label.lower(), reason))
    return choices


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()


def paint(pilot: Pilot[None]) -> None:
    """Run the screen's pending layout and repaint now (what the refresh timer would do)."""
    pilot.app.screen._on_timer_update()


async def time_mount(make: Callable[[], Widget], fill: Callable[[Widget], None]) -> float:
    """Seconds from mounting a widget (and giving it its entries) to its first painted frame."""
    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        gc.collect()
        start = time.perf_counter()
        widget = make()
        await app.mount(widget)
        fill(widget)
        await pilot._wait_for_screen()
        paint(pilot)
        return time.perf_counter() - start


async def time_keys(choices: list[Choice]) -> list[float]:
    """Seconds from each key press in the filter to the repainted list, over every typing session."""
    app = Host()
    timings: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        widget = FilteredList(id="list")
        await app.mount(widget)
        widget.set_choices(choices)
        await pilot.pause()
        field = widget.query_one("#filter", Input)
        field.focus()
        for text in SESSIONS:
            steps = [text[:i] for i in range(1, len(text) + 1)] + [text[:i] for i in range(len(text) - 1, -1, -1)]
            for value in steps:
                start = time.perf_counter()
                field.value = value
                await pilot._wait_for_screen()
                paint(pilot)
                timings.append(time.perf_counter() - start)
    return timings


async def peak_memory(count: int) -> tuple[float, float]:
    """Peak traced MB while building `count` choices, mounting the list and filtering it; and max RSS MB."""
    tracemalloc.start()
    choices = make_choices(count)
    await time_mount(FilteredList, lambda w: w.set_choices(choices))  # type: ignore[attr-defined]
    await time_keys(choices)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return peak / 2**20, rss


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-optionlist", action="store_true", help="skip the slow OptionList baseline")
    args = parser.parse_args()

    build_start = time.perf_counter()
    choices = make_choices(args.entries)
    build = time.perf_counter() - build_start

    empty = [await time_mount(FilteredList, lambda w: None) for _ in range(args.runs)]
    full = [
        await time_mount(FilteredList, lambda w: w.set_choices(choices))  # type: ignore[attr-defined]
        for _ in range(args.runs)
    ]
    keys: list[float] = []
    for _ in range(args.runs):
        keys += await time_keys(choices)

    ms = 1000
    print(
        f"FilteredList with {args.entries:,} entries (textual, {args.runs} runs; building the Choices: "
        f"{build * ms:.0f} ms)"
    )
    print(
        f"  mount to first frame, median: {statistics.median(full) * ms:7.1f} ms   "
        f"(baseline: same list empty {statistics.median(empty) * ms:.1f} ms)   target < 150 ms"
    )
    print(
        f"  key press to repainted list: median {statistics.median(keys) * ms:6.2f} ms, "
        f"p95 {percentile(keys, 95) * ms:6.2f} ms, max {max(keys) * ms:6.2f} ms over {len(keys)} keys"
        "   target p95 < 50 ms"
    )
    if not args.skip_optionlist:
        options = [choice.label for choice in choices]
        option_list = await time_mount(OptionList, lambda w: w.add_options(options))  # type: ignore[attr-defined]
        print(f"  baseline: OptionList holding every entry, mount to first frame: {option_list * ms:.0f} ms")
    traced, rss = await peak_memory(args.entries)
    print(f"  peak memory: {traced:.1f} MB traced (choices + mount + typing), max RSS {rss:.0f} MB   target < 250 MB")


if __name__ == "__main__":
    asyncio.run(main())
