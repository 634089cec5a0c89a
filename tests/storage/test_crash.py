"""Killing a wizard session with SIGKILL at random moments never loses more than the debounce window,
and never leaves a partial or corrupt file."""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from wizard.storage import DraftStore, app_paths
from wizard.storage.atomic import CORRUPT_MARK, is_temp_name
from wizard.storage.documents import read_document

DRIVER = Path(__file__).with_name("crash_driver.py")
TRIALS = 32
DELAYS = (0.02, 0.1, 0.3)
SCHEDULING_SLACK = 0.25
"""Beyond the debounce delay: time to wake the saver thread and write, on a busy CI machine."""


def _driver() -> ModuleType:
    spec = importlib.util.spec_from_file_location("crash_driver", DRIVER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Trial:
    seed: int
    delay: float
    home: Path
    killed_at: float = 0.0
    finished: bool = False
    draft_id: str = ""
    handed: dict[int, float] | None = None


def _run_trial(trial: Trial, kill_after: float) -> Trial:
    env = {**os.environ, "ROCKETMQ_WIZARD_HOME": str(trial.home)}
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), str(trial.seed), str(trial.delay)],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert process.stdout is not None
    ready = process.stdout.readline().split()
    assert ready and ready[0] == "ready", ready
    trial.draft_id = ready[1]
    time.sleep(kill_after)
    trial.killed_at = time.monotonic()
    process.send_signal(signal.SIGKILL)
    # Read through the same buffered stream as readline() above (communicate() would skip what it buffered).
    rest = process.stdout.read()
    process.stdout.close()
    process.wait(timeout=10)
    trial.handed = {}
    lines = rest.split("\n")
    # The kill may cut the last line short; every earlier line is whole.
    for number, line in enumerate(lines):
        if line == "done":
            trial.finished = True
            continue
        parts = line.split()
        if len(parts) != 2 and number == len(lines) - 1:
            continue
        assert len(parts) == 2, f"trial {trial.seed}: odd line {line!r} in {rest!r}"
        trial.handed[int(parts[0])] = float(parts[1])
    return trial


def _assert_no_partial_files(folder: Path) -> None:
    for path in folder.iterdir():
        assert CORRUPT_MARK not in path.name, f"a file was found corrupt: {path.name}"
        if path.name.endswith(".toml"):
            read_document(path, kind="draft")  # raises if partial or unparseable


def test_sigkill_at_random_moments_loses_at_most_the_debounce_window(tmp_path: Path) -> None:
    script_of = _driver().session_script
    rng = random.Random(20261128)
    trials = [Trial(seed, DELAYS[seed % len(DELAYS)], tmp_path / f"home-{seed}") for seed in range(TRIALS)]
    kill_times = [rng.uniform(0.0, 0.9) for _ in trials]
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = list(pool.map(_run_trial, trials, kill_times))

    checked_windows = 0
    for trial in done:
        script = script_of(trial.seed)
        folder = app_paths({"ROCKETMQ_WIZARD_HOME": str(trial.home)}).drafts_dir
        if folder.exists():
            _assert_no_partial_files(folder)

        # The restart: a new store finds the draft, takes over the dead wizard's lock, and cleans up.
        store = DraftStore(app_paths({"ROCKETMQ_WIZARD_HOME": str(trial.home)}))
        summaries = store.list()
        assert store.problems == []
        assert trial.handed is not None
        old_enough = trial.killed_at - trial.delay - SCHEDULING_SLACK
        must_have = [i for i, moment in trial.handed.items() if moment <= old_enough]
        if trial.finished:
            must_have.append(len(script) - 1)
        if not summaries:
            assert not must_have, f"trial {trial.seed}: nothing saved, yet change {max(must_have)} was old enough"
            continue
        assert [s.id for s in summaries] == [trial.draft_id]
        draft = store.open(trial.draft_id)
        store.close()
        state: tuple[dict[str, Any], str] = (draft.values, draft.step)
        assert state in script, f"trial {trial.seed}: the saved draft is no state the session passed through"
        saved_index = max(i for i, s in enumerate(script) if s == state)
        if must_have:
            checked_windows += 1
            assert saved_index >= max(must_have), (
                f"trial {trial.seed} (delay {trial.delay}): saved change {saved_index}, "
                f"but change {max(must_have)} was handed over more than the debounce window before the kill"
            )
        assert not any(is_temp_name(p.name) for p in folder.iterdir()), "a temporary file survived the restart"
    # The test must actually have exercised the guarantee, not only early kills.
    assert checked_windows >= TRIALS // 3


def test_two_wizards_typing_at_once_each_keep_their_own_draft(isolated_home: Path) -> None:
    script_of = _driver().session_script
    processes = [
        subprocess.Popen([sys.executable, str(DRIVER), str(seed), "0.02"], stdout=subprocess.PIPE, text=True)
        for seed in (101, 202)
    ]
    ids = []
    for process in processes:
        out, _ = process.communicate(timeout=30)
        assert process.returncode == 0 and out.rstrip().endswith("done")
        ids.append(out.split()[1])
    store = DraftStore()
    assert sorted(s.id for s in store.list()) == sorted(ids)
    for seed, draft_id in zip((101, 202), ids, strict=True):
        draft = store.load(draft_id)
        assert (draft.values, draft.step) == script_of(seed)[-1]
