"""Tenants are deterministic and the large one pages like the cloud; the server binds loopback only and
stays consistent under concurrent calls; the `sandbox` command serves in the foreground."""

from __future__ import annotations

import argparse
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from wizard.cli import command_parser
from wizard.commands import sandbox as sandbox_command
from wizard.sandbox import SANDBOX_AK, SANDBOX_PROJECT_ID, SANDBOX_SK, SANDBOX_TOKEN, start_sandbox
from wizard.sandbox.server import RunningSandbox
from wizard.sandbox.state import SandboxState
from wizard.sandbox.tenants import build_tenant
from wizard.signing import AkSkAuth

TLS = ssl.create_default_context()  # one for the module: httpx would build one per client (~0.2 s)


def _network_ids(tenant: str) -> dict[str, list[str]]:
    network = build_tenant(tenant, SANDBOX_PROJECT_ID).network(SANDBOX_PROJECT_ID)
    return {
        "vpcs": [v["id"] for v in network.vpcs],
        "subnets": [s["id"] for s in network.subnets],
        "security_groups": [g["id"] for g in network.security_groups],
        "eips": [e["id"] for e in network.eips],
    }


@pytest.mark.parametrize("tenant", ["demo", "large"])
def test_tenants_have_the_same_unique_ids_every_time(tenant: str) -> None:
    first, second = _network_ids(tenant), _network_ids(tenant)
    assert first == second
    for ids in first.values():
        assert len(ids) == len(set(ids))


def test_the_large_tenant_has_the_promised_sizes() -> None:
    ids = _network_ids("large")
    assert (len(ids["security_groups"]), len(ids["subnets"]), len(ids["eips"])) == (20_000, 10_000, 2_000)


def test_an_unknown_tenant_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown sandbox tenant"):
        start_sandbox(tenant="huge")


def test_the_large_tenant_is_built_on_first_use_only() -> None:
    state = SandboxState(build_tenant("large", "p"), project_id="p", region="r")
    assert state._network is None
    assert len(state.resource_list("security_groups")) == 20_000
    assert state._network is not None


def test_the_large_tenant_pages_through_10000_subnets_with_markers() -> None:
    with start_sandbox(tenant="large") as running:
        auth = AkSkAuth(running.ak, running.sk, project_id=running.project_id)
        with httpx.Client(base_url=running.url, auth=auth, verify=TLS, timeout=10) as client:
            seen: list[str] = []
            marker = None
            pages = 0
            while True:
                params: dict[str, Any] = {"limit": 2000, **({"marker": marker} if marker else {})}
                page = client.get(f"/v1/{running.project_id}/subnets", params=params).json()["subnets"]
                pages += 1
                seen += [s["id"] for s in page]
                if len(page) < 2000:
                    break
                marker = page[-1]["id"]
            eips = client.get(f"/v1/{running.project_id}/publicips").json()["publicips"]
    assert len(seen) == len(set(seen)) == 10_000
    assert pages == 6  # five full pages, then an empty one says it is over
    assert len(eips) == 2000
    assert sum(e["status"] == "DOWN" for e in eips) == 1800


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.com", "::"])
def test_a_non_loopback_host_is_refused(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        start_sandbox(host=host)


def test_localhost_and_ipv6_loopback_are_served() -> None:
    for host in ("localhost", "::1"):
        try:
            running = start_sandbox(host=host)
        except OSError:
            pytest.skip(f"{host} cannot be bound here")
        with running:
            response = httpx.get(f"{running.url}/_sandbox/health", verify=TLS)
            assert response.json()["status"] == "ok"


def test_a_taken_port_is_an_os_error(sandbox: RunningSandbox) -> None:
    with pytest.raises(OSError):
        start_sandbox(port=sandbox.port)


def test_the_running_sandbox_shows_no_secret_key(sandbox: RunningSandbox) -> None:
    assert sandbox.sk not in repr(sandbox)
    assert sandbox.url.startswith("http://127.0.0.1:")
    assert (sandbox.ak, sandbox.sk, sandbox.project_id) == (SANDBOX_AK, SANDBOX_SK, SANDBOX_PROJECT_ID)


def test_concurrent_creates_of_one_name_make_one_instance(
    sandbox: RunningSandbox, api: httpx.Client, body: dict[str, Any]
) -> None:
    plain = {k: v for k, v in body.items() if k not in ("enable_publicip", "publicip_id")}
    sandbox.state.set_instance_quota(50)

    def create(_: int) -> int:
        with httpx.Client(base_url=sandbox.url, headers={"X-Auth-Token": SANDBOX_TOKEN}, verify=TLS) as client:
            return client.post(f"/v1.0/{sandbox.project_id}/instances", json=plain).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(create, range(16)))
    assert sorted(statuses) == [200] + [400] * 15
    assert len(sandbox.state.instances_named(plain["name"])) == 1


def test_concurrent_creates_of_different_names_respect_the_quota(sandbox: RunningSandbox, body: dict[str, Any]) -> None:
    plain = {k: v for k, v in body.items() if k not in ("enable_publicip", "publicip_id")}

    def create(n: int) -> int:
        with httpx.Client(base_url=sandbox.url, headers={"X-Auth-Token": SANDBOX_TOKEN}, verify=TLS) as client:
            return client.post(f"/v1.0/{sandbox.project_id}/instances", json={**plain, "name": f"race-{n}"}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(create, range(12)))
    assert statuses.count(200) == 4  # quota 5, one instance already there
    assert sandbox.state.quota_used() == 5


def _args(*argv: str) -> argparse.Namespace:
    return command_parser("sandbox").parse_args(argv)


def test_the_sandbox_command_serves_until_stopped_and_prints_url_and_credentials(
    capsys: pytest.CaptureFixture[str],
) -> None:
    stop = threading.Event()
    result: list[int] = []
    worker = threading.Thread(target=lambda: result.append(sandbox_command.run(_args("--create-delay", "0.1"), stop)))
    worker.start()
    try:
        for _ in range(200):
            out = capsys.readouterr().out
            if "http://127.0.0.1:" in out:
                break
            stop.wait(0.01)
        url = out.split("serving every API at ", 1)[1].split()[0]
        assert SANDBOX_AK in out and SANDBOX_SK in out and SANDBOX_PROJECT_ID in out
        # The way to use it puts the keys in the environment, never on a command line (--sk is in `ps`).
        assert f"export HUAWEICLOUD_SDK_AK={SANDBOX_AK} HUAWEICLOUD_SDK_SK={SANDBOX_SK}" in out
        assert "--sk" not in out
        response = httpx.get(f"{url}/v2/available-zones", headers={"X-Auth-Token": SANDBOX_TOKEN}, verify=TLS)
        assert response.status_code == 200
    finally:
        stop.set()
        worker.join(5)
    assert result == [0]
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{url}/_sandbox/health", verify=TLS)


def test_the_sandbox_command_refuses_a_network_address(capsys: pytest.CaptureFixture[str]) -> None:
    assert sandbox_command.run(_args("--host", "0.0.0.0")) == 1
    assert "loopback" in capsys.readouterr().err


def test_the_sandbox_command_takes_its_options() -> None:
    args = _args(
        "--port", "0", "--tenant", "large", "--latency-ms", "5", "--create-delay", "1.5",
        "--ak", "AK", "--sk", "SK", "--project-id", "P",
    )  # fmt: skip
    assert (args.tenant, args.latency_ms, args.create_delay, args.ak, args.sk, args.project_id) == (
        "large",
        5,
        1.5,
        "AK",
        "SK",
        "P",
    )
