"""The small dialog that asks for a profile's name (Ctrl+S)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static


class MarkedCheckbox(Checkbox):
    """A checkbox whose state is a text mark, [x] or [ ], not only a colour (readable with NO_COLOR)."""

    @property
    def _button(self) -> Content:
        return Content.styled("[x]" if self.value else "[ ]", self.get_visual_style("toggle--button"))


class ProfileNameDialog(ModalScreen[tuple[str, bool] | None]):
    """Ask for a name; Enter saves, Esc cancels. Returns (name, include the instance name); the instance name
    is left out unless the user ticks the box."""

    CSS_PATH = "profile_name.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="profile-dialog"):
            yield Label("Save these answers as a profile", classes="dialog-title")
            yield Static("A profile is reused for other instances, so the instance name is left out unless you ask.")
            yield Input(placeholder="profile name, e.g. team-default", id="profile-name")
            yield MarkedCheckbox("Also keep the instance name", id="include-name")
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
            self.dismiss((name, self.query_one("#include-name", Checkbox).value))
        else:
            self.notify("Type a name first.", severity="warning")

    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
