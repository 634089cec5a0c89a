"""Snapshots of the review step (valid and invalid, with the confirmation) at 80x24 and 120x40."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from screens.review import ReviewStep
from tests.screens.flow_support import judged
from wizard.resources import Quota

APP_CSS = Path(__file__).resolve().parents[2] / "screens" / "app.tcss"
SIZES = [(80, 24), (120, 40)]

VALID: dict[str, Any] = {
    "name": "orders-mq",
    "description": "Order events for the shop",
    "vpc_id": "0f8a6e42-7c1d-4a55-9d1e-3b2c4d5e6f70",
    "subnet_id": "5e1d2c3b-4a59-4f68-8e7d-6c5b4a392817",
    "security_group_id": "9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d",
    "available_zones": ["az-1"],
    "product_id": "c6.4u8g.cluster",
    "broker_num": 2,
    "storage_spec_code": "dms.physical.storage.high.v2",
    "storage_space": 600,
}


class ReviewHost(App[None]):
    CSS_PATH = APP_CSS

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__()
        self.values = values

    def on_mount(self) -> None:
        review = ReviewStep(*judged(self.values), target="SANDBOX http://127.0.0.1:8080")
        self.push_screen(review)
        review.set_quota(Quota(quota=10, used=3))


def invalid_values() -> dict[str, Any]:
    values = {**VALID, "storage_space": 300}
    del values["subnet_id"]
    return values


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_valid(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(ReviewHost(VALID), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_with_problems_after_submit(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(ReviewHost(invalid_values()), terminal_size=size, press=["s"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_confirmation(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(ReviewHost(VALID), terminal_size=size, press=["s"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_submit_refused_by_the_cloud(snap_compare: Any, size: tuple[int, int]) -> None:
    async def refuse(pilot: Pilot[None]) -> None:
        review = next(s for s in pilot.app.screen_stack if isinstance(s, ReviewStep))
        review.show_submit_error(
            "The subnet does not belong to the VPC (DMS.00400046, request 7c1f3a).", review_step_network()
        )
        await pilot.pause()

    assert snap_compare(ReviewHost(VALID), terminal_size=size, run_before=refuse)


def review_step_network() -> Any:
    from wizard.fields import Step

    return Step.NETWORK


def test_review_with_problems_without_colour(snap_compare: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR: the markers and words (✓ ready, ✗ 1 problem) still say which step needs fixing."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = ReviewHost(invalid_values())
    assert app.no_color
    assert snap_compare(app, terminal_size=(80, 24))
