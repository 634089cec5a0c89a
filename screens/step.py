"""The base of every step screen: the top bar, the stepper, the fields, Back/Next, and live validation.

A step screen gets the shared `WizardState` and the target description from the app (attributes down),
judges every change at once through the state, and tells the app what happened through messages
(`NextRequested`, `BackRequested`, `AnswerChanged`); it never reaches into another screen.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.events import DescendantFocus
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Input, Static

from screens.widgets.field import FieldRow, ListField, SwitchRow
from screens.widgets.price import PriceLine
from screens.widgets.stepper import Stepper
from screens.widgets.topbar import TOO_SMALL, KeysWaitWhileTooSmall, TopBar
from wizard.fields import Step

if TYPE_CHECKING:
    from screens.state import WizardState

#: Every entry of the stepper: the field steps, then review.
STEPPER_ENTRIES: tuple[tuple[str, str], ...] = (*((step.value, step.label) for step in Step), ("review", "Review"))


class StepScreen(KeysWaitWhileTooSmall, Screen[None]):
    """A screen for one wizard step."""

    CSS_PATH: ClassVar[list[str | PurePath]] = ["step.tcss", "widgets/price.tcss"]

    STEP: ClassVar[Step]
    INTRO: ClassVar[str] = ""
    PRICE: ClassVar[str | None] = None
    """The price line's classes on a step whose answers change the price (None: no price line)."""

    AUTO_FOCUS = "#body Input, #body RadioSet, #body Switch"

    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape", "back", "Back"),
        Binding("enter", "next", "Next", show=False),
        # Enter picks inside a list, so Next also has a key that works from anywhere on the step.
        Binding("ctrl+n", "next", "Next", priority=True),
    ]

    class NextRequested(Message):
        """The step's answers are valid and the user wants the next step."""

        def __init__(self, step: Step) -> None:
            super().__init__()
            self.step = step

    class BackRequested(Message):
        """The user wants the previous step (answers are kept)."""

        def __init__(self, step: Step) -> None:
            super().__init__()
            self.step = step

    class AnswerChanged(Message):
        """An answer changed (the app autosaves the draft)."""

        def __init__(self, step: Step, path: str) -> None:
            super().__init__()
            self.step = step
            self.path = path

    def __init__(self, state: WizardState, target: str) -> None:
        super().__init__(name=self.STEP.value, classes="step-screen")
        self.state = state
        self.target = target
        self.ready = False
        self._others_shown = ""
        """True once the fields are composed and mounted (updates before that are not shown yet)."""

    # --- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TopBar(self.STEP.label, self.target)
        yield Stepper(STEPPER_ENTRIES, id="stepper")
        with VerticalScroll(id="body"):
            if self.INTRO:
                yield Static(self.INTRO, classes="intro")
            yield from self.compose_fields()
            yield Static("", id="step-problems", markup=False)
        if self.PRICE is not None:
            yield PriceLine(classes=self.PRICE)
        with Horizontal(id="nav"):
            yield Button("← Back (Esc)", id="back", compact=True)
            yield Button("Next → (Enter)", id="next", variant="primary", compact=True)
        yield Static(TOO_SMALL, id="too-small")
        yield Footer()

    def compose_fields(self) -> ComposeResult:
        """The step's own fields (subclasses)."""
        yield from ()

    def show_catalog_pending(self, field: ListField, what: str) -> bool:
        """Show in `field` that the live catalog is still loading or failed (with Retry and a typed ID).

        True when it did, so the caller shows no choices; False once the catalog can be offered (loaded,
        or never asked for because there is no connection: then the offline catalog is offered).
        """
        catalog = self.state.lists.catalog
        if catalog.error is not None:
            field.show_error(catalog.error)
            field.show_answer(self.state.get(field.path))  # a resumed answer shows in the typed-ID box
        elif catalog.loading and catalog.items is None:
            field.show_loading(f"Loading {what}…")
        else:
            return False
        field.show_note("")
        return True

    def on_mount(self) -> None:
        try:
            self.lists_changed()
            self.refresh_from_state()
            self.refresh_problems()
        except NoMatches:
            # The app is closing while this step is still being built (Ctrl+Q right after Next).
            return
        self.ready = True

    def on_screen_resume(self) -> None:
        self.state.visit(self.STEP)
        self.refresh_from_state()
        self.refresh_problems()

    def scroll_to_center(self, widget: Widget, *args: Any, **kwargs: Any) -> None:
        """Focus moved to a field: bring its whole row (label included) into view rather than centring the
        input, which hid the label on small terminals."""
        row = self._row_of(widget)
        if row is None:
            super().scroll_to_center(widget, *args, **kwargs)
            return
        self.query_one("#body", VerticalScroll).scroll_to_widget(row, animate=False, top=False)

    @staticmethod
    def _row_of(widget: Widget | None) -> Widget | None:
        """The field row a widget belongs to, if any."""
        node = widget
        while node is not None and not isinstance(node, FieldRow | SwitchRow):
            node = node.parent  # type: ignore[assignment]
        return node

    # --- attributes down -----------------------------------------------------------------------

    def refresh_from_state(self) -> None:
        """Show the state's answers in the controls (subclasses)."""

    def lists_changed(self) -> None:
        """Live lists or the catalog changed: rebuild the choices (subclasses)."""

    def refresh_problems(self) -> None:
        """Show each field's problem (when it should be shown), the other problems, and the stepper."""
        state = self.state
        shown_on_rows: set[str] = set()
        for row in self.query(FieldRow):
            issue = state.issue_for(row.path)
            visible = issue is not None and state.shows_issue(row.path, self.STEP)
            row.show_problem(issue.message if visible and issue else None)
            shown_on_rows.add(row.path)
        others = [
            issue.message
            for issue in state.issues_of(self.STEP)
            if issue.field not in shown_on_rows and self.STEP in state.attempted
        ]
        text = "\n".join(f"✗ {message}" for message in others)
        if text != self._others_shown:
            # Only on change: every update costs a layout pass, and this runs on every key.
            self._others_shown = text
            problems = self.query_one("#step-problems", Static)
            problems.update(text)
            problems.display = bool(others)
        self.refresh_stepper()

    def refresh_stepper(self) -> None:
        """Mark every step done / invalid / not visited."""
        statuses = {step.value: self.state.step_status(step) for step in Step}
        if self.STEP not in self.state.attempted and statuses[self.STEP.value] == "invalid":
            # Arriving at a step with blanks is not a mistake; trying to leave it is.
            statuses[self.STEP.value] = "todo"
        statuses["review"] = "todo"
        self.query_one(Stepper).show(statuses, self.STEP.value)

    # --- changes -------------------------------------------------------------------------------

    def answer(self, path: str, value: Any) -> None:
        """A control's value changed: judge it now, in this frame, and tell the app."""
        if self.state.set(path, value):
            self.answer_changed(path)
            self.refresh_problems()
            self.post_message(self.AnswerChanged(self.STEP, path))
        elif path in self.state.touched:
            self.refresh_problems()

    def answer_changed(self, path: str) -> None:
        """Update what depends on an answer on this screen (subclasses)."""

    # --- navigation ----------------------------------------------------------------------------

    def first_invalid_row(self) -> Widget | None:
        """The first row (in screen order) showing a problem."""
        for row in self.query(FieldRow):
            if row.problem is not None:
                return row
        return None

    def action_next(self) -> None:
        """Go on if the step is valid; otherwise show every problem and focus the first invalid field."""
        self.state.attempt(self.STEP)
        self.refresh_problems()
        issues = self.state.issues_of(self.STEP)
        if not issues:
            self.post_message(self.NextRequested(self.STEP))
            return
        row = self.first_invalid_row()
        if isinstance(row, FieldRow):
            row.focus_control()
            row.scroll_visible()
        count = len(issues)
        self.notify(
            f"{count} problem{'s' if count != 1 else ''} to fix on this step first.",
            title="Not yet",
            severity="warning",
        )

    def action_back(self) -> None:
        """Go to the previous step, keeping every answer."""
        self.post_message(self.BackRequested(self.STEP))

    def focus_field(self, path: str) -> bool:
        """Focus the row of a field (e.g. after the API complained about it); False when not on this step."""
        for row in self.query(FieldRow):
            if row.path == path or path.startswith(row.path + "."):
                row.focus_control()
                row.scroll_visible()
                return True
        for switch_row in self.query(SwitchRow):
            if switch_row.path == path:
                switch_row.switch.focus()
                return True
        return False

    def show_field_problem(self, path: str, message: str) -> None:
        """Show a problem reported from outside the model (the API) under its field."""
        for row in self.query(FieldRow):
            if row.path == path:
                row.show_problem(message)
                return
        self._others_shown = f"✗ {message}"
        problems = self.query_one("#step-problems", Static)
        problems.update(self._others_shown)
        problems.display = True

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        # Keep the whole field (its label too, not only the focused input) in view as Tab moves on; after the
        # refresh, since focusing scrolls the input itself into view.
        row = self._row_of(event.widget)
        if row is not None:
            body = self.query_one("#body", VerticalScroll)
            self.call_after_refresh(body.scroll_to_widget, row, animate=False, top=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "next":
            event.stop()
            self.action_next()
        elif event.button.id == "back":
            event.stop()
            self.action_back()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_next()
