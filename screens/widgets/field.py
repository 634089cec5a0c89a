"""One field of a step: its label, the control, and the live message row under it.

Controls report every change synchronously from a `watch` on their value (not from the Changed message,
which arrives a frame later), so the message under the field is updated in the same frame as the key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static, Switch

from screens.widgets.filtered_list import Choice, FilteredList
from wizard.fields import field_spec, typed_ids

#: Called with (path, value) whenever a control's value changes; value None means "not answered".
OnValue = Callable[[str, Any], None]

INVALID_MARK = "✗"
NOTE_MARK = "·"


def parse_whole_number(text: str) -> int | str | None:
    """A whole number from typed text; the text itself when it is not one (the model names the rule)."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return text


def unavailable_note(reasons: Iterable[tuple[str, str | None]]) -> str:
    """The note under a list naming what cannot be picked and why ('Unavailable: a: why; b: why'), or ''."""
    unavailable = [f"{name}: {reason}" for name, reason in reasons if reason is not None]
    return "Unavailable: " + "; ".join(unavailable) if unavailable else ""


class FieldMessage(Static):
    """The message row under a field; it skips the layout pass when the new text takes as many lines."""

    _text = ""

    def _lines(self, text: str, width: int) -> int:
        return sum(max(1, -(-cell_len(part) // width)) for part in text.split("\n")) if text else 0

    def show(self, text: str) -> None:
        """Show a message (the layout is redone only when its height changes)."""
        width = self.content_size.width
        same_height = width > 0 and self._lines(text, width) == self._lines(self._text, width)
        self._text = text
        self.update(text, layout=not same_height)


class FieldInput(Input):
    """A text (or whole-number) input bound to one answer."""

    def __init__(
        self,
        path: str,
        on_value: OnValue,
        *,
        value: str = "",
        whole_number: bool = False,
        placeholder: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(value=value, placeholder=placeholder, id=id, type="integer" if whole_number else "text")
        self.path = path
        self.whole_number = whole_number
        self._on_value = on_value
        self._quiet = False

    @property
    def answer(self) -> Any:
        """The value as the request takes it."""
        if self.whole_number:
            return parse_whole_number(self.value)
        return self.value if self.value else None

    def watch_value(self, value: str) -> None:
        if not self._quiet:
            self._on_value(self.path, self.answer)

    def show_answer(self, answer: Any) -> None:
        """Show an answer that changed elsewhere (a draft, a dependant reset), without reporting it back."""
        text = "" if answer is None else str(answer)
        if text != self.value:
            self._quiet = True
            try:
                with self.prevent(Input.Changed):
                    self.value = text
            finally:
                self._quiet = False


class FieldSwitch(Switch, inherit_bindings=False):
    """An on/off switch bound to one answer; Space toggles it, Enter is the step's Next as everywhere."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "toggle_switch", "Toggle")]

    def __init__(self, path: str, on_value: OnValue, *, value: bool = False, id: str | None = None) -> None:
        super().__init__(value=value, id=id)
        self.path = path
        self._on_value = on_value
        self._quiet = False

    def watch_value(self, value: bool) -> None:
        super().watch_value(value)
        parent = self.parent
        if isinstance(parent, SwitchRow):
            parent.show_state(value)
        if not self._quiet:
            self._on_value(self.path, value)

    def show_answer(self, answer: Any) -> None:
        """Show an answer that changed elsewhere."""
        wanted = answer is True
        if wanted != self.value:
            self._quiet = True
            try:
                with self.prevent(Switch.Changed):
                    self.value = wanted
            finally:
                self._quiet = False


class FieldRow(Vertical):
    """A label (with the field's name from the model), a control, and the message under it.

    `path` is the API path whose problems this row shows; the message row says "✗ ..." for a problem
    (text, not only colour) and can carry a note (e.g. the storage total) when there is none.
    """

    def __init__(
        self,
        path: str,
        *controls: Widget,
        label: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id or f"row-{path.replace('.', '-')}", classes=classes)
        self.path = path
        self.label_text = label or field_spec(path).label
        self._controls = controls
        self._note = ""
        self._problem: str | None = None

    def compose(self) -> ComposeResult:
        yield Label(self.label_text, classes="field-label")
        yield from self._controls
        yield FieldMessage("", classes="field-message", markup=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        # The value was already judged in the input's watcher; nobody above needs the message.
        event.stop()

    @property
    def help_text(self) -> str:
        """The model's help for this field."""
        try:
            return field_spec(self.path).help
        except KeyError:
            return ""

    def show_problem(self, message: str | None) -> None:
        """Show (or clear) the field's problem."""
        if message == self._problem:
            return
        self._problem = message
        self._render_message()

    def show_note(self, note: str) -> None:
        """A neutral line shown when there is no problem."""
        if note == self._note:
            return
        self._note = note
        self._render_message()

    @property
    def problem(self) -> str | None:
        """The problem shown now, if any."""
        return self._problem

    def _render_message(self) -> None:
        self.set_class(self._problem is not None, "-invalid")
        if not self.is_mounted:
            self.call_after_refresh(self._render_message)
            return
        message = self.query_one(".field-message", FieldMessage)
        if self._problem is not None:
            note = f"\n{NOTE_MARK} {self._note}" if self._note else ""
            message.show(f"{INVALID_MARK} {self._problem}{note}")
        elif self._note:
            message.show(f"{NOTE_MARK} {self._note}")
        else:
            message.show("")

    def focus_control(self) -> None:
        """Focus the first focusable control of the row."""
        for widget in self.query("*"):
            if widget.focusable:
                widget.focus()
                return


class SwitchRow(Horizontal):
    """A switch with its label on one line, for the boolean fields."""

    def __init__(self, path: str, on_value: OnValue, *, value: bool = False) -> None:
        super().__init__(id=f"row-{path.replace('.', '-')}", classes="switch-row")
        self.path = path
        self._switch = FieldSwitch(path, on_value, value=value, id=f"switch-{path.replace('.', '-')}")

    def compose(self) -> ComposeResult:
        yield self._switch
        yield Static(self._state_text(self._switch.value), classes="switch-state")
        spec = field_spec(self.path)
        yield Static(f"{spec.label}: {spec.help}", classes="switch-label")

    @staticmethod
    def _state_text(on: bool) -> str:
        return "on " if on else "off"

    def show_state(self, on: bool) -> None:
        """Say on or off in words beside the switch (its colour alone would not tell everyone)."""
        if self.is_mounted:
            self.query_one(".switch-state", Static).update(self._state_text(on))

    @property
    def switch(self) -> FieldSwitch:
        """The switch."""
        return self._switch


class ListField(FieldRow):
    """A FilteredList for one answer, with a hand-typed ID as fallback when the list cannot load.

    The typed ID goes through the same validation as a picked one.
    """

    def __init__(
        self,
        path: str,
        on_value: OnValue,
        *,
        multi: bool = False,
        label: str | None = None,
        placeholder: str = "Type to filter",
        manual_placeholder: str = "or type the ID",
    ) -> None:
        slug = path.replace(".", "-")
        self.list = FilteredList(multi=multi, placeholder=placeholder, id=f"list-{slug}")
        self.manual = FieldInput(path, self._manual_changed, placeholder=manual_placeholder, id=f"manual-{slug}")
        self.manual.display = False
        super().__init__(path, self.list, self.manual, label=label, classes="list-field")
        self.multi = multi
        self._on_value = on_value
        # What the list shows now, so repeated updates with the same content cost nothing
        # (each state change re-checks the list's bindings and the footer).
        self._shown: tuple[str, object] | None = None

    def _manual_changed(self, path: str, value: Any) -> None:
        if not self.manual.display:
            return
        if self.multi:
            self._on_value(path, typed_ids(value) or None)
        else:
            self._on_value(path, value)

    def on_filtered_list_changed(self, event: FilteredList.Changed) -> None:
        event.stop()
        selected = list(event.selected)
        if self.multi:
            self._on_value(self.path, selected or None)
        else:
            self._on_value(self.path, selected[0] if selected else None)

    def show_choices(self, choices: Sequence[Choice]) -> None:
        """The loaded choices; the hand-typed fallback hides."""
        shown = ("ready", tuple(choices))
        if shown != self._shown:
            self._shown = shown
            self.list.set_choices(shown[1])
        self.manual.display = False

    def show_loading(self, text: str = "Loading…") -> None:
        """Say the list is loading."""
        if self._shown != ("loading", text):
            self._shown = ("loading", text)
            self.list.set_loading(text)

    def show_error(self, message: str) -> None:
        """Say the list failed, offer Retry, and let the user type the ID."""
        focus_was_in_list = self.list.has_focus_within
        if self._shown != ("error", message):
            self._shown = ("error", message)
            self.list.set_error(message)
        self.manual.display = True
        if focus_was_in_list:
            # The list's filter and rows are hidden now: typing goes to the typed ID instead.
            self.manual.focus()

    def focus_control(self) -> None:
        """Focus the typed ID when the list failed, else the list's filter."""
        if self.manual.display:
            self.manual.focus()
        else:
            super().focus_control()

    def show_answer(self, answer: Any) -> None:
        """Show the chosen id(s) in the list and, when typing by hand, in the input."""
        if answer is None:
            ids: list[str] = []
        elif isinstance(answer, list):
            ids = [str(item) for item in answer]
        else:
            ids = [str(answer)]
        if tuple(ids) != self.list.selected:
            self.list.select(ids)
        if self.manual.display and typed_ids(self.manual.answer) != ids:
            self.manual.show_answer(", ".join(ids) if ids else None)
