"""Snapshots of the result step (running, failed, following stopped) at 80x24 and 120x40."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from screens.result import ResultStep
from wizard.resources import CreateOutcome, Instance, StatusChange

APP_CSS = Path(__file__).resolve().parents[2] / "screens" / "app.tcss"
SIZES = [(80, 24), (120, 40)]
INSTANCE_ID = "8d5b4c1e-2f3a-4b6c-9d7e-0a1b2c3d4e5f"


class ResultHost(App[None]):
    CSS_PATH = APP_CSS

    def __init__(self, statuses: list[tuple[str, float]], follow_error: str | None = None) -> None:
        super().__init__()
        self.statuses = statuses
        self.follow_error = follow_error

    def on_mount(self) -> None:
        self.push_screen(ResultStep(CreateOutcome(INSTANCE_ID, "orders-mq"), target="SANDBOX http://127.0.0.1:8080"))


def feed(statuses: list[tuple[str, float]], follow_error: str | None = None) -> Any:
    async def run_before(pilot: Pilot[None]) -> None:
        result = next(s for s in pilot.app.screen_stack if isinstance(s, ResultStep))
        for status, elapsed in statuses:
            result.status_changed(StatusChange(Instance(INSTANCE_ID, "orders-mq", status), elapsed))
        if follow_error is not None:
            result.follow_failed(follow_error)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_result_running(snap_compare: Any, size: tuple[int, int]) -> None:
    statuses = [("CREATING", 0.5), ("RUNNING", 151.0)]
    assert snap_compare(ResultHost(statuses), terminal_size=size, run_before=feed(statuses))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_result_failed(snap_compare: Any, size: tuple[int, int]) -> None:
    statuses = [("CREATING", 0.5), ("CREATEFAILED", 42.0)]
    assert snap_compare(ResultHost(statuses), terminal_size=size, run_before=feed(statuses))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_result_follow_stopped(snap_compare: Any, size: tuple[int, int]) -> None:
    statuses = [("CREATING", 12.0)]
    run_before = feed(statuses, "the network went away (ConnectError)")
    assert snap_compare(ResultHost(statuses), terminal_size=size, run_before=run_before)
