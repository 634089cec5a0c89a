"""What the network step waits for, against the sandbox served by a separate process over loopback.

Run: .venv/bin/python bench/network_step.py [--latency-ms 200] [--runs 7]

Part 1 (demo tenant, --latency-ms per call): the median time to have everything the network step needs
(AZs, flavors, VPCs, subnets, security groups, EIPs, enterprise projects, each list loaded concurrently as
the wizard's app loads them, one worker per list), against
a baseline measured in the same run: one call (`quota`). The same seven calls made one after another are
shown too, to show they overlap. Target: ready in under 2x one call's latency.

Part 2 (large tenant: 20,000 security groups, 10,000 subnets, 2,000 EIPs): loading each list in pages,
while a ticker task measures how long the event loop is held (the worst gap between its 5 ms ticks beyond
5 ms; and the most CPU the loop's thread spent between two ticks, which other processes on a busy machine
cannot inflate). Baseline: the same ticker on an idle loop. The sandbox runs in its own process so that its work
does not compete with the client for the interpreter lock, as the real cloud would not.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from wizard.client import CloudClient
from wizard.connection import ConnectionSettings, Credentials, build_settings
from wizard.sandbox import SANDBOX_AK, SANDBOX_PROJECT_ID, SANDBOX_REGION, SANDBOX_SK

TICK = 0.005


@contextmanager
def sandbox_process(tenant: str, latency_ms: int) -> Iterator[str]:
    """Serve the sandbox in a child process; yields its URL."""
    command = [sys.executable, "-m", "wizard", "sandbox", "--tenant", tenant, "--latency-ms", str(latency_ms)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert child.stdout is not None
        for line in child.stdout:
            match = re.search(r"(http://127\.0\.0\.1:\d+)", line)
            if match:
                yield match[1]
                break
        else:
            raise RuntimeError("the sandbox did not start")
    finally:
        child.terminate()
        child.wait(timeout=10)


def settings_for(url: str) -> ConnectionSettings:
    credentials = Credentials(SANDBOX_AK, SANDBOX_SK, SANDBOX_PROJECT_ID, None, None, "bench")
    return build_settings(SANDBOX_REGION, credentials, env={}, endpoint=url, sandbox=True)


class CountingTransport(httpx.AsyncBaseTransport):
    """Counts the requests the client sends (to show the lists come in pages)."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


async def timed(settings: ConnectionSettings, work: Callable[[CloudClient], Awaitable[Any]]) -> float:
    """Seconds `work` takes with a fresh client (connections included, as on a wizard's first visit)."""
    async with CloudClient(settings) as client:
        started = time.perf_counter()
        await work(client)
        return time.perf_counter() - started


async def network_step_lists(client: CloudClient) -> list[Any]:
    """Every list the network (and flavor, public access) step shows, fetched concurrently as the app does
    (screens/app.py runs one worker per list); the catalog first in the result."""
    await client.project_id()
    return list(
        await asyncio.gather(
            client.load_catalog(),
            client.list_vpcs(),
            client.list_subnets(),
            client.list_security_groups(),
            client.list_eips(),
            client.list_enterprise_projects(),
        )
    )


async def sequential(client: CloudClient) -> None:
    await client.list_zones()
    await client.list_products()
    await client.list_vpcs()
    await client.list_subnets()
    await client.list_security_groups()
    await client.list_eips()
    await client.list_enterprise_projects()


async def part_one(url: str, runs: int, latency_ms: int) -> None:
    settings = settings_for(url)
    await timed(settings, lambda c: c.quota())  # warm-up: imports, first connection
    one_call, choices, one_by_one = [], [], []
    for _ in range(runs):
        one_call.append(await timed(settings, lambda c: c.quota()))
        choices.append(await timed(settings, network_step_lists))
        one_by_one.append(await timed(settings, sequential))
    base = statistics.median(one_call)
    ready = statistics.median(choices)
    print(f"Part 1: demo tenant, {latency_ms} ms latency per call, median of {runs} runs")
    print(f"  baseline, one call (quota):                {base * 1000:7.1f} ms")
    print(f"  network step ready (7 calls, concurrent):  {ready * 1000:7.1f} ms  = {ready / base:.2f}x one call")
    print(f"  the same 7 calls one after another:        {statistics.median(one_by_one) * 1000:7.1f} ms")
    print(f"  target < 2x one call: {'met' if ready < 2 * base else 'NOT met'}")


@dataclass
class Stalls:
    """The worst gap between ticks beyond the tick (wall clock), and the most CPU the loop's thread spent
    between two ticks (independent of other processes competing for the cores)."""

    wall: float = 0.0
    cpu: float = 0.0


async def ticker(stop: asyncio.Event, stalls: Stalls) -> None:
    while not stop.is_set():
        started, cpu = time.perf_counter(), time.thread_time()
        await asyncio.sleep(TICK)
        stalls.wall = max(stalls.wall, time.perf_counter() - started - TICK)
        stalls.cpu = max(stalls.cpu, time.thread_time() - cpu)


async def with_ticker(work: Awaitable[Any]) -> tuple[Any, float, Stalls]:
    """Run `work` beside the ticker; returns its result, seconds taken and the worst loop stalls."""
    stop, stalls = asyncio.Event(), Stalls()
    tick = asyncio.create_task(ticker(stop, stalls))
    await asyncio.sleep(TICK * 2)
    started = time.perf_counter()
    result = await work
    took = time.perf_counter() - started
    stop.set()
    await tick
    return result, took, stalls


async def part_two(url: str, runs: int) -> None:
    settings = settings_for(url)
    _, _, idle = await with_ticker(asyncio.sleep(1.0))
    print(f"Part 2: large tenant, no added latency, median of {runs} runs (load average {os.getloadavg()[0]:.1f})")
    print(f"  baseline, idle loop: worst stall {idle.wall * 1000:.1f} ms wall, {idle.cpu * 1000:.1f} ms CPU")
    lists: dict[str, Callable[[CloudClient], Awaitable[Any]]] = {
        "security groups": lambda c: c.list_security_groups(),
        "subnets": lambda c: c.list_subnets(),
        "EIPs (all listed, unbound kept)": lambda c: c.list_eips(),
        "all of the network step at once": network_step_lists,
    }
    for label, load in lists.items():
        times, walls, cpus, count, pages = [], [], [], 0, 0
        for _ in range(runs):
            transport = CountingTransport()
            async with CloudClient(settings, transport) as client:
                result, took, stalls = await with_ticker(load(client))
            times.append(took)
            walls.append(stalls.wall)
            cpus.append(stalls.cpu)
            lists = result[1:5] if label.startswith("all of") else [result]  # VPCs, subnets, groups, EIPs
            count = sum(map(len, lists))
            pages = transport.requests
        print(
            f"  {label:<34} {count:>6} items, {pages:>3} requests: {statistics.median(times) * 1000:7.1f} ms; "
            f"worst stall {statistics.median(walls) * 1000:5.1f} ms wall, {statistics.median(cpus) * 1000:5.1f} ms CPU"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency-ms", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with sandbox_process("demo", args.latency_ms) as url:
        asyncio.run(part_one(url, args.runs, args.latency_ms))
    with sandbox_process("large", 0) as url:
        asyncio.run(part_two(url, max(3, args.runs // 2)))


if __name__ == "__main__":
    main()
