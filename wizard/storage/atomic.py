"""Writing files so a crash, a full disk or a kill never leaves a partial file behind.

A write goes to a temporary file in the same folder, is flushed and fsynced, then renamed over the
target (atomic on POSIX) and the folder is fsynced, so a reader sees the old file or the new one, never
a mix. Files are 0600 in 0700 folders. Files that cannot be read are renamed aside, never deleted.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
from datetime import UTC, datetime
from pathlib import Path

from wizard.storage.errors import StorageError

FILE_MODE = 0o600
FOLDER_MODE = 0o700
_TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.tmp$")
CORRUPT_MARK = ".corrupt-"


def describe_os_error(exc: OSError, folder: Path) -> str:
    """An OS error in plain words, naming the folder where it matters."""
    code = exc.errno
    if code == errno.ENOSPC:
        return "the disk is full"
    if code == errno.EDQUOT:
        return "the disk quota is used up"
    if code == errno.EROFS:
        return f"the file system holding {folder} is read-only"
    if code in (errno.EACCES, errno.EPERM):
        return f"permission denied (is the folder {folder} read-only?)"
    if code == errno.ENOENT:
        return f"the folder {folder} does not exist"
    return exc.strerror or str(exc)


_warnings: list[str] = []


def drain_warnings() -> list[str]:
    """What the stores repaired since the last call (e.g. a folder others could write), to tell the user."""
    taken = list(_warnings)
    _warnings.clear()
    return taken


def _refuse(folder: Path, why: str) -> StorageError:
    return StorageError(
        f"refusing to use the folder {folder}: {why}; the wizard keeps its files only in folders of its own"
    )


def _secure_folder(folder: Path) -> None:
    """Make sure `folder` is a real folder of this user's (never a symlink), 0700; repair a looser mode.

    The mode is changed through a descriptor opened with O_NOFOLLOW, so never through a symlink.
    """
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode):
        raise _refuse(folder, f"it is a symbolic link (to {os.readlink(folder)})")
    if not stat.S_ISDIR(info.st_mode):
        raise _refuse(folder, "it is not a folder")
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise _refuse(folder, "it was replaced while being checked")
        if opened.st_uid != os.geteuid():
            raise _refuse(folder, f"it belongs to another user (uid {opened.st_uid})")
        mode = opened.st_mode & 0o777
        if mode & 0o077:
            os.fchmod(fd, FOLDER_MODE)
            if mode & 0o022:
                _warnings.append(
                    f"the folder {folder} could be written by other users (mode {mode:o}); it is now private "
                    f"({FOLDER_MODE:o}): check that its files are yours"
                )
    finally:
        os.close(fd)


def ensure_private_dir(folder: Path, *, root: Path | None = None) -> None:
    """Create `folder` and any missing parents as 0700, and make it (and, given `root`, every folder from the
    app's `root` down to it) a private folder of this user's: never a symlink, tightened to 0700 if looser.

    StorageError when it cannot be made, or is a symlink, not a folder, or another user's.
    """
    missing: list[Path] = []
    probe = folder
    while not os.path.lexists(probe):
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    chain = [folder]
    if root is not None and folder != root and root in folder.parents:
        chain = [root, *(parent for parent in reversed(folder.parents) if root in parent.parents), folder]
    try:
        for created in reversed(missing):
            try:
                os.mkdir(created, FOLDER_MODE)
            except FileExistsError:
                continue
        for link in chain:
            _secure_folder(link)
    except OSError as exc:
        raise StorageError(f"cannot create the folder {folder}: {describe_os_error(exc, folder)}") from None


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        # Some file systems cannot fsync a folder; the rename is done either way.
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _discard(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def atomic_write_bytes(
    path: Path, data: bytes, *, private_folder: bool = True, root: Path | None = None, exclusive: bool = False
) -> None:
    """Replace `path` with `data` atomically and durably; on failure raise StorageError, old file intact.

    The file is always 0600. `private_folder` creates or tightens its folder to 0700 (and every folder from
    the app's `root` down to it, see ensure_private_dir): right for the app's own folders, wrong for a
    folder of the user's (an export target), which is left as it is. `exclusive` creates the file only if
    nothing is at `path` yet, in one atomic step (a hard link of the finished temporary file): FileExistsError
    when something is, and then nothing was written.
    """
    folder = path.parent
    if private_folder:
        ensure_private_dir(folder, root=root)
    temp = folder / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"

    def failed(exc: OSError) -> StorageError:
        reason = describe_os_error(exc, folder)
        return StorageError(f"cannot save {path}: {reason}; the previous version of the file is unchanged")

    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, FILE_MODE)
    except OSError as exc:
        raise failed(exc) from None
    try:
        try:
            os.fchmod(fd, FILE_MODE)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        if exclusive:
            try:
                os.link(temp, path, follow_symlinks=False)
            finally:
                _discard(temp)
        else:
            os.replace(temp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        _discard(temp)
        raise failed(exc) from None
    try:
        _fsync_dir(folder)
    except OSError as exc:
        raise StorageError(f"saved {path}, but the folder could not be synced: {exc.strerror}") from None


def atomic_write_text(
    path: Path, text: str, *, private_folder: bool = True, root: Path | None = None, exclusive: bool = False
) -> None:
    """Replace `path` with UTF-8 `text` atomically (see atomic_write_bytes)."""
    atomic_write_bytes(path, text.encode("utf-8"), private_folder=private_folder, root=root, exclusive=exclusive)


def move_aside(path: Path, now: datetime | None = None) -> Path:
    """Rename `path` to NAME.corrupt-<UTC time> beside it (never deleting it); return the new path.

    Raises StorageError when it cannot be renamed, FileNotFoundError when it is already gone.
    """
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    for attempt in range(1000):
        suffix = f"{CORRUPT_MARK}{stamp}" + (f"-{attempt}" if attempt else "")
        target = path.with_name(path.name + suffix)
        if target.exists():
            continue
        try:
            os.rename(path, target)
        except FileNotFoundError:
            raise
        except OSError as exc:
            reason = describe_os_error(exc, path.parent)
            raise StorageError(f"cannot move {path} aside: {reason}") from None
        return target
    raise StorageError(f"cannot move {path} aside: too many earlier copies beside it")


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists (one run by another user counts as alive)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def refuse_symlinked(folder: Path, root: Path | None = None) -> None:
    """StorageError when `folder`, or any folder from the app's `root` down to it, is a symbolic link.

    Reading through a symlinked store would read (and move aside) files elsewhere; nothing is created here.
    """
    chain = [folder]
    if root is not None and folder != root and root in folder.parents:
        chain = [root, *(parent for parent in reversed(folder.parents) if root in parent.parents), folder]
    for link in chain:
        if link.is_symlink():
            raise _refuse(link, f"it is a symbolic link (to {os.readlink(link)})")


def stored_names(folder: Path, *, root: Path | None = None) -> list[str]:
    """The names of the stored `.toml` files in `folder`, sorted; none if it does not exist yet.

    Temporaries left by writers that died are removed first. Hidden files (temporaries, locks) and files
    moved aside are left out. StorageError if unreadable, or if it or a folder above it up to the app's
    `root` is a symbolic link.
    """
    refuse_symlinked(folder, root)
    discard_stale_temp_files(folder)
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise StorageError(f"cannot read the folder {folder}: {describe_os_error(exc, folder)}") from None
    return sorted(name for name in names if name.endswith(".toml") and not name.startswith("."))


def is_temp_name(name: str) -> bool:
    """Whether `name` is one of atomic_write_bytes' temporary files."""
    return _TEMP_NAME.match(name) is not None


def discard_stale_temp_files(folder: Path) -> list[Path]:
    """Remove temporary files left by writers that died mid-write; return what was removed.

    They are never user data: the write they belonged to did not happen, the target is unchanged.
    """
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        match = _TEMP_NAME.match(name)
        if match is None or pid_alive(int(match["pid"])):
            continue
        try:
            os.unlink(folder / name)
        except OSError:
            continue
        removed.append(folder / name)
    return removed
