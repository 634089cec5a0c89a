"""`rocketmq-wizard drafts ...` and `rocketmq-wizard profiles ...`, headless."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest

from wizard.cli import main
from wizard.storage import DraftStore, ProfileStore

from .samples import valid_values


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_drafts_list_show_and_rm(capsys: pytest.CaptureFixture[str]) -> None:
    store = DraftStore()
    draft = store.save(store.new({"name": "orders-mq", "broker_num": "x"}, step="flavor"))
    store.close()
    code, out, _ = run(capsys, "drafts", "list")
    assert code == 0
    assert out.splitlines()[0].split() == ["ID", "NAME", "STEP", "SAVED"]
    assert out.splitlines()[1].split()[:3] == [draft.id, "orders-mq", "flavor"]

    code, out, _ = run(capsys, "drafts", "list", "--json")
    [row] = json.loads(out)
    assert (row["id"], row["name"], row["step"], row["open_in_pid"]) == (draft.id, "orders-mq", "flavor", None)

    code, out, _ = run(capsys, "drafts", "show", draft.id)
    shown = tomllib.loads(out)
    assert code == 0 and shown["broker_num"] == "x" and shown["wizard"]["step"] == "flavor"

    code, out, _ = run(capsys, "drafts", "show", draft.id, "--json")
    assert json.loads(out)["values"] == {"name": "orders-mq", "broker_num": "x"}

    assert run(capsys, "drafts", "rm", draft.id)[:2] == (0, f"removed draft {draft.id}\n")
    assert run(capsys, "drafts", "list")[:2] == (0, "no drafts\n")


def test_drafts_history_lists_what_was_submitted(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "drafts", "history")[:2] == (0, "no submitted drafts\n")
    store = DraftStore()
    draft = store.save(store.new(valid_values(), step="review"))
    store.to_history(draft.id, "inst-7")
    code, out, _ = run(capsys, "drafts", "history")
    assert code == 0 and out.splitlines()[1].split()[2:] == ["orders-mq", "inst-7"]
    [row] = json.loads(run(capsys, "drafts", "history", "--json")[1])
    assert (row["id"], row["instance_id"], row["request"]) == (draft.id, "inst-7", valid_values())


def test_drafts_errors_have_clear_messages_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "drafts", "show", "20260101-000000-00000000") == (
        1,
        "",
        "error: no draft 20260101-000000-00000000\n",
    )
    code, _, err = run(capsys, "drafts", "rm", "../x")
    assert code == 1 and "is not a draft ID" in err
    open_elsewhere = DraftStore()
    draft = open_elsewhere.save(open_elsewhere.new({"name": "busy"}))
    code, _, err = run(capsys, "drafts", "rm", draft.id)
    assert code == 1 and "is open in another running wizard" in err
    assert open_elsewhere.load(draft.id).values == {"name": "busy"}


def test_drafts_list_warns_about_a_bad_file_and_lists_the_rest(capsys: pytest.CaptureFixture[str]) -> None:
    store = DraftStore()
    good = store.save(store.new({"name": "good"}))
    (store.folder / "20260101-000000-deadbeef.toml").write_text("")
    code, out, err = run(capsys, "drafts", "list")
    assert code == 0 and good.id in out
    assert "warning:" in err and "20260101-000000-deadbeef.toml: the file is empty" in err and "moved aside" in err


def test_a_draft_file_validates_as_a_request(capsys: pytest.CaptureFixture[str]) -> None:
    store = DraftStore()
    draft = store.save(store.new(valid_values(), step="review"))
    assert run(capsys, "validate", str(store.folder / f"{draft.id}.toml"))[0] == 0


def test_profiles_save_list_show_export_import_rm(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    request = tmp_path / "request.json"
    request.write_text(json.dumps(valid_values()))
    assert run(capsys, "profiles", "save", "team-a", "--from", str(request)) == (0, "saved profile team-a\n", "")

    code, out, _ = run(capsys, "profiles", "list")
    assert code == 0 and out.splitlines()[1].split()[:2] == ["team-a", str(len(valid_values()) - 1)]
    assert json.loads(run(capsys, "profiles", "list", "--json")[1])[0]["name"] == "team-a"

    code, out, _ = run(capsys, "profiles", "show", "team-a")
    assert code == 0 and "name" not in tomllib.loads(out) and tomllib.loads(out)["wizard"]["profile"] == "team-a"
    assert json.loads(run(capsys, "profiles", "show", "team-a", "--json")[1]) == valid_values(name=None)

    exported = tmp_path / "shared.toml"
    code, out, err = run(capsys, "profiles", "export", "team-a", str(exported))
    assert code == 0 and out == "" and str(exported) in err
    assert run(capsys, "profiles", "export", "team-a")[1] == exported.read_text()

    assert run(capsys, "profiles", "import", str(exported))[:2] == (0, "imported profile shared\n")
    code, _, err = run(capsys, "profiles", "import", str(exported))
    assert code == 1 and "exists already" in err
    assert run(capsys, "profiles", "import", str(exported), "--force")[0] == 0
    assert run(capsys, "profiles", "import", str(exported), "--name", "other")[1] == "imported profile other\n"

    assert run(capsys, "profiles", "rm", "team-a")[:2] == (0, "removed profile team-a\n")
    assert [p.name for p in ProfileStore().list()] == ["other", "shared"]


def test_profiles_save_keeps_the_name_only_when_asked(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    request = tmp_path / "request.toml"
    request.write_text(
        'name = "orders-mq"\n'
        + "".join(f"{k} = {json.dumps(v)}\n" for k, v in valid_values(name=None, bss_param=None).items())
    )
    assert run(capsys, "profiles", "save", "with", "--from", str(request), "--include-name")[0] == 0
    assert ProfileStore().load("with").values["name"] == "orders-mq"


def test_profiles_import_names_file_and_field(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(valid_values(broker_num="3", storage_space=None)))
    code, out, err = run(capsys, "profiles", "import", str(bad))
    assert code == 1 and out == ""
    assert err.startswith(f"error: {bad}: not a valid profile, 2 problem(s):")
    assert "  broker_num: broker_num must be a whole number" in err and "  storage_space: " in err


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["profiles", "show", "missing"], 1, "no profile named 'missing'"),
        (["profiles", "rm", "missing"], 1, "no profile named 'missing'"),
        (["profiles", "export", "missing"], 1, "no profile named 'missing'"),
        (["profiles", "show", "a/b"], 1, "profile name 'a/b' is not allowed"),
        # A file that cannot be read is exit 2, as `profiles --help` says.
        (["profiles", "import", "nowhere.toml"], 2, "nowhere.toml: not a valid profile, 1 problem(s):\n  no such file"),
    ],
)
def test_profiles_errors(capsys: pytest.CaptureFixture[str], argv: list[str], code: int, message: str) -> None:
    got, _, err = run(capsys, *argv)
    assert got == code and message in err


def test_a_profile_export_to_a_read_only_place_fails_clearly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ProfileStore().save("p", {"vpc_id": "v"})
    monkeypatch.setattr("os.open", _refuse_create)
    code, _, err = run(capsys, "profiles", "export", "p", str(tmp_path / "out.toml"))
    assert code == 2 and "read-only" in err


_real_open = os.open


def _refuse_create(path: object, flags: int, mode: int = 0o777, **kw: object) -> int:
    import errno

    if not flags & os.O_CREAT:
        return _real_open(path, flags, mode, **kw)  # type: ignore[arg-type]
    raise OSError(errno.EROFS, "Read-only file system")
