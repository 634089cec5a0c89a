"""Helpers for driving the whole wizard against the sandbox: build the app, wait, answer steps quickly."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

from screens.app import WizardApp
from screens.step import StepScreen
from wizard.catalog import OFFLINE_CATALOG, Catalog
from wizard.connection import ConnectionSettings, Credentials, build_settings
from wizard.sandbox import SANDBOX_REGION, RunningSandbox
from wizard.validation import Issue, RequestInvalid, parse_request

FIXED_TARGET = "SANDBOX http://127.0.0.1:PORT"


def judged(
    values: dict[str, Any], catalog: Catalog = OFFLINE_CATALOG
) -> tuple[dict[str, Any], list[Issue], dict[str, Any] | None, Catalog]:
    """What the review step is handed: the answers, their problems, the body they make, the catalog."""
    try:
        return values, [], parse_request(values, catalog).to_api_body(), catalog
    except RequestInvalid as exc:
        return values, exc.issues, None, catalog


def sandbox_settings(sandbox: RunningSandbox) -> ConnectionSettings:
    """Settings pointing at a running sandbox with its own keys."""
    credentials = Credentials(sandbox.ak, sandbox.sk, sandbox.project_id, None, None, "sandbox (built in)")
    return build_settings(SANDBOX_REGION, credentials, env={}, endpoint=sandbox.url, sandbox=True)


class SnapshotApp(WizardApp):
    """The wizard with the sandbox's random port hidden, so screenshots are the same every run."""

    def describe_target(self) -> str:
        return FIXED_TARGET


def make_app(sandbox: RunningSandbox, *, fixed_target: bool = False, **kwargs: Any) -> WizardApp:
    """The wizard connected to the sandbox, autosaving quickly."""
    app_class = SnapshotApp if fixed_target else WizardApp
    kwargs.setdefault("autosave_delay", 0.05)
    return app_class(sandbox_settings(sandbox), **kwargs)


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until `condition()` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.02)


def lists_loaded(app: WizardApp) -> bool:
    """True when every live list has loaded or failed."""
    lists = app.state.lists
    return all(
        not getattr(lists, name).loading and (getattr(lists, name).items is not None or getattr(lists, name).error)
        for name in ("catalog", "vpcs", "subnets", "security_groups", "eips", "enterprise_projects")
    )


async def start_new(pilot: Pilot[Any]) -> WizardApp:
    """From the start screen, begin a new instance and wait for the lists."""
    app = pilot.app
    assert isinstance(app, WizardApp)
    await wait_for(pilot, lambda: app.screen.name == "start" and app.screen.is_mounted)
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.current == "basics" and app.screen.name == "basics")
    await wait_for(pilot, lambda: lists_loaded(app))
    await pilot.pause()
    return app


def step_screen(app: WizardApp) -> StepScreen:
    """The step on screen."""
    screen = app.screen
    assert isinstance(screen, StepScreen), screen
    return screen


async def go_next(pilot: Pilot[Any], expected: str) -> None:
    """Press Next (the button) and wait for `expected` to be on screen."""
    app = pilot.app
    assert isinstance(app, WizardApp)
    step_screen(app).action_next()
    await wait_for(pilot, lambda: app.screen.name == expected and getattr(app.screen, "ready", app.screen.is_mounted))
    await pilot.pause()


async def jump(pilot: Pilot[Any], key: str) -> None:
    """Jump to a step (as the stepper or command palette does) and wait until it is shown."""
    app = pilot.app
    assert isinstance(app, WizardApp)
    app.action_goto(key)
    await wait_for(pilot, lambda: app.screen.name == key and getattr(app.screen, "ready", True))
    await pilot.pause()


def zones_for(app: WizardApp, count: int) -> list[str]:
    """`count` AZ IDs that are not sold out, in catalog order."""
    zones = [z.id for z in app.state.catalog.zones if not z.sold_out]
    return zones[:count]


def answer(app: WizardApp, path: str, value: Any) -> None:
    """Answer a field the way its control does (through the step screen), then show it in the controls."""
    screen = step_screen(app)
    screen.answer(path, value)
    screen.refresh_from_state()


async def fill_basics(pilot: Pilot[Any], name: str = "orders-new") -> None:
    app = pilot.app
    assert isinstance(app, WizardApp)
    step_screen(app).query_one("#name").value = name  # type: ignore[attr-defined]
    await pilot.pause()


async def fill_network(pilot: Pilot[Any], zones: int = 1) -> None:
    app = pilot.app
    assert isinstance(app, WizardApp)
    vpc = app.state.lists.vpcs.items[0]  # type: ignore[index]
    answer(app, "vpc_id", vpc.id)
    answer(app, "subnet_id", app.state.subnets_of_vpc()[0].id)
    answer(app, "security_group_id", app.state.security_groups_for_vpc()[0].id)
    answer(app, "available_zones", zones_for(app, zones))
    await pilot.pause()


async def fill_flavor(pilot: Pilot[Any], product: str = "c6.4u8g.cluster", brokers: int = 1) -> None:
    app = pilot.app
    assert isinstance(app, WizardApp)
    answer(app, "product_id", product)
    step_screen(app).query_one("#broker_num").value = str(brokers)  # type: ignore[attr-defined]
    await pilot.pause()


async def fill_storage(pilot: Pilot[Any], per_broker: int = 300) -> None:
    app = pilot.app
    assert isinstance(app, WizardApp)
    answer(app, "storage_spec_code", app.state.catalog.storage_types[0].code)
    step_screen(app).query_one("#storage-per-broker").value = str(per_broker)  # type: ignore[attr-defined]
    await pilot.pause()


STEPS_IN_ORDER = ("basics", "network", "flavor", "storage", "public_access", "billing", "review")


async def walk_to(
    pilot: Pilot[Any],
    step: str,
    *,
    name: str = "orders-new",
    zones: int = 1,
    brokers: int = 1,
    per_broker: int = 300,
) -> WizardApp:
    """Start a new instance and answer every step before `step` validly, ending on `step` (left unanswered)."""
    app = await start_new(pilot)
    fillers = {
        "basics": lambda: fill_basics(pilot, name),
        "network": lambda: fill_network(pilot, zones=zones),
        "flavor": lambda: fill_flavor(pilot, brokers=brokers),
        "storage": lambda: fill_storage(pilot, per_broker=per_broker),
    }
    for current, following in itertools.pairwise(STEPS_IN_ORDER):
        if current == step:
            break
        if current in fillers:
            await fillers[current]()
        await go_next(pilot, following)
    return app


async def walk_to_review(pilot: Pilot[Any], name: str = "orders-new") -> WizardApp:
    """Start a new instance and answer every step validly, ending on the review step."""
    return await walk_to(pilot, "review", name=name)
