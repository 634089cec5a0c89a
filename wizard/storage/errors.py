"""Errors of the drafts, profiles and history stores; each message names the file and says why."""

from __future__ import annotations

from pathlib import Path

from wizard.errors import WizardError


class StorageError(WizardError):
    """A file could not be written or removed; the previous version of the file is unchanged."""


class DocumentUnreadable(WizardError):
    """A stored file that cannot be used: not TOML, empty, truncated, a bad header or an unknown schema.

    `path` is the file; `reason` says why in plain words; `moved_to` is where it was set aside
    (None when it was left in place, e.g. a file written by a newer version of the wizard).
    """

    def __init__(self, path: Path, reason: str, moved_to: Path | None = None) -> None:
        self.path = path
        self.reason = reason
        self.moved_to = moved_to
        super().__init__(self.describe())

    def describe(self) -> str:
        """The problem in one line, saying what was done with the file."""
        if self.moved_to is not None:
            return f"{self.path}: {self.reason}; it was moved aside to {self.moved_to.name}"
        return f"{self.path}: {self.reason}; it was left as it is"


class NotFound(WizardError):
    """No draft, profile or history entry by that name."""


class InvalidName(WizardError):
    """A draft ID or profile name that cannot be a file name; the message gives the rule."""


class DraftLocked(WizardError):
    """The draft is open in another running wizard, which alone may write it."""

    def __init__(self, draft_id: str, pid: int | None) -> None:
        self.draft_id = draft_id
        self.pid = pid
        holder = f"another running wizard (pid {pid})" if pid else "another running wizard"
        super().__init__(f"draft {draft_id} is open in {holder}; close it there, or start from a copy")
