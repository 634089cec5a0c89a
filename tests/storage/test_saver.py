"""DebouncedSaver: typing never waits for the disk, and nothing older than the delay is left unsaved."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from wizard.storage import DebouncedSaver, Draft, DraftStore, StorageError
from wizard.storage import saver as saver_module


class RecordingStore(DraftStore):
    """A real store that also records when each save happened, and can be made to block or fail."""

    def __init__(self) -> None:
        super().__init__()
        self.saved_at: list[float] = []
        self.gate = threading.Event()
        self.gate.set()
        self.entered = threading.Event()
        self.failure: StorageError | None = None

    def save(self, draft: Draft) -> Draft:
        self.entered.set()
        self.gate.wait()
        if self.failure is not None:
            raise self.failure
        saved = super().save(draft)
        self.saved_at.append(time.monotonic())
        return saved


@pytest.fixture
def store() -> RecordingStore:
    return RecordingStore()


def test_update_returns_at_once_even_while_a_save_is_stuck(store: RecordingStore) -> None:
    saver = DebouncedSaver(store, store.new(), delay=0.0)
    store.gate.clear()  # the disk hangs
    saver.update({"name": "a"}, "basics")
    assert store.entered.wait(10)  # the saver thread is now blocked inside save()

    def type_a_lot() -> None:
        for index in range(1000):
            saver.update({"name": f"a{index}"}, "basics")

    typing = threading.Thread(target=type_a_lot)
    typing.start()
    typing.join(10)  # an update that waited for the stuck save would still be waiting
    assert not typing.is_alive()
    store.gate.set()
    saver.close()
    assert store.load(saver.draft.id).values == {"name": "a999"}


def test_one_change_is_saved_after_the_delay(store: RecordingStore) -> None:
    saver = DebouncedSaver(store, store.new(), delay=0.1)
    changed = time.monotonic()
    saver.update({"name": "x"}, "network")
    if time.monotonic() - changed < 0.09:  # a stalled test thread may already be past the delay
        assert store.saved_at == [] and saver.pending
    deadline = time.monotonic() + 2
    while not store.saved_at and time.monotonic() < deadline:
        time.sleep(0.005)
    assert store.saved_at and 0.09 <= store.saved_at[0] - changed < 1.0
    assert not saver.pending
    assert store.load(saver.draft.id).step == "network"
    saver.close()


def test_continuous_typing_is_still_saved_every_delay(store: RecordingStore) -> None:
    saver = DebouncedSaver(store, store.new(), delay=0.05)
    deadline = time.monotonic() + 10
    text = ""
    # Typing never pauses: a debounce that waits for a pause would never save, and the loop would time out.
    while len(store.saved_at) < 4:
        assert time.monotonic() < deadline, f"only {len(store.saved_at)} saves while typing went on"
        text += "x"
        saver.update({"description": text}, "basics")
        time.sleep(0.005)
    saver.close()
    assert store.load(saver.draft.id).values == {"description": text}


def test_flush_saves_now_and_close_flushes(store: RecordingStore) -> None:
    saver = DebouncedSaver(store, store.new(), delay=60)
    saver.update({"name": "now"}, "basics")
    assert saver.flush().values == {"name": "now"}
    assert store.load(saver.draft.id).values == {"name": "now"}
    saver.update({"name": "on quit"}, "flavor")
    saver.close()
    assert store.load(saver.draft.id).values == {"name": "on quit"}
    with pytest.raises(Exception, match="closed"):
        saver.update({"name": "late"}, "flavor")


def test_the_saver_keeps_its_own_copy_of_the_values(store: RecordingStore) -> None:
    saver = DebouncedSaver(store, store.new(), delay=60)
    zones = ["a"]
    billing = {"period_num": 1}
    values = {"available_zones": zones, "bss_param": billing}
    saver.update(values, "network")
    zones.append("b")
    billing["period_num"] = 2
    saver.close()
    assert store.load(saver.draft.id).values == {"available_zones": ["a"], "bss_param": {"period_num": 1}}


def test_a_failed_save_is_reported_then_retried(store: RecordingStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(saver_module, "RETRY_DELAY", 0.05)
    errors: list[Exception] = []
    store.failure = StorageError("cannot save: the disk is full")
    saver = DebouncedSaver(store, store.new(), delay=0.01, on_error=errors.append)
    saver.update({"name": "kept"}, "basics")
    deadline = time.monotonic() + 2
    while not errors and time.monotonic() < deadline:
        time.sleep(0.005)
    assert errors and "disk is full" in str(errors[0])
    assert saver.pending and saver.last_error is errors[0]
    with pytest.raises(StorageError):
        saver.flush()
    store.failure = None
    deadline = time.monotonic() + 2
    while (not store.saved_at or saver.last_error is not None) and time.monotonic() < deadline:
        time.sleep(0.005)
    assert store.load(saver.draft.id).values == {"name": "kept"} and saver.last_error is None
    saver.close()


def test_on_saved_reports_each_save(store: RecordingStore) -> None:
    seen: list[Draft] = []
    saver = DebouncedSaver(store, store.new(), delay=60, on_saved=seen.append)
    saver.update({"name": "a"}, "basics")
    saver.flush()
    assert [d.values for d in seen] == [{"name": "a"}]
    saver.close()


def test_submitting_turns_the_latest_values_into_history(store: RecordingStore) -> None:
    saver = DebouncedSaver(store, store.new(), delay=60)
    saver.update({"name": "first"}, "basics")
    saver.flush()
    saver.update({"name": "submitted"}, "review")
    entry = saver.submitted("inst-42")
    assert entry.instance_id == "inst-42" and entry.values == {"name": "submitted"}
    assert store.list() == []
    time.sleep(0.02)
    assert store.list() == []  # nothing resurrects the draft


def test_close_without_saving_drops_pending_changes(store: RecordingStore) -> None:
    draft = store.save(store.new({"name": "saved"}))
    saver = DebouncedSaver(store, replace(draft), delay=60)
    saver.update({"name": "dropped"}, "basics")
    saver.close(save=False)
    assert store.load(draft.id).values == {"name": "saved"}


def test_an_exit_without_close_still_saves_what_is_pending() -> None:
    import subprocess
    import sys

    script = (
        "from wizard.storage import DebouncedSaver, DraftStore\n"
        "store = DraftStore()\n"
        "saver = DebouncedSaver(store, store.new(), delay=60)\n"
        "saver.update({'name': 'at exit'}, 'network')\n"
        "print(saver.draft.id)\n"
    )
    draft_id = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.strip()
    draft = DraftStore().load(draft_id)
    assert (draft.values, draft.step) == ({"name": "at exit"}, "network")


def test_submitting_after_a_failed_save_records_the_latest_values(store: RecordingStore) -> None:
    saver = DebouncedSaver(store, store.new(), delay=0.0)
    store.failure = StorageError("cannot save: the disk is full")
    saver.update({"name": "typed last"}, "review")
    deadline = time.monotonic() + 2
    while saver.last_error is None and time.monotonic() < deadline:
        time.sleep(0.005)
    store.failure = None
    entry = saver.submitted("inst-1")
    assert entry.values == {"name": "typed last"}
