"""Start-up to finish of the headless commands that must feel instant: validate, export, create --dry-run.

Run: .venv/bin/python bench/cli_startup.py [--runs 15]

Each command runs as a real subprocess (`python -m wizard ...`, wall time from spawn to exit) on a valid
request file; the median of `--runs` runs is printed beside `python -c pass` measured in the same run
(the interpreter's own start-up, which no command can beat). Target: every command's median under
300 ms. Runs are interleaved (one of each per round) so a busy moment on the machine hits all alike;
the minimum and the CPU time (user + sys) are printed too, as they move less when the machine is busy.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bytecode import compile_project

TARGET_MS = 300.0

REQUEST = {
    "name": "bench-mq",
    "vpc_id": "vpc-1",
    "subnet_id": "subnet-1",
    "security_group_id": "sg-1",
    "available_zones": ["az-1", "az-2", "az-3"],
    "product_id": "c6.4u8g.cluster",
    "broker_num": 2,
    "storage_spec_code": "dms.physical.storage.high.v2",
    "storage_space": 600,
    "bss_param": {"charging_mode": "prePaid", "period_type": "month", "period_num": 3},
}


def commands(request_file: Path) -> dict[str, list[str]]:
    """The timed command lines, by label; the baseline first."""
    wizard = [sys.executable, "-m", "wizard"]
    file = str(request_file)
    return {
        "python -c pass (baseline)": [sys.executable, "-c", "pass"],
        "validate FILE": [*wizard, "validate", file],
        "export FILE --format json": [*wizard, "export", file, "--format", "json"],
        "export FILE --format terraform": [*wizard, "export", file, "--format", "terraform"],
        "create --from FILE --dry-run": [*wizard, "create", "--from", file, "--dry-run"],
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_once(argv: list[str], home: Path) -> tuple[float, float]:
    """Wall and CPU (user+sys) milliseconds from spawn to exit; the command must succeed.

    CPU time is printed beside wall time because it moves less when other work shares the machine.
    """
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "ROCKETMQ_WIZARD_HOME": str(home / "wizard")}
    cpu = _children_cpu()
    started = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, env=env, check=False)
    elapsed = (time.perf_counter() - started) * 1000
    cpu = (_children_cpu() - cpu) * 1000
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr.decode()[-500:]}")
    return elapsed, cpu


def main() -> None:
    """Measure and print the medians (and p90) per command."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="runs per command (default 15)")
    options = parser.parse_args()
    compile_project()

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        request_file = home / "request.json"
        request_file.write_text(json.dumps(REQUEST), encoding="utf-8")
        lines = commands(request_file)
        for argv in lines.values():  # warm the file cache and .pyc files; not counted
            time_once(argv, home)
        samples: dict[str, list[float]] = {label: [] for label in lines}
        cpu: dict[str, list[float]] = {label: [] for label in lines}
        for _ in range(options.runs):
            for label, argv in lines.items():
                wall, used = time_once(argv, home)
                samples[label].append(wall)
                cpu[label].append(used)

    baseline = statistics.median(samples["python -c pass (baseline)"])
    print(
        f"cli start-up, {options.runs} runs each; subprocess wall ms median / p90 / min; target median < {TARGET_MS:g}"
    )
    failed = False
    for label, values in samples.items():
        median = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1] if len(values) >= 2 else median
        verdict = ""
        if not label.startswith("python"):
            over = median - baseline
            ok = median < TARGET_MS
            failed |= not ok
            verdict = f"  (+{over:.0f} ms over python)  {'OK' if ok else 'OVER TARGET'}"
        print(
            f"  {label:<32} {median:5.0f} / {p90:5.0f} / {min(values):5.0f} ms"
            f"  cpu {statistics.median(cpu[label]):4.0f} ms{verdict}"
        )
    print(f"load average while measuring: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
