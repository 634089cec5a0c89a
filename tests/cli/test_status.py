"""`rocketmq-wizard status` against the sandbox: one look, or follow to RUNNING."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import connection_flags, sandbox_request
from wizard.cli import main
from wizard.sandbox.server import RunningSandbox

Capture = pytest.CaptureFixture[str]


def make_instance(sandbox: RunningSandbox, **changes: object) -> str:
    return sandbox.state.create_instance(sandbox_request(**changes)).id


def test_status_prints_status_name_and_id(sandbox: RunningSandbox, capsys: Capture) -> None:
    sandbox.state.create_delay = 600
    instance_id = make_instance(sandbox)
    assert main(["status", instance_id, *connection_flags(sandbox)]) == 0
    assert capsys.readouterr().out == f"CREATING\torders-mq\t{instance_id}\n"


def test_status_takes_the_connection_flags_before_its_name_too(sandbox: RunningSandbox, capsys: Capture) -> None:
    # rocketmq-wizard --endpoint URL ... status ID, as --help lists the flags at the top.
    sandbox.state.create_delay = 600
    instance_id = make_instance(sandbox)
    assert main([*connection_flags(sandbox), "status", instance_id]) == 0
    assert capsys.readouterr().out == f"CREATING\torders-mq\t{instance_id}\n"


def test_status_json_describes_the_instance(sandbox: RunningSandbox, capsys: Capture) -> None:
    instance_id = make_instance(sandbox, broker_num=2, storage_space=600)
    assert main(["status", instance_id, "--json", *connection_flags(sandbox)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["instance_id"] == instance_id
    assert document["name"] == "orders-mq"
    assert document["status"] in ("CREATING", "RUNNING")
    assert document["broker_num"] == 2


def test_status_wait_follows_to_running(sandbox: RunningSandbox, capsys: Capture) -> None:
    instance_id = make_instance(sandbox)
    assert main(["status", instance_id, "--wait", "--json", *connection_flags(sandbox)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["status"] == "RUNNING"
    assert f"{instance_id}: RUNNING" in err


def test_status_wait_on_a_failed_instance_exits_2(sandbox: RunningSandbox, capsys: Capture) -> None:
    instance_id = make_instance(sandbox, name="fail-status")
    assert main(["status", instance_id, "--wait", *connection_flags(sandbox)]) == 2
    out, err = capsys.readouterr()
    assert out.startswith("CREATEFAILED\t")
    assert "will not reach RUNNING" in err


def test_status_wait_timeout_exits_5(sandbox: RunningSandbox, capsys: Capture) -> None:
    sandbox.state.create_delay = 600
    instance_id = make_instance(sandbox)
    assert main(["status", instance_id, "--wait", "--wait-timeout", "0.3", *connection_flags(sandbox)]) == 5
    assert "still CREATING" in capsys.readouterr().err


def test_status_of_an_unknown_instance_is_refused_with_exit_2(sandbox: RunningSandbox, capsys: Capture) -> None:
    assert main(["status", "no-such-id", "--json", *connection_flags(sandbox)]) == 2
    out, err = capsys.readouterr()
    assert json.loads(out)["error"]["kind"] == "refused"
    assert "error:" in err


def test_status_without_credentials_says_what_to_set(capsys: Capture) -> None:
    assert main(["status", "abc", "--region", "cn-north-4"]) == 1
    assert "HUAWEICLOUD_SDK_AK" in capsys.readouterr().err


def test_status_wait_on_an_unknown_instance_fails_at_once(sandbox: RunningSandbox, capsys: Capture) -> None:
    import time

    started = time.monotonic()
    assert main(["status", "no-such-id", "--wait", *connection_flags(sandbox)]) == 2
    assert time.monotonic() - started < 10  # not the minute of grace a just-created instance gets
    assert "error:" in capsys.readouterr().err
