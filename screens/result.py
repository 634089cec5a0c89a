"""The result step: the new instance's ID (large, selectable, copyable) and its status, followed live.

The app runs the follow worker and calls `status_changed` / `follow_failed`; the screen posts `Done()`
when the user quits. The ID is also printed on exit, since some terminals drop clipboard requests.
"""

from __future__ import annotations

import time
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Footer, Static

from screens.widgets.topbar import TOO_SMALL, KeysWaitWhileTooSmall, TopBar
from wizard.resources import CREATING, FAILED_STATUSES, RUNNING, CreateOutcome, StatusChange

#: What to do when the instance ends in a failed status.
FAILED_ADVICE = (
    "The instance did not reach RUNNING. Look at it in the Huawei Cloud console (DMS for RocketMQ): "
    "its event list says why. Delete it before creating it again with the same name."
)


def elapsed_text(seconds: float) -> str:
    """Seconds as m:ss (or h:mm:ss past an hour)."""
    whole = max(int(seconds), 0)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def status_marker(status: str) -> str:
    """A text marker for a status, so it reads without colour."""
    if status == RUNNING:
        return "✓"
    if status in FAILED_STATUSES:
        return "✗"
    return "…"


class ResultStep(KeysWaitWhileTooSmall, Screen[None]):
    """The created instance: its ID to copy, and its status until RUNNING or a failure."""

    CSS_PATH = "result.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy_id", "Copy ID"),
        Binding("q", "done", "Quit", show=False),
    ]

    class Done(Message):
        """The user is finished with the wizard."""

    def __init__(self, outcome: CreateOutcome, *, target: str = "") -> None:
        super().__init__(name="result", classes="result-screen")
        self.outcome = outcome
        self.target = target
        self.status = CREATING
        self.elapsed = 0.0
        self.finished = False
        self.history: list[tuple[str, float]] = []
        self._elapsed_at = time.monotonic()
        self._ticker: Timer | None = None

    def compose(self) -> ComposeResult:
        outcome = self.outcome
        yield TopBar("Created", self.target)
        with VerticalScroll(id="result-body"):
            yield Static(f"Instance '{outcome.name}' was accepted. Its ID:", id="result-intro", markup=False)
            yield Static(outcome.instance_id, id="instance-id", markup=False)
            yield Static(
                "Select it with the mouse, or press c (Copy ID). It is also printed in the terminal when "
                "you quit, since some terminals ignore clipboard requests.",
                id="id-hint",
                markup=False,
            )
            if outcome.recovered:
                yield Static(
                    "The create call's answer was lost on the way back; the instance was found afterwards "
                    "by its exact name, so it was created once.",
                    id="recovered",
                    markup=False,
                )
            yield Static("", id="status-line", markup=False)
            yield Static("", id="status-history", markup=False)
            yield Static("", id="status-advice", markup=False)
        with Horizontal(id="result-nav"):
            yield Button("Copy ID", id="copy")
            yield Button("Quit", id="quit", variant="primary")
        yield Static(TOO_SMALL, id="too-small")
        yield Footer()

    def on_mount(self) -> None:
        try:
            copy = self.query_one("#copy", Button)
        except NoMatches:
            return  # the app is quitting while this screen is still being built
        self._draw_status()
        self._ticker = self.set_interval(1.0, self._tick)
        copy.focus()

    # --- attributes down -----------------------------------------------------------------------

    def status_changed(self, change: StatusChange) -> None:
        """Show a new status of the instance (with the seconds since following began)."""
        self.status = change.instance.status
        self.elapsed = change.elapsed
        self._elapsed_at = time.monotonic()
        if not self.history or self.history[-1][0] != self.status:
            self.history.append((self.status, change.elapsed))
        if change.finished:
            self._stop(finished=True)
        if self.is_mounted:
            self._draw_status()

    def follow_failed(self, message: str) -> None:
        """Say that following stopped (the instance may still be fine) and how to check it later."""
        self._stop(finished=False)
        if not self.is_mounted:
            return
        self.query_one("#status-line", Static).update(
            f"? Status unknown: following it stopped after {elapsed_text(self.elapsed)}: {message}"
        )
        self._advice(
            "The instance may still be creating. Check it later with: "
            f"rocketmq-wizard status {self.outcome.instance_id} --wait",
            error=True,
        )

    # --- drawing -------------------------------------------------------------------------------

    def _stop(self, *, finished: bool) -> None:
        self.finished = finished
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    def _tick(self) -> None:
        if self._ticker is not None:
            self._draw_status()

    def _current_elapsed(self) -> float:
        if self._ticker is None:
            return self.elapsed
        return self.elapsed + (time.monotonic() - self._elapsed_at)

    def _draw_status(self) -> None:
        status = self.status
        try:
            line = self.query_one("#status-line", Static)
        except NoMatches:
            # A status arrived while the app is quitting and this screen's widgets are already gone.
            return
        line.set_class(status == RUNNING, "-running")
        line.set_class(status in FAILED_STATUSES, "-failed")
        if status == RUNNING:
            text = f"✓ RUNNING after {elapsed_text(self.elapsed)}: the instance is ready."
        elif status in FAILED_STATUSES:
            text = f"✗ {status} after {elapsed_text(self.elapsed)}."
        else:
            text = f"… {status}, {elapsed_text(self._current_elapsed())} so far (usually a few minutes)."
        line.update(f"Status: {text}")
        history = "  →  ".join(f"{status_marker(seen)} {seen} at {elapsed_text(at)}" for seen, at in self.history)
        self.query_one("#status-history", Static).update(f"Seen: {history}" if len(self.history) > 1 else "")
        if status in FAILED_STATUSES:
            self._advice(FAILED_ADVICE, error=True)
        elif status == RUNNING:
            self._advice("Press q (or Ctrl+Q) to quit; the ID stays in the terminal.", error=False)
        else:
            self._advice("You may quit now: creating continues in the cloud.", error=False)

    def _advice(self, text: str, *, error: bool) -> None:
        advice = self.query_one("#status-advice", Static)
        advice.update(text)
        advice.set_class(error, "-error")

    # --- actions -------------------------------------------------------------------------------

    def action_copy_id(self) -> None:
        self.app.copy_to_clipboard(self.outcome.instance_id)
        self.notify(
            f"Copied {self.outcome.instance_id} (if your terminal allows clipboard access).",
            title="Instance ID",
        )

    def action_done(self) -> None:
        self._stop(finished=self.finished)
        self.post_message(self.Done())

    @on(Button.Pressed, "#copy")
    def _copy(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_copy_id()

    @on(Button.Pressed, "#quit")
    def _quit(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_done()
