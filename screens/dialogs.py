"""Modal dialogs: a yes/no confirmation whose default is No, and F1 help for a field."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static


class ConfirmDialog(ModalScreen[bool]):
    """Ask before doing something that cannot be undone; dismisses with True only on an explicit Yes.

    Focus starts on No (unless `default_no` is False), so a stray Enter does nothing harmful; Esc is No.
    """

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "answer(False)", "No", id="confirm.no"),
        Binding("left", "app.focus_previous", "Previous button", show=False),
        Binding("right", "app.focus_next", "Next button", show=False),
    ]

    def __init__(self, title: str, body: str, confirm_label: str = "Create", default_no: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.body_text = body
        self.confirm_label = confirm_label
        self.default_no = default_no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title", markup=False)
            with VerticalScroll(id="dialog-body-scroll"):
                yield Static(self.body_text, id="dialog-body", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button("No", id="no", variant="default")
                yield Button(f"Yes, {self.confirm_label.lower()}", id="yes", variant="warning")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#no" if self.default_no else "#yes", Button).focus()

    @on(Button.Pressed, "#yes")
    def _yes(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(False)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class HelpDialog(ModalScreen[None]):
    """Help for one field (its label as the title, the model's help text as the body); any of Esc, Enter
    or F1 closes it."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "close", "Close", id="help.close"),
        Binding("f1", "close", "Close help", show=False),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text = title
        self.help_text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(f"Help: {self.title_text}", id="dialog-title", markup=False)
            with VerticalScroll(id="dialog-body-scroll"):
                yield Static(self.help_text, id="dialog-body", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button("Close", id="close")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def _close(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
