"""Bad input gets a message naming the input and the rule, with the documented exit code, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import sandbox_request
from wizard.cli import main
from wizard.storage import ProfileStore
from wizard.validation import MAX_PROBLEMS_SHOWN, check_request

Capture = pytest.CaptureFixture[str]


def _file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return str(path)


@pytest.mark.parametrize(
    ("name", "text", "rule"),
    [
        ("big.json", '{"broker_num": ' + "9" * 5000 + "}", "not valid JSON"),
        ("deep.json", "[" * 100_000, "too deeply"),
        ("deep.toml", "a = " + "[" * 5000 + "]" * 5000, "too deeply"),
        ("table.toml", "".join(f"[{'.'.join(['t'] * n)}]\n" for n in (500,)), "too deeply"),
        ("surrogate.json", '{"name": "x\\ud800"}', "name is not valid Unicode text"),
    ],
)
def test_hostile_request_files_get_a_message_and_exit_2(
    tmp_path: Path, capsys: Capture, name: str, text: str, rule: str
) -> None:
    path = _file(tmp_path, name, text)
    for argv in (["validate", path], ["create", "--from", path, "--dry-run"], ["export", path]):
        code = main(argv)
        err = capsys.readouterr().err
        assert code in (1, 2) and rule in err and "Traceback" not in err, (argv, err)
    assert main(["profiles", "import", path, "--name", "p"]) == 2
    assert rule in capsys.readouterr().err


def test_a_fifo_as_request_file_is_refused_at_once(tmp_path: Path, capsys: Capture) -> None:
    import os

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    assert main(["validate", str(fifo)]) == 2
    assert "FIFO" in capsys.readouterr().err


def test_an_oversized_request_file_is_refused(tmp_path: Path, capsys: Capture) -> None:
    path = _file(tmp_path, "huge.json", '{"description": "' + "x" * (5 << 20) + '"}')
    assert main(["validate", path]) == 2
    assert "larger than 4 MiB" in capsys.readouterr().err


def test_many_unknown_keys_are_counted_not_all_listed(tmp_path: Path, capsys: Capture) -> None:
    path = _file(tmp_path, "keys.json", json.dumps({f"unknown_{i}": i for i in range(5000)}))
    assert main(["validate", path]) == 1
    err = capsys.readouterr().err
    assert sum(line.startswith("  [") for line in err.splitlines()) == MAX_PROBLEMS_SHOWN
    assert "more problem(s) not listed" in err
    assert main(["validate", path, "--json"]) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert len(verdict["errors"]) == MAX_PROBLEMS_SHOWN and verdict["more_errors"] > 4900


def test_an_empty_key_is_named() -> None:
    issues = check_request({"": 1, **sandbox_request()})
    assert [(i.field, i.message) for i in issues] == [
        ('""', 'a field with an empty name ("") is not a field the API takes')
    ]


def test_control_characters_are_refused_in_a_description_and_escaped_when_listed(capsys: Capture) -> None:
    issues = check_request(sandbox_request(description="a\x1b[31mred"))
    assert [i.field for i in issues] == ["description"] and "control characters" in issues[0].message
    ProfileStore().save("evil", {"description": "a\x1b]0;owned\x07"})
    assert main(["profiles", "list"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\\x1b]0;owned\\x07" in out


def test_numbers_are_bounded_by_the_catalog_and_ascii_only() -> None:
    fields = {i.field for i in check_request(sandbox_request(storage_space=10**400, product_id=None))}
    assert "storage_space" in fields
    fields = {i.field for i in check_request(sandbox_request(broker_num=10**30, product_id=None))}
    assert "broker_num" in fields


def test_export_takes_the_endpoint_rule_of_create(tmp_path: Path, capsys: Capture) -> None:
    path = _file(tmp_path, "r.json", json.dumps(sandbox_request()))
    assert main(["export", path, "--format", "curl", "--endpoint", "http://user:pass@10.0.0.1"]) == 1
    err = capsys.readouterr().err
    assert "user name or password" in err and "pass@" not in err


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["status", "a" * 100_000, "--sandbox"], "INSTANCE_ID"),
        (["status", "abc", "--timeout", "nan"], "--timeout"),
        (["status", "abc", "--wait-timeout", "nan"], "--wait-timeout"),
        (["status", "abc", "--timeout", "-5"], "--timeout"),
        (["sandbox", "--port", "99999"], "--port"),
        (["sandbox", "--create-delay", "nan"], "--create-delay"),
        (["sandbox", "--latency-ms", "-5"], "--latency-ms"),
    ],
)
def test_bad_flag_values_name_the_flag_and_exit_1(capsys: Capture, argv: list[str], named: str) -> None:
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert named in err and "Traceback" not in err and "latency_ms" not in err


def test_a_port_in_use_is_named(capsys: Capture) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["sandbox", "--port", str(port)]) == 1
    assert f"port {port} on 127.0.0.1 is in use" in capsys.readouterr().err
