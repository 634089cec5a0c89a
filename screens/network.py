"""Step 2, Network: VPC, subnet (only the VPC's), security group and availability zones.

Every list loads in the app's workers; until then it says so, and when it fails it offers Retry and a
hand-typed ID (validated like a picked one).
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult

from screens.state import WizardState
from screens.step import StepScreen
from screens.widgets.field import ListField
from screens.widgets.filtered_list import Choice
from wizard.fields import Step


class NetworkStep(StepScreen):
    """Where the brokers live."""

    STEP: ClassVar[Step] = Step.NETWORK
    INTRO = "Pick the VPC, one of its subnets, a security group, and 1 AZ or at least 3 (never 2)."

    def __init__(self, state: WizardState, target: str) -> None:
        super().__init__(state, target)
        self._choices: dict[tuple[str, str], Choice] = {}

    def compose_fields(self) -> ComposeResult:
        yield ListField("vpc_id", self.answer, placeholder="Type to filter VPCs by name, CIDR or ID")
        yield ListField("subnet_id", self.answer, placeholder="Type to filter the VPC's subnets")
        yield ListField("security_group_id", self.answer, placeholder="Type to filter security groups")
        yield ListField(
            "available_zones",
            self.answer,
            multi=True,
            placeholder="Type to filter AZs; Enter toggles",
            manual_placeholder="or type AZ IDs, comma-separated",
        )

    def _choice(self, kind: str, item_id: str, name: str, cidr: str, extra: str = "") -> Choice:
        # Made once per item: with tens of thousands of groups, a VPC change only re-filters.
        key = (kind, item_id)
        choice = self._choices.get(key)
        if choice is None:
            label = f"{name:<24} {cidr:<18} {item_id}" if cidr else f"{name:<24} {item_id}"
            choice = Choice(item_id, label, f"{name} {cidr} {item_id} {extra}".lower())
            self._choices[key] = choice
        return choice

    def _field(self, path: str) -> ListField:
        return self.query_one(f"#row-{path}", ListField)

    def refresh_from_state(self) -> None:
        for path in ("vpc_id", "subnet_id", "security_group_id", "available_zones"):
            self._field(path).show_answer(self.state.get(path))

    def answer_changed(self, path: str) -> None:
        if path == "vpc_id":
            # The subnets (and VPC-bound groups) on offer depend on the VPC; a reset answer shows as cleared.
            self._subnet_choices()
            self._group_choices()
            self._field("subnet_id").show_answer(self.state.get("subnet_id"))
            self._field("security_group_id").show_answer(self.state.get("security_group_id"))

    def lists_changed(self) -> None:
        lists = self.state.lists
        vpcs = self._field("vpc_id")
        if lists.vpcs.error is not None:
            vpcs.show_error(lists.vpcs.error)
        elif lists.vpcs.items is None:
            vpcs.show_loading("Loading VPCs…")
        else:
            vpcs.show_choices(
                [
                    Choice(v.id, f"{v.name:<24} {v.cidr:<18} {v.id}", f"{v.name} {v.cidr} {v.id}".lower())
                    for v in lists.vpcs.items
                ]
            )
        self._subnet_choices()
        self._group_choices()
        self._zone_choices()
        self.refresh_from_state()

    def _subnet_choices(self) -> None:
        subnets = self._field("subnet_id")
        listed = self.state.lists.subnets
        if listed.error is not None:
            subnets.show_error(listed.error)
        elif listed.items is None:
            subnets.show_loading("Loading subnets…")
        elif not self.state.get("vpc_id"):
            subnets.show_loading("Pick a VPC first: only its subnets are offered.")
        else:
            subnets.show_choices([self._choice("subnet", s.id, s.name, s.cidr) for s in self.state.subnets_of_vpc()])

    def _group_choices(self) -> None:
        groups = self._field("security_group_id")
        listed = self.state.lists.security_groups
        if listed.error is not None:
            groups.show_error(listed.error)
        elif listed.items is None:
            groups.show_loading("Loading security groups…")
        else:
            groups.show_choices(
                [self._choice("group", g.id, g.name, "", g.description) for g in self.state.security_groups_for_vpc()]
            )

    def _zone_choices(self) -> None:
        zones = self._field("available_zones")
        if not self.show_catalog_pending(zones, "availability zones"):
            zones.show_choices(
                [
                    Choice(
                        z.id,
                        f"{z.name:<18} {z.code:<16} {z.id}",
                        f"{z.name} {z.code} {z.id}".lower(),
                        "sold out" if z.sold_out else None,
                    )
                    for z in self.state.catalog.zones
                ]
            )
