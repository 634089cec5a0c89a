"""Step 3, Flavor: the broker flavor (a table of per-broker limits) and how many brokers."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult

from screens.step import StepScreen
from screens.widgets.field import FieldInput, FieldRow, ListField, unavailable_note
from screens.widgets.filtered_list import Choice
from screens.words import counted
from wizard.catalog import Flavor
from wizard.fields import Step

_COLUMNS = "{:<24} {:<16} {:>7} {:>7} {:>7}"


def _number(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def flavor_row(flavor: Flavor) -> str:
    """One flavor as a table row: id, CPU/memory, and per-broker topics, consumer groups and TPS."""
    return _COLUMNS.format(
        flavor.id,
        flavor.cpu_label or "-",
        _number(flavor.topics_per_broker),
        _number(flavor.consumer_groups_per_broker),
        _number(flavor.tps_per_broker),
    )


class FlavorStep(StepScreen):
    """Engine flavor and broker count."""

    STEP: ClassVar[Step] = Step.FLAVOR
    PRICE = ""
    INTRO = "Pick a flavor: its limits are per broker. Flavors not sold in your AZs or billing mode are greyed out."

    def compose_fields(self) -> ComposeResult:
        # The label doubles as the table's column header, aligned with the rows below the filter.
        header = "      " + _COLUMNS.format("Flavor", "CPU | memory", "Topics", "Groups", "TPS")
        yield ListField(
            "product_id",
            self.answer,
            placeholder="Type to filter flavors",
            label=header,
            manual_placeholder="or type the flavor ID, e.g. c6.4u8g.cluster",
        )
        yield FieldRow(
            "broker_num",
            FieldInput("broker_num", self.answer, whole_number=True, id="broker_num"),
        )

    def refresh_from_state(self) -> None:
        self.query_one(ListField).show_answer(self.state.get("product_id"))
        self.query_one("#broker_num", FieldInput).show_answer(self.state.get("broker_num"))
        self._broker_note()

    def lists_changed(self) -> None:
        self._flavor_choices()

    def on_screen_resume(self) -> None:
        # AZs or billing may have changed since the last visit: re-judge which flavors can be sold.
        self._flavor_choices()
        super().on_screen_resume()

    def answer_changed(self, path: str) -> None:
        if path == "product_id":
            self.query_one("#broker_num", FieldInput).show_answer(self.state.get("broker_num"))
        self._broker_note()

    def _flavor_choices(self) -> None:
        field = self.query_one(ListField)
        if self.show_catalog_pending(field, "flavors"):
            return
        choices = [
            Choice(f.id, flavor_row(f), f"{f.id} {f.cpu_label}".lower(), self.state.flavor_unavailable_reason(f))
            for f in self.state.catalog.flavors
        ]
        field.show_choices(choices)
        field.show_answer(self.state.get("product_id"))
        # Said again under the list: on a narrow terminal the reason at the end of a row is cut off.
        field.show_note(unavailable_note((c.id, c.disabled_reason) for c in choices))

    def _broker_note(self) -> None:
        flavor = self.state.flavor
        row = self.query_one("#row-broker_num", FieldRow)
        if flavor is None:
            row.show_note("Pick a flavor to see the allowed broker count.")
            return
        step = f" in steps of {flavor.broker_step}" if flavor.broker_step > 1 else ""
        brokers = self.state.brokers
        total = ""
        if brokers and flavor.tps_per_broker:
            verb = "takes" if brokers == 1 else "take"
            total = f"; {counted(brokers, 'broker')} {verb} about {brokers * flavor.tps_per_broker:,} TPS in all"
        row.show_note(f"{flavor.min_broker}-{flavor.max_broker} brokers{step} for {flavor.id}{total}")
