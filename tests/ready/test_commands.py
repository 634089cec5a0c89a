"""The headless commands on an instance, end to end against the sandbox over HTTP: topic/group/user create,
connect, delete, create's port warning and --open-ports, and the connection fields of status --json."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import connection_flags, sandbox_request, write_request
from wizard.cli import main
from wizard.sandbox.server import RunningSandbox
from wizard.sandbox.tenants import stable_uuid
from wizard.storage.secrets import scan_for_secrets

Capture = pytest.CaptureFixture[str]
SECRET = "Orders-Secret-42"
STAGING = {
    "vpc_id": stable_uuid("demo", "vpc", 2),
    "subnet_id": stable_uuid("demo", "subnet", 3),
    "security_group_id": stable_uuid("demo", "sg", 3),
}


def instance(sandbox: RunningSandbox, *, running: bool = True, **changes: Any) -> str:
    if running:
        sandbox.state.create_delay = 0.0
    return sandbox.state.create_instance(sandbox_request(**changes)).id


def run(sandbox: RunningSandbox, *args: str) -> int:
    return main([*args, *connection_flags(sandbox)])


def output(capsys: Capture) -> tuple[Any, str]:
    captured = capsys.readouterr()
    return (json.loads(captured.out) if captured.out.strip().startswith("{") else captured.out), captured.err


def test_topic_create(sandbox: RunningSandbox, capsys: Capture) -> None:
    instance_id = instance(sandbox, broker_num=2, storage_space=600)
    assert run(sandbox, "topic", "create", instance_id, "--name", "orders", "--queues", "16", "--json") == 0
    document, err = output(capsys)
    assert document == {"instance_id": instance_id, "topic": "orders", "recovered": False}
    assert "Created topic orders" in err
    stored = sandbox.state.followups.contents(instance_id).topics["orders"]
    assert stored["total_write_queue_num"] == 16
    assert [b["broker_name"] for b in stored["brokers"]] == ["broker-0", "broker-1"]


def test_topic_create_reports_every_broken_rule_by_flag_and_sends_nothing(
    sandbox: RunningSandbox, capsys: Capture
) -> None:
    instance_id = instance(sandbox)
    code = run(sandbox, "topic", "create", instance_id, "--name", "rmq_sys_x", "--queues", "0", "--permission", "rw")
    assert code == 1
    _, err = output(capsys)
    assert "--name 'rmq_sys_x' is reserved" in err
    assert "--queues must be 1-50 (got 0)" in err
    assert "--permission must be" in err
    assert sandbox.state.followups.sent == []


def test_topic_create_waits_for_running_then_sends_once(sandbox: RunningSandbox, capsys: Capture) -> None:
    sandbox.state.create_delay = 1.0
    instance_id = instance(sandbox, running=False)
    assert run(sandbox, "topic", "create", instance_id, "--name", "orders") == 0
    out, err = output(capsys)
    assert out == "orders\n"
    assert "waiting for RUNNING before sending anything" in err
    assert f"{instance_id}: RUNNING" in err
    assert sandbox.state.followups.sent == [("topic", instance_id)]


def test_group_create_on_a_busy_instance_is_tried_again(
    sandbox: RunningSandbox, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("wizard.instance_ops.BUSY_DELAYS", (0.01,))
    instance_id = instance(sandbox)
    sandbox.state.followups.busy(instance_id, times=2)
    assert run(sandbox, "group", "create", instance_id, "--name", "orders-app", "--retries", "3", "--json") == 0
    document, _ = output(capsys)
    assert document["group"] == "orders-app"
    assert sandbox.state.followups.contents(instance_id).groups["orders-app"]["retry_max_time"] == 3
    assert sandbox.state.followups.sent == [("group", instance_id)]


def test_group_create_refuses_retries_out_of_range(sandbox: RunningSandbox, capsys: Capture) -> None:
    assert run(sandbox, "group", "create", instance(sandbox), "--name", "orders-app", "--retries", "17") == 1
    assert "--retries must be 1-16 (got 17)" in output(capsys)[1]


def test_user_create_reads_the_secret_from_stdin(
    sandbox: RunningSandbox, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance_id = instance(sandbox, enable_acl=True)
    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET + "\n"))
    code = run(
        sandbox, "user", "create", instance_id, "--access-key", "orders_app", "--topic-perm", "PUB|SUB", "--json"
    )
    assert code == 0
    document, err = output(capsys)
    assert document == {"instance_id": instance_id, "access_key": "orders_app", "recovered": False}
    assert "cannot be shown again" in err
    assert SECRET not in json.dumps(document) + err
    assert sandbox.state.followups.contents(instance_id).users["orders_app"]["default_topic_perm"] == "PUB|SUB"


def test_user_create_has_no_secret_flag(sandbox: RunningSandbox, capsys: Capture) -> None:
    instance_id = instance(sandbox, enable_acl=True)
    code = run(sandbox, "user", "create", instance_id, "--access-key", "orders_app", "--secret-key", SECRET)
    assert code == 1
    assert "unrecognized arguments: --secret-key" in output(capsys)[1]
    assert sandbox.state.followups.sent == []


def test_user_create_refuses_a_weak_secret_without_showing_it(
    sandbox: RunningSandbox, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("weaksecret\n"))
    assert run(sandbox, "user", "create", instance(sandbox, enable_acl=True), "--access-key", "orders_app") == 1
    _, err = output(capsys)
    assert "the secret key must be 8-32 characters" in err
    assert "weaksecret" not in err


def test_user_create_on_an_instance_without_acl_says_so(
    sandbox: RunningSandbox, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(SECRET + "\n"))
    assert run(sandbox, "user", "create", instance(sandbox), "--access-key", "orders_app") == 1
    assert "ACL is off" in output(capsys)[1]


def test_connect_prints_the_connection_block(sandbox: RunningSandbox, capsys: Capture) -> None:
    eips = [e["id"] for e in sandbox.state.resource_list("publicips") if e["status"] == "DOWN"][:3]
    instance_id = instance(
        sandbox, available_zones=sandbox_request()["available_zones"], enable_publicip=True, publicip_id=",".join(eips)
    )
    assert run(sandbox, "connect", instance_id) == 0
    out, err = output(capsys)
    assert "NameServer (private): 192.168.0.11:8100, 192.168.0.12:8100" in out
    assert "NameServer (public):  203.0.113." in out
    assert 'producer.setNamesrvAddr("192.168.0.11:8100;192.168.0.12:8100");' in out
    assert err == ""
    assert run(sandbox, "connect", instance_id, "--json") == 0
    document, _ = output(capsys)
    assert document["namesrv_address"] == "192.168.0.11:8100,192.168.0.12:8100"
    assert document["public_broker_address"].count(":101") == 3
    assert document["closed_ports"] == []


def test_connect_warns_about_closed_ports(sandbox: RunningSandbox, capsys: Capture) -> None:
    instance_id = instance(sandbox, **STAGING)
    assert run(sandbox, "connect", instance_id, "--json") == 0
    document, err = output(capsys)
    assert document["closed_ports"] == [
        "TCP 8100 from 10.0.0.0/16 (NameServer, private access)",
        "TCP 10100-10199 from 10.0.0.0/16 (brokers, private access)",
    ]
    assert "does not open 2 of the ports" in err


def test_status_json_carries_the_connection_fields(sandbox: RunningSandbox, capsys: Capture) -> None:
    instance_id = instance(sandbox, enable_acl=True, ssl_enable=True)
    assert run(sandbox, "status", instance_id, "--json") == 0
    connection = output(capsys)[0]["connection"]
    assert connection["namesrv_address"] == "192.168.0.11:8100,192.168.0.12:8100"
    assert connection["broker_address"] == "192.168.0.20:10100"
    assert (connection["tls_mode"], connection["ssl_enable"], connection["enable_acl"]) == ("SSL", True, True)
    assert "setUseTLS(true)" in connection["client_config"]
    assert "AclClientRPCHook" in connection["client_config"]


def test_delete_needs_yes_without_a_terminal(sandbox: RunningSandbox, capsys: Capture) -> None:
    instance_id = instance(sandbox)
    assert run(sandbox, "delete", instance_id) == 1
    assert "Pass --yes" in output(capsys)[1]
    assert run(sandbox, "delete", instance_id, "--yes", "--json") == 0
    assert output(capsys)[0]["deleted"] is True
    assert sandbox.state.show_instance(instance_id)["status"] == "DELETING"


def test_delete_refuses_yearly_monthly_with_the_reason(sandbox: RunningSandbox, capsys: Capture) -> None:
    bss = {"charging_mode": "prePaid", "period_type": "month", "period_num": 1, "is_auto_pay": True}
    instance_id = instance(sandbox, bss_param=bss)
    assert run(sandbox, "delete", instance_id, "--yes") == 1
    assert "billed yearly/monthly" in output(capsys)[1]
    assert sandbox.state.show_instance(instance_id)["status"] == "RUNNING"


def test_create_warns_on_stderr_about_closed_ports(sandbox: RunningSandbox, capsys: Capture, tmp_path: Path) -> None:
    path = write_request(tmp_path, sandbox_request(**STAGING))
    assert run(sandbox, "create", "--from", str(path), "--yes", "--json") == 0
    document, err = output(capsys)
    assert "warning: The security group does not open 2 of the ports" in err
    assert "TCP 8100 from 10.0.0.0/16" in err
    assert "--open-ports" in err
    assert len(document["closed_ports"]) == 2
    assert sandbox.state.followups.sent == []


def test_create_open_ports_adds_the_rules(sandbox: RunningSandbox, capsys: Capture, tmp_path: Path) -> None:
    path = write_request(tmp_path, sandbox_request(**STAGING))
    assert run(sandbox, "create", "--from", str(path), "--yes", "--open-ports", "--json") == 0
    document, err = output(capsys)
    assert "Opened TCP 8100 from 10.0.0.0/16" in err
    assert "closed_ports" not in document
    assert len(document["opened_ports"]) == 2
    assert [kind for kind, _ in sandbox.state.followups.sent] == ["security_group_rule"] * 2


def test_create_open_ports_without_permission_is_a_notice(
    sandbox: RunningSandbox, capsys: Capture, tmp_path: Path
) -> None:
    sandbox.state.followups.deny("vpc:securityGroupRules:create")
    path = write_request(tmp_path, sandbox_request(**STAGING))
    assert run(sandbox, "create", "--from", str(path), "--yes", "--open-ports") == 0
    _, err = output(capsys)
    assert "notice: Your account may not add rules" in err


def test_a_whole_run_that_creates_a_user_leaves_no_secret_anywhere(
    sandbox: RunningSandbox, tmp_path: Path, isolated_home: Path
) -> None:
    """The real program in subprocesses: create with ACL, wait, topic, group, user (secret on stdin), connect."""
    env = {**os.environ}

    def wizard(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "wizard", *args, *connection_flags(sandbox)],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            check=False,
        )

    sandbox.state.create_delay = 0.2
    path = write_request(tmp_path, sandbox_request(enable_acl=True))
    created = wizard("create", "--from", str(path), "--yes", "--wait")
    assert created.returncode == 0, created.stderr
    instance_id = created.stdout.strip()
    steps = [
        wizard("topic", "create", instance_id, "--name", "orders"),
        wizard("group", "create", instance_id, "--name", "orders-app"),
        wizard("user", "create", instance_id, "--access-key", "orders_app", stdin=SECRET + "\n"),
        wizard("connect", instance_id, "--json"),
        wizard("status", instance_id, "--json"),
    ]
    for step in steps:
        assert step.returncode == 0, step.stderr
        assert SECRET not in step.stdout + step.stderr
    assert sandbox.state.followups.contents(instance_id).users["orders_app"]["access_key"] == "orders_app"
    findings = scan_for_secrets(isolated_home, [SECRET]) + scan_for_secrets(tmp_path, [SECRET])
    assert findings == []


def test_on_a_terminal_the_secret_is_typed_twice(
    sandbox: RunningSandbox, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    instance_id = instance(sandbox, enable_acl=True)
    typed = iter([SECRET, SECRET + "x"])
    monkeypatch.setattr("wizard.commands.create.stdin_is_terminal", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt, stream=None: next(typed))
    assert run(sandbox, "user", "create", instance_id, "--access-key", "orders_app") == 1
    assert "differ" in output(capsys)[1]
    typed = iter([SECRET, SECRET])
    assert run(sandbox, "user", "create", instance_id, "--access-key", "orders_app") == 0
    assert list(sandbox.state.followups.contents(instance_id).users) == ["orders_app"]
