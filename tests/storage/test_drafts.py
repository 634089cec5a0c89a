"""Drafts: saving, resuming, listing, history after submit, two wizards at once, and bad files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import pytest

from wizard.storage import (
    DocumentUnreadable,
    DraftLocked,
    DraftStore,
    InvalidName,
    NotFound,
    StorageError,
    app_paths,
)
from wizard.storage.documents import SCHEMA_VERSION

from .samples import valid_values


@pytest.fixture
def store() -> DraftStore:
    return DraftStore()


def test_a_saved_draft_resumes_with_its_values_and_step(store: DraftStore) -> None:
    draft = store.save(store.new({"name": "orders", "broker_num": "3x"}, step="flavor"))
    store.close()
    resumed = DraftStore().open(draft.id)
    assert resumed.values == {"name": "orders", "broker_num": "3x"}
    assert resumed.step == "flavor"
    assert resumed.created == draft.created and resumed.updated == draft.updated


def test_new_drafts_get_distinct_ids_and_list_newest_first(store: DraftStore) -> None:
    first = store.save(store.new({"name": "first"}))
    second = store.save(store.new({"name": "second"}, step="network"))
    assert first.id != second.id
    summaries = store.list()
    assert [(s.id, s.name, s.step) for s in summaries] == [
        (second.id, "second", "network"),
        (first.id, "first", "basics"),
    ]
    assert all(s.open_in_pid is None for s in summaries)  # open in this very store


def test_a_new_draft_is_not_written_until_saved(store: DraftStore) -> None:
    store.new({"name": "x"})
    assert store.list() == []


def test_a_submitted_draft_becomes_a_history_entry(store: DraftStore) -> None:
    draft = store.save(store.new(valid_values(), step="review"))
    entry = store.to_history(draft.id, "inst-123")
    assert entry.instance_id == "inst-123" and entry.name == "orders-mq"
    assert store.list() == []
    assert [(e.id, e.instance_id, e.values) for e in store.history.list()] == [(draft.id, "inst-123", valid_values())]
    assert not store.holds(draft.id)


def test_an_interrupted_submit_is_finished_on_the_next_listing(store: DraftStore) -> None:
    draft = store.save(store.new(valid_values()))
    store.history.record(draft.id, draft.values, "inst-9", created=draft.created)
    store.close()
    assert DraftStore().list() == []
    assert not (app_paths().drafts_dir / f"{draft.id}.toml").exists()


def test_a_second_wizard_cannot_write_a_draft_open_in_the_first() -> None:
    first, second = DraftStore(), DraftStore()
    draft = first.save(first.new({"name": "mine"}))
    with pytest.raises(DraftLocked, match=f"pid {os.getpid()}") as caught:
        second.open(draft.id)
    assert "start from a copy" in str(caught.value)
    with pytest.raises(DraftLocked):
        second.save(draft)
    with pytest.raises(DraftLocked):
        second.remove(draft.id)
    copy = second.save(second.copy(draft.id))
    assert copy.id != draft.id and copy.values == {"name": "mine"}
    first.save(draft.__class__(draft.id, {"name": "mine, still"}, "network", draft.created))
    assert second.load(draft.id).values == {"name": "mine, still"}
    assert second.load(copy.id).values == {"name": "mine"}


def test_a_released_draft_can_be_opened_by_another_wizard() -> None:
    first, second = DraftStore(), DraftStore()
    draft = first.save(first.new({"name": "x"}))
    first.release(draft.id)
    assert second.open(draft.id).values == {"name": "x"}


def test_the_lock_of_a_killed_wizard_is_taken_over(store: DraftStore) -> None:
    draft = store.save(store.new({"name": "orphan"}))
    store.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from wizard.storage import DraftStore
                DraftStore().open({draft.id!r})
                print("open", flush=True)
                time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(DraftLocked, match=f"pid {holder.pid}"):
            DraftStore().open(draft.id)
        assert [s.open_in_pid for s in DraftStore().list()] == [holder.pid]
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert DraftStore().open(draft.id).values == {"name": "orphan"}


def test_removing_a_draft(store: DraftStore) -> None:
    draft = store.save(store.new({"name": "x"}))
    store.remove(draft.id)
    assert store.list() == []
    with pytest.raises(NotFound):
        store.remove(draft.id)
    with pytest.raises(NotFound, match="no draft"):
        store.load(draft.id)


@pytest.mark.parametrize("bad_id", ["../etc/passwd", "", ".hidden", "a/b", "x" * 65])
def test_an_id_that_is_not_a_draft_id_is_refused(store: DraftStore, bad_id: str) -> None:
    with pytest.raises(InvalidName, match="is not a draft ID"):
        store.load(bad_id)


BAD_FILES = {
    "empty": ("", "the file is empty"),
    "truncated": ('name = "orders"\n[bss_param]\ncharging_mode = "pre', "not valid TOML"),
    "no-header": ('name = "orders"\n', "no [wizard] table"),
    "binary": ("\udcff", "not UTF-8"),
    "older": (f'[wizard]\nschema = {SCHEMA_VERSION - 1}\ncreated = 2026-01-01T00:00:00Z\nkind = "draft"\n', "older"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_draft_is_moved_aside_and_the_rest_keeps_working(store: DraftStore, case: str) -> None:
    good = store.save(store.new({"name": "good"}))
    text, reason = BAD_FILES[case]
    bad = store.folder / "20260101-000000-deadbeef.toml"
    bad.write_bytes(text.encode("utf-8", "surrogateescape"))
    assert [s.id for s in store.list()] == [good.id]
    [problem] = store.problems
    assert problem.path == bad and reason in problem.reason
    assert problem.moved_to is not None and problem.moved_to.name.startswith(bad.name + ".corrupt-")
    assert problem.moved_to.read_bytes() == text.encode("utf-8", "surrogateescape")
    assert not bad.exists()
    assert str(bad) in str(problem) and "moved aside" in str(problem)
    assert [s.id for s in store.list()] == [good.id] and store.problems == []


def test_a_draft_from_a_newer_wizard_is_left_in_place_and_reported(store: DraftStore) -> None:
    newer = store.folder / "20260101-000000-00000001.toml"
    store.save(store.new({"name": "good"}))
    newer.write_text(
        f'name = "x"\n[wizard]\nschema = {SCHEMA_VERSION + 1}\ncreated = 2026-01-01T00:00:00Z\nkind = "draft"\n'
    )
    assert len(store.list()) == 1
    [problem] = store.problems
    assert "newer rocketmq-wizard" in problem.reason and problem.moved_to is None and newer.exists()
    with pytest.raises(DocumentUnreadable, match="left as it is"):
        store.load(newer.name.removesuffix(".toml"))


def test_loading_a_corrupt_draft_moves_it_aside(store: DraftStore) -> None:
    bad = store.folder / "20260101-000000-deadbeef.toml"
    store.folder.mkdir(parents=True)
    bad.write_text("[wizard\n")
    with pytest.raises(DocumentUnreadable, match="moved aside"):
        store.load("20260101-000000-deadbeef")
    assert not bad.exists()


def test_an_unreadable_drafts_folder_is_a_clear_error(store: DraftStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.save(store.new({"name": "x"}))

    def denied(path: object) -> list[str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "listdir", denied)
    with pytest.raises(StorageError, match=f"cannot read the folder {store.folder}: permission denied"):
        store.list()


def test_a_draft_with_a_nonsense_step_is_moved_aside(store: DraftStore) -> None:
    store.folder.mkdir(parents=True)
    bad = store.folder / "20260101-000000-deadbeef.toml"
    bad.write_text('[wizard]\nschema = 1\ncreated = 2026-01-01T00:00:00Z\nstep = 5\nkind = "draft"\n')
    assert store.list() == []
    [problem] = store.problems
    assert "'wizard.step' must be a step name, not 5" in problem.reason and problem.moved_to is not None


def test_a_history_entry_without_instance_id_is_moved_aside(store: DraftStore) -> None:
    entry = store.history.record("20260101-000000-00000001", {"name": "x"}, "inst-1", created=datetime.now(UTC))
    store.history.folder.joinpath("20260101-000000-deadbeef.toml").write_text(
        '[wizard]\nschema = 1\ncreated = 2026-01-01T00:00:00Z\nkind = "history"\n'
    )
    assert [e.id for e in store.history.list()] == [entry.id]
    [problem] = store.history.problems
    assert "no instance_id" in problem.reason and problem.moved_to is not None


def test_a_full_disk_while_taking_the_lock_still_saves_the_draft(
    store: DraftStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from wizard.storage import locks

    def full(*_: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(locks.os, "pwrite", full)
    draft = store.new({"name": "orders-mq"})
    store.save(draft)
    monkeypatch.undo()
    assert store.load(draft.id).values == {"name": "orders-mq"}
