"""The row of steps at the top of every step screen: where the user is, and which steps are done or not.

Each step carries a text marker (✓ done, ✗ has problems, ▶ current, ○ not visited yet), so the meaning
survives NO_COLOR; colour only repeats it. Clicking a step jumps to it.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.content import Content
from textual.widgets import Static

MARKERS = {"done": "✓", "invalid": "✗", "todo": "○", "current": "▶"}

#: The steps the stepper shows, as (key, title); "review" follows the field steps.
StepEntry = tuple[str, str]


class Stepper(Static):
    """One line naming every step with its marker; the current one is also bold and underlined."""

    def __init__(self, steps: tuple[StepEntry, ...], *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.steps = steps
        self.statuses: dict[str, str] = {}
        self.current = ""

    def show(self, statuses: Mapping[str, str], current: str) -> None:
        """Mark each step 'done', 'invalid' or 'todo'; `current` is the step on screen."""
        if dict(statuses) == self.statuses and current == self.current:
            return
        self.statuses = dict(statuses)
        self.current = current
        parts: list[Content] = []
        for key, title in self.steps:
            text = self._entry(key, title)
            status = "current" if key == current else self.statuses.get(key, "todo")
            style = {"current": "bold underline", "invalid": "$text-error", "done": "$text-success"}.get(status, "")
            piece = Content.styled(text, style) if style else Content(text)
            parts.append(piece.stylize(f"@click=app.goto('{key}')"))
        self.update(Content(" ").join(parts), layout=False)

    def describe(self) -> str:
        """The stepper as plain text (what a screen reader or a test sees)."""
        return " ".join(self._entry(key, title) for key, title in self.steps)

    def _entry(self, key: str, title: str) -> str:
        status = self.statuses.get(key, "todo")
        if key == self.current:
            # The current step keeps its ✗ once the user has tried to leave it with problems.
            return f"{MARKERS['current']} {MARKERS['invalid']} {title}" if status == "invalid" else f"▶ {title}"
        return f"{MARKERS[status]} {title}"
