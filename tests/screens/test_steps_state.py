"""The wizard's answers without a screen: what a change clears or recomputes, and which problems show."""

from __future__ import annotations

import pytest

from screens.state import WizardState
from tests.model.samples import live_catalog
from wizard.catalog import HIGH_IO, OFFLINE_CATALOG, ULTRA_HIGH_IO
from wizard.fields import Step
from wizard.resources import SecurityGroup, Subnet

SUBNETS = (Subnet("s-a1", "a1", "vpc-a"), Subnet("s-b1", "b1", "vpc-b"))
GROUPS = (SecurityGroup("g-any", "default"), SecurityGroup("g-a", "a-only", "vpc-a"))


def state_with_lists() -> WizardState:
    state = WizardState()
    state.lists.subnets.items = SUBNETS
    state.lists.security_groups.items = GROUPS
    return state


@pytest.mark.parametrize(
    ("subnet", "group", "kept_subnet", "kept_group"),
    [
        ("s-a1", "g-a", None, None),  # both tied to the old VPC
        ("s-a1", "g-any", None, "g-any"),  # a group tied to no VPC stays
        ("typed-by-hand", "typed-group", None, "typed-group"),  # an unknown subnet goes; an unknown group stays
    ],
)
def test_changing_vpc_clears_what_was_tied_to_the_old_one(
    subnet: str, group: str, kept_subnet: str | None, kept_group: str | None
) -> None:
    state = state_with_lists()
    state.set("vpc_id", "vpc-a")
    state.set("subnet_id", subnet)
    state.set("security_group_id", group)
    state.set("vpc_id", "vpc-b")
    assert state.get("subnet_id") == kept_subnet
    assert state.get("security_group_id") == kept_group


def test_setting_the_same_vpc_again_changes_nothing() -> None:
    state = state_with_lists()
    state.set("vpc_id", "vpc-a")
    state.set("subnet_id", "s-a1")
    version = state.version
    assert state.set("vpc_id", "vpc-a") is False
    assert state.get("subnet_id") == "s-a1"
    assert state.version == version


def test_subnets_and_groups_offered_follow_the_vpc() -> None:
    state = state_with_lists()
    state.set("vpc_id", "vpc-b")
    assert [s.id for s in state.subnets_of_vpc()] == ["s-b1"]
    assert [g.id for g in state.security_groups_for_vpc()] == ["g-any"]


@pytest.mark.parametrize(("per_broker", "brokers", "total"), [(300, 1, 300), (300, 3, 900), (450, 2, 900)])
def test_storage_total_is_per_broker_times_brokers_and_follows_the_broker_count(
    per_broker: int, brokers: int, total: int
) -> None:
    state = WizardState()
    state.set("broker_num", 1)
    state.set("storage_space_per_broker", per_broker)
    state.set("broker_num", brokers)
    assert state.get("storage_space") == total
    assert state.storage_total() == total


def test_a_resumed_total_is_split_back_per_broker() -> None:
    state = WizardState({"broker_num": 3, "storage_space": 1200})
    assert state.storage_per_broker == 400
    state.set("broker_num", 2)
    assert state.get("storage_space") == 800


def test_choosing_a_flavor_fills_the_broker_count_and_storage_with_its_minimums() -> None:
    state = WizardState()
    flavor = OFFLINE_CATALOG.flavors[0]
    state.set("product_id", flavor.id)
    assert state.get("broker_num") == flavor.min_broker
    assert state.storage_per_broker == flavor.min_storage_per_broker
    assert state.get("storage_space") == flavor.min_storage_per_broker * flavor.min_broker


def test_public_access_off_drops_the_eips() -> None:
    state = WizardState()
    state.set("enable_publicip", True)
    state.set("publicip_id", "e1,e2,e3")
    state.set("enable_publicip", False)
    assert "publicip_id" not in state.values


