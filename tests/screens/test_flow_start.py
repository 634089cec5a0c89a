"""Starting the wizard: no credentials (explained, sandbox offered), profiles, help, the palette, a terminal
too small, and the instance ID printed on exit."""

from __future__ import annotations

import argparse
import threading
import time
from typing import Any

import pytest
from textual.widgets import Button, Footer

from screens.app import WizardApp
from screens.dialogs import HelpDialog
from screens.profile_name import ProfileNameDialog
from tests.screens.flow_support import (
    fill_basics,
    fill_network,
    go_next,
    make_app,
    sandbox_settings,
    start_new,
    step_screen,
    wait_for,
    walk_to_review,
)
from wizard.commands import tui
from wizard.fields import field_spec
from wizard.sandbox import RunningSandbox

pytestmark = pytest.mark.timeout(60)

NO_CREDENTIALS = (
    "No credentials found: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or put ak and sk under [basic] in "
    "~/.huaweicloud/credentials, or run with --sandbox."
)


async def test_without_credentials_the_start_screen_explains_and_offers_the_sandbox(sandbox: RunningSandbox) -> None:
    app = WizardApp(
        None,
        credentials_problem=NO_CREDENTIALS,
        connect_sandbox=lambda: sandbox_settings(sandbox),
        autosave_delay=0.05,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.screen.name == "start")
        await pilot.pause()
        screen = app.screen
        assert "HUAWEICLOUD_SDK_AK" in str(screen.query_one("#credentials-problem").render())
        assert "under [basic] in" in str(screen.query_one("#credentials-problem").render())  # not read as markup
        assert "NOT CONNECTED" in str(screen.query_one("#target").render())
        assert screen.query_one("#new").disabled
        assert screen.focused is screen.query_one("#use-sandbox")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.settings is not None and not screen.query_one("#new").disabled)
        await pilot.pause()
        assert "SANDBOX" in str(screen.query_one("#target").render())
        assert "Credentials: sandbox (built in)" in str(screen.query_one("#where").render())
        await start_new(pilot)
        assert app.state.lists.vpcs.items


async def test_sandbox_flag_starts_the_server_after_the_first_frame(sandbox: RunningSandbox) -> None:
    started: list[float] = []
    up = threading.Event()

    def connect() -> Any:
        started.append(1)
        up.wait(10)  # as a real server start takes a moment: here, until the test has seen "starting"
        return sandbox_settings(sandbox)

    app = WizardApp(None, connect_sandbox=connect, sandbox_at_start=True, autosave_delay=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.name == "start")
        screen = app.screen
        assert "SANDBOX (starting" in str(screen.query_one("#target").render())
        # New pressed while the sandbox starts goes on once it is up.
        await pilot.press("n")
        await pilot.pause()
        assert app.settings is None
        up.set()
        await wait_for(pilot, lambda: app.settings is not None)
        assert started == [1]
        assert "SANDBOX http://127.0.0.1:" in str(screen.query_one("#target").render())
        await wait_for(pilot, lambda: app.screen.name == "basics" and step_screen(app).ready)


async def test_a_sandbox_that_fails_to_start_is_said_with_a_retry() -> None:
    def broken() -> Any:
        raise OSError("no free port")

    app = WizardApp(None, connect_sandbox=broken, sandbox_at_start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.name == "start" and bool(app.screen.query("#no-credentials")))
        await pilot.pause()
        assert "no free port" in str(app.screen.query_one("#credentials-problem").render())
        assert app.screen.query_one("#new").disabled
        retry = app.screen.query_one("#use-sandbox", Button)
        assert str(retry.label) == "Try the sandbox again"
        assert app.screen.focused is retry


async def test_a_saved_profile_starts_a_new_instance_prefilled_without_the_name(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_new(pilot)
        await fill_basics(pilot, "orders-profiled")
        await go_next(pilot, "network")
        await fill_network(pilot, zones=3)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileNameDialog))
        app.screen.query_one("#profile-name").value = "team-default"  # type: ignore[attr-defined]
        assert app.screen.query_one("#include-name").value is False  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.name == "network")
        zones = app.state.zones
        await pilot.press("ctrl+q")
    again = make_app(sandbox)
    async with again.run_test(size=(120, 40)) as pilot:
        profiles = again.screen.query_one("#profiles")
        await wait_for(pilot, lambda: profiles.get_option_at_index(0).id == "team-default")  # type: ignore[attr-defined]
        profiles.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: again.screen.name == "basics")
        assert again.state.get("name") is None
        assert again.state.zones == zones


async def test_f1_shows_the_focused_fields_help_from_the_model(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_new(pilot)
        step_screen(app).query_one("#name").focus()
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpDialog))
        dialog = app.screen
        assert isinstance(dialog, HelpDialog)
        assert dialog.help_text == field_spec("name").help
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.name == "basics" and step_screen(app).ready)


