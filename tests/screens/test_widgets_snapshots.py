"""Snapshots of FilteredList (single and multi, disabled rows, loading, error) and the help dialog."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Footer, Input

from screens.dialogs import HelpDialog
from screens.widgets.filtered_list import Choice, FilteredList
from wizard.fields import field_spec

SIZES = [(80, 24), (120, 40)]


def zones() -> list[Choice]:
    names = ["cn-north-4a", "cn-north-4b", "cn-north-4c", "cn-north-4g"]
    return [
        Choice(
            f"az-{n}",
            f"{code:<14}AZ{n + 1:<4}id az-{n}",
            f"{code} az{n + 1} az-{n}",
            "sold out" if code.endswith("b") else None,
        )
        for n, code in enumerate(names)
    ]


def vpcs(count: int) -> list[Choice]:
    return [
        Choice(
            f"vpc-{n:05d}",
            f"vpc-{n:05d}      10.{n % 256}.0.0/16   id vpc-{n:05d}",
            f"vpc-{n:05d} 10.{n % 256}.0.0/16",
        )
        for n in range(count)
    ]


class ListsHost(App[None]):
    BINDINGS = []

    def compose(self) -> ComposeResult:
        yield FilteredList(id="vpcs", placeholder="Type to filter VPCs by name, CIDR or ID")
        yield FilteredList(id="zones", multi=True)
        yield FilteredList(id="loading")
        yield FilteredList(id="failed")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#vpcs", FilteredList).set_choices(vpcs(20_000))
        zone_list = self.query_one("#zones", FilteredList)
        zone_list.set_choices(zones())
        zone_list.select(["az-0", "az-2"])
        self.query_one("#loading", FilteredList).set_loading("Loading EIPs…")
        self.query_one("#failed", FilteredList).set_error("HTTP 503 from the VPC service (request 4a2c)")


async def type_filter(pilot: Pilot[None]) -> None:
    pilot.app.query_one("#vpcs #filter", Input).value = "vpc-0012"
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_filtered_lists(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(ListsHost(), terminal_size=size, run_before=type_filter, press=["down", "enter"])


class HelpHost(App[None]):
    def on_mount(self) -> None:
        spec = field_spec("available_zones")
        self.push_screen(HelpDialog(spec.label, spec.help))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_dialog(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(HelpHost(), terminal_size=size)
