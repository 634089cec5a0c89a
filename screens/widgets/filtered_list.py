"""A type-to-filter list that stays responsive with tens of thousands of choices.

Textual's Select cannot filter, and Select, DataTable or an OptionList holding every entry take seconds
to build at 20,000-50,000 entries. This list filters in Python and renders only the rows on screen
(a ScrollView using the Line API), so a key press costs a scan of plain strings and a repaint of the
visible rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.geometry import Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from screens.words import counted


@dataclass(frozen=True)
class Choice:
    """One entry of a FilteredList: `id` is what gets picked, `label` one pre-formatted line, `search` the
    lower-cased text the filter matches, `disabled_reason` why it cannot be picked (None when it can)."""

    id: str
    label: str
    search: str
    disabled_reason: str | None = None

    @property
    def disabled(self) -> bool:
        """True when the choice is shown but cannot be picked."""
        return self.disabled_reason is not None


def filter_choices(choices: Sequence[Choice], query: str) -> list[Choice]:
    """The choices whose search text holds every whitespace-separated word of `query` (case-insensitive)."""
    terms = query.lower().split()
    if not terms:
        return list(choices)
    if len(terms) == 1:
        term = terms[0]
        return [choice for choice in choices if term in choice.search]
    return [choice for choice in choices if all(term in choice.search for term in terms)]


class ChoiceRows(ScrollView, can_focus=True):
    """The visible window onto the filtered choices; draws one line per row on demand."""

    COMPONENT_CLASSES = {
        "choice-rows--cursor",
        "choice-rows--selected",
        "choice-rows--disabled",
        "choice-rows--reason",
    }

    BINDINGS = [
        Binding("space", "pick", "Toggle", show=False),
        Binding("home", "first", "First row", show=False),
        Binding("end", "last", "Last row", show=False),
    ]

    cursor: var[int] = var(0)

    def __init__(self, owner: FilteredList) -> None:
        super().__init__()
        self._owner = owner
        self.rows: list[Choice] = []
        self.chosen: frozenset[str] = frozenset()
        self.empty_text = ""

    def show(self, rows: list[Choice], chosen: frozenset[str], cursor: int) -> None:
        """Display `rows` with the `chosen` ids marked and the cursor on row `cursor`."""
        self.rows = rows
        self.chosen = chosen
        self.virtual_size = Size(0, len(rows))
        self.set_reactive(ChoiceRows.cursor, min(max(cursor, 0), max(len(rows) - 1, 0)))
        self.scroll_to(y=0, animate=False, immediate=True)
        self.scroll_to_cursor()
        # Before the first layout the height is unknown: scroll once it is.
        self.call_after_refresh(self.scroll_to_cursor)
        self.refresh()

    def mark(self, chosen: frozenset[str]) -> None:
        """Re-mark which ids are chosen."""
        self.chosen = chosen
        self.refresh()

    def watch_cursor(self, old: int, new: int) -> None:
        self.scroll_to_cursor()
        self.refresh()

    def scroll_to_cursor(self) -> None:
        """Scroll just enough for the cursor row to be visible."""
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = round(self.scroll_y) + y
        if not self.rows:
            if y == 0 and self.empty_text:
                return Strip([Segment(self.empty_text, base)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        return self._row_strip(self.rows[index], index == self.cursor, width, base)

    def _row_strip(self, choice: Choice, at_cursor: bool, width: int, base: Style) -> Strip:
        chosen = choice.id in self.chosen
        if self._owner.multi:
            mark = "[x]" if chosen else ("[-]" if choice.disabled else "[ ]")
        else:
            mark = "(*)" if chosen else ("(-)" if choice.disabled else "( )")
        # The pointer, not only the highlight colour, shows the cursor (readable with NO_COLOR).
        head = f"{'>' if at_cursor else ' '} {mark} "
        style = base
        if choice.disabled:
            # Whole, not partial: its colour is the foreground faded over the background, which only the
            # whole style works out (a partial one lost the fade and drew white on a light theme).
            style += self.get_component_rich_style("choice-rows--disabled")
        if chosen:
            style += self.get_component_rich_style("choice-rows--selected", partial=True)
        if at_cursor:
            style += self.get_component_rich_style("choice-rows--cursor", partial=True)
        segments = [Segment(head, style), Segment(choice.label, style)]
        if choice.disabled_reason is not None:
            reason_style = style + self.get_component_rich_style("choice-rows--reason", partial=True)
            segments.append(Segment(f"  - unavailable: {choice.disabled_reason}", reason_style))
        strip = Strip(segments)
        if strip.cell_length > width > 1:
            text = "".join(segment.text for segment in segments)
            cut = set_cell_size(text, width - 1) + "…"
            # Keep the head's styling simple when cutting: one style for the whole line.
            return Strip([Segment(cut, style)], cell_len(cut))
        return strip.adjust_cell_length(width, style if at_cursor else base)

    def action_pick(self) -> None:
        self._owner.pick_at_cursor()

    def on_key(self, event: events.Key) -> None:
        # Typing while the rows have the focus filters, as in the input above (Space still picks).
        if event.character and event.is_printable and event.character != " ":
            event.stop()
            event.prevent_default()
            self._owner.type_into_filter(event.character)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(len(self.rows) - 1, 0)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = round(self.scroll_y) + offset.y
        if 0 <= index < len(self.rows):
            self.cursor = index
            self._owner.pick_at_cursor()


class FilteredList(Widget, can_focus=False):
    """An Input to filter a long list of Choices, the visible rows, and a status line.

    Single mode picks one id; multi mode toggles ids (kept in the order chosen). While loading it says
    so; after a failure it shows the message and a Retry button that posts `RetryRequested`.
    """

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    BINDINGS = [
        Binding("down", "cursor(1)", "Next row", show=False),
        Binding("up", "cursor(-1)", "Previous row", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("enter", "pick", "Pick", priority=True),
        Binding("enter", "toggle_pick", "Toggle", priority=True),
    ]

    selected: var[tuple[str, ...]] = var((), init=False)
    """The chosen ids, in the order they were chosen (at most one in single mode)."""

    class Changed(Message):
        """The selection changed because the user picked or toggled a choice."""

        def __init__(self, filtered_list: FilteredList, selected: tuple[str, ...]) -> None:
            super().__init__()
            self.filtered_list = filtered_list
            self.selected = selected

        @property
        def control(self) -> FilteredList:
            return self.filtered_list

    class RetryRequested(Message):
        """The user asked to load the list again after a failure."""

        def __init__(self, filtered_list: FilteredList) -> None:
            super().__init__()
            self.filtered_list = filtered_list

        @property
        def control(self) -> FilteredList:
            return self.filtered_list

    def __init__(
        self,
        *,
        multi: bool = False,
        placeholder: str = "Type to filter",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.multi = multi
        self._placeholder = placeholder
        self._choices: tuple[Choice, ...] = ()
        self._by_id: dict[str, Choice] = {}
        self._shown: list[Choice] = []
        self._query = ""
        self._notice = ""
        self._loading_text = "Loading…"
        self._error_text = ""
        self.add_class("-multi" if multi else "-single")
        self.set_class(True, "-loading")

    def compose(self) -> ComposeResult:
        # No select-all on focus: typing from the rows moves here and goes on from the text already typed.
        yield Input(placeholder=self._placeholder, id="filter", select_on_focus=False)
        yield ChoiceRows(self)
        with Horizontal(id="problem"):
            yield Static("", id="problem-text", markup=False)
            yield Button("Retry", id="retry", compact=True)
        yield Static("Loading…", id="status", markup=False)

    @property
    def choices(self) -> tuple[Choice, ...]:
        """Every choice, filtered or not."""
        return self._choices

    @property
    def shown(self) -> Sequence[Choice]:
        """The choices the current filter lets through, in order."""
        return self._shown

    @property
    def highlighted(self) -> Choice | None:
        """The choice under the cursor, if any."""
        rows = self._rows
        if 0 <= rows.cursor < len(self._shown):
            return self._shown[rows.cursor]
        return None

    @property
    def _rows(self) -> ChoiceRows:
        return self.query_one(ChoiceRows)

    def _state(self, state: str) -> None:
        focus_was_inside = self.is_mounted and self.has_focus_within
        for name in ("-loading", "-error", "-ready"):
            self.set_class(name == state, name)
        if self.is_mounted:
            # Hidden after a failure (nothing to filter); disabled too, so focus never lands on it unseen.
            filter_input = self.query_one("#filter", Input)
            filter_input.disabled = state == "-error"
            if focus_was_inside:
                # What had the focus may be hidden now (the filter after a failure, Retry after a reload).
                (self.query_one("#retry", Button) if state == "-error" else filter_input).focus()
        self.refresh_bindings()

    def set_choices(self, choices: Sequence[Choice]) -> None:
        """Show these choices (ready state), keeping the filter text and the selection."""
        self._choices = tuple(choices)
        self._by_id = {choice.id: choice for choice in self._choices}
        self._state("-ready")
        self._shown = filter_choices(self._choices, self._query)
        self._show(self._cursor_for_selection())

    def set_loading(self, text: str | bool = "Loading…") -> None:
        """Say the choices are being fetched (Textual's own `loading` reactive passes a bool here)."""
        if text is False:
            return
        self._loading_text = "Loading…" if text is True else text
        self._state("-loading")
        if self.is_mounted:
            self.query_one("#status", Static).update(self._loading_text)

    def set_error(self, message: str) -> None:
        """Say the choices could not be loaded, with a Retry button."""
        self._state("-error")
        self._error_text = message
        if self.is_mounted:
            self._show_error()

    def _show_error(self) -> None:
        self.query_one("#problem-text", Static).update(f"Could not load the list: {self._error_text}")
        self.query_one("#status", Static).update("Press Retry to load again.")

    def select(self, ids: Iterable[str]) -> None:
        """Set the chosen ids (e.g. from a draft) without posting Changed; unknown ids are kept."""
        wanted = tuple(dict.fromkeys(ids))
        self.selected = wanted if self.multi else wanted[:1]
        if self.has_class("-ready") and self.is_mounted:
            self._show(self._cursor_for_selection())

    def watch_selected(self) -> None:
        if self.is_mounted:
            self._rows.mark(frozenset(self.selected))
            self._update_status()

    def _cursor_for_selection(self) -> int:
        if self.selected:
            first = self.selected[0]
            for index, choice in enumerate(self._shown):
                if choice.id == first:
                    return index
        return 0

    def _show(self, cursor: int) -> None:
        if not self.is_mounted:
            return
        rows = self._rows
        rows.empty_text = f"  No match for '{self._query.strip()}'" if self._choices else "  Nothing to choose from."
        rows.show(self._shown, frozenset(self.selected), cursor)
        self._update_status()

    def _update_status(self) -> None:
        if not self.has_class("-ready"):
            return
        total = len(self._choices)
        parts = [f"{len(self._shown):,} of {total:,}" if self._query.strip() else counted(total, "entry")]
        if self.multi:
            parts.append(f"{len(self.selected)} chosen")
        elif self.selected:
            chosen = self._by_id.get(self.selected[0])
            name = chosen.label.split("  ")[0] if chosen is not None else self.selected[0]
            parts.append(f"chosen: {name[:32]}")
        parts.append(self._notice or f"↑↓ move, Enter {'toggles' if self.multi else 'picks'}")
        self.query_one("#status", Static).update(" · ".join(parts))

    def on_mount(self) -> None:
        self.query_one("#filter", Input).disabled = self.has_class("-error")
        if self.has_class("-ready"):
            self._show(self._cursor_for_selection())
        elif self.has_class("-loading"):
            self.query_one("#status", Static).update(self._loading_text)
        else:
            self._show_error()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        previous, self._query = self._query, event.value
        self._notice = ""
        old_terms, new_terms = previous.lower().split(), event.value.lower().split()
        # Typing more of the same words can only narrow the matches: filter what is already shown.
        narrowing = (
            bool(old_terms)
            and len(new_terms) >= len(old_terms)
            and all(new.find(old) >= 0 for old, new in zip(old_terms, new_terms, strict=False))
        )
        self._shown = filter_choices(self._shown if narrowing else self._choices, event.value)
        self._show(0)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()

    @on(Button.Pressed, "#retry")
    def _retry(self, event: Button.Pressed) -> None:
        event.stop()
        self.set_loading()
        self.post_message(self.RetryRequested(self))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("pick", "toggle_pick"):
            return self.has_class("-ready") and (action == "toggle_pick") == self.multi
        return True

    def action_cursor(self, delta: int) -> None:
        if not self.has_class("-ready"):
            raise SkipAction()
        rows = self._rows
        rows.cursor = min(max(rows.cursor + delta, 0), max(len(self._shown) - 1, 0))
        self._clear_notice()

    def action_page(self, direction: int) -> None:
        if not self.has_class("-ready"):
            raise SkipAction()
        self.action_cursor(direction * max(self._rows.scrollable_content_region.height - 1, 1))

    def action_pick(self) -> None:
        focused = self.screen.focused
        if not self.has_class("-ready") or not isinstance(focused, Input | ChoiceRows):
            # Let a focused Retry button (or anything else) have its Enter.
            raise SkipAction()
        self.pick_at_cursor()

    def action_toggle_pick(self) -> None:
        self.action_pick()

    def type_into_filter(self, text: str) -> None:
        """Move to the filter and type `text` at its end."""
        filter_input = self.query_one("#filter", Input)
        filter_input.focus()
        filter_input.action_end()
        filter_input.insert_text_at_cursor(text)

    def pick_at_cursor(self) -> None:
        """Pick (single) or toggle (multi) the choice under the cursor, unless it is disabled."""
        choice = self.highlighted
        if choice is None:
            return
        if choice.disabled_reason is not None:
            self._notice = f"Cannot pick it: {choice.disabled_reason}"
            self._update_status()
            self.app.bell()
            return
        if self.multi:
            if choice.id in self.selected:
                chosen = tuple(i for i in self.selected if i != choice.id)
            else:
                chosen = (*self.selected, choice.id)
        else:
            chosen = (choice.id,)
        self._notice = ""
        if chosen != self.selected:
            self.selected = chosen
            self.post_message(self.Changed(self, chosen))
        else:
            self._update_status()

    def _clear_notice(self) -> None:
        if self._notice:
            self._notice = ""
            self._update_status()
