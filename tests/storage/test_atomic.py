"""Atomic writes, private modes, full disks, read-only folders and moving bad files aside."""

from __future__ import annotations

import errno
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from wizard.storage import APP_NAME, StorageError, app_paths
from wizard.storage.atomic import (
    atomic_write_text,
    discard_stale_temp_files,
    ensure_private_dir,
    is_temp_name,
    move_aside,
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_wizard_home_moves_every_folder_under_it(tmp_path: Path) -> None:
    paths = app_paths({"ROCKETMQ_WIZARD_HOME": str(tmp_path / "w")})
    assert paths.drafts_dir == tmp_path / "w" / "drafts"
    assert paths.profiles_dir == tmp_path / "w" / "profiles"
    assert paths.history_dir == tmp_path / "w" / "history"
    assert paths.settings_file == tmp_path / "w" / "settings.toml"


def test_without_wizard_home_the_platform_folders_are_used(isolated_home: Path) -> None:
    paths = app_paths({})
    assert APP_NAME in str(paths.data_dir) and APP_NAME in str(paths.config_dir)
    assert paths.data_dir != paths.config_dir


def test_the_environment_variable_is_read_by_default(isolated_home: Path) -> None:
    assert app_paths().data_dir == isolated_home / "wizard-home"


def test_a_write_creates_private_folders_and_a_private_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file.toml"
    atomic_write_text(target, "x = 1\n")
    assert target.read_text() == "x = 1\n"
    assert _mode(target) == 0o600
    assert _mode(tmp_path / "a") == 0o700 and _mode(tmp_path / "a" / "b") == 0o700


def test_a_loose_folder_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "loose"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    ensure_private_dir(folder)
    assert _mode(folder) == 0o700


def test_a_write_replaces_the_whole_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "f.toml"
    atomic_write_text(target, "long " * 1000)
    atomic_write_text(target, "short")
    assert target.read_text() == "short"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.toml"]


@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_a_full_disk_keeps_the_previous_file_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "f.toml"
    atomic_write_text(target, "previous")

    def no_space(*args: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, failing, no_space)
    with pytest.raises(StorageError, match="the disk is full") as caught:
        atomic_write_text(target, "new content")
    monkeypatch.undo()
    assert str(target) in str(caught.value) and "previous version of the file is unchanged" in str(caught.value)
    assert target.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.toml"]


def test_a_short_write_is_completed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write

    def dribble(fd: int, data: bytes | memoryview) -> int:
        return real_write(fd, bytes(data[:3]))

    monkeypatch.setattr(os, "write", dribble)
    atomic_write_text(tmp_path / "f", "0123456789")
    assert (tmp_path / "f").read_text() == "0123456789"


def test_a_read_only_folder_gives_a_clear_error_and_keeps_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "f.toml"
    atomic_write_text(target, "previous")
    real_open = os.open

    def read_only(path: str | os.PathLike[str], flags: int, mode: int = 0o777, **kw: object) -> int:
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(StorageError, match="read-only"):
        atomic_write_text(target, "new")
    monkeypatch.undo()
    assert target.read_text() == "previous"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_a_folder_without_write_permission_gives_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "f.toml"
    atomic_write_text(target, "previous")
    os.chmod(tmp_path, 0o500)
    try:
        with pytest.raises(StorageError, match="permission denied"):
            atomic_write_text(target, "new")
    finally:
        os.chmod(tmp_path, 0o700)
    assert target.read_text() == "previous"


def test_moving_aside_renames_and_never_overwrites(tmp_path: Path) -> None:
    when = datetime(2026, 11, 28, 1, 2, 3, tzinfo=UTC)
    first = tmp_path / "d.toml"
    first.write_text("one")
    moved = move_aside(first, when)
    assert moved.name == "d.toml.corrupt-20261128T010203Z" and moved.read_text() == "one"
    first.write_text("two")
    again = move_aside(first, when)
    assert again.name == "d.toml.corrupt-20261128T010203Z-1" and again.read_text() == "two"
    assert moved.read_text() == "one" and not first.exists()


def test_temporary_files_of_dead_writers_are_cleaned_but_not_live_ones(tmp_path: Path) -> None:
    dead = tmp_path / ".d.toml.999999999.0a1b2c3d.tmp"
    live = tmp_path / f".d.toml.{os.getpid()}.0a1b2c3d.tmp"
    for path in (dead, live):
        path.write_text("partial")
    assert is_temp_name(dead.name) and not is_temp_name("d.toml")
    assert discard_stale_temp_files(tmp_path) == [dead]
    assert live.exists() and not dead.exists()
