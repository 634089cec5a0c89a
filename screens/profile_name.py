"""The small dialog that asks for a profile's name (Ctrl+S)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


class ProfileNameDialog(ModalScreen[str | None]):
    """Ask for a name; Enter saves, Esc cancels. The profile never holds the instance name."""

    CSS_PATH = "profile_name.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="profile-dialog"):
            yield Label("Save these answers as a profile", classes="dialog-title")
            yield Static("The instance name is left out: a profile is reused for other instances.")
            yield Input(placeholder="profile name, e.g. team-default", id="profile-name")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self._save()
        else:
            self.dismiss(None)

    def _save(self) -> None:
        name = self.query_one(Input).value.strip()
        if name:
            self.dismiss(name)
        else:
            self.notify("Type a name first.", severity="warning")

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
