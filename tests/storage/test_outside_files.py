"""The wizard never touches a file outside its own folders: symlinked locks, stores and export targets."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from wizard.cli import main
from wizard.storage import DraftStore, ProfileExists, ProfileStore, StorageError, app_paths
from wizard.storage.locks import FileLock

from .samples import valid_values


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def precious(tmp_path: Path) -> Path:
    path = tmp_path / "precious"
    path.write_text("years of notes\n")
    return path


def _saved_draft() -> str:
    store = DraftStore()
    draft = store.save(store.new({"name": "orders-mq"}))
    store.close()
    return draft.id


def test_a_symlinked_lock_file_leaves_its_target_alone(capsys: pytest.CaptureFixture[str], precious: Path) -> None:
    draft_id = _saved_draft()
    os.symlink(precious, app_paths().drafts_dir / f".{draft_id}.lock")
    code, _, err = run(capsys, "drafts", "rm", draft_id)
    assert precious.read_text() == "years of notes\n"
    assert code == 2 and "symbolic link" in err and f".{draft_id}.lock" in err
    assert (app_paths().drafts_dir / f"{draft_id}.toml").exists()


def test_a_lock_file_holding_something_else_is_never_truncated(tmp_path: Path) -> None:
    lock_path = tmp_path / "locks" / ".x.lock"
    lock_path.parent.mkdir()
    lock_path.write_text("not a pid, someone's text\n")
    with pytest.raises(StorageError, match="holds something other than a process ID"):
        FileLock(lock_path).acquire()
    assert lock_path.read_text() == "not a pid, someone's text\n"


def test_a_hard_linked_lock_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "locks").mkdir()
    other = tmp_path / "other"
    other.write_text("12\n")
    os.link(other, tmp_path / "locks" / ".x.lock")
    with pytest.raises(StorageError, match="hard links"):
        FileLock(tmp_path / "locks" / ".x.lock").acquire()
    assert other.read_text() == "12\n"


def test_a_stale_lock_left_by_a_dead_wizard_is_taken_over(tmp_path: Path) -> None:
    lock_path = tmp_path / ".x.lock"
    lock_path.write_text("999999999\n")
    lock = FileLock(lock_path)
    lock.acquire()
    assert lock_path.read_text() == f"{os.getpid()}\n"
    lock.release()
    assert not lock_path.exists()


def test_a_symlinked_drafts_folder_is_refused_and_never_chmodded(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o755)
    os.chmod(elsewhere, 0o755)
    app_paths().data_dir.mkdir(parents=True)
    os.symlink(elsewhere, app_paths().drafts_dir)
    store = DraftStore()
    with pytest.raises(StorageError, match="symbolic link"):
        store.save(store.new({"name": "x"}))
    assert stat.S_IMODE(os.stat(elsewhere).st_mode) == 0o755 and list(elsewhere.iterdir()) == []
    code, _, err = run(capsys, "drafts", "list")
    assert code == 2 and "symbolic link" in err


def test_a_symlinked_profile_file_is_not_read_or_moved(capsys: pytest.CaptureFixture[str], precious: Path) -> None:
    ProfileStore().save("real", valid_values())
    link = app_paths().profiles_dir / "team.toml"
    os.symlink(precious, link)
    code, out, err = run(capsys, "profiles", "show", "team")
    assert code == 2 and "symbolic link" in err and "years of notes" not in out
    assert link.is_symlink() and precious.read_text() == "years of notes\n"
    code, out, err = run(capsys, "profiles", "list")
    assert code == 0 and "real" in out and "team.toml" in err


def test_a_home_folder_others_can_write_is_made_private_with_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = app_paths().data_dir
    home.mkdir(parents=True)
    os.chmod(home, 0o777)
    source = tmp_path / "team.json"
    source.write_text(json.dumps(valid_values()))
    code, _, err = run(capsys, "profiles", "save", "team", "--from", str(source))
    assert code == 0
    assert stat.S_IMODE(os.stat(home).st_mode) == 0o700
    assert "could be written by other users" in err and str(home) in err


def test_a_symlinked_home_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "real-home"
    real.mkdir(mode=0o755)
    os.chmod(real, 0o755)
    os.symlink(real, tmp_path / "link-home")
    monkeypatch.setenv("ROCKETMQ_WIZARD_HOME", str(tmp_path / "link-home"))
    with pytest.raises(StorageError, match="symbolic link"):
        ProfileStore().save("team", {"broker_num": 1})
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o755


# ---- profiles export NAME FILE ---------------------------------------------------------------------


@pytest.fixture
def team() -> str:
    ProfileStore().save("team", valid_values())
    return "team"


def test_export_refuses_a_fifo(capsys: pytest.CaptureFixture[str], tmp_path: Path, team: str) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    code, _, err = run(capsys, "profiles", "export", team, str(fifo), "--force")
    assert code == 1 and "FIFO" in err and "regular file" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_export_refuses_a_symlink(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, precious: Path, team: str
) -> None:
    link = tmp_path / "link.toml"
    os.symlink(precious, link)
    code, _, err = run(capsys, "profiles", "export", team, str(link), "--force")
    assert code == 1 and "symbolic link" in err
    assert link.is_symlink() and precious.read_text() == "years of notes\n"


def test_export_refuses_a_hard_link(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, precious: Path, team: str
) -> None:
    linked = tmp_path / "linked.toml"
    os.link(precious, linked)
    code, _, err = run(capsys, "profiles", "export", team, str(linked), "--force")
    assert code == 1 and "hard links" in err
    assert precious.read_text() == "years of notes\n"


def test_export_replaces_a_regular_file_only_with_force(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, team: str
) -> None:
    target = tmp_path / "team.toml"
    target.write_text("old\n")
    code, _, err = run(capsys, "profiles", "export", team, str(target))
    assert code == 1 and "--force" in err and target.read_text() == "old\n"
    code, _, _ = run(capsys, "profiles", "export", team, str(target), "--force")
    assert code == 0 and "[wizard]" in target.read_text()


def test_export_to_a_new_file_and_to_standard_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, team: str
) -> None:
    target = tmp_path / "new.toml"
    assert run(capsys, "profiles", "export", team, str(target))[0] == 0
    code, out, _ = run(capsys, "profiles", "export", team, "-")
    assert code == 0 and out == target.read_text()
    assert not Path("-").exists()


# ---- create if absent -------------------------------------------------------------------------------


def test_a_save_without_overwrite_never_replaces_a_profile_saved_meanwhile(monkeypatch: pytest.MonkeyPatch) -> None:
    store = ProfileStore()
    store.save("team", {"description": "first"}, overwrite=False)
    # The other save checked for the name before the first one wrote it.
    monkeypatch.setattr(Path, "exists", lambda self: False)
    with pytest.raises(ProfileExists):
        store.save("team", {"description": "second"}, overwrite=False)
    monkeypatch.undo()
    assert store.load("team").values == {"description": "first"}
    assert [p.name for p in (store.folder).iterdir()] == ["team.toml"]
