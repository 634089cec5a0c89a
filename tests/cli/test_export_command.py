"""`rocketmq-wizard export FILE|--profile NAME --format ...`: the renderers behind a command, offline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import hcl2
import pytest

from tests.cli.conftest import connection_flags, sandbox_request, write_request
from wizard.cli import main
from wizard.exporters import ExportTarget, to_curl, to_hcloud, to_terraform
from wizard.sandbox.server import RunningSandbox
from wizard.storage import ProfileStore
from wizard.validation import parse_request

Capture = pytest.CaptureFixture[str]


@pytest.mark.parametrize("fmt", ["json", "curl", "terraform", "hcloud"])
def test_each_format_prints_exactly_what_the_renderer_gives(tmp_path: Path, capsys: Capture, fmt: str) -> None:
    data = sandbox_request()
    path = write_request(tmp_path, data)
    assert main(["export", str(path), "--format", fmt, "--region", "cn-north-4", "--project-id", "p1"]) == 0
    out, err = capsys.readouterr()
    request = parse_request(data)
    target = ExportTarget(region="cn-north-4", project_id="p1")
    expected = {
        "json": json.dumps(request.to_api_body(), indent=2) + "\n",
        "curl": to_curl(request, target),
        "terraform": to_terraform(request, None, region="cn-north-4"),
        "hcloud": to_hcloud(request, target),
    }[fmt]
    assert out == expected
    assert err == ""


def test_export_from_a_profile_with_set(capsys: Capture) -> None:
    ProfileStore().save("team", sandbox_request())
    assert main(["export", "--profile", "team", "--set", "name=from-team", "--format", "terraform"]) == 0
    parsed = hcl2.loads(capsys.readouterr().out)
    (block,) = parsed["resource"]
    body = block['"huaweicloud_dms_rocketmq_instance"']['"from_team"']
    assert body["name"] == '"from-team"'


def test_export_of_a_profile_without_a_name_says_the_name_is_required(capsys: Capture) -> None:
    ProfileStore().save("team", sandbox_request())
    assert main(["export", "--profile", "team"]) == 1
    assert "name: name is required" in capsys.readouterr().err


def test_export_curl_v2_route_and_no_secret(tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_AUTH_TOKEN", "secret-token-value")
    path = write_request(tmp_path, sandbox_request())
    assert main(["export", str(path), "--format", "curl", "--api", "v2", "--region", "cn-north-4"]) == 0
    out = capsys.readouterr().out
    assert "/v2/reliability/${HUAWEICLOUD_SDK_PROJECT_ID}/instances" in out
    assert "secret-token-value" not in out


def test_export_exit_codes(tmp_path: Path, capsys: Capture) -> None:
    assert main(["export", str(tmp_path / "missing.json")]) == 2
    assert main(["export", str(write_request(tmp_path, sandbox_request(name="x")))]) == 1
    assert main(["export", str(write_request(tmp_path, sandbox_request())), "--set", "nme=abc"]) == 1
    assert "did you mean name?" in capsys.readouterr().err


def test_live_export_gives_terraform_az_codes_from_the_region_catalog(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture
) -> None:
    zones = [z["id"] for z in sandbox.state.zones[:3]]
    path = write_request(tmp_path, sandbox_request(available_zones=zones))
    assert main(["export", str(path), "--format", "terraform", "--live", *connection_flags(sandbox)]) == 0
    out = capsys.readouterr().out
    assert 'availability_zones = ["sandbox-1a", "sandbox-1b", "sandbox-1c"]' in out
    assert "Replace them" not in out
    assert sandbox.state.committed_creates == 0


def test_live_export_checks_against_what_is_really_sold(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture
) -> None:
    path = write_request(tmp_path, sandbox_request(available_zones=["sandbox-1a"]))
    assert main(["export", str(path), "--live", *connection_flags(sandbox)]) == 1
    assert "is an AZ code, not an ID" in capsys.readouterr().err


def test_live_export_without_an_api_exits_4(
    tmp_path: Path, capsys: Capture, fast_client: None, unused_tcp_port: int
) -> None:
    path = write_request(tmp_path, sandbox_request())
    flags = ["--endpoint", f"http://127.0.0.1:{unused_tcp_port}", "--ak", "A" * 20, "--sk", "s", "--project-id", "p"]
    assert main(["export", str(path), "--live", "--timeout", "2", *flags]) == 4
    assert "error:" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
@pytest.mark.parametrize("route", ["v1", "v2"])
def test_the_curl_export_really_creates_the_instance(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture, route: str
) -> None:
    """Run the exported command in a shell, with the token in the environment only: one instance appears."""
    path = write_request(tmp_path, sandbox_request(description='quotes " and $dollars and \\ stay as typed'))
    target = ["--endpoint", sandbox.url, "--project-id", sandbox.project_id, "--api", route]
    assert main(["export", str(path), "--format", "curl", *target]) == 0
    script = capsys.readouterr().out
    assert sandbox.token not in script
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HUAWEICLOUD_SDK_AUTH_TOKEN": sandbox.token}
    result = subprocess.run(["sh", "-c", script], capture_output=True, text=True, env=env, timeout=30, check=False)
    assert result.returncode == 0, result.stderr
    instance_id = json.loads(result.stdout)["instance_id"]
    (created,) = sandbox.state.instances_named("orders-mq")
    assert created["instance_id"] == instance_id
    assert created["description"] == 'quotes " and $dollars and \\ stay as typed'
