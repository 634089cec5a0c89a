"""FilteredList: type to filter, pick with the keyboard or mouse, multi-select, disabled rows, loading and
error states — each driven in a tiny host app."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.widgets import Button, Input, Static

from screens.widgets.filtered_list import Choice, ChoiceRows, FilteredList, filter_choices


def vpc(n: int, reason: str | None = None) -> Choice:
    name = f"vpc-{n:05d}"
    return Choice(f"id-{n}", f"{name}  10.{n % 256}.0.0/16", f"{name} 10.{n % 256}.0.0/16 id-{n}", reason)


class Host(App[None]):
    def __init__(self, *, multi: bool = False) -> None:
        super().__init__()
        self.multi = multi
        self.changes: list[tuple[str, ...]] = []
        self.retries = 0

    def compose(self) -> ComposeResult:
        yield FilteredList(multi=self.multi, id="list")

    def on_filtered_list_changed(self, event: FilteredList.Changed) -> None:
        self.changes.append(event.selected)

    def on_filtered_list_retry_requested(self, event: FilteredList.RetryRequested) -> None:
        self.retries += 1


def status_of(app: App[None]) -> str:
    return str(app.query_one("#status", Static).render())


async def type_filter(pilot: object, app: App[None], text: str) -> None:
    app.query_one("#filter", Input).value = text
    await pilot.pause()  # type: ignore[attr-defined]


def test_filter_keeps_choices_holding_every_word_in_order() -> None:
    choices = [vpc(1), vpc(12), vpc(123), vpc(200)]
    assert [c.id for c in filter_choices(choices, "0012")] == ["id-12", "id-123"]
    assert [c.id for c in filter_choices(choices, "  ")] == ["id-1", "id-12", "id-123", "id-200"]
    assert [c.id for c in filter_choices(choices, "VPC 10.200")] == ["id-200"]
    assert filter_choices(choices, "nothing-like-this") == []


@given(st.lists(st.text(alphabet="ab c", max_size=6), max_size=30), st.text(alphabet="ab c", max_size=4))
def test_filter_matches_a_plain_scan(searches: list[str], query: str) -> None:
    choices = [Choice(str(i), s, s) for i, s in enumerate(searches)]
    expected = [c for c in choices if all(t in c.search for t in query.lower().split())]
    assert filter_choices(choices, query) == expected


async def test_typing_narrows_the_list_and_deleting_widens_it_again() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        fl = app.query_one(FilteredList)
        fl.set_choices([vpc(n) for n in range(2000)])
        await pilot.pause()
        assert "2,000 entries" in status_of(app)
        await pilot.press("i", "d", "-", "1", "9", "9")
        assert [c.id for c in fl.shown] == ["id-199", *(f"id-{n}" for n in range(1990, 2000))]
        await type_filter(pilot, app, "vpc-0019")
        assert len(fl.shown) == 10
        assert "10 of 2,000" in status_of(app)
        await type_filter(pilot, app, "vpc-001")
        assert len(fl.shown) == 100
        await type_filter(pilot, app, "zzz")
        assert fl.shown == []
        assert "No match for 'zzz'" in app.query_one(ChoiceRows).render_line(0).text


async def test_enter_in_the_filter_picks_the_highlighted_choice() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        fl = app.query_one(FilteredList)
        fl.set_choices([vpc(n) for n in range(50)])
        await type_filter(pilot, app, "vpc-0004")
        await pilot.press("down", "enter")
        assert fl.selected == ("id-41",)
        await pilot.pause()
        assert app.changes == [("id-41",)]
        assert "chosen: vpc-00041" in status_of(app)
        # Picking another replaces the choice in single mode.
        await pilot.press("up", "enter")
        assert fl.selected == ("id-40",)
        rows = app.query_one(ChoiceRows)
        assert rows.render_line(0).text.startswith("> (*) vpc-00040")
        assert rows.render_line(1).text.startswith("  ( ) vpc-00041")


async def test_multi_select_toggles_and_keeps_the_order_chosen() -> None:
    app = Host(multi=True)
    async with app.run_test(size=(80, 24)) as pilot:
        fl = app.query_one(FilteredList)
        fl.set_choices([vpc(n) for n in range(5)])
        await pilot.pause()
        await pilot.press("down", "down", "enter", "up", "up", "enter", "down", "enter")
        assert fl.selected == ("id-2", "id-0", "id-1")
        await pilot.press("down", "enter")
        assert fl.selected == ("id-0", "id-1")
        await pilot.pause()
        assert app.changes[-1] == ("id-0", "id-1")
        assert "2 chosen" in status_of(app)
        # Space toggles too when the rows have focus (in the filter it types a space).
        app.query_one(ChoiceRows).focus()
        await pilot.press("space")
        assert fl.selected == ("id-0", "id-1", "id-2")


async def test_a_disabled_choice_shows_its_reason_and_cannot_be_picked() -> None:
    app = Host(multi=True)
    async with app.run_test(size=(80, 24)) as pilot:
        fl = app.query_one(FilteredList)
        fl.set_choices([vpc(0, "sold out"), vpc(1)])
        await pilot.pause()
        assert "[-] vpc-00000" in app.query_one(ChoiceRows).render_line(0).text
        assert "unavailable: sold out" in app.query_one(ChoiceRows).render_line(0).text
        await pilot.press("enter")
        assert fl.selected == ()
        assert app.changes == []
        assert "Cannot pick it: sold out" in status_of(app)


async def test_clicking_a_row_picks_it() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        fl = app.query_one(FilteredList)
        fl.set_choices([vpc(n) for n in range(5)])
        await pilot.pause()
        await pilot.click(ChoiceRows, offset=(10, 3))
        assert fl.selected == ("id-3",)


async def test_typing_while_the_rows_have_the_focus_filters_and_space_still_picks() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        fl = app.query_one(FilteredList)
        fl.set_choices([vpc(n) for n in range(200)])
        await pilot.pause()
        app.query_one(ChoiceRows).focus()
        await pilot.press("space")
        assert fl.selected == ("id-0",)
        await pilot.press(*"vpc-00012")
        await pilot.pause()
        assert app.focused is app.query_one("#filter", Input)
        assert app.query_one("#filter", Input).value == "vpc-00012"
        assert [c.id for c in fl.shown][:1] == ["id-12"]


async def test_select_restores_a_choice_without_posting_changed() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        fl = app.query_one(FilteredList)
        fl.select(["id-700"])
        fl.set_choices([vpc(n) for n in range(1000)])
        await pilot.pause()
        assert fl.selected == ("id-700",)
        assert app.changes == []
        # The cursor lands on the chosen row, scrolled into view.
        assert fl.highlighted == vpc(700)
        assert any("(*) vpc-00700" in app.query_one(ChoiceRows).render_line(y).text for y in range(8))


async def test_loading_then_error_then_retry() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        fl = app.query_one(FilteredList)
        fl.set_loading("Loading VPCs…")
        await pilot.pause()
        assert status_of(app) == "Loading VPCs…"
        assert not app.query_one(ChoiceRows).display
        await pilot.press("enter")  # nothing to pick while loading
        assert fl.selected == ()
        fl.set_error("timed out after 10 s")
        await pilot.pause()
        assert "Could not load the list: timed out after 10 s" in str(app.query_one("#problem-text", Static).render())
        await pilot.click("#retry")
        await pilot.pause()
        assert app.retries == 1
        assert status_of(app) == "Loading…"
        fl.set_choices([vpc(1)])
        await pilot.pause()
        assert app.query_one(ChoiceRows).display
        assert "1 entry ·" in status_of(app)


async def test_enter_on_the_retry_button_retries_rather_than_picks() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        fl = app.query_one(FilteredList)
        fl.set_error("HTTP 503")
        await pilot.pause()
        app.query_one("#retry", Button).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.retries == 1


async def test_fifty_thousand_choices_filter_and_render_only_visible_rows() -> None:
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        fl = app.query_one(FilteredList)
        fl.set_choices([vpc(n) for n in range(50_000)])
        await pilot.pause()
        await type_filter(pilot, app, "vpc-4999")
        assert [c.id for c in fl.shown] == [f"id-{n}" for n in range(49_990, 50_000)]
        await pilot.press("end")  # in the filter: moves the text cursor, not the list
        await pilot.press("pagedown")
        assert fl.highlighted is not None
        assert fl.highlighted.id == f"id-{49_990 + min(fl.query_one(ChoiceRows).size.height - 1, 9)}"


async def test_states_set_before_mounting_are_shown_once_mounted() -> None:
    failed = FilteredList(id="failed")
    failed.set_error("HTTP 503")
    loading = FilteredList(id="loading")
    loading.set_loading("Loading EIPs…")
    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.mount(failed, loading)
        await pilot.pause()
        assert "Could not load the list: HTTP 503" in str(failed.query_one("#problem-text", Static).render())
        assert str(loading.query_one("#status", Static).render()) == "Loading EIPs…"
