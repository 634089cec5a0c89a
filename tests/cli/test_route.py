"""The create route: v2 by default everywhere, `--api v1` for pay-per-use only, refused before sending."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import connection_flags, instances_named, sandbox_request, write_request
from wizard.cli import main
from wizard.create_route import DEFAULT_ROUTE, RouteRefused, body_for_route, create_path
from wizard.sandbox.server import RunningSandbox

Capture = pytest.CaptureFixture[str]
PREPAID = {"charging_mode": "prePaid", "period_type": "month", "period_num": 1, "is_auto_pay": True}
README = Path(__file__).resolve().parents[2] / "README.md"


def test_v2_is_the_default_route_and_its_path_is_the_sdks() -> None:
    assert DEFAULT_ROUTE == "v2"
    assert create_path("v2", "p") == "/v2/reliability/p/instances"
    assert create_path("v1", "p") == "/v1.0/p/instances"


def test_v1_leaves_a_pay_per_use_bss_param_out_and_refuses_a_prepaid_one() -> None:
    body = {"name": "x", "bss_param": {"charging_mode": "postPaid"}}
    assert body_for_route("v1", body) == {"name": "x"}
    assert body_for_route("v2", body) == body
    with pytest.raises(RouteRefused, match="--api v2"):
        body_for_route("v1", {"name": "x", "bss_param": PREPAID})


def test_create_goes_to_the_v2_route_by_default(sandbox: RunningSandbox, tmp_path: Path, capsys: Capture) -> None:
    fault = sandbox.state.faults.add("latency", method="POST", path=f"/v2/reliability/{sandbox.project_id}/instances")
    path = write_request(tmp_path, sandbox_request(bss_param=PREPAID))
    assert main(["create", "--from", str(path), "--yes", *connection_flags(sandbox)]) == 0, capsys.readouterr().err
    assert sandbox.state.faults.fired(fault)
    (created,) = instances_named(sandbox, "orders-mq")
    assert created["charging_mode"] == 0


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_prepaid_request_on_v1_is_refused_before_anything_is_sent(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture, dry_run: bool
) -> None:
    path = write_request(tmp_path, sandbox_request(bss_param=PREPAID))
    extra = ["--dry-run"] if dry_run else []
    code = main(["create", "--from", str(path), "--yes", "--json", *extra, *connection_flags(sandbox, "--api", "v1")])
    out, err = capsys.readouterr()
    assert code == 1
    assert "--api v2" in err and "pay-per-use" in err
    assert json.loads(out)["error"]["kind"] == "wrong_route"
    assert sandbox.state.committed_creates == 0


def test_a_pay_per_use_request_on_v1_is_created_without_bss_param(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture
) -> None:
    fault = sandbox.state.faults.add("latency", method="POST", path=f"/v1.0/{sandbox.project_id}/instances")
    path = write_request(tmp_path, sandbox_request(bss_param={"charging_mode": "postPaid"}))
    assert main(["create", "--from", str(path), "--yes", *connection_flags(sandbox, "--api", "v1")]) == 0
    assert sandbox.state.faults.fired(fault)
    (created,) = instances_named(sandbox, "orders-mq")
    assert created["charging_mode"] == 1


def test_the_curl_export_refuses_prepaid_on_v1_and_uses_v2_by_default(tmp_path: Path, capsys: Capture) -> None:
    path = write_request(tmp_path, sandbox_request(bss_param=PREPAID))
    assert main(["export", str(path), "--format", "curl"]) == 0
    assert "/v2/reliability/${HUAWEICLOUD_SDK_PROJECT_ID}/instances" in capsys.readouterr().out
    assert main(["export", str(path), "--format", "curl", "--api", "v1"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "--api v2" in err


def test_the_readme_says_which_create_url_is_used_and_why() -> None:
    text = README.read_text(encoding="utf-8")
    assert "/v1.0/dms/{project_id}/instances" in text and "/v2/reliability/{project_id}/instances" in text
