"""The bar at the top of every screen: the app, the screen's title, and where requests go."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

TOO_SMALL = "The terminal is too small: the wizard needs at least 80 columns by 24 rows. Make it larger."
"""Shown instead of a screen below 80x24 (every screen has it; the app's CSS shows it when too small)."""

#: The app's CSS class while the terminal is below 80x24.
TOO_SMALL_CLASS = "-too-small"


class KeysWaitWhileTooSmall:
    """For screens: while the terminal is too small to show them, their keys do nothing (a hidden Submit
    must not open a confirmation nobody sees). The app's Quit and Help still work."""

    app: App[object]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.app.has_class(TOO_SMALL_CLASS)


def is_sandbox(target: str) -> bool:
    """True when the target description names the sandbox."""
    return target.upper().startswith("SANDBOX")


class TopBar(Horizontal):
    """The title on the left and the target on the right: a SANDBOX badge, or region and project."""

    def __init__(self, title: str, target: str) -> None:
        super().__init__(id="topbar")
        self._title = title
        self._target = target

    def compose(self) -> ComposeResult:
        yield Static(f"RocketMQ wizard · {self._title}", id="title")
        yield Static(
            f" {self._target} ", id="target", classes="-sandbox" if is_sandbox(self._target) else "", markup=False
        )

    def show_target(self, target: str) -> None:
        """Point the badge at another target (after switching to the sandbox)."""
        self._target = target
        badge = self.query_one("#target", Static)
        badge.update(f" {target} ")
        badge.set_class(is_sandbox(target), "-sandbox")
