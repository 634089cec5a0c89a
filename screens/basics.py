"""Step 1, Basics: the instance's name, a description, and the enterprise project when the account has any."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.widgets import Static

from screens.step import StepScreen
from screens.widgets.field import FieldInput, FieldRow, ListField
from screens.widgets.filtered_list import Choice
from wizard.fields import NAME_MAX, Step


class BasicsStep(StepScreen):
    """Name, description and enterprise project."""

    STEP: ClassVar[Step] = Step.BASICS
    INTRO = "Name the instance. The name must be unique in the project."

    def compose_fields(self) -> ComposeResult:
        yield FieldRow(
            "name",
            FieldInput("name", self.answer, placeholder=f"e.g. orders-mq (4-{NAME_MAX} characters)", id="name"),
        )
        yield FieldRow(
            "description",
            FieldInput("description", self.answer, placeholder="optional", id="description"),
        )
        yield ListField("enterprise_project_id", self.answer, manual_placeholder="or type the enterprise project ID")
        yield Static("", id="eps-note", classes="note", markup=False)

    def refresh_from_state(self) -> None:
        self.query_one("#name", FieldInput).show_answer(self.state.get("name"))
        self.query_one("#description", FieldInput).show_answer(self.state.get("description"))
        self.query_one(ListField).show_answer(self.state.get("enterprise_project_id"))

    def lists_changed(self) -> None:
        projects = self.state.lists.enterprise_projects
        field = self.query_one(ListField)
        note = self.query_one("#eps-note", Static)
        if projects.error is not None:
            field.display = True
            field.show_error(projects.error)
            note.display = False
        elif projects.items is None:
            field.display = True
            field.show_loading("Loading enterprise projects…")
            note.display = False
        elif not projects.items:
            # Accounts without enterprise projects have nothing to choose here.
            field.display = bool(self.state.get("enterprise_project_id"))
            note.update("This account uses no enterprise projects: nothing to choose.")
            note.display = True
        else:
            field.display = True
            note.display = False
            field.show_choices(
                [Choice(p.id, f"{p.name:<32} {p.id}", f"{p.name} {p.id}".lower()) for p in projects.items]
            )
        field.show_answer(self.state.get("enterprise_project_id"))
