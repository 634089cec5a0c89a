"""Issue 17's campaign, bounded: hostile inputs, kill -9 during saves, faulted creates, racing saves, validate time.

Run: .venv/bin/python bench/hardening.py  (a few minutes; everything stays on 127.0.0.1 and in a temp folder)
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["ROCKETMQ_WIZARD_HOME"] = tempfile.mkdtemp(prefix="h17-bench-")

from tests.cli.conftest import sandbox_request  # noqa: E402
from wizard.cli import main  # noqa: E402


def _quiet(argv: list[str]) -> tuple[int | None, bool]:
    """Run the CLI in process: its exit code, and whether it raised (a traceback)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            return main(argv), False
    except SystemExit as exc:
        return int(exc.code or 0), False
    except Exception:
        return None, True


def bad_cli_inputs(folder: Path) -> tuple[int, int]:
    files = {
        "big.json": '{"broker_num": ' + "9" * 5000 + "}",
        "deep.json": "[" * 100_000,
        "deep.toml": "a = " + "[" * 5000 + "]" * 5000,
        "table.toml": "[" + ".".join(["t"] * 500) + "]\n",
        "sur.json": '{"name": "x\\ud800"}',
        "empty.json": '{"": 1}',
        "ctl.json": '{"description": "\\u001b[2J"}',
        "num.json": '{"storage_space": 1' + "0" * 400 + ', "broker_num": "\\u0661"}',
        "bad.toml": "= = =",
        "list.json": "[1, 2]",
    }
    argvs: list[list[str]] = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        argvs += [["validate", str(path)], ["create", "--from", str(path), "--dry-run"], ["export", str(path)]]
        argvs += [["profiles", "import", str(path), "--name", "p"]]
    argvs += [
        ["status", "a" * 100_000, "--sandbox"],
        ["status", "x", "--timeout", "nan"],
        ["status", "x", "--wait-timeout", "nan"],
        ["status", "x", "--timeout", "-5"],
        ["sandbox", "--port", "99999"],
        ["sandbox", "--create-delay", "nan"],
        ["sandbox", "--latency-ms", "-1"],
        ["validate", "/dev/zero.json"],
        ["drafts", "rm", "../etc"],
        ["profiles", "show", "a/b"],
        ["create", "--from", str(folder / "none.json"), "--set", "broker_num=\u0661", "--dry-run"],
    ]
    tracebacks = sum(_quiet(argv)[1] for argv in argvs)
    return len(argvs), tracebacks


def fuzzed_files(folder: Path, count: int) -> tuple[int, int]:
    rng = random.Random(17)
    values: list[Any] = [None, True, -1, 0, 10**30, 1.5, "", "x" * 300, [], ["a", "a"], {}, "\u0000", "\u202e"]
    crashes = 0
    for i in range(count):
        body = sandbox_request()
        for _ in range(rng.randint(1, 4)):
            body[rng.choice([*body, "", "bss_param", "tags", "publicip_id", "zzz"])] = rng.choice(values)
        path = folder / f"fuzz{i}.json"
        path.write_text(json.dumps(body))
        crashes += _quiet(["validate", str(path)])[1] or _quiet(["export", str(path), "--format", "hcloud"])[1]
    return count * 2, crashes


SAVER = """
import sys
from wizard.storage import ProfileStore
store = ProfileStore()
i = 0
while True:
    i += 1
    store.save("crash", {"description": f"save {i}", "broker_num": i})
"""


def kill_during_saves(trials: int) -> tuple[int, int]:
    from wizard.storage import ProfileStore

    ProfileStore().save("crash", {"description": "first"})
    losses = 0
    rng = random.Random(9)
    for _ in range(trials):
        process = subprocess.Popen([sys.executable, "-c", SAVER], cwd=ROOT, env=os.environ.copy())
        time.sleep(rng.uniform(0.3, 0.8))
        process.send_signal(signal.SIGKILL)
        process.wait()
        try:
            ProfileStore().load("crash")
        except Exception:
            losses += 1
    return trials, losses


