"""The user's settings file (`settings.toml` in the config folder): small choices the wizard remembers.

Keys are dotted names (`pricing.site`, `theme`); each is a TOML table path. Writes re-read the file under a
lock and replace it atomically (0600), so two wizards setting different keys keep both. A file that is not
readable TOML is moved aside (never deleted) and the settings start empty; `problem` says what happened.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import tomli_w

from wizard.storage.atomic import FILE_MODE, atomic_write_text, describe_os_error, ensure_private_dir, move_aside
from wizard.storage.errors import StorageError
from wizard.storage.paths import AppPaths, app_paths

SettingValue = str | int | bool
"""What a setting may hold."""


class SettingsFile:
    """Read and change the settings file at `path` (see the module docstring)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problem: str | None = None
        """Set when the file could not be read and was moved aside (a sentence for the user)."""

    def __repr__(self) -> str:
        return f"SettingsFile({str(self.path)!r})"

    def read(self) -> dict[str, Any]:
        """Every setting as nested tables; empty when there is no file (or it was unreadable)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            reason = describe_os_error(exc, self.path.parent) if isinstance(exc, OSError) else "not UTF-8 text"
            return self._set_aside(reason)
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            return self._set_aside(f"not valid TOML ({exc})")

    def get(self, key: str) -> SettingValue | None:
        """The value of a dotted key, or None when it is not set (or not a plain value)."""
        node: Any = self.read()
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node if isinstance(node, (str, int, bool)) else None

    def set(self, key: str, value: SettingValue | None) -> None:
        """Set (or, with None, remove) a dotted key, keeping every other setting; raises StorageError."""
        with self._locked():
            data = self.read()
            *tables, last = key.split(".")
            node = data
            for part in tables:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = {}
                    node[part] = child
                node = child
            if value is None:
                node.pop(last, None)
            else:
                node[last] = value
            atomic_write_text(self.path, tomli_w.dumps(data))

    def _set_aside(self, reason: str) -> dict[str, Any]:
        try:
            moved = move_aside(self.path)
        except FileNotFoundError:
            return {}
        except StorageError as exc:
            self.problem = f"The settings file {self.path} is unreadable ({reason}) and {exc}; using defaults."
            return {}
        self.problem = f"The settings file {self.path} was unreadable ({reason}); it was moved aside to {moved.name}."
        return {}

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold an exclusive lock on a file beside the settings while they are read and rewritten."""
        ensure_private_dir(self.path.parent)
        lock_path = self.path.with_name(f".{self.path.name}.lock")
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
        except OSError as exc:
            raise StorageError(f"cannot lock {lock_path}: {describe_os_error(exc, lock_path.parent)}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


def settings_file(paths: AppPaths | None = None) -> SettingsFile:
    """The user's settings file (under ROCKETMQ_WIZARD_HOME when set), as `wizard.storage.paths` places it."""
    return SettingsFile((paths or app_paths()).settings_file)
