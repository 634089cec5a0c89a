"""One writer per draft: an exclusive lock held by the wizard that has the draft open.

The lock is flock(2) on DRAFT.lock beside the draft, which also holds the holder's pid for messages.
The kernel drops the lock when its process dies, even by SIGKILL, so a stale lock from a dead wizard
is simply taken over by the next one; no pid guessing is needed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from wizard.storage.atomic import FILE_MODE, describe_os_error, ensure_private_dir, pid_alive
from wizard.storage.errors import StorageError


class LockHeld(Exception):
    """Another live process holds the lock; `pid` is its process ID when known."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        super().__init__(f"held by pid {pid}" if pid else "held by another process")


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


class FileLock:
    """An exclusive, non-blocking lock on `path`, released on release() or when the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock; raise LockHeld when another process has it, StorageError when it cannot be made."""
        if self._fd is not None:
            return
        ensure_private_dir(self.path.parent)
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
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
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        pid = _read_pid(fd)
    finally:
        os.close(fd)
    return pid if pid is not None and pid_alive(pid) else None
