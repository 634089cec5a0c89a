"""The sandbox's own costs: start and stop, one call's round trip, a create, the large tenant's lists.

Run: .venv/bin/python bench/sandbox.py [--runs 50]

Baselines measured in the same run: the round trip of the unsigned control path ``/_sandbox/health``
(HTTP and uvicorn alone, no signature, no work) against signed vendor calls; and the demo tenant's
state against the large tenant's (built on first use). Figures are medians (and p95 for calls).
"""

from __future__ import annotations

import argparse
import ssl
import statistics
import time
from collections.abc import Callable

import httpx

from wizard.sandbox import start_sandbox
from wizard.sandbox.state import SandboxState
from wizard.sandbox.tenants import build_tenant
from wizard.signing import AkSkAuth


def _timed(action: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _show(label: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(f"{label:<48} median {statistics.median(samples):8.2f} ms   p95 {p95:8.2f} ms   (n={len(samples)})")


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    runs = parser.parse_args().runs
    tls = ssl.create_default_context()

    start_stop = []
    for _ in range(max(runs // 5, 5)):
        started = time.perf_counter()
        start_sandbox().stop()
        start_stop.append((time.perf_counter() - started) * 1000)
    _show("start_sandbox() + stop()", start_stop)

    with start_sandbox(create_delay=0.0) as running:
        auth = AkSkAuth(running.ak, running.sk, project_id=running.project_id)
        project = running.project_id
        with (
            httpx.Client(base_url=running.url, verify=tls) as bare,
            httpx.Client(base_url=running.url, auth=auth, verify=tls) as signed,
        ):
            bare.get("/_sandbox/health")
            signed.get("/v2/available-zones")
            _show("baseline: GET /_sandbox/health (unsigned)", _timed(lambda: bare.get("/_sandbox/health"), runs))
            _show("signed GET /v2/available-zones", _timed(lambda: signed.get("/v2/available-zones"), runs))
            _show("signed GET /v2/reliability/products", _timed(lambda: signed.get("/v2/reliability/products"), runs))
            _show("signed GET /v1/{project}/subnets", _timed(lambda: signed.get(f"/v1/{project}/subnets"), runs))
            zones = [z["id"] for z in signed.get("/v2/available-zones").json()["available_zones"]][:3]
            vpc = signed.get(f"/v1/{project}/vpcs").json()["vpcs"][0]["id"]
            subnet = signed.get(f"/v1/{project}/subnets", params={"vpc_id": vpc}).json()["subnets"][0]["id"]
            group = signed.get(f"/v1/{project}/security-groups").json()["security_groups"][0]["id"]
            running.state.set_instance_quota(runs + 10)
            counter = iter(range(10**6))
            body = {
                "engine": "reliability",
                "engine_version": "4.8.0",
                "storage_space": 300,
                "vpc_id": vpc,
                "subnet_id": subnet,
                "security_group_id": group,
                "available_zones": zones,
                "product_id": "c6.4u8g.cluster",
                "storage_spec_code": "dms.physical.storage.high.v2",
                "broker_num": 1,
            }

            def create() -> None:
                response = signed.post(f"/v1.0/{project}/instances", json={**body, "name": f"bench-{next(counter)}"})
                response.raise_for_status()

            _show("signed POST /v1.0/{project}/instances (create)", _timed(create, runs))

    builds = max(runs // 10, 3)
    _show(
        "baseline: demo tenant state",
        _timed(lambda: SandboxState(build_tenant("demo", "p"), project_id="p", region="r").network(), builds),
    )
    _show(
        "large tenant state (20k SGs, 10k subnets, 2k EIPs)",
        _timed(lambda: SandboxState(build_tenant("large", "p"), project_id="p", region="r").network(), builds),
    )

    with start_sandbox(tenant="large") as running:
        auth = AkSkAuth(running.ak, running.sk, project_id=running.project_id)
        with httpx.Client(base_url=running.url, auth=auth, verify=tls, timeout=30) as signed:
            signed.get("/v2/available-zones")

            def all_security_groups() -> None:
                marker = ""
                while True:
                    params = {"limit": "2000", **({"marker": marker} if marker else {})}
                    page = signed.get(f"/v1/{running.project_id}/security-groups", params=params).json()
                    items = page["security_groups"]
                    if len(items) < 2000:
                        return
                    marker = items[-1]["id"]

            _show("large: all 20,000 security groups, 2,000 a page", _timed(all_security_groups, max(runs // 10, 3)))


if __name__ == "__main__":
    main()
