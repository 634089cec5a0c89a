"""Drafts: a wizard's progress (the values as typed, possibly invalid, and the step reached).

Each wizard session works on its own draft, with a fresh ID. Whoever saves or opens a draft holds its
lock until it releases it or dies, so two wizards never write the same draft: the second one to open
it gets DraftLocked and can start from a copy instead.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wizard.storage.atomic import atomic_write_text, describe_os_error, refuse_symlinked, stored_names
from wizard.storage.documents import now_utc, open_document, render_document, set_aside
from wizard.storage.errors import DocumentUnreadable, DraftLocked, InvalidName, NotFound, StorageError
from wizard.storage.history import HistoryEntry, HistoryStore
from wizard.storage.locks import FileLock, LockHeld, holder_of
from wizard.storage.names import check_draft_id
from wizard.storage.paths import AppPaths, app_paths
from wizard.storage.secrets import strip_secrets

KIND = "draft"
FIRST_STEP = "basics"


@dataclass(frozen=True)
class Draft:
    """A draft: its ID, the values as the user typed them (API field names), the step reached, its times."""

    id: str
    values: dict[str, Any] = field(default_factory=dict)
    step: str = FIRST_STEP
    created: datetime = field(default_factory=now_utc)
    updated: datetime = field(default_factory=now_utc)

    @property
    def name(self) -> str:
        """The instance name typed so far ("" if none)."""
        name = self.values.get("name")
        return name if isinstance(name, str) else ""


@dataclass(frozen=True)
class DraftSummary:
    """What a list of drafts shows: ID, instance name typed so far, step reached, last save."""

    id: str
    name: str
    step: str
    updated: datetime
    open_in_pid: int | None = None
    """The pid of a running wizard that has this draft open, if any."""


def new_draft_id(now: datetime | None = None) -> str:
    """A fresh draft ID: sortable by creation time, unique by its random part."""
    return f"{(now or datetime.now(UTC)).strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(4)}"


class DraftStore:
    """The drafts folder. Thread-safe; one store per process is enough."""

    def __init__(self, paths: AppPaths | None = None) -> None:
        paths = paths or app_paths()
        self.folder = paths.drafts_dir
        self.root = paths.data_dir
        self.history = HistoryStore(paths)
        self.problems: list[DocumentUnreadable] = []
        """Files found unusable by the last list(), each moved aside or left for a newer wizard."""
        self._locks: dict[str, FileLock] = {}
        self._guard = threading.Lock()

    def _path(self, draft_id: str) -> Path:
        return self.folder / f"{check_draft_id(draft_id)}.toml"

    def _lock_path(self, draft_id: str) -> Path:
        return self.folder / f".{check_draft_id(draft_id)}.lock"

    def new(self, values: Mapping[str, Any] | None = None, step: str = FIRST_STEP) -> Draft:
        """A new draft with a fresh ID (written on its first save)."""
        while True:
            draft_id = new_draft_id()
            if not self._path(draft_id).exists():
                return Draft(draft_id, dict(values or {}), step)

    def _lock(self, draft_id: str) -> None:
        with self._guard:
            if draft_id in self._locks:
                return
            lock = FileLock(self._lock_path(draft_id), root=self.root)
            try:
                lock.acquire()
            except LockHeld as held:
                raise DraftLocked(draft_id, held.pid) from None
            self._locks[draft_id] = lock

    def holds(self, draft_id: str) -> bool:
        """Whether this store has the draft open (holds its lock)."""
        with self._guard:
            return draft_id in self._locks

    def release(self, draft_id: str) -> None:
        """Let other wizards open the draft again."""
        with self._guard:
            lock = self._locks.pop(draft_id, None)
        if lock is not None:
            lock.release()

    def close(self) -> None:
        """Release every draft this store holds."""
        with self._guard:
            held = list(self._locks)
        for draft_id in held:
            self.release(draft_id)

    def load(self, draft_id: str) -> Draft:
        """Read a draft without opening it for writing; NotFound or DocumentUnreadable (moved aside)."""
        path = self._path(draft_id)
        refuse_symlinked(self.folder, self.root)
        try:
            document = open_document(path, kind=KIND)
        except FileNotFoundError:
            raise NotFound(f"no draft {draft_id}") from None
        step = document.header.get("step", FIRST_STEP)
        if not isinstance(step, str) or not step:
            raise set_aside(path, f"'wizard.step' must be a step name, not {step!r}")
        return Draft(draft_id, document.values, step, document.created, document.updated)

    def open(self, draft_id: str) -> Draft:
        """Open a draft to resume it: take its lock (DraftLocked if another wizard has it), then read it."""
        self._lock(draft_id)
        try:
            return self.load(draft_id)
        except Exception:
            self.release(draft_id)
            raise

    def copy(self, draft_id: str) -> Draft:
        """A new draft holding another draft's values and step (for resuming one that is open elsewhere)."""
        source = self.load(draft_id)
        return self.new(source.values, source.step)

    def save(self, draft: Draft) -> Draft:
        """Write the draft (secrets stripped) atomically and return it with its new `updated` time.

        Takes the draft's lock first if this store does not hold it yet: DraftLocked if another wizard does.
        """
        self._lock(draft.id)
        saved = replace(draft, values=strip_secrets(draft.values), updated=now_utc())
        text = render_document(
            KIND, saved.values, created=saved.created, updated=saved.updated, header={"step": saved.step}
        )
        atomic_write_text(self._path(draft.id), text, root=self.root)
        return saved

    def remove(self, draft_id: str) -> None:
        """Delete a draft (the user asked to); DraftLocked if a running wizard has it open."""
        path = self._path(draft_id)
        if not path.exists():
            raise NotFound(f"no draft {draft_id}")
        self._lock(draft_id)
        try:
            os.unlink(path)
        except FileNotFoundError:
            raise NotFound(f"no draft {draft_id}") from None
        except OSError as exc:
            raise StorageError(f"cannot remove {path}: {describe_os_error(exc, self.folder)}") from None
        finally:
            self.release(draft_id)

    def to_history(
        self,
        draft_id: str,
        instance_id: str,
        *,
        values: Mapping[str, Any] | None = None,
        created: datetime | None = None,
        submitted: datetime | None = None,
    ) -> HistoryEntry:
        """After a successful submit: record the draft in the history with its instance_id, then drop it.

        `values` are what was submitted (default: the draft as last saved); a draft never saved is fine.
        """
        self._lock(draft_id)
        if values is None or created is None:
            try:
                stored = self.load(draft_id)
            except NotFound:
                stored = Draft(draft_id)
            values = stored.values if values is None else values
            created = stored.created if created is None else created
        entry = self.history.record(draft_id, values, instance_id, created=created, submitted=submitted)
        self._discard_submitted(draft_id)
        return entry

    def _discard_submitted(self, draft_id: str) -> None:
        try:
            os.unlink(self._path(draft_id))
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise StorageError(
                f"the request was recorded in the history, but its draft {self._path(draft_id)} could not be "
                f"removed: {describe_os_error(exc, self.folder)}"
            ) from None
        finally:
            self.release(draft_id)

    def list(self) -> list[DraftSummary]:
        """Every readable draft, most recently saved first; unusable files are recorded in `problems`."""
        self.problems = []
        summaries: list[DraftSummary] = []
        for name in stored_names(self.folder, root=self.root):
            draft_id = name.removesuffix(".toml")
            try:
                check_draft_id(draft_id)
            except InvalidName:
                continue
            if self.history.exists(draft_id) and not self._finish_interrupted_submit(draft_id):
                continue
            try:
                draft = self.load(draft_id)
            except DocumentUnreadable as problem:
                self.problems.append(problem)
                continue
            except NotFound:
                continue
            pid = None if self.holds(draft_id) else holder_of(self._lock_path(draft_id))
            summaries.append(DraftSummary(draft.id, draft.name, draft.step, draft.updated, pid))
        return sorted(summaries, key=lambda summary: summary.updated, reverse=True)

    def _finish_interrupted_submit(self, draft_id: str) -> bool:
        """A draft that is already in the history was submitted, and its removal was cut short: finish it.

        Returns True when the draft must still be listed (it is open in a wizard, which will finish it).
        """
        try:
            self._lock(draft_id)
        except DraftLocked:
            return True
        try:
            self._discard_submitted(draft_id)
        except StorageError:
            return True
        return False
