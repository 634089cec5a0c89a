"""Headless `validate FILE` start-up against importing pydantic alone, in paired runs.

Run: .venv/bin/python bench/validate_startup.py [--runs 11]

Each round spawns `python -c "from pydantic import BaseModel"` (the baseline: no validator can start
faster than the library it is built on) and `python -m wizard validate FILE` on a valid request file, one
right after the other (alternating which goes first), and takes the wall time from spawn to exit. Printed:
the median of each, the ratio of the medians, and the median of the per-round ratios (pairs share a
moment of a busy machine). Target: validate at most 1.5x the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bytecode import compile_project
from bench.cli_startup import REQUEST

TARGET = 1.5


def time_once(argv: list[str], env: dict[str, str]) -> float:
    """Milliseconds from spawn to exit; the command must succeed."""
    started = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, env=env, check=False)
    elapsed = (time.perf_counter() - started) * 1000
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="paired rounds (default 11)")
    options = parser.parse_args()
    compile_project()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        request = home / "request.json"
        request.write_text(json.dumps(REQUEST), encoding="utf-8")
        env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "ROCKETMQ_WIZARD_HOME": str(home / "wizard")}
        lines = {
            "baseline": [sys.executable, "-c", "from pydantic import BaseModel"],
            "validate": [sys.executable, "-m", "wizard", "validate", str(request)],
        }
        for argv in lines.values():  # warm the file cache; not counted
            time_once(argv, env)
        times: dict[str, list[float]] = {name: [] for name in lines}
        for round_number in range(options.runs):
            order = list(lines.items())
            if round_number % 2:
                order.reverse()
            for name, argv in order:
                times[name].append(time_once(argv, env))
    baseline, validate = statistics.median(times["baseline"]), statistics.median(times["validate"])
    paired = statistics.median(v / b for v, b in zip(times["validate"], times["baseline"], strict=True))
    print(f"validate start-up, {options.runs} paired runs; subprocess wall ms, medians")
    print(f"  python -c 'from pydantic import BaseModel'  {baseline:6.0f} ms  (baseline)")
    print(f"  python -m wizard validate FILE              {validate:6.0f} ms")
    ratio = validate / baseline
    print(
        f"  ratio of medians {ratio:.2f}x, median of paired ratios {paired:.2f}x; target <= {TARGET}x: "
        f"{'met' if ratio <= TARGET else 'NOT met'}"
    )
    print(f"load average while measuring: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
