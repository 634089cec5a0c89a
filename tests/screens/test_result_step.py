"""ResultStep: the ID shown large and copyable, the status followed live to RUNNING or a failure, and a
clear word when following stops."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import Static

from screens.result import ResultStep, elapsed_text
from wizard.resources import CreateOutcome, Instance, StatusChange

APP_CSS = Path(__file__).resolve().parents[2] / "screens" / "app.tcss"
INSTANCE_ID = "8d5b4c1e-2f3a-4b6c-9d7e-0a1b2c3d4e5f"


def change(status: str, elapsed: float) -> StatusChange:
    return StatusChange(Instance(INSTANCE_ID, "orders-mq", status), elapsed)


class Host(App[None]):
    CSS_PATH = APP_CSS

    def __init__(self, recovered: bool = False) -> None:
        super().__init__()
        self.outcome = CreateOutcome(INSTANCE_ID, "orders-mq", recovered=recovered)
        self.done = 0
        self.copied: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(ResultStep(self.outcome, target="SANDBOX"))

    def copy_to_clipboard(self, text: str) -> None:
        self.copied.append(text)

    def on_result_step_done(self, event: ResultStep.Done) -> None:
        self.done += 1

    @property
    def result(self) -> ResultStep:
        return next(s for s in self.screen_stack if isinstance(s, ResultStep))


def text(screen: ResultStep, selector: str) -> str:
    content = screen.query_one(selector, Static).content
    assert isinstance(content, str)
    return content


def test_elapsed_reads_as_minutes_and_seconds() -> None:
    assert [elapsed_text(s) for s in (0, 9.9, 61, 3599, 3661)] == ["0:00", "0:09", "1:01", "59:59", "1:01:01"]


async def test_the_id_is_shown_and_copied() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        result = app.result
        assert text(result, "#instance-id") == INSTANCE_ID
        assert "printed in the terminal when you quit" in text(result, "#id-hint")
        await pilot.press("c")
        assert app.copied == [INSTANCE_ID]
        await pilot.click("#copy")
        assert app.copied == [INSTANCE_ID, INSTANCE_ID]


async def test_status_is_followed_from_creating_to_running() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        result = app.result
        result.status_changed(change("CREATING", 0.4))
        assert text(result, "#status-line").startswith("Status: … CREATING, 0:00 so far")
        result.status_changed(change("RUNNING", 151.2))
        assert text(result, "#status-line") == "Status: ✓ RUNNING after 2:31: the instance is ready."
        assert text(result, "#status-history") == "Seen: … CREATING at 0:00  →  ✓ RUNNING at 2:31"
        assert result.finished
        assert result.query_one("#status-line").has_class("-running")


async def test_a_failed_status_says_what_to_do() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        result = app.result
        result.status_changed(change("CREATING", 1))
        result.status_changed(change("CREATEFAILED", 42))
        assert text(result, "#status-line") == "Status: ✗ CREATEFAILED after 0:42."
        assert "console" in text(result, "#status-advice")
        assert result.query_one("#status-advice").has_class("-error")


async def test_when_following_stops_it_says_how_to_check_later() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        result = app.result
        result.status_changed(change("CREATING", 5))
        result.follow_failed("network unreachable")
        assert "? Status unknown" in text(result, "#status-line")
        assert "network unreachable" in text(result, "#status-line")
        assert f"rocketmq-wizard status {INSTANCE_ID} --wait" in text(result, "#status-advice")


async def test_a_recovered_create_is_explained() -> None:
    app = Host(recovered=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "found afterwards by its exact name" in text(app.result, "#recovered")


async def test_quit_posts_done() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.click("#quit")
        await pilot.pause()
        assert app.done == 2
