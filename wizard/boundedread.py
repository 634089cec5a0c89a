"""Reading a file the user names without hanging on a FIFO or filling memory from /dev/zero.

Only regular files are read, at most `limit` bytes of them; the open never blocks (O_NONBLOCK), so a FIFO
with no writer or a device is refused at once instead of waiting or streaming forever.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class NotAFile(OSError):
    """The path names a FIFO, a device, a socket (or, with follow_symlinks=False, a symbolic link)."""


class FileTooLarge(OSError):
    """The file is larger than the reader's limit."""


def kind_of(mode: int) -> str:
    """What a file with this st_mode is, in words."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def describe_limit(limit: int) -> str:
    """A byte count as people read it (1 MB = 1,000,000 bytes would surprise nobody either way)."""
    if limit >= 1 << 20:
        return f"{limit / (1 << 20):g} MiB"
    if limit >= 1 << 10:
        return f"{limit / (1 << 10):g} KiB"
    return f"{limit} bytes"


def read_bounded(path: Path, limit: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    Raises FileNotFoundError, IsADirectoryError, PermissionError and other OSErrors as open(2) does;
    NotAFile for anything but a regular file (a symbolic link too when not `follow_symlinks`); FileTooLarge
    when the file holds more than `limit` bytes.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC
    if not follow_symlinks:
        flags |= os.O_NOFOLLOW
        if path.is_symlink():
            raise NotAFile(f"{path} is a symbolic link")
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(f"{path} is a folder")
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(f"{path} is {kind_of(info.st_mode)}")
        if info.st_size > limit:
            raise FileTooLarge(f"{path} holds {info.st_size} bytes")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 16, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise FileTooLarge(f"{path} holds more than {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)