async def test_the_command_palette_offers_the_main_actions(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_new(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for wanted in ("Next step", "Previous step", "Go to Network", "Go to Review", "Save profile", "Help", "Quit"):
            assert wanted in titles
        jump = next(c for c in app.get_system_commands(app.screen) if c.title == "Go to Storage")
        app.call_later(jump.callback)  # as the palette runs it: inside the app
        await wait_for(pilot, lambda: app.screen.name == "storage" and step_screen(app).ready)


async def test_a_terminal_smaller_than_80x24_gets_a_notice(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(70, 20)) as pilot:
        await wait_for(pilot, lambda: app.screen.name == "start")
        await pilot.pause()
        assert app.has_class("-too-small")
        assert app.screen.query_one("#too-small").display
        assert not app.screen.query_one("#body").display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not app.has_class("-too-small")


def test_run_wizard_prints_the_instance_id_on_exit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[dict[str, Any]] = []

    class FakeScreensApp:
        @staticmethod
        def run_app(settings: Any, **kwargs: Any) -> tuple[str, None]:
            calls.append({"settings": settings, **kwargs})
            return "0f1e2d3c-instance", None

    monkeypatch.setattr("screens.app.run_app", FakeScreensApp.run_app)
    args = argparse.Namespace(region=None, sandbox=False, endpoint=None)
    assert tui.run_wizard(args) == 0
    assert capsys.readouterr().out == "instance_id: 0f1e2d3c-instance\n"
    # No region or credentials in the isolated environment: the start screen explains what to set.
    assert calls[0]["settings"] is None
    assert calls[0]["credentials_problem"]


def test_run_wizard_says_where_a_kept_draft_is_when_quitting_without_creating(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class FakeScreensApp:
        @staticmethod
        def run_app(settings: Any, **kwargs: Any) -> tuple[None, str]:
            return None, "orders-draft · flavor"

    monkeypatch.setattr("screens.app.run_app", FakeScreensApp.run_app)
    assert tui.run_wizard(argparse.Namespace(region=None, sandbox=False, endpoint=None)) == 0
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err == "Draft kept: orders-draft · flavor. Run rocketmq-wizard again to resume it.\n"


def test_the_draft_and_profile_stores_are_made_once_when_two_threads_ask_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The start screen's loader thread and the UI thread (New, Resume) both ask for the stores.
    import wizard.storage as storage

    made: list[object] = []

    class SlowStore:
        def __init__(self) -> None:
            time.sleep(0.05)  # opening the folders, as the real stores do, widens the window
            made.append(self)

    monkeypatch.setattr(storage, "DraftStore", SlowStore)
    monkeypatch.setattr(storage, "ProfileStore", SlowStore)
    app = WizardApp(None)
    results: list[tuple[Any, Any]] = []
    threads = [threading.Thread(target=lambda: results.append(app._stores())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 2
    assert len(set(results)) == 1


async def test_the_start_screen_completes_and_the_sandbox_starts_even_if_textual_drops_its_callback(
    sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual runs an after-refresh callback on the top screen and drops it when that is a dialog closed
    # before it refreshes (F1 then Esc during the first frame). Dropped here outright.
    from screens.start import StartScreen

    monkeypatch.setattr(StartScreen, "call_after_refresh", lambda self, *args, **kwargs: False)
    app = WizardApp(None, connect_sandbox=lambda: sandbox_settings(sandbox), sandbox_at_start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(app.screen.query("#drafts")) and bool(app.screen.query(Footer)))
        await wait_for(pilot, lambda: app.settings is not None)
        assert not app.screen.query_one("#new", Button).disabled


async def test_quitting_while_the_start_screen_completes_ends_cleanly(monkeypatch: pytest.MonkeyPatch) -> None:
    from textual.widgets import Footer

    def quit_now(self: Footer) -> None:
        self.app.exit()  # Ctrl+Q pressed just as the start screen's second frame is being built

    monkeypatch.setattr(Footer, "_on_mount", quit_now, raising=False)
    app = WizardApp(None, connect_sandbox=lambda: None, sandbox_at_start=True)  # type: ignore[arg-type, return-value]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
    assert app.return_code == 0


async def test_the_palette_offers_each_screens_main_action_and_runs_it(sandbox: RunningSandbox) -> None:
    from textual.command import CommandPalette

    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.name == "start")
        assert "New instance" in [c.title for c in app.get_system_commands(app.screen)]
        await walk_to_review(pilot, "orders-palette")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Submit", "Copy request body"} <= set(titles)
        # Typed into the real palette: Submit opens the confirmation, whose default is No.
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"submit")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: bool(app.screen.query("#yes")))
        assert app.screen.focused is app.screen.query_one("#no")
        await pilot.click("#yes")
        await wait_for(pilot, lambda: app.current == "result")
        await pilot.pause()
        assert "Copy instance ID" in [c.title for c in app.get_system_commands(app.screen)]
