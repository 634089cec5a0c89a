"""ConfirmDialog defaults to No (Enter and Esc both refuse); HelpDialog shows a field's help and closes."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Button, Static

from screens.dialogs import ConfirmDialog, HelpDialog
from wizard.fields import field_spec


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.answers: list[bool | None] = []

    def ask(self) -> None:
        self.push_screen(ConfirmDialog("Create the instance?", "It will be billed."), self.answers.append)


async def test_enter_on_the_default_answers_no() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        app.ask()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.focused is not None and app.focused.id == "no"
        await pilot.press("enter")
        assert app.answers == [False]
        assert not isinstance(app.screen, ConfirmDialog)


async def test_escape_answers_no() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        app.ask()
        await pilot.pause()
        await pilot.press("escape")
        assert app.answers == [False]


async def test_only_an_explicit_yes_confirms() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        app.ask()
        await pilot.pause()
        assert str(app.screen.query_one("#yes", Button).label) == "Yes, create"
        await pilot.press("right", "enter")
        assert app.answers == [True]


async def test_help_dialog_shows_the_fields_help_and_closes_on_escape() -> None:
    spec = field_spec("available_zones")
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(HelpDialog(spec.label, spec.help))
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog)
        assert "never 2" in str(app.screen.query_one("#dialog-body", Static).render())
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpDialog)
