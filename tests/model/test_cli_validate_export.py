"""`validate` and `export` as a user runs them: files in, verdicts and bodies out, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from tests.model.samples import valid_request
from wizard.cli import main


def write(tmp_path: Path, name: str, data: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(tomli_w.dumps(data) if name.endswith(".toml") else json.dumps(data))
    return path


@pytest.mark.parametrize("name", ["request.toml", "request.json"])
def test_a_valid_file_exits_zero(tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(write(tmp_path, name, valid_request()))]) == 0
    assert "valid" in capsys.readouterr().out


def test_an_invalid_file_lists_every_problem_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = valid_request(
        name="9x",
        bss_param={"charging_mode": "prePaid", "period_type": "month", "period_num": 12},
        brokers_num=2,
    )
    assert main(["validate", "--json", str(write(tmp_path, "r.toml", data))]) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["valid"] is False
    by_field = {error["field"]: error for error in verdict["errors"]}
    assert set(by_field) == {"name", "bss_param.period_num", "brokers_num"}
    assert by_field["bss_param.period_num"]["step"] == "billing"
    assert by_field["brokers_num"]["step"] == "flavor"
    assert "did you mean broker_num" in by_field["brokers_num"]["message"]


def test_invalid_file_without_json_explains_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(write(tmp_path, "r.json", valid_request(storage_space=10)))]) == 1
    err = capsys.readouterr().err
    assert "[storage] storage_space" in err
    assert "at least 300 GB per broker" in err


def test_a_bss_param_table_in_toml_is_read(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text(
        tomli_w.dumps(valid_request())
        + '\n[bss_param]\ncharging_mode = "prePaid"\nperiod_type = "year"\nperiod_num = 1\n'
    )
    assert main(["validate", str(path)]) == 0


def test_strings_for_numbers_are_refused_in_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.toml"
    path.write_text(tomli_w.dumps(valid_request(storage_space=None)) + 'storage_space = "600"\n')
    assert main(["validate", "--json", str(path)]) == 1
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert errors[0]["field"] == "storage_space"
    assert "whole number" in errors[0]["message"]


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("missing.toml", None, "no such file"),
        ("r.yaml", "name: x", "must end in .toml or .json"),
        ("r.toml", "name = ", "not valid TOML"),
        ("r.json", "{name", "not valid JSON"),
        ("r.json", "[1, 2]", "must hold a table"),
        ("r.toml", b"\xff\xfe", "not UTF-8"),
    ],
)
def test_unreadable_files_exit_two_with_a_reason(
    tmp_path: Path, name: str, content: str | bytes | None, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    assert main(["validate", str(path)]) == 2
    assert words in capsys.readouterr().err


def test_a_folder_is_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "dir.toml"
    folder.mkdir()
    assert main(["validate", str(folder)]) == 2
    assert "folder" in capsys.readouterr().err


def test_export_prints_exactly_the_api_body(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = valid_request(description='say "hi" \\ there', enable_publicip=False)
    assert main(["export", str(write(tmp_path, "r.toml", data)), "--format", "json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body == {
        "name": "orders-mq",
        "description": 'say "hi" \\ there',
        "engine": "reliability",
        "engine_version": "4.8.0",
        "storage_space": 300,
        "vpc_id": "vpc-1",
        "subnet_id": "subnet-1",
        "security_group_id": "sg-1",
        "available_zones": ["az-1"],
        "product_id": "c6.4u8g.cluster",
        "storage_spec_code": "dms.physical.storage.high.v2",
        "enable_publicip": False,
        "broker_num": 1,
    }


def test_export_keeps_an_explicit_postpaid_bss_param(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = valid_request(bss_param={"charging_mode": "postPaid"})
    assert main(["export", str(write(tmp_path, "r.json", data)), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["bss_param"] == {"charging_mode": "postPaid"}


def test_export_refuses_an_invalid_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(write(tmp_path, "r.json", valid_request(name="x"))), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "name" in captured.err
