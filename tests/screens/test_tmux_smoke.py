"""Smoke test of the real program in a real terminal: `rocketmq-wizard --sandbox` in tmux (120x40).

It reads the screen with `tmux capture-pane`, checks the first screen and the SANDBOX badge (the server
may start after the first frame, so its URL is awaited), opens the first step, and quits with Ctrl+Q.
Skipped only when tmux is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")


def wizard_command() -> list[str]:
    """The installed console script beside this Python, else the module."""
    script = Path(sys.executable).with_name("rocketmq-wizard")
    return [str(script)] if script.exists() else [sys.executable, "-m", "wizard"]


class Terminal:
    """One tmux server on a private socket running one program."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=10, check=True)
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "smoke")

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear within {timeout} s; the screen was:\n{screen}")

    def pane_dead(self) -> bool:
        return self.tmux("display-message", "-p", "-t", "smoke", "#{pane_dead}").strip() == "1"


def start(term: Terminal, extra_env: dict[str, str]) -> None:
    """Run the wizard against the sandbox in a fresh 120x40 tmux session."""
    env = {
        "HOME": os.environ["HOME"],
        "ROCKETMQ_WIZARD_HOME": os.environ["ROCKETMQ_WIZARD_HOME"],
        "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"],
        "XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"],
        "TERM": "xterm-256color",
        **extra_env,
    }
    command = ["env", *(f"{k}={v}" for k, v in env.items()), *wizard_command(), "--sandbox"]
    term.tmux("-f", "/dev/null", "new-session", "-d", "-s", "smoke", "-x", "120", "-y", "40", *command)
    term.tmux("set-option", "-t", "smoke", "remain-on-exit", "on")


@pytest.fixture
def terminal(isolated_home: Path) -> Iterator[Terminal]:
    term = Terminal(f"rmqw-smoke-{uuid.uuid4().hex[:8]}")
    try:
        yield term
    finally:
        subprocess.run([TMUX or "tmux", "-L", term.socket, "kill-server"], check=False, capture_output=True, timeout=10)


def test_the_real_program_starts_against_the_sandbox_and_quits(terminal: Terminal) -> None:
    start(terminal, {})
    terminal.wait_for("New instance")
    first = terminal.wait_for("Quit").rstrip("\n").splitlines()
    assert "RocketMQ wizard" in first[0]
    assert "SANDBOX" in first[0], "the first screen's top line carries the SANDBOX badge from the start"
    assert "Quit" in first[-1], "the footer shows the bindings"
    # The sandbox server may still be starting on the first frame; once up, the badge names its URL.
    screen = terminal.wait_for("Requests go to: SANDBOX http://127.0.0.1:")
    assert "SANDBOX http://127.0.0.1:" in screen.splitlines()[0]

    terminal.tmux("send-keys", "-t", "smoke", "n")
    screen = terminal.wait_for("Instance name")
    assert "Basics" in screen

    terminal.tmux("send-keys", "-t", "smoke", "C-q")
    deadline = time.monotonic() + 15
    while not terminal.pane_dead() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert terminal.pane_dead(), "Ctrl+Q must end the program"


def test_no_color_gives_a_monochrome_screen_that_still_names_the_sandbox(terminal: Terminal) -> None:
    start(terminal, {"NO_COLOR": "1"})
    terminal.wait_for("New instance")
    terminal.wait_for("Quit")
    screen = terminal.wait_for("Requests go to: SANDBOX http://127.0.0.1:")
    assert "SANDBOX http://127.0.0.1:" in screen.splitlines()[0]
    styled = terminal.tmux("capture-pane", "-e", "-p", "-t", "smoke")
    colours = {int(code) for code in re.findall(r"[34]8;5;(\d+)", styled)}
    assert colours, "expected the 256-colour greys Textual uses for NO_COLOR"
    # Greys only: the 24 grey ramp of the 256-colour palette, black and white.
    assert colours <= {*range(232, 256), 0, 15, 16, 231}, sorted(colours)
    assert not re.search(r"[34]8;2;", styled), "no true colour with NO_COLOR"
