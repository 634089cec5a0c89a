"""`rocketmq-wizard create` end to end against the sandbox over loopback, in process, every exit code."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.conftest import connection_flags, instances_named, sandbox_request, write_request
from wizard.cli import main
from wizard.sandbox.server import RunningSandbox
from wizard.storage import ProfileStore

Capture = pytest.CaptureFixture[str]


def create(sandbox: RunningSandbox, *args: str) -> int:
    return main(["create", *args, *connection_flags(sandbox)])


def test_create_from_a_file_prints_only_the_instance_id(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture
) -> None:
    path = write_request(tmp_path, sandbox_request())
    assert create(sandbox, "--from", str(path), "--yes") == 0
    out, err = capsys.readouterr()
    (created,) = instances_named(sandbox, "orders-mq")
    assert out == f"{created['instance_id']}\n"
    assert "Create RocketMQ instance orders-mq" in err
    assert "sandbox-1a" in err  # the summary names AZs by code as well as ID


def test_create_from_a_profile_with_the_name_set_on_the_command_line(sandbox: RunningSandbox, capsys: Capture) -> None:
    ProfileStore().save("team-default", sandbox_request())  # profiles leave the instance name out
    assert create(sandbox, "--profile", "team-default", "--set", "name=from-profile", "--yes", "--json") == 0
    result = json.loads(capsys.readouterr().out)
    (created,) = instances_named(sandbox, "from-profile")
    assert result == {"instance_id": created["instance_id"], "name": "from-profile", "recovered": False}


def test_set_overrides_are_typed_and_reach_the_api(sandbox: RunningSandbox, tmp_path: Path, capsys: Capture) -> None:
    path = write_request(tmp_path, sandbox_request())
    zones = [z["id"] for z in sandbox.state.zones[:3]]
    code = create(
        sandbox,
        "--from",
        str(path),
        "--set",
        "name=bigger-mq",
        "--set",
        "broker_num=2",
        "--set",
        "storage_space=1200",
        "--set",
        f"available_zones={','.join(zones)}",
        "--set",
        "enable_acl=true",
        "--yes",
    )
    assert code == 0, capsys.readouterr().err
    (created,) = instances_named(sandbox, "bigger-mq")
    assert created["broker_num"] == 2
    assert sorted(created["available_zones"]) == sorted(zones)
    detail = sandbox.state.show_instance(created["instance_id"])
    assert detail["enable_acl"] is True


def test_every_problem_is_reported_at_once_and_nothing_is_sent(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture
) -> None:
    path = write_request(tmp_path, sandbox_request(name="x", broker_num=0, storage_spec_code=None))
    assert create(sandbox, "--from", str(path), "--yes", "--json") == 1
    out, err = capsys.readouterr()
    fields = {e["field"] for e in json.loads(out)["errors"]}
    assert {"name", "broker_num", "storage_spec_code"} <= fields
    assert "3 problem(s)" in err or "problem(s)" in err
    assert sandbox.state.committed_creates == 0


def test_bad_set_assignments_exit_1_with_did_you_mean(sandbox: RunningSandbox, tmp_path: Path, capsys: Capture) -> None:
    path = write_request(tmp_path, sandbox_request())
    assert create(sandbox, "--from", str(path), "--set", "brokers_num=2", "--set", "ssl_enable=yes", "--yes") == 1
    err = capsys.readouterr().err
    assert "did you mean broker_num?" in err
    assert "--set ssl_enable: takes true or false (got 'yes')" in err
    assert sandbox.state.committed_creates == 0


def test_an_unreadable_file_or_missing_profile_is_invalid_input(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture
) -> None:
    assert create(sandbox, "--from", str(tmp_path / "missing.toml"), "--yes") == 1
    assert "no such file" in capsys.readouterr().err
    assert create(sandbox, "--profile", "nobody", "--yes") == 1
    assert "no profile named 'nobody'" in capsys.readouterr().err


def test_file_and_profile_together_are_refused(tmp_path: Path, capsys: Capture) -> None:
    path = write_request(tmp_path, sandbox_request())
    with pytest.raises(SystemExit) as exited:
        main(["create", "--from", str(path), "--profile", "p"])
    assert exited.value.code == 1
    assert "exactly one of --from FILE and --profile NAME" in capsys.readouterr().err


def test_without_a_terminal_and_without_yes_it_refuses_to_prompt(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # input is there, but it is not a terminal
    path = write_request(tmp_path, sandbox_request())
    assert create(sandbox, "--from", str(path)) == 1
    assert "standard input is not a terminal" in capsys.readouterr().err
    assert sandbox.state.committed_creates == 0


@pytest.mark.parametrize(("answer", "code", "created"), [("y\n", 0, 1), ("\n", 1, 0), ("no\n", 1, 0), ("", 1, 0)])
def test_on_a_terminal_it_asks_and_only_yes_creates(
    sandbox: RunningSandbox,
    tmp_path: Path,
    capsys: Capture,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    code: int,
    created: int,
) -> None:
    monkeypatch.setattr("wizard.commands.create.stdin_is_terminal", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO(answer))
    path = write_request(tmp_path, sandbox_request())
    assert create(sandbox, "--from", str(path)) == code
    out, err = capsys.readouterr()
    assert "Create this instance? [y/N]" in err
    assert "Create this instance?" not in out
    assert len(instances_named(sandbox, "orders-mq")) == created


def test_dry_run_sends_nothing_and_prints_the_body(sandbox: RunningSandbox, tmp_path: Path, capsys: Capture) -> None:
    path = write_request(tmp_path, sandbox_request())
    assert create(sandbox, "--from", str(path), "--dry-run", "--set", "description=just looking") == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["description"] == "just looking"
    assert "nothing was created (only its price was asked)" in err
    assert "Total: $" in err  # the estimate, from the sandbox's price inquiry
    assert sandbox.state.committed_creates == 0
    assert instances_named(sandbox, "orders-mq") == []


def test_dry_run_reports_problems_with_exit_1(tmp_path: Path, capsys: Capture) -> None:
    path = write_request(tmp_path, sandbox_request(available_zones=["a", "b"]))
    assert main(["create", "--from", str(path), "--dry-run", "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["error"]["kind"] == "invalid"
    assert [e["field"] for e in document["errors"]] == ["available_zones"]


def test_the_live_catalog_catches_what_the_offline_one_cannot(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture
) -> None:
    path = write_request(tmp_path, sandbox_request(available_zones=["sandbox-1a"]))  # a code, not an ID
    assert create(sandbox, "--from", str(path), "--yes") == 1
    assert "is an AZ code, not an ID" in capsys.readouterr().err
    assert sandbox.state.committed_creates == 0


def test_missing_credentials_are_invalid_input_saying_what_to_set(tmp_path: Path, capsys: Capture) -> None:
    path = write_request(tmp_path, sandbox_request())
    assert main(["create", "--from", str(path), "--yes", "--region", "cn-north-4", "--json"]) == 1
    out, err = capsys.readouterr()
    assert json.loads(out)["error"]["kind"] == "credentials"
    assert "HUAWEICLOUD_SDK_AK" in err


def test_api_refusal_exits_2_with_vendor_code_field_and_request_id(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture
) -> None:
    path = write_request(tmp_path, sandbox_request())
    assert create(sandbox, "--from", str(path), "--yes") == 0
    capsys.readouterr()
    assert create(sandbox, "--from", str(path), "--yes", "--json") == 2
    out, err = capsys.readouterr()
    error = json.loads(out)["error"]
    assert error["kind"] == "refused"
    assert error["code"] == "DMS.00400060"
    assert error["field"] == "name"
    assert error["request_id"]
    assert "DMS.00400060" in err
    assert len(instances_named(sandbox, "orders-mq")) == 1


def test_an_unreachable_api_exits_4_and_nothing_is_created(
    tmp_path: Path, capsys: Capture, fast_client: None, unused_tcp_port: int
) -> None:
    path = write_request(tmp_path, sandbox_request())
    flags = ["--endpoint", f"http://127.0.0.1:{unused_tcp_port}", "--ak", "A" * 20, "--sk", "s", "--project-id", "p"]
    assert main(["create", "--from", str(path), "--yes", "--timeout", "2", *flags]) == 4
    assert "error:" in capsys.readouterr().err


def test_a_lost_create_answer_is_recovered_by_name_without_a_second_create(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture, fast_client: None
) -> None:
    sandbox.state.faults.add("timeout_after_commit", method="POST", path="*/instances", delay=3)
    path = write_request(tmp_path, sandbox_request())
    assert create(sandbox, "--from", str(path), "--yes", "--json", "--timeout", "1") == 0
    result = json.loads(capsys.readouterr().out)
    (created,) = instances_named(sandbox, "orders-mq")
    assert result == {"instance_id": created["instance_id"], "name": "orders-mq", "recovered": True}
    assert sandbox.state.committed_creates == 1


def test_a_5xx_on_the_create_is_unknown_not_safe_and_a_retry_creates_once(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture, fast_client: None
) -> None:
    """A 503 after sending proves nothing (the service may commit later): exit 3 saying what was checked."""
    sandbox.state.faults.add("status", status=503, method="POST", path="*/instances")
    path = write_request(tmp_path, sandbox_request())
    assert create(sandbox, "--from", str(path), "--yes", "--json") == 3
    document = json.loads(capsys.readouterr().out)
    assert document["error"]["kind"] == "outcome_unknown"
    assert "found no instance called 'orders-mq' yet" in document["error"]["message"]
    assert "safe to try again" not in document["error"]["message"]
    assert instances_named(sandbox, "orders-mq") == []
    assert create(sandbox, "--from", str(path), "--yes") == 0
    assert len(instances_named(sandbox, "orders-mq")) == 1


def test_a_throttled_create_exits_4_safe_to_retry_not_2(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture, fast_client: None
) -> None:
    sandbox.state.faults.add("status", status=429, retry_after=0, count=2, method="POST", path="*/instances")
    path = write_request(tmp_path, sandbox_request())
    assert create(sandbox, "--from", str(path), "--yes", "--json") == 4
    document = json.loads(capsys.readouterr().out)
    assert document["error"]["kind"] == "not_created"
    assert "throttled" in document["error"]["message"] and "safe to try again" in document["error"]["message"]
    assert instances_named(sandbox, "orders-mq") == []
    assert create(sandbox, "--from", str(path), "--yes") == 0


@pytest.mark.parametrize("fault", ["reset", "timeout", "timeout_after_commit", "status"])
def test_faults_on_create_never_make_duplicates(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture, fast_client: None, fault: str
) -> None:
    """Whatever the fault, re-running the same command until it says done leaves exactly one instance."""
    sandbox.state.faults.add(fault, method="POST", path="*/instances", delay=2 if "timeout" in fault else None)
    path = write_request(tmp_path, sandbox_request())
    codes = [create(sandbox, "--from", str(path), "--yes", "--timeout", "1") for _ in range(2)]
    capsys.readouterr()
    assert codes[0] in (0, 3)  # 3: the answer was lost and the lookup cannot prove nothing was made
    assert codes[1] in (0, 2)  # a second run after a success is refused: the name is taken
    assert 0 in codes
    assert len(instances_named(sandbox, "orders-mq")) == 1
    assert sandbox.state.committed_creates == 1


def test_exit_3_only_when_the_lookup_after_a_lost_answer_fails_too(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture, fast_client: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.state.faults.add("timeout_after_commit", method="POST", path="*/instances", delay=3)
    committed = sandbox.state.create_instance

    def commit_then_break_lookups(*args: Any, **kwargs: Any) -> Any:
        record = committed(*args, **kwargs)
        sandbox.state.faults.add("status", status=503, method="GET", path="*/instances", count=None)
        return record

    monkeypatch.setattr(sandbox.state, "create_instance", commit_then_break_lookups)
    path = write_request(tmp_path, sandbox_request())
    assert create(sandbox, "--from", str(path), "--yes", "--json", "--timeout", "1") == 3
    out, err = capsys.readouterr()
    error = json.loads(out)["error"]
    assert error["kind"] == "outcome_unknown"
    assert "looking the instance up by its name 'orders-mq' failed" in error["message"]
    assert "error:" in err
    sandbox.state.faults.clear()
    assert len(instances_named(sandbox, "orders-mq")) == 1  # the truth: it was created, once


def test_wait_follows_the_instance_to_running(sandbox: RunningSandbox, tmp_path: Path, capsys: Capture) -> None:
    path = write_request(tmp_path, sandbox_request())
    assert create(sandbox, "--from", str(path), "--yes", "--wait", "--json") == 0
    out, err = capsys.readouterr()
    result = json.loads(out)
    assert result["status"] == "RUNNING"
    assert f"{result['instance_id']}: CREATING" in err
    assert f"{result['instance_id']}: RUNNING" in err


def test_wait_prints_the_id_first_then_progress_on_stderr(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture
) -> None:
    path = write_request(tmp_path, sandbox_request())
    assert create(sandbox, "--from", str(path), "--yes", "--wait") == 0
    out, err = capsys.readouterr()
    (created,) = instances_named(sandbox, "orders-mq")
    assert out == f"{created['instance_id']}\n"
    assert "is RUNNING" in err


def test_wait_on_a_failed_create_exits_2(sandbox: RunningSandbox, tmp_path: Path, capsys: Capture) -> None:
    path = write_request(tmp_path, sandbox_request(name="fail-orders"))
    assert create(sandbox, "--from", str(path), "--yes", "--wait", "--json") == 2
    document = json.loads(capsys.readouterr().out)
    assert document["status"] == "CREATEFAILED"
    assert document["error"]["kind"] == "instance_failed"


def test_wait_that_runs_out_of_time_exits_5_with_the_id(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture
) -> None:
    sandbox.state.create_delay = 600
    path = write_request(tmp_path, sandbox_request())
    assert create(sandbox, "--from", str(path), "--yes", "--wait", "--wait-timeout", "0.5") == 5
    out, err = capsys.readouterr()
    (created,) = instances_named(sandbox, "orders-mq")
    assert out == f"{created['instance_id']}\n"
    assert "still CREATING" in err
    assert f"rocketmq-wizard status {created['instance_id']}" in err


def test_interrupted_while_creating_exits_130_and_says_what_may_exist(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def interrupted(self: Any, request: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr("wizard.client.CloudClient.create_instance", interrupted)
    path = write_request(tmp_path, sandbox_request())
    assert create(sandbox, "--from", str(path), "--yes") == 130
    assert "instance 'orders-mq' may exist" in capsys.readouterr().err


def test_help_documents_every_exit_code(capsys: Capture) -> None:
    with pytest.raises(SystemExit):
        main(["create", "--help"])
    out = capsys.readouterr().out
    for text in ("0 done", "1 invalid input", "2 ", "3 outcome unknown", "4 API unreachable", "5 --wait", "130"):
        assert text in out
    assert "--sandbox" in out and "--set FIELD=VALUE" in out and "--dry-run" in out


@pytest.mark.parametrize(
    "args", [["--bogus"], ["--wait-timeout", "soon"], ["--timeout", "0"], ["--api", "v3"], ["--set"]]
)
def test_usage_errors_are_invalid_input_not_an_api_refusal(tmp_path: Path, capsys: Capture, args: list[str]) -> None:
    path = write_request(tmp_path, sandbox_request())
    assert main(["create", "--from", str(path), "--dry-run", *args]) == 1
    assert "error:" in capsys.readouterr().err


def test_bad_set_and_broken_rules_are_reported_together(tmp_path: Path, capsys: Capture) -> None:
    path = write_request(tmp_path, sandbox_request(name="x"))
    code = main(["create", "--from", str(path), "--set", "brokers_num=2", "--set", "storage_space=100", "--dry-run"])
    assert code == 1
    err = capsys.readouterr().err
    assert "did you mean broker_num?" in err
    assert "[basics] name:" in err  # the file's own problem, found in the same run
    assert "storage_space must be at least 300 GB" in err  # the good --set was applied before checking


def test_wait_that_loses_track_of_the_instance_exits_3_with_the_id(
    sandbox: RunningSandbox, tmp_path: Path, capsys: Capture, fast_client: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox.state.create_delay = 600
    committed = sandbox.state.create_instance

    def commit_then_break_status_reads(*args: Any, **kwargs: Any) -> Any:
        record = committed(*args, **kwargs)
        sandbox.state.faults.add("reset", method="GET", path="*/instances/*", count=None)
        return record

    import asyncio

    from wizard import client as client_module

    async def quick_sleep(seconds: float) -> None:
        await asyncio.sleep(min(seconds, 0.02))

    quick = client_module.CloudClient  # the fast_client one

    class QuickSleeper(quick):  # type: ignore[misc, valid-type]
        def __init__(self, settings: Any, transport: Any = None, **kwargs: Any) -> None:
            super().__init__(settings, transport, sleep=quick_sleep, **kwargs)

    monkeypatch.setattr(sandbox.state, "create_instance", commit_then_break_status_reads)
    monkeypatch.setattr(client_module, "CloudClient", QuickSleeper)
    path = write_request(tmp_path, sandbox_request())
    assert create(sandbox, "--from", str(path), "--yes", "--wait", "--json") == 3
    document = json.loads(capsys.readouterr().out)
    (created,) = instances_named(sandbox, "orders-mq")
    assert document["instance_id"] == created["instance_id"]
    assert document["error"]["kind"] == "wait_failed"


def test_json_errors_name_the_field_of_each_bad_set(tmp_path: Path, capsys: Capture) -> None:
    path = write_request(tmp_path, sandbox_request())
    argv = ["create", "--from", str(path), "--set", "broker_num=two", "--set", "brokers=2", "--dry-run", "--json"]
    assert main(argv) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert [(e["field"], e["step"]) for e in errors] == [("broker_num", "flavor"), ("brokers", "")]
