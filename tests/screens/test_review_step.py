"""ReviewStep: answers grouped by step with Edit buttons, the exact body, the quota, and a Submit that is
refused while there are problems and otherwise asks first (default No)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.app import App
from textual.widgets import Button, Static

from screens.dialogs import ConfirmDialog
from screens.review import ReviewStep, describe_value
from tests.screens.flow_support import judged
from wizard.catalog import OFFLINE_CATALOG, AvailabilityZone, Catalog
from wizard.fields import Step
from wizard.resources import Quota
from wizard.validation import parse_request

#: The app's own stylesheet, so the screen is laid out as in the wizard.
APP_CSS = Path(__file__).resolve().parents[2] / "screens" / "app.tcss"

VALID: dict[str, Any] = {
    "name": "orders-mq",
    "description": 'Order "events"',
    "vpc_id": "vpc-1",
    "subnet_id": "subnet-1",
    "security_group_id": "sg-1",
    "available_zones": ["az-1"],
    "product_id": "c6.4u8g.cluster",
    "broker_num": 2,
    "storage_spec_code": "dms.physical.storage.high.v2",
    "storage_space": 600,
}


class Host(App[None]):
    CSS_PATH = APP_CSS

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__()
        self.values = values
        self.edits: list[Step] = []
        self.submits = 0

    def on_mount(self) -> None:
        self.push_screen(ReviewStep(*judged(self.values), target="SANDBOX"))

    def on_review_step_edit_requested(self, event: ReviewStep.EditRequested) -> None:
        self.edits.append(event.step)

    def on_review_step_submit_requested(self, event: ReviewStep.SubmitRequested) -> None:
        self.submits += 1

    @property
    def review(self) -> ReviewStep:
        return next(s for s in self.screen_stack if isinstance(s, ReviewStep))


def plain(static: Static) -> str:
    """What a Static shows, as plain text (Rich tables and syntax included)."""
    content = static.content
    if isinstance(content, str):
        return content
    console = Console(width=100, file=io.StringIO(), record=True, color_system=None)
    console.print(content)
    return console.export_text()


def text_of(screen: ReviewStep, selector: str) -> str:
    return plain(screen.query_one(selector, Static))


def group_text(screen: ReviewStep, step: Step) -> str:
    group = screen.query_one(f"#group-{step.value}")
    return "\n".join(plain(s) for s in group.query(Static))


async def test_every_answer_is_shown_in_its_steps_group() -> None:
    app = Host(VALID)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        review = app.review
        assert "Instance name       orders-mq" in group_text(review, Step.BASICS)
        assert "Storage (total GB)  600 GB total (300 GB/broker x 2)" in group_text(review, Step.STORAGE)
        assert "Billing mode        Pay-per-use" in group_text(review, Step.BILLING)
        assert "✓ ready" in group_text(review, Step.NETWORK)


async def test_the_body_shown_is_exactly_the_one_that_will_be_sent() -> None:
    app = Host(VALID)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        review = app.review
        assert json.loads(review.body_text()) == parse_request(VALID).to_api_body()
        assert '"description": "Order \\"events\\""' in review.body_text()


async def test_edit_buttons_and_escape_ask_for_their_step() -> None:
    app = Host(VALID)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.review.query_one("#edit-storage").scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#edit-storage")
        await pilot.press("escape")
        await pilot.pause()
        assert app.edits == [Step.STORAGE, Step.BILLING]


async def test_submit_is_refused_with_the_reason_while_there_are_problems() -> None:
    values = {**VALID, "storage_space": 300}
    del values["subnet_id"]
    app = Host(values)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        review = app.review
        assert "✗ 2 problems to fix before submitting (Network, Storage)" in text_of(review, "#review-problems")
        assert "✗ 1 problem" in group_text(review, Step.NETWORK)
        assert "subnet_id is required" in group_text(review, Step.NETWORK)
        assert "appears here once every problem is fixed" in text_of(review, "#body-json")
        await pilot.press("s")
        assert not isinstance(app.screen, ConfirmDialog)
        assert "Cannot submit: 2 problems must be fixed first" in text_of(review, "#submit-status")
        assert app.submits == 0


async def test_submit_asks_first_and_the_default_answer_sends_nothing() -> None:
    app = Host(VALID)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # Submit has focus: opens the confirmation
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # No has focus
        await pilot.pause()
        assert app.submits == 0
        assert isinstance(app.screen, ReviewStep)


async def test_yes_submits_once_and_submit_stays_disabled_while_in_flight() -> None:
    app = Host(VALID)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.click("#yes")
        await pilot.pause()
        assert app.submits == 1
        review = app.review
        assert review.query_one("#submit", Button).disabled
        await pilot.press("s")
        assert not isinstance(app.screen, ConfirmDialog)
        assert app.submits == 1


async def test_a_refused_submit_points_at_the_step_to_fix() -> None:
    app = Host(VALID)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        review = app.review
        review.set_submitting(True)
        review.show_submit_error("The subnet does not exist (DMS.00400031, request 5f2e).", Step.NETWORK)
        await pilot.pause()
        assert not review.query_one("#submit", Button).disabled
        status = text_of(review, "#submit-status")
        assert "Not created: The subnet does not exist (DMS.00400031, request 5f2e)." in status
        assert "Fix it on the Network step" in status
        assert app.focused is review.query_one("#edit-network", Button)
        assert review.query_one("#group-network").has_class("-failed")
        # The app may end the submit state after reporting the failure: the message stays.
        review.set_submitting(False)
        assert "Not created: The subnet does not exist" in text_of(review, "#submit-status")
        review.set_submitting(True)
        assert text_of(review, "#submit-status") == "Sending the create request…"
        review.set_submitting(False)
        assert not review.query_one("#submit-status").display


async def test_quota_states() -> None:
    app = Host(VALID)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        review = app.review
        assert text_of(review, "#quota") == "Quota: checking…"
        review.set_quota(Quota(quota=10, used=3))
        assert text_of(review, "#quota") == "Quota: 3 of 10 instances used, 7 left."
        review.set_quota(Quota(quota=5, used=5))
        assert "⚠ Quota: 5 of 5 instances used, none left." in text_of(review, "#quota")
        review.set_quota(None, "HTTP 503 from DMS")
        assert "could not be checked (HTTP 503 from DMS)" in text_of(review, "#quota")


async def test_update_shows_new_answers_and_clears_fixed_problems() -> None:
    values = {**VALID}
    del values["subnet_id"]
    app = Host(values)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        review = app.review
        review.update(*judged(VALID))
        await pilot.pause()
        assert not review.query_one("#review-problems").display
        assert "✓ ready" in group_text(review, Step.NETWORK)
        assert review.body_text()


def test_answers_read_as_people_know_them() -> None:
    catalog = Catalog(
        flavors=OFFLINE_CATALOG.flavors,
        storage_types=OFFLINE_CATALOG.storage_types,
        zones=(AvailabilityZone("az-1", "cn-north-4a", "AZ1"),),
    )
    values = {**VALID, "enable_publicip": True, "publicip_id": "e1,e2,e3"}
    assert describe_value("available_zones", values, catalog) == "cn-north-4a (az-1)"
    assert describe_value("publicip_id", values, catalog) == "3 EIPs: e1, e2, e3"
    assert describe_value("ssl_enable", values, catalog) == "No"
    assert describe_value("enable_publicip", values, catalog) == "Yes"
    assert describe_value("engine", values, catalog) == "reliability"
    assert describe_value("enterprise_project_id", values, catalog) == "—"
    assert describe_value("bss_param.charging_mode", {"bss_param": {"charging_mode": "prePaid"}}, catalog) == (
        "Yearly/monthly"
    )


async def test_changed_answers_clear_a_past_refusal() -> None:
    app = Host(VALID)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        review = app.review
        review.show_submit_error("Subnet not found (DMS.00400031).", Step.NETWORK)
        assert "✗ the cloud refused this" in group_text(review, Step.NETWORK)
        review.update(*judged(VALID))  # nothing changed: the refusal stays
        assert review.query_one("#submit-status").display
        fixed = {**VALID, "subnet_id": "subnet-2"}
        review.update(*judged(fixed))
        assert not review.query_one("#submit-status").display
        assert not review.query_one("#group-network").has_class("-failed")
        assert "✓ ready" in group_text(review, Step.NETWORK)


def test_names_are_shown_beside_ids_when_the_app_knows_them() -> None:
    names = {"vpc-1": "prod-vpc", "e1": "121.36.0.7"}
    values = {**VALID, "enable_publicip": True, "publicip_id": "e1,e2"}
    assert describe_value("vpc_id", values, OFFLINE_CATALOG, names) == "prod-vpc (vpc-1)"
    assert describe_value("subnet_id", values, OFFLINE_CATALOG, names) == "subnet-1"
    assert describe_value("publicip_id", values, OFFLINE_CATALOG, names) == "2 EIPs: 121.36.0.7 (e1), e2"


async def test_update_with_names_shows_them_in_the_group() -> None:
    app = Host(VALID)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        review = app.review
        review.update(*judged(VALID), names={"sg-1": "web-servers"})
        assert "web-servers (sg-1)" in group_text(review, Step.NETWORK)
        review.update(*judged(VALID))  # None keeps the names
        assert "web-servers (sg-1)" in group_text(review, Step.NETWORK)


async def test_text_in_square_brackets_is_shown_as_typed_not_read_as_markup() -> None:
    values = {**VALID, "description": "see [basic] and [red]x[/red]"}
    app = Host(values)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "see [basic] and [red]x[/red]" in text_of(app.review, "#group-basics .review-group-fields")