def test_yearly_billing_gets_a_period_and_pay_per_use_sends_no_billing_table() -> None:
    state = WizardState()
    state.set("bss_param.charging_mode", "prePaid")
    assert state.get("bss_param.period_type") == "month"
    assert state.get("bss_param.period_num") == 1
    assert not state.issues_of(Step.BILLING)
    state.set("bss_param.period_type", "year")
    state.set("bss_param.period_num", 4)
    assert [i.message for i in state.issues_of(Step.BILLING)] == [
        "period_num must be 1-3 when period_type is year (got 4)"
    ]
    state.set("bss_param.charging_mode", "postPaid")
    assert "bss_param" not in state.values


def test_a_blank_field_shows_its_problem_only_once_touched_or_after_next() -> None:
    state = WizardState()
    assert state.issue_for("name") is not None
    assert not state.shows_issue("name", Step.BASICS)
    state.attempt(Step.BASICS)
    assert state.shows_issue("name", Step.BASICS)
    other = WizardState({"name": "1x"})
    assert other.shows_issue("name", Step.BASICS), "a value's problem shows at once"


def test_steps_are_todo_until_visited_then_done_or_invalid() -> None:
    state = WizardState()
    assert state.step_status(Step.BASICS) == "todo"
    state.visit(Step.BASICS)
    assert state.step_status(Step.BASICS) == "invalid"
    state.set("name", "orders-1")
    assert state.step_status(Step.BASICS) == "done"
    assert state.first_unfinished() is Step.NETWORK


def test_flavors_and_disks_not_sold_in_the_zones_or_billing_mode_say_why() -> None:
    state = WizardState(catalog=live_catalog())
    small, large = state.catalog.flavor("c6.4u8g.cluster"), state.catalog.flavor("c6.8u16g.cluster")
    assert small is not None and large is not None
    state.set("available_zones", ["0e1a", "0e1b", "0e1c"])
    assert state.flavor_unavailable_reason(small) is None
    assert state.flavor_unavailable_reason(large) == "not sold in the chosen AZs"
    state.set("available_zones", ["0e1a"])
    state.set("bss_param.charging_mode", "prePaid")
    assert state.flavor_unavailable_reason(large) == "not sold yearly/monthly"
    state.set("product_id", small.id)
    state.set("available_zones", ["0e1a", "0e1b", "0e1c"])
    assert state.disk_unavailable_reason(HIGH_IO) is None
    assert state.disk_unavailable_reason(ULTRA_HIGH_IO) == "not sold in the chosen AZs"
    state.set("product_id", large.id)
    assert state.disk_unavailable_reason(ULTRA_HIGH_IO) == "not sold with c6.8u16g.cluster"


@pytest.mark.parametrize(
    ("loaded", "per_broker", "total"),
    [
        ({"broker_num": 3, "storage_space": 900}, 300, 900),
        ({"broker_num": 3, "storage_space": 1000}, None, None),  # not per broker x brokers: no total claimed
        ({"broker_num": 3}, None, None),
    ],
)
def test_a_loaded_total_is_shown_only_when_it_is_per_broker_times_brokers(
    loaded: dict[str, int], per_broker: int | None, total: int | None
) -> None:
    state = WizardState()
    state.set("storage_space_per_broker", 500)
    state.load(loaded)
    assert state.storage_per_broker == per_broker
    assert state.storage_total() == total
    assert state.get("storage_space") == loaded.get("storage_space")


def test_loading_starts_over_with_nothing_touched_or_visited() -> None:
    state = WizardState()
    state.set("name", "first-one")
    state.visit(Step.BASICS)
    state.attempt(Step.NETWORK)
    state.load({})
    assert state.values == {}
    assert not state.touched and not state.visited and not state.attempted


def test_clearing_storage_per_broker_shows_the_storage_problem() -> None:
    state = WizardState()
    state.set("broker_num", 1)
    state.set("storage_space_per_broker", None)
    assert state.shows_issue("storage_space", Step.STORAGE)
