"""Autosaving a draft while the user types, without ever making typing wait for the disk.

update() only records the latest values under a lock and returns (microseconds). A background thread
writes them at most `delay` seconds after the first change not yet saved, so continuous typing is
still saved every `delay` seconds and a crash loses at most the last `delay` seconds (plus one write).
flush() writes what is pending at once (call it on quit).
"""

from __future__ import annotations

import atexit
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from wizard.errors import WizardError
from wizard.storage.drafts import Draft, DraftStore
from wizard.storage.history import HistoryEntry

DEFAULT_DELAY = 0.3
RETRY_DELAY = 1.0
"""After a failed save (disk full, folder read-only) the saver tries again this long after."""


def _snapshot(values: Mapping[str, Any]) -> dict[str, Any]:
    """A copy deep enough that the caller may keep changing its own dict, lists and tables."""
    copied: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, dict):
            copied[key] = _snapshot(value)
        elif isinstance(value, list):
            copied[key] = list(value)
        else:
            copied[key] = value
    return copied


class DebouncedSaver:
    """Saves one draft in the background as it changes; thread-based, usable from any UI or none.

    `on_error` and `on_saved` are called from the saver's thread (a Textual app would hand them to
    `call_from_thread`). A failed save is retried later; `last_error` holds it until a save succeeds.
    """

    def __init__(
        self,
        store: DraftStore,
        draft: Draft,
        delay: float = DEFAULT_DELAY,
        *,
        on_error: Callable[[WizardError], None] | None = None,
        on_saved: Callable[[Draft], None] | None = None,
    ) -> None:
        self.store = store
        self.delay = delay
        self.on_error = on_error
        self.on_saved = on_saved
        self.last_error: WizardError | None = None
        self._draft = draft
        self._pending: tuple[dict[str, Any], str] | None = None
        self._deadline: float | None = None
        self._closed = False
        self._state = threading.Condition(threading.Lock())
        self._writing = threading.Lock()
        self._thread = threading.Thread(target=self._run, name=f"draft-saver-{draft.id}", daemon=True)
        self._thread.start()
        # A safety net for an exit that skipped close(); not reached on SIGKILL, hence the short delay.
        atexit.register(self._flush_at_exit)

    @property
    def draft(self) -> Draft:
        """The draft as last saved (or as given, before the first save)."""
        return self._draft

    @property
    def pending(self) -> bool:
        """Whether there are changes not saved yet."""
        with self._state:
            return self._pending is not None

    def update(self, values: Mapping[str, Any], step: str) -> None:
        """Record the latest values and step; they are saved within `delay` seconds. Never touches the disk."""
        snapshot = _snapshot(values)
        with self._state:
            if self._closed:
                raise WizardError(f"the autosave of draft {self._draft.id} has been closed")
            self._pending = (snapshot, step)
            if self._deadline is None:
                self._deadline = time.monotonic() + self.delay
                self._state.notify()

    def flush(self) -> Draft:
        """Save whatever is pending now, in the caller's thread; raises WizardError if the save fails."""
        error = self._write_pending()
        if error is not None:
            raise error
        return self._draft

    def close(self, *, save: bool = True) -> None:
        """Stop the saver: flush first unless `save` is False (pending changes are then dropped)."""
        try:
            if save:
                self.flush()
        finally:
            with self._state:
                self._closed = True
                if not save:
                    self._pending = None
                    self._deadline = None
                self._state.notify()
            self._thread.join()
            atexit.unregister(self._flush_at_exit)

    def _flush_at_exit(self) -> None:
        error = self._write_pending()
        if error is not None and self.on_error is not None:
            self.on_error(error)

    def submitted(self, instance_id: str) -> HistoryEntry:
        """After a successful submit: stop autosaving and turn the draft into a history entry."""
        with self._state:
            self._closed = True
            self._state.notify()
        self._thread.join()
        atexit.unregister(self._flush_at_exit)
        # After any write in flight: the latest values are pending, or (if nothing is) the saved draft's.
        with self._writing, self._state:
            latest, self._pending, self._deadline = self._pending, None, None
        values = latest[0] if latest is not None else self._draft.values
        return self.store.to_history(self._draft.id, instance_id, values=values, created=self._draft.created)

    def __enter__(self) -> DebouncedSaver:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _run(self) -> None:
        while True:
            with self._state:
                while not self._closed and self._deadline is None:
                    self._state.wait()
                if self._closed:
                    return
                assert self._deadline is not None
                remaining = self._deadline - time.monotonic()
                if remaining > 0:
                    self._state.wait(remaining)
                    continue
            error = self._write_pending()
            if error is not None and self.on_error is not None:
                self.on_error(error)

    def _write_pending(self) -> WizardError | None:
        # One write at a time, and what is pending is taken inside it: an older snapshot is never written
        # after a newer one.
        with self._writing:
            with self._state:
                pending, self._pending = self._pending, None
                self._deadline = None
            if pending is None:
                return None
            values, step = pending
            try:
                saved = self.store.save(replace(self._draft, values=values, step=step))
            except WizardError as error:
                with self._state:
                    if self._pending is None:
                        self._pending = pending
                    if not self._closed:
                        self._deadline = time.monotonic() + max(self.delay, RETRY_DELAY)
                self.last_error = error
                return error
            self._draft = saved
            self.last_error = None
        if self.on_saved is not None:
            self.on_saved(saved)
        return None
