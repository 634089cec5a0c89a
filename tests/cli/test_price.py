"""`rocketmq-wizard price` and `create --dry-run` against the sandbox: the estimate, its JSON, unavailability."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from tests.cli.conftest import connection_flags, sandbox_request, write_request
from wizard.cli import main
from wizard.sandbox.server import RunningSandbox
from wizard.storage import ProfileStore

Capture = pytest.CaptureFixture[str]


def price(sandbox: RunningSandbox, *args: str) -> int:
    return main(["price", *args, *connection_flags(sandbox)])


def test_price_prints_each_item_and_the_total(sandbox: RunningSandbox, tmp_path: Path, capsys: Capture) -> None:
    path = write_request(tmp_path, sandbox_request(broker_num=3, storage_space=900))
    assert price(sandbox, str(path)) == 0
    out = capsys.readouterr().out
    assert "Instance c6.4u8g.cluster × 3: $2.40/hour" in out
    assert "Storage High I/O × 900 GB: $0.1350/hour" in out
    assert "Total: $2.54/hour (≈ $1,850.55/month at 730 h)" in out


def test_price_json_holds_the_total_currency_items_and_their_inquiries(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture
) -> None:
    path = write_request(tmp_path, sandbox_request(broker_num=10, storage_space=3000))
    bss = "bss_param.charging_mode=prePaid"
    assert price(sandbox, str(path), "--set", bss, "--set", "bss_param.period_type=year", "--json") != 0
    capsys.readouterr()  # a prePaid request needs a period: refused as invalid
    args = ["--set", bss, "--set", "bss_param.period_type=year", "--set", "bss_param.period_num=1", "--json"]
    assert price(sandbox, str(path), *args) == 0
    estimate = json.loads(capsys.readouterr().out)["estimate"]
    assert estimate["currency"] == "USD"
    assert Decimal(estimate["total"]) == Decimal(40000 + 3000)  # (400 × 10 + 0.1 × 3000) × 10 months a year
    assert estimate["per"] == "1 year"
    instance = estimate["items"][0]["inquiry"]
    assert instance["period_type"] == 3 and instance["period_num"] == 1 and instance["subscription_num"] == 10
    assert instance["resource_type"] == "hws.resource.type.dms.platinum"


def test_price_from_a_profile(sandbox: RunningSandbox, capsys: Capture) -> None:
    ProfileStore().save("team-default", sandbox_request())
    assert price(sandbox, "--profile", "team-default", "--set", "name=priced") == 0
    assert "Total: $0.8450/hour (≈ $616.85/month at 730 h)" in capsys.readouterr().out


def test_an_invalid_request_is_not_priced(sandbox: RunningSandbox, tmp_path: Path, capsys: Capture) -> None:
    path = write_request(tmp_path, sandbox_request(broker_num=0))
    assert price(sandbox, str(path)) == 1
    assert "broker_num" in capsys.readouterr().err


def test_no_permission_says_price_unavailable_in_words(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture
) -> None:
    sandbox.state.bss.may_view_prices = False
    path = write_request(tmp_path, sandbox_request())
    assert price(sandbox, str(path), "--json") == 2
    captured = capsys.readouterr()
    assert "Price unavailable" in captured.err and "bss:discount:view" in captured.err
    assert json.loads(captured.out)["estimate"] is None


def test_dry_run_includes_the_estimate_in_its_json(sandbox: RunningSandbox, tmp_path: Path, capsys: Capture) -> None:
    path = write_request(tmp_path, sandbox_request())
    assert main(["create", "--from", str(path), "--dry-run", "--json", *connection_flags(sandbox)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["dry_run"] is True
    assert Decimal(document["estimate"]["total"]) == Decimal("0.845")
    assert sandbox.state.committed_creates == 0


def test_dry_run_without_a_connection_says_the_price_is_unavailable(tmp_path: Path, capsys: Capture) -> None:
    path = write_request(tmp_path, sandbox_request())
    assert main(["create", "--from", str(path), "--dry-run"]) == 0
    err = capsys.readouterr().err
    assert "Price unavailable: No region chosen" in err
    assert "Dry run: nothing was sent." in err
