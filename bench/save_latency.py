"""Draft save latency (target: median under 5 ms) and the cost of DebouncedSaver.update() (microseconds).

Run: .venv/bin/python bench/save_latency.py [--saves 300] [--dir FOLDER]

A save is the whole DraftStore.save: strip secrets, render TOML, write a temporary file, fsync it,
rename it over the draft, fsync the folder. Baselines measured in the same run, on the same folder:
a plain non-atomic write of the same text (what posting-style tools do), the atomic write alone, and
rendering alone. The folder defaults to a fresh one in the system's temporary folder; pass --dir to
measure the disk the drafts really live on (the file system type is printed, since tmpfs makes fsync free).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wizard.storage import DebouncedSaver, DraftStore, app_paths
from wizard.storage.atomic import atomic_write_text
from wizard.storage.documents import now_utc, render_document

VALUES: dict[str, Any] = {
    "name": "orders-mq-prod",
    "description": "Orders pipeline for the east region; owner team-a, on call via pager.",
    "engine": "reliability",
    "engine_version": "4.8.0",
    "vpc_id": "5d8b3a5e-4c5f-4b8e-9f0c-2f3a1b2c3d4e",
    "subnet_id": "7e1c2d3f-8a9b-4c0d-9e1f-0a1b2c3d4e5f",
    "security_group_id": "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
    "available_zones": ["effdcbc7d4d64a02aa1fa26b42f56533", "d573142f24894ef3bd3664de068b44b0", "1b3f2c4a"],
    "product_id": "c6.4u8g.cluster",
    "broker_num": "3",
    "storage_spec_code": "dms.physical.storage.ultra.v2",
    "storage_space": 900,
    "ssl_enable": False,
    "enable_acl": True,
    "enable_publicip": True,
    "publicip_id": ",".join(f"eip-{n:04d}" for n in range(9)),
    "bss_param": {"charging_mode": "prePaid", "period_type": "month", "period_num": 3, "is_auto_renew": True},
}


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Wall-clock seconds of each of `runs` calls."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def file_system_of(folder: Path) -> str:
    """The mount's file system type for `folder` (from /proc/mounts), or "unknown"."""
    best, kind = "", "unknown"
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return kind
    resolved = str(folder.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and resolved.startswith(parts[1]) and len(parts[1]) > len(best):
            best, kind = parts[1], parts[2]
    return kind


def show(label: str, samples: list[float], unit: float = 1e3, suffix: str = "ms") -> None:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(f"  {label:<44} median {statistics.median(samples) * unit:8.3f} {suffix}   p95 {p95 * unit:8.3f} {suffix}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--updates", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="save-latency-", dir=args.dir))
    os.environ["ROCKETMQ_WIZARD_HOME"] = str(root)
    try:
        store = DraftStore(app_paths())
        draft = store.save(store.new(VALUES, step="billing"))
        target = store.folder / f"{draft.id}.toml"
        text = render_document("draft", VALUES, created=draft.created, updated=now_utc(), header={"step": "billing"})
        plain = store.folder / "plain.toml"

        def plain_write_fsync() -> None:
            with plain.open("w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())

        actions: dict[str, Callable[[], object]] = {
            "DraftStore.save (atomic, fsynced)": lambda: store.save(draft),
            "baseline: plain write_text, no fsync": lambda: plain.write_text(text),
            "baseline: plain write + fsync (not atomic)": plain_write_fsync,
            "part: atomic_write_text alone": lambda: atomic_write_text(target, text),
            "part: render TOML alone": lambda: render_document(
                "draft", VALUES, created=draft.created, updated=now_utc(), header={"step": "billing"}
            ),
        }
        samples: dict[str, list[float]] = {label: [] for label in actions}
        # Round-robin, so disk noise from other processes falls on every variant alike.
        for _ in range(args.saves):
            for label, action in actions.items():
                samples[label].extend(timed(action, 1))
        print(f"draft of {len(text)} bytes, {args.saves} runs each, in {root} ({file_system_of(root)})")
        for label, values in samples.items():
            show(label, values)

        saver = DebouncedSaver(store, draft, delay=0.3)
        batch = 1000
        per_call: list[float] = []
        for index in range(args.updates // batch):
            typed = {**VALUES, "description": f"typed {index}"}
            started = time.perf_counter()
            for _ in range(batch):
                saver.update(typed, "billing")
            per_call.append((time.perf_counter() - started) / batch)
        saver.close()
        print(f"DebouncedSaver.update(), {args.updates} calls in batches of {batch} (saves running meanwhile):")
        show("update() per call", per_call, unit=1e6, suffix="µs")
        store.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
