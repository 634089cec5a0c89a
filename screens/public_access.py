"""Step 5, Public access: EIPs for every broker node when on, and the SSL, ACL and IPv6 switches."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult

from screens.step import StepScreen
from screens.widgets.field import ListField, SwitchRow
from screens.widgets.filtered_list import Choice
from screens.words import counted, plural
from wizard.fields import EIPS_PER_BROKER, Step


class PublicAccessStep(StepScreen):
    """Public access and security switches."""

    STEP: ClassVar[Step] = Step.PUBLIC_ACCESS
    PRICE = "-with-notes"
    INTRO = f"Public access binds one unbound EIP to every broker node: {EIPS_PER_BROKER} per broker."

    def compose_fields(self) -> ComposeResult:
        yield SwitchRow("enable_publicip", self.answer)
        yield ListField(
            "publicip_id",
            self._eips_changed,
            multi=True,
            placeholder="Type to filter unbound EIPs; Enter toggles",
            manual_placeholder="or type EIP IDs, comma-separated",
        )
        yield SwitchRow("ssl_enable", self.answer)
        yield SwitchRow("enable_acl", self.answer)
        yield SwitchRow("ipv6_enable", self.answer)

    def _eips_changed(self, path: str, value: object) -> None:
        ids = value if isinstance(value, list) else []
        self.answer(path, ",".join(str(i) for i in ids) if ids else None)

    def refresh_from_state(self) -> None:
        for row in self.query(SwitchRow):
            row.switch.show_answer(self.state.get(row.path))
        eips = self.query_one(ListField)
        eips.display = self.state.get("enable_publicip") is True
        eips.show_answer(self.state.eip_ids)
        self._needed_note()

    def answer_changed(self, path: str) -> None:
        if path == "enable_publicip":
            self.refresh_from_state()
        self._needed_note()

    def lists_changed(self) -> None:
        listed = self.state.lists.eips
        field = self.query_one(ListField)
        if listed.error is not None:
            field.show_error(listed.error)
        elif listed.items is None:
            field.show_loading("Loading unbound EIPs…")
        else:
            field.show_choices(
                [
                    Choice(
                        e.id,
                        f"{e.address:<16} {e.id}" + (f"  {e.bandwidth_size} Mbit/s" if e.bandwidth_size else ""),
                        f"{e.address} {e.id}".lower(),
                    )
                    for e in listed.items
                ]
            )
        field.show_answer(self.state.eip_ids)

    def _needed_note(self) -> None:
        field = self.query_one(ListField)
        needed = self.state.eips_needed()
        chosen = len(self.state.eip_ids)
        if needed is None:
            field.show_note(f"{chosen} chosen; pick the broker count (Flavor step) to know how many are needed")
        elif chosen < needed:
            brokers = needed // EIPS_PER_BROKER
            note = (
                f"{chosen} of {needed} chosen: {needed - chosen} still needed "
                f"({EIPS_PER_BROKER} per broker x {brokers} {plural(brokers, 'broker')})"
            )
            unbound = self.state.lists.eips.items
            if unbound is not None and len(unbound) < needed:
                # Picking cannot fix this: say where it can be fixed.
                note += (
                    f". There {'is' if len(unbound) == 1 else 'are'} only {counted(len(unbound), 'unbound EIP')}: "
                    "lower the broker count on the Flavor step, or create more EIPs"
                )
            field.show_note(note)
        elif chosen > needed:
            field.show_note(f"{chosen} chosen but only {needed} needed: remove {chosen - needed}")
        else:
            field.show_note(f"{chosen} of {needed} chosen: enough")
