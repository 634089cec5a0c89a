"""Screenshots of the start screen and every step at 80x24 and 120x40, against the sandbox's demo tenant.

Each shot answers the earlier steps and leaves the step with a typical mix of answers and one visible
problem, so the message under a field and the stepper's markers are part of what is compared.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.screens.flow_support import (
    answer,
    fill_basics,
    fill_flavor,
    fill_network,
    fill_storage,
    go_next,
    make_app,
    start_new,
    step_screen,
    wait_for,
    walk_to,
)
from wizard.fields import Step
from wizard.sandbox import RunningSandbox

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

pytestmark = pytest.mark.timeout(90)


def saved_lists_shown(screen: Any) -> bool:
    """True once the start screen's drafts list is mounted and no longer says it is loading."""
    drafts = screen.query("#drafts")
    if not drafts or drafts.first().option_count == 0:
        return False
    return "Loading" not in str(drafts.first().get_option_at_index(0).prompt)


async def at_start(pilot: Pilot[Any]) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: saved_lists_shown(app.screen))
    await pilot.pause()


async def at_basics(pilot: Pilot[Any]) -> None:
    await start_new(pilot)
    await fill_basics(pilot, "1orders")
    await pilot.pause()


async def at_network(pilot: Pilot[Any]) -> None:
    app = await start_new(pilot)
    await fill_basics(pilot, "orders-snap")
    await go_next(pilot, "network")
    vpc = app.state.lists.vpcs.items[0]  # type: ignore[index]
    answer(app, "vpc_id", vpc.id)
    answer(app, "available_zones", [z.id for z in app.state.catalog.zones[:2]])
    # As if Next was refused (without its toast, which would time out at a random moment).
    app.state.attempt(Step.NETWORK)
    step_screen(app).refresh_problems()
    await pilot.pause()
    step_screen(app).query_one("#body").scroll_home(animate=False)  # type: ignore[attr-defined]
    await pilot.pause()


async def at_flavor(pilot: Pilot[Any]) -> None:
    app = await start_new(pilot)
    await fill_basics(pilot, "orders-snap")
    await go_next(pilot, "network")
    # All four AZs: the flavor sold out in one of them is shown disabled, with the reason.
    await fill_network(pilot, zones=1)
    answer(app, "available_zones", [z.id for z in app.state.catalog.zones])
    await go_next(pilot, "flavor")
    await fill_flavor(pilot, brokers=1)
    step_screen(app).query_one("#broker_num").value = "0"  # type: ignore[attr-defined]
    await pilot.pause()


async def at_storage(pilot: Pilot[Any]) -> None:
    app = await walk_to(pilot, "storage", name="orders-snap", zones=3, brokers=2)
    await fill_storage(pilot, per_broker=250)
    await pilot.pause()
    assert app.state.get("storage_space") == 500


async def at_public_access(pilot: Pilot[Any]) -> None:
    app = await walk_to(pilot, "public_access", name="orders-snap", zones=3)
    step_screen(app).query_one("#switch-enable_publicip").value = True  # type: ignore[attr-defined]
    await pilot.pause()
    eips = [e.id for e in app.state.lists.eips.items or ()][:2]
    answer(app, "publicip_id", ",".join(eips))
    await wait_for(pilot, lambda: app.price_tracker.view.estimate is not None and not app.price_tracker.view.updating)
    step_screen(app).query_one("#body").scroll_home(animate=False)  # type: ignore[attr-defined]
    await pilot.pause()


async def at_billing(pilot: Pilot[Any]) -> None:
    app = await walk_to(pilot, "billing", name="orders-snap", zones=3)
    answer(app, "bss_param.charging_mode", "prePaid")
    answer(app, "bss_param.period_type", "year")
    step_screen(app).refresh_from_state()
    step_screen(app).query_one("#period-num").value = "5"  # type: ignore[attr-defined]
    await pilot.pause()


def settled(scene: Callable[[Pilot[Any]], Awaitable[None]]) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """The scene, then time for every pending layout and repaint (a loaded machine can lag a frame)."""

    async def run(pilot: Pilot[Any]) -> None:
        await scene(pilot)
        # A blinking cursor would be caught on or off at random: keep it steadily on.
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        for _ in range(3):
            await pilot.wait_for_scheduled_animations()
            await pilot.pause(0.1)

    return run


SCENES: dict[str, Callable[[Pilot[Any]], Awaitable[None]]] = {
    "start": settled(at_start),
    "basics": settled(at_basics),
    "network": settled(at_network),
    "flavor": settled(at_flavor),
    "storage": settled(at_storage),
    "public_access": settled(at_public_access),
    "billing": settled(at_billing),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("scene", list(SCENES))
def test_step_looks_right(scene: str, size: tuple[int, int], sandbox: RunningSandbox, snap_compare: Any) -> None:
    app = make_app(sandbox, fixed_target=True)
    assert snap_compare(app, terminal_size=size, run_before=SCENES[scene])


def in_light_theme(scene: Callable[[Pilot[Any]], Awaitable[None]]) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """The scene in Textual's light theme: greyed-out rows, problems and the badge must stay readable."""

    async def run(pilot: Pilot[Any]) -> None:
        pilot.app.theme = "textual-light"
        await scene(pilot)

    return run


@pytest.mark.parametrize("scene", ["flavor", "public_access"])
def test_step_looks_right_in_the_light_theme(scene: str, sandbox: RunningSandbox, snap_compare: Any) -> None:
    app = make_app(sandbox, fixed_target=True)
    assert snap_compare(app, terminal_size=(120, 40), run_before=in_light_theme(SCENES[scene]))
