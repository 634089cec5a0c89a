"""Step 4, Storage: the disk type (as sold in the chosen AZs) and storage per broker, with the total live.

The request's `storage_space` is the instance TOTAL: per-broker storage x brokers. People think per
broker, so that is what they type; the total is shown as it changes and is what gets sent.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult

from screens.step import StepScreen
from screens.widgets.field import FieldInput, FieldRow, ListField, unavailable_note
from screens.widgets.filtered_list import Choice
from screens.words import counted
from wizard.fields import Step


class StorageStep(StepScreen):
    """Disk type and storage."""

    STEP: ClassVar[Step] = Step.STORAGE
    PRICE = ""
    INTRO = "Pick the disk type and how much storage each broker gets; the instance total is shown below."

    def compose_fields(self) -> ComposeResult:
        yield ListField(
            "storage_spec_code",
            self.answer,
            placeholder="Type to filter disk types",
            manual_placeholder="or type a code, e.g. dms.physical.storage.ultra.v2",
        )
        yield FieldRow(
            "storage_space",
            FieldInput("storage_space_per_broker", self.answer, whole_number=True, id="storage-per-broker"),
            label="Storage per broker (GB)",
        )

    def refresh_from_state(self) -> None:
        self.query_one(ListField).show_answer(self.state.get("storage_spec_code"))
        self.query_one("#storage-per-broker", FieldInput).show_answer(self.state.storage_per_broker)
        self._total_note()

    def on_screen_resume(self) -> None:
        self._disk_choices()
        super().on_screen_resume()

    def lists_changed(self) -> None:
        self._disk_choices()

    def answer_changed(self, path: str) -> None:
        self._total_note()

    def _disk_choices(self) -> None:
        field = self.query_one(ListField)
        if self.show_catalog_pending(field, "disk types"):
            return
        disks = [(disk, self.state.disk_unavailable_reason(disk.code)) for disk in self.state.catalog.storage_types]
        field.show_choices(
            [Choice(d.code, f"{d.label:<16} {d.code}", f"{d.label} {d.code}".lower(), why) for d, why in disks]
        )
        field.show_answer(self.state.get("storage_spec_code"))
        field.show_note(unavailable_note((d.label, why) for d, why in disks))

    def _total_note(self) -> None:
        row = self.query_one("#row-storage_space", FieldRow)
        flavor = self.state.flavor
        brokers = self.state.brokers
        limits = ""
        if flavor is not None:
            high = f"-{flavor.max_storage_per_broker:,}" if flavor.max_storage_per_broker else " or more"
            limits = f" (allowed: {flavor.min_storage_per_broker:,}{high} GB per broker)"
        total = self.state.storage_total()
        if total is not None and brokers:
            row.show_note(
                f"Instance total: {total:,} GB = {self.state.storage_per_broker:,} GB x "
                f"{counted(brokers, 'broker')}{limits}"
            )
        else:
            row.show_note(f"Instance total = storage per broker x brokers{limits}")
