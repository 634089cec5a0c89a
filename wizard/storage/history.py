"""Submitted requests: what was sent, when, and the instance it created."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from wizard.storage.atomic import atomic_write_text, refuse_symlinked, stored_names
from wizard.storage.documents import now_utc, open_document, render_document, set_aside
from wizard.storage.errors import DocumentUnreadable, NotFound
from wizard.storage.names import check_draft_id
from wizard.storage.paths import AppPaths, app_paths
from wizard.storage.secrets import strip_secrets

KIND = "history"


@dataclass(frozen=True)
class HistoryEntry:
    """One submitted request: the draft it came from, the instance it created and when."""

    id: str
    instance_id: str
    submitted: datetime
    values: dict[str, Any]
    created: datetime

    @property
    def name(self) -> str:
        """The instance name that was submitted ("" if it had none)."""
        name = self.values.get("name")
        return name if isinstance(name, str) else ""


class HistoryStore:
    """The history folder: one TOML file per submitted request, named by the draft's ID."""

    def __init__(self, paths: AppPaths | None = None) -> None:
        paths = paths or app_paths()
        self.folder = paths.history_dir
        self.root = paths.data_dir
        self.problems: list[DocumentUnreadable] = []
        """Files found unusable by list(), each moved aside or left for a newer wizard."""

    def _path(self, entry_id: str) -> Path:
        return self.folder / f"{check_draft_id(entry_id)}.toml"

    def exists(self, entry_id: str) -> bool:
        """Whether a history entry with this ID exists."""
        return self._path(entry_id).exists()

    def record(
        self,
        entry_id: str,
        values: Mapping[str, Any],
        instance_id: str,
        *,
        created: datetime,
        submitted: datetime | None = None,
    ) -> HistoryEntry:
        """Write the entry for a submitted request (secrets stripped) and return it."""
        when = submitted or now_utc()
        clean = strip_secrets(values)
        text = render_document(
            KIND,
            clean,
            created=created,
            updated=when,
            header={"instance_id": instance_id, "submitted": when},
        )
        atomic_write_text(self._path(entry_id), text, root=self.root)
        return HistoryEntry(entry_id, instance_id, when, clean, created)

    def load(self, entry_id: str) -> HistoryEntry:
        """The entry with this ID; NotFound or DocumentUnreadable (moved aside) otherwise."""
        path = self._path(entry_id)
        refuse_symlinked(self.folder, self.root)
        try:
            document = open_document(path, kind=KIND)
        except FileNotFoundError:
            raise NotFound(f"no history entry {entry_id}") from None
        instance_id = document.header.get("instance_id")
        if not isinstance(instance_id, str) or not instance_id:
            raise set_aside(path, "its [wizard] table has no instance_id")
        submitted = document.header.get("submitted")
        when = submitted if isinstance(submitted, datetime) else document.updated
        return HistoryEntry(entry_id, instance_id, when, document.values, document.created)

    def list(self) -> list[HistoryEntry]:
        """Every readable entry, newest first; unusable files are recorded in `problems`."""
        self.problems = []
        entries: list[HistoryEntry] = []
        for name in stored_names(self.folder, root=self.root):
            try:
                entries.append(self.load(name.removesuffix(".toml")))
            except DocumentUnreadable as problem:
                self.problems.append(problem)
            except NotFound:
                continue
        return sorted(entries, key=lambda entry: entry.submitted, reverse=True)
