"""Every step's live validation, through its controls: the message under the field names the rule, in the
same frame as the change, and Next stays refused until it is fixed."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from screens.widgets.field import FieldRow
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
    walk_to,
)
from wizard.sandbox import RunningSandbox
from wizard.sandbox.tenants import SOLD_OUT_FLAVOR

pytestmark = pytest.mark.timeout(60)


def problem(app: Any, path: str) -> str | None:
    return step_screen(app).query_one(f"#row-{path.replace('.', '-')}", FieldRow).problem


async def typed(pilot: Pilot[Any], widget_id: str, text: str) -> None:
    step_screen(pilot.app).query_one(f"#{widget_id}").value = text  # type: ignore[attr-defined]


async def test_basics_name_rules_show_as_you_type(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_new(pilot)
        cases = [
            ("ab", "name must be 4-64 characters long (it has 2)"),
            ("1abc", "name must start with a letter (it starts with '1')"),
            ("ab cd", "name may contain only letters, digits, _ and - (found ' ')"),
            ("a" * 65, "name must be 4-64 characters long (it has 65)"),
            ("orders_1-a", None),
        ]
        for text, expected in cases:
            await typed(pilot, "name", text)
            # No pause: the message is set synchronously by the value's watcher.
            assert problem(app, "name") == expected, text
        await typed(pilot, "description", "x" * 1025)
        assert problem(app, "description") == "description must be at most 1024 characters (it has 1025)"
        step_screen(app).action_next()
        await pilot.pause()
        assert app.screen.name == "basics"
        assert app.screen.focused is step_screen(app).query_one("#description")
        await typed(pilot, "description", 'quotes " and \\ are fine')
        await go_next(pilot, "network")


async def test_network_refuses_two_azs_and_offers_sold_out_ones_disabled(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_new(pilot)
        await fill_basics(pilot)
        await go_next(pilot, "network")
        await fill_network(pilot, zones=1)
        zones = [z.id for z in app.state.catalog.zones if not z.sold_out]
        answer(app, "available_zones", zones[:2])
        assert problem(app, "available_zones") == (
            "available_zones must hold 1 AZ or at least 3 AZs, never 2 (it has 2)"
        )
        answer(app, "available_zones", zones[:3])
        assert problem(app, "available_zones") is None
        choices = step_screen(app).query_one("#list-available_zones").choices  # type: ignore[attr-defined]
        assert [c.disabled_reason for c in choices if c.id not in zones] == ["sold out"] * (len(choices) - len(zones))
        labels = " ".join(c.label for c in choices)
        assert all(z.code in labels and z.name in labels for z in app.state.catalog.zones)
        # Typing in a list's filter narrows it: by name, CIDR or ID.
        vpc_list = step_screen(app).query_one("#list-vpc_id")
        vpc_list.query_one("#filter").value = "10.0."  # type: ignore[attr-defined]
        await pilot.pause()
        assert [c.label.split()[0] for c in vpc_list.shown] == ["vpc-staging"]  # type: ignore[attr-defined]


async def test_flavor_not_sold_in_the_azs_is_disabled_and_brokers_stay_in_range(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_new(pilot)
        await fill_basics(pilot)
        await go_next(pilot, "network")
        await fill_network(pilot)
        answer(app, "available_zones", [z.id for z in app.state.catalog.zones])
        await go_next(pilot, "flavor")
        flavors = {c.id: c for c in step_screen(app).query_one("#list-product_id").choices}  # type: ignore[attr-defined]
        assert flavors[SOLD_OUT_FLAVOR].disabled_reason == "not sold in the chosen AZs"
        assert "16,000" in flavors[SOLD_OUT_FLAVOR].label
        # A flavor typed into a draft by hand is still judged.
        answer(app, "product_id", SOLD_OUT_FLAVOR)
        assert problem(app, "product_id") == (
            f"product_id {SOLD_OUT_FLAVOR} is not sold in every chosen AZ; choose other AZs or another flavor"
        )
        await fill_flavor(pilot, brokers=1)
        flavor = app.state.flavor
        assert flavor is not None
        for text, expected in [
            ("0", "broker_num must be a whole number of at least 1 (got 0)"),
            (
                str(flavor.max_broker + 1),
                f"broker_num must be {flavor.min_broker}-{flavor.max_broker} for {flavor.id} "
                f"(got {flavor.max_broker + 1})",
            ),
            ("", "broker_num is required"),  # cleared after an answer: said at once, not only at Next
            (str(flavor.min_broker), None),
        ]:
            await typed(pilot, "broker_num", text)
            assert problem(app, "broker_num") == expected, text
        note = str(step_screen(app).query_one("#row-broker_num .field-message").render())
        assert f"{flavor.min_broker}-{flavor.max_broker} brokers" in note
        assert f"{flavor.min_broker} broker takes about {flavor.tps_per_broker:,} TPS in all" in note


async def test_storage_per_broker_limits_and_the_live_total(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to(pilot, "storage", zones=3, brokers=3)
        await fill_storage(pilot, per_broker=299)
        assert app.state.get("storage_space") == 897
        assert problem(app, "storage_space") == (
            "storage_space must be at least 300 GB per broker, 900 GB for 3 broker(s) (got 897 GB)"
        )
        await typed(pilot, "storage-per-broker", "500")
        assert problem(app, "storage_space") is None
        note = str(step_screen(app).query_one("#row-storage_space .field-message").render())
        assert "Instance total: 1,500 GB = 500 GB x 3 brokers" in note
        await go_next(pilot, "public_access")


async def test_too_few_unbound_eips_for_the_brokers_says_where_to_fix_it(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to(pilot, "public_access", brokers=3)
        screen = step_screen(app)
        screen.query_one("#switch-enable_publicip").value = True  # type: ignore[attr-defined]
        await pilot.pause()
        eips = [e.id for e in app.state.lists.eips.items or ()]
        assert len(eips) < 9  # the demo tenant has fewer than 3 brokers need
        answer(app, "publicip_id", ",".join(eips))
        note = str(screen.query_one("#row-publicip_id .field-message").render())
        assert f"{len(eips)} of 9 chosen: {9 - len(eips)} still needed (3 per broker x 3 brokers)" in note
        assert f"only {len(eips)} unbound EIPs: lower the broker count on the Flavor step" in note


async def test_public_access_counts_the_eips_still_needed(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to(pilot, "public_access")
        screen = step_screen(app)
        eip_row = screen.query_one("#row-publicip_id")
        assert not eip_row.display
        screen.query_one("#switch-enable_publicip").value = True  # type: ignore[attr-defined]
        await pilot.pause()
        assert eip_row.display
        screen.action_next()
        await pilot.pause()
        assert problem(app, "publicip_id") == "publicip_id is required when enable_publicip is true"
        eips = [e.id for e in app.state.lists.eips.items or ()]
        answer(app, "publicip_id", ",".join(eips[:1]))
        note = str(screen.query_one("#row-publicip_id .field-message").render())
        assert "1 of 3 chosen: 2 still needed" in note
        answer(app, "publicip_id", ",".join(eips[:3]))
        assert problem(app, "publicip_id") is None
        # Switching public access off drops the EIPs from the request.
        screen.query_one("#switch-enable_publicip").value = False  # type: ignore[attr-defined]
        await pilot.pause()
        assert app.state.get("publicip_id") is None
        for path in ("ssl_enable", "enable_acl", "ipv6_enable"):
            screen.query_one(f"#switch-{path}").value = True  # type: ignore[attr-defined]
        await pilot.pause()
        assert [app.state.get(p) for p in ("ssl_enable", "enable_acl", "ipv6_enable")] == [True, True, True]


async def test_billing_periods_follow_the_period_type(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to(pilot, "billing")
        screen = step_screen(app)
        assert not screen.query_one("#prepaid").display
        await pilot.click("#opt-prePaid")
        await pilot.pause()
        assert screen.query_one("#prepaid").display
        assert app.state.get("bss_param") == {
            "charging_mode": "prePaid",
            "period_type": "month",
            "period_num": 1,
            "is_auto_renew": False,
            "is_auto_pay": False,
        }
        await typed(pilot, "period-num", "9")
        assert problem(app, "bss_param.period_num") is None
        await pilot.click("#opt-year")
        await pilot.pause()
        assert problem(app, "bss_param.period_num") == "period_num must be 1-3 when period_type is year (got 9)"
        assert "1-3 years" in str(screen.query_one("#row-bss_param-period_num .field-message").render())
        # One period type is marked at a time, and months can be picked again after years.
        marked = lambda: [b.id for b in screen.query("#period-type RadioButton") if b.value]  # noqa: E731
        assert marked() == ["opt-year"]
        await pilot.click("#opt-month")
        await pilot.pause()
        assert app.state.get("bss_param.period_type") == "month"
        assert marked() == ["opt-month"]
        await pilot.click("#opt-year")
        await pilot.pause()
        assert marked() == ["opt-year"]
        await typed(pilot, "period-num", "3")
        screen.query_one("#switch-bss_param-is_auto_renew").value = True  # type: ignore[attr-defined]
        await pilot.pause()
        assert app.state.get("bss_param.is_auto_renew") is True
        await pilot.click("#opt-postPaid")
        await pilot.pause()
        assert app.state.get("bss_param") is None
        await go_next(pilot, "review")
