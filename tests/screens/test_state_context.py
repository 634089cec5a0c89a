"""Problems the screens judge beyond the model: the create route, and chosen IDs against live lists."""

from __future__ import annotations

from screens.state import WizardState
from tests.model.samples import valid_request
from wizard.fields import Step

PREPAID = {"charging_mode": "prePaid", "period_type": "month", "period_num": 1, "is_auto_pay": True}


def test_a_prepaid_request_on_the_v1_route_is_a_billing_problem_and_makes_no_request() -> None:
    state = WizardState(valid_request(bss_param=PREPAID))
    assert state.request() is not None
    state.set_api_route("v1")
    assert state.request() is None
    (issue,) = state.issues_of(Step.BILLING)
    assert issue.field == "bss_param.charging_mode" and "--api v2" in issue.message
    state.set("bss_param.charging_mode", "postPaid")
    assert state.request() is not None
