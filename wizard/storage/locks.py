"""One writer per draft: an exclusive lock held by the wizard that has the draft open.

The lock is flock(2) on DRAFT.lock beside the draft, which also holds the holder's pid for messages.
The kernel drops the lock when its process dies, even by SIGKILL, so a stale lock from a dead wizard
is simply taken over by the next one; no pid guessing is needed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import stat
from pathlib import Path

from wizard.storage.atomic import FILE_MODE, describe_os_error, ensure_private_dir, pid_alive
from wizard.storage.errors import StorageError


class LockHeld(Exception):
    """Another live process holds the lock; `pid` is its process ID when known."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        super().__init__(f"held by pid {pid}" if pid else "held by another process")


_LOCK_CONTENT = re.compile(rb"\d{0,20}\n?")
_OPEN_FLAGS = os.O_RDWR | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


def _not_ours(path: Path, why: str) -> StorageError:
    return StorageError(
        f"refusing to use the lock file {path}: {why}, not a lock file the wizard made; move it away and try again"
    )


def _open_lock(path: Path) -> int:
    """A descriptor on the lock file, made here (O_EXCL) or checked to be one the wizard made before.

    Never follows a symlink, and never opens (let alone truncates) anything but a small regular file of this
    user's holding only a pid: what a wizard that died while holding the lock leaves behind.
    """
    while True:
        try:
            return os.open(path, _OPEN_FLAGS | os.O_CREAT | os.O_EXCL, FILE_MODE)
        except FileExistsError:
            pass
        try:
            fd = os.open(path, _OPEN_FLAGS)
        except FileNotFoundError:
            continue  # released meanwhile: create it afresh
        except OSError:
            if path.is_symlink():
                raise _not_ours(path, f"it is a symbolic link (to {os.readlink(path)})") from None
            raise
        info = os.fstat(fd)
        why = ""
        if not stat.S_ISREG(info.st_mode):
            why = "it is not a regular file"
        elif info.st_uid != os.geteuid():
            why = f"it belongs to another user (uid {info.st_uid})"
        elif info.st_nlink != 1:
            why = "it has other hard links"
        elif info.st_size > 32 or not _LOCK_CONTENT.fullmatch(os.pread(fd, 33, 0)):
            why = "it holds something other than a process ID"
        if why:
            os.close(fd)
            raise _not_ours(path, why)
        return fd


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


class FileLock:
    """An exclusive, non-blocking lock on `path`, released on release() or when the process dies."""

    def __init__(self, path: Path, *, root: Path | None = None) -> None:
        self.path = path
        self.root = root
        """The app's folder that holds the lock's folder (made private too, see ensure_private_dir)."""
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock; raise LockHeld when another process has it, StorageError when it cannot be made."""
        if self._fd is not None:
            return
        ensure_private_dir(self.path.parent, root=self.root)
        while True:
            try:
                fd = _open_lock(self.path)
            except OSError as exc:
                reason = describe_os_error(exc, self.path.parent)
                raise StorageError(f"cannot lock {self.path}: {reason}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid = _read_pid(fd)
                os.close(fd)
                raise LockHeld(pid) from None
            # A releasing holder unlinks the file after unlocking it; if we locked that orphan, try again.
            try:
                current = os.stat(self.path)
            except FileNotFoundError:
                os.close(fd)
                continue
            mine = os.fstat(fd)
            if (mine.st_dev, mine.st_ino) != (current.st_dev, current.st_ino):
                os.close(fd)
                continue
            # The pid only names the holder in messages: a full disk must not cost the lock.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
            self._fd = fd
            return

    def release(self) -> None:
        """Give the lock up and remove the lock file (removed while still held, so no one locks an orphan)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        os.close(fd)


def holder_of(path: Path) -> int | None:
    """The pid of the live process that holds (or last held) the lock at `path`, None when it is free.

    For display only, without touching the lock: to act on a draft, acquire its lock.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        pid = _read_pid(fd) if stat.S_ISREG(os.fstat(fd).st_mode) else None
    finally:
        os.close(fd)
    return pid if pid is not None and pid_alive(pid) else None
