"""Start-up time in a real terminal: launch to first screen line, in tmux at 120x40.

Run: .venv/bin/python bench/tui_startup.py [--runs 7]

Baseline measured in the same run, alternating with the wizard: a bare Textual "hello" app started by
the same Python. Target: `rocketmq-wizard --sandbox` within 1.3x the hello app (medians).
Another line waits for the whole start screen (its footer, drawn one frame after the first line), and
another runs the wizard against a sandbox the bench started beforehand (`--endpoint` with credentials),
the path of a user with a real account: it resolves credentials before the first frame.
Each run respawns the pane of one private tmux server, then polls `capture-pane` until the app's first
line appears; the poll costs a few milliseconds and is the same for both.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.bytecode import compile_project

HELLO_APP = """
from textual.app import App, ComposeResult
from textual.widgets import Static


class Hello(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("hello bench ready")


Hello().run()
"""


def tmux(socket: str, *args: str) -> str:
    done = subprocess.run(["tmux", "-L", socket, *args], capture_output=True, text=True, check=True, timeout=10)
    return done.stdout


def time_to_text(socket: str, command: str, marker: str, timeout: float = 30.0) -> float:
    """Seconds from respawning the pane with `command` to `marker` showing on its screen."""
    tmux(socket, "respawn-pane", "-k", "-t", "bench", "sleep 100000")
    tmux(socket, "clear-history", "-t", "bench")
    time.sleep(0.3)
    start = time.perf_counter()
    tmux(socket, "respawn-pane", "-k", "-t", "bench", command)
    while time.perf_counter() - start < timeout:
        if marker in tmux(socket, "capture-pane", "-p", "-t", "bench"):
            return time.perf_counter() - start
        time.sleep(0.002)
    raise RuntimeError(f"{marker!r} did not appear within {timeout} s running {command}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    compile_project()
    if shutil.which("tmux") is None:
        sys.exit("tmux is needed for this bench")
    from wizard.sandbox import SANDBOX_REGION, start_sandbox

    wizard = Path(sys.executable).with_name("rocketmq-wizard")
    sandbox = start_sandbox()
    socket = f"rmqw-bench-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch)
        hello = home / "hello.py"
        hello.write_text(HELLO_APP, encoding="utf-8")
        env = f"env HOME={home} ROCKETMQ_WIZARD_HOME={home / 'wizard'} TERM=xterm-256color"
        commands = {
            "hello": (f"{env} {shlex.quote(sys.executable)} {hello}", "hello bench ready"),
            "wizard": (f"{env} {shlex.quote(str(wizard))} --sandbox", "RocketMQ wizard"),
            # The start screen's footer and saved lists come one frame after its first line: this is the
            # time to the whole screen (the footer's "Save profile" drawn).
            "wizard, whole start screen": (f"{env} {shlex.quote(str(wizard))} --sandbox", "Save profile"),
            "wizard, sandbox already up": (
                f"{env} HUAWEICLOUD_SDK_AK={sandbox.ak} HUAWEICLOUD_SDK_SK={sandbox.sk} "
                f"HUAWEICLOUD_SDK_PROJECT_ID={sandbox.project_id} {shlex.quote(str(wizard))} "
                f"--endpoint {sandbox.url} --region {SANDBOX_REGION}",
                "RocketMQ wizard",
            ),
        }
        tmux(socket, "-f", "/dev/null", "new-session", "-d", "-s", "bench", "-x", "120", "-y", "40", "sleep 100000")
        times: dict[str, list[float]] = {name: [] for name in commands}
        try:
            for command, marker in commands.values():  # warm the disk cache once, unmeasured
                time_to_text(socket, command, marker)
            for _ in range(args.runs):
                for name, (command, marker) in commands.items():
                    times[name].append(time_to_text(socket, command, marker))
        finally:
            subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True, check=False, timeout=10)
            sandbox.stop()
    hello_median = statistics.median(times["hello"])
    wizard_median = statistics.median(times["wizard"])
    print(
        f"Start to first screen line, tmux 120x40, {args.runs} runs each (python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs)"
    )
    for name, values in times.items():
        shown = ", ".join(f"{v * 1000:.0f}" for v in values)
        print(f"  {name:<28} median {statistics.median(values) * 1000:6.0f} ms   runs: {shown}")
    print(f"  ratio wizard/hello: {wizard_median / hello_median:.2f}x   target <= 1.3x")
    already_up = statistics.median(times["wizard, sandbox already up"])
    print(f"  ratio wizard (sandbox already up)/hello: {already_up / hello_median:.2f}x")


if __name__ == "__main__":
    main()