async def _faulted_creates(trials: int) -> tuple[int, int, int]:
    from wizard.client import CloudClient
    from wizard.connection import Credentials, build_settings
    from wizard.errors import NotCreated, OutcomeUnknown, WizardError
    from wizard.sandbox import start_sandbox
    from wizard.validation import parse_request

    faults: list[dict[str, Any]] = [
        {"kind": "timeout_after_commit", "delay": 1.0},
        {"kind": "timeout", "delay": 1.0},
        {"kind": "reset"},
        {"kind": "status", "status": 503},
        {"kind": "status", "status": 429, "retry_after": 0, "count": 3},
    ]
    rng = random.Random(3)
    wrong = duplicates = 0
    with start_sandbox(create_delay=0.2) as sandbox:
        credentials = Credentials(sandbox.ak, sandbox.sk, sandbox.project_id, None, None, "bench")
        settings = build_settings(sandbox.region, credentials, env={}, endpoint=sandbox.url, timeout=0.5, sandbox=True)
        for trial in range(trials):
            name = f"bench-{trial}"
            sandbox.state.faults.add(method="POST", path="*/instances", **rng.choice(faults))
            async with CloudClient(settings, lookup_delays=(0.0,)) as client:
                request = parse_request(sandbox_request(name=name), await client.load_catalog())
                try:
                    await client.create_instance(request)
                    said = "created"
                except NotCreated:
                    said = "not_created"
                except OutcomeUnknown:
                    said = "unknown"
                except WizardError:
                    said = "refused"
            made = len(sandbox.state.instances_named(name))
            wrong += said == "not_created" and made > 0  # "safe to retry" while an instance exists
            duplicates += made > 1
            sandbox.state.faults.clear()
    return trials, wrong, duplicates


def racing_saves(pairs: int) -> tuple[int, int]:
    from wizard.storage import ProfileExists, ProfileStore

    lost = 0
    for pair in range(pairs):
        barrier = threading.Barrier(2)
        won: list[int] = []

        def save(
            who: int, name: str = f"race-{pair}", gate: threading.Barrier = barrier, done: list[int] = won
        ) -> None:
            gate.wait()
            with contextlib.suppress(ProfileExists):
                ProfileStore().save(name, {"description": f"by {who}"}, overwrite=False)
                done.append(who)

        threads = [threading.Thread(target=save, args=(who,)) for who in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        lost += len(won) > 1
    return pairs, lost


def validate_time(keys: int) -> float:
    from wizard.validation import check_request

    data = {f"unknown_{i}": i for i in range(keys)}
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        check_request(data)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main_bench() -> None:
    folder = Path(tempfile.mkdtemp(prefix="h17-inputs-"))
    rows = []
    tried, tracebacks = bad_cli_inputs(folder)
    rows.append(("bad CLI inputs", tried, f"{tracebacks} tracebacks"))
    tried, crashes = fuzzed_files(folder, 150)
    rows.append(("fuzzed request files (validate + export)", tried, f"{crashes} crashes"))
    tried, losses = kill_during_saves(15)
    rows.append(("kill -9 during profile saves", tried, f"{losses} profiles lost"))
    tried, wrong, duplicates = asyncio.run(_faulted_creates(15))
    rows.append(
        ("faulted creates against the sandbox", tried, f"{wrong} wrong 'safe to retry', {duplicates} duplicates")
    )
    tried, lost = racing_saves(40)
    rows.append(("concurrent profile saves (pairs, no --force)", tried, f"{lost} lost updates"))
    baseline = validate_time(0)
    small, large = validate_time(2_000), validate_time(20_000)
    rows.append(("validate, 0 unknown keys (baseline)", 3, f"median {baseline * 1000:.1f} ms"))
    rows.append(("validate, 2,000 unknown keys", 3, f"median {small * 1000:.0f} ms"))
    rows.append(("validate, 20,000 unknown keys", 3, f"median {large * 1000:.0f} ms ({large / small:.1f}x the 2,000)"))
    width = max(len(row[0]) for row in rows)
    print(f"{'campaign':<{width}}  {'tried':>6}  result")
    for campaign, count, result in rows:
        print(f"{campaign:<{width}}  {count:>6}  {result}")


if __name__ == "__main__":
    main_bench()
