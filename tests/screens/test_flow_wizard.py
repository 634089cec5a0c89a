"""The whole wizard driven against the sandbox: from the start screen to a RUNNING instance, and the
ways a user gets there (back and forth, fixing what the API refused, double submits)."""

from __future__ import annotations

import threading

import pytest

from screens.widgets.field import FieldRow
from tests.screens.flow_support import (
    answer,
    fill_basics,
    fill_flavor,
    fill_network,
    fill_storage,
    go_next,
    jump,
    make_app,
    start_new,
    step_screen,
    wait_for,
    walk_to,
    walk_to_review,
)
from wizard.client import CloudClient
from wizard.resources import RUNNING
from wizard.sandbox import RunningSandbox

pytestmark = pytest.mark.timeout(60)


async def test_happy_path_creates_the_instance_and_follows_it_to_running(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to_review(pilot, "orders-happy")
        # The review gets the chosen resources' names, to show beside their IDs.
        vpc = app.state.lists.vpcs.find(app.state.get("vpc_id"))
        assert vpc is not None
        assert app.screen.names[vpc.id] == vpc.name  # type: ignore[attr-defined]
        await pilot.click("#submit")
        await wait_for(pilot, lambda: app.screen.query("#yes"))
        await pilot.click("#yes")
        await wait_for(pilot, lambda: app.current == "result")
        assert app.instance_id is not None
        await wait_for(pilot, lambda: app.instance_status == RUNNING, timeout=15)
        assert sandbox.state.show_instance(app.instance_id)["status"] == RUNNING
        assert app.creates_sent == 1
        await pilot.press("ctrl+q")
    assert app.return_value == app.instance_id


async def test_enter_goes_next_and_escape_goes_back_keeping_answers(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_new(pilot)
        await pilot.press(*"orders-keys")
        assert app.state.get("name") == "orders-keys"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.name == "network")
        await fill_network(pilot, zones=3)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen.name == "basics")
        assert step_screen(app).query_one("#name").value == "orders-keys"  # type: ignore[attr-defined]
        await go_next(pilot, "network")
        assert len(app.state.zones) == 3
        zones = step_screen(app).query_one("#list-available_zones")
        assert len(zones.selected) == 3  # type: ignore[attr-defined]


async def test_next_is_refused_with_focus_on_the_first_invalid_field(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_new(pilot)
        await fill_basics(pilot, "orders-x")
        await go_next(pilot, "network")
        vpc = app.state.lists.vpcs.items[0]  # type: ignore[index]
        answer(app, "vpc_id", vpc.id)
        step_screen(app).action_next()
        await pilot.pause()
        assert app.screen.name == "network"
        subnet_row = step_screen(app).query_one("#row-subnet_id", FieldRow)
        assert subnet_row.problem == "subnet_id is required"
        assert app.screen.focused is not None
        assert subnet_row in app.screen.focused.ancestors
        assert "✗ Network" in step_screen(app).query_one("#stepper").describe()  # type: ignore[attr-defined]


async def test_changing_vpc_clears_subnet_and_its_security_group(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_new(pilot)
        await fill_basics(pilot)
        await go_next(pilot, "network")
        first, second = app.state.lists.vpcs.items[:2]  # type: ignore[index]
        answer(app, "vpc_id", first.id)
        answer(app, "subnet_id", app.state.subnets_of_vpc()[0].id)
        tied = next(g for g in app.state.lists.security_groups.items or () if g.vpc_id == first.id)
        untied = next(g for g in app.state.lists.security_groups.items or () if not g.vpc_id)
        answer(app, "security_group_id", tied.id)
        answer(app, "vpc_id", second.id)
        await pilot.pause()
        assert app.state.get("subnet_id") is None
        assert app.state.get("security_group_id") is None
        screen = step_screen(app)
        assert screen.query_one("#list-subnet_id").selected == ()  # type: ignore[attr-defined]
        offered = {c.id for c in screen.query_one("#list-subnet_id").choices}  # type: ignore[attr-defined]
        assert offered == {s.id for s in app.state.lists.subnets.items or () if s.vpc_id == second.id}
        # A group tied to no VPC survives a VPC change.
        answer(app, "security_group_id", untied.id)
        answer(app, "vpc_id", first.id)
        assert app.state.get("security_group_id") == untied.id


async def test_changing_brokers_rechecks_storage_total_and_eip_count(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to(pilot, "storage", zones=3)
        await fill_storage(pilot, per_broker=400)
        assert app.state.get("storage_space") == 400
        await go_next(pilot, "public_access")
        step_screen(app).query_one("#switch-enable_publicip").value = True  # type: ignore[attr-defined]
        await pilot.pause()
        eips = [e.id for e in app.state.lists.eips.items or ()][:3]
        answer(app, "publicip_id", ",".join(eips))
        assert not app.state.issues_of(step_screen(app).STEP)
        await jump(pilot, "flavor")
        step_screen(app).query_one("#broker_num").value = "2"  # type: ignore[attr-defined]
        await pilot.pause()
        # Storage keeps 400 GB per broker: the total follows the broker count.
        assert app.state.get("storage_space") == 800
        await jump(pilot, "public_access")
        row = step_screen(app).query_one("#row-publicip_id", FieldRow)
        assert row.problem is not None and "exactly 6 EIP IDs" in row.problem
        await jump(pilot, "storage")
        note = step_screen(app).query_one("#row-storage_space .field-message").render()
        assert "800 GB = 400 GB x 2 brokers" in str(note)


async def test_a_list_that_fails_offers_retry_and_a_typed_id(sandbox: RunningSandbox) -> None:
    sandbox.state.faults.add("status", status=500, method="GET", path="*/vpcs*", count=None)
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_new(pilot)
        await fill_basics(pilot)
        await go_next(pilot, "network")
        assert app.state.lists.vpcs.error is not None
        screen = step_screen(app)
        vpc_list = screen.query_one("#list-vpc_id")
        assert vpc_list.has_class("-error")
        manual = screen.query_one("#manual-vpc_id")
        assert manual.display
        # A typed ID is validated like a picked one.
        manual.value = "  "  # type: ignore[attr-defined]
        await pilot.pause()
        assert screen.query_one("#row-vpc_id", FieldRow).problem == "vpc_id is required and must not be blank"
        manual.value = "typed-vpc-id"  # type: ignore[attr-defined]
        await pilot.pause()
        assert app.state.get("vpc_id") == "typed-vpc-id"
        assert screen.query_one("#row-vpc_id", FieldRow).problem is None
        # Retry once the cloud answers again.
        sandbox.state.faults.clear()
        await pilot.click("#list-vpc_id #retry")
        await wait_for(pilot, lambda: app.state.lists.vpcs.items is not None)
        await pilot.pause()
        assert vpc_list.has_class("-ready")
        assert not manual.display


async def test_a_catalog_that_fails_offers_retry_and_typed_ids_on_every_step_using_it(
    sandbox: RunningSandbox,
) -> None:
    sandbox.state.faults.add("status", status=500, method="GET", path="*/products*", count=None)
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_new(pilot)
        assert app.state.lists.catalog.error is not None
        await fill_basics(pilot)
        await go_next(pilot, "network")
        await fill_network(pilot, zones=0)
        screen = step_screen(app)
        assert screen.query_one("#list-available_zones").has_class("-error")
        screen.query_one("#manual-available_zones").value = "typed-az-1"  # type: ignore[attr-defined]
        await pilot.pause()
        assert app.state.get("available_zones") == ["typed-az-1"]
        await go_next(pilot, "flavor")
        screen = step_screen(app)
        flavors = screen.query_one("#list-product_id")
        assert flavors.has_class("-error")
        assert "Could not load the list" in str(flavors.query_one("#problem-text").render())
        manual = screen.query_one("#manual-product_id")
        assert manual.display
        # The filter (nothing to filter) is hidden and cannot take the focus: typing goes to the typed ID.
        assert not flavors.query_one("#filter").display or flavors.query_one("#filter").disabled
        assert app.screen.focused is manual
        # A typed flavor is judged like a picked one (here against the offline catalog).
        manual.value = "c6.no-such.cluster"  # type: ignore[attr-defined]
        await pilot.pause()
        problem = screen.query_one("#row-product_id", FieldRow).problem
        assert problem is not None and "c6.no-such.cluster" in problem
        manual.value = "c6.4u8g.cluster"  # type: ignore[attr-defined]
        screen.query_one("#broker_num").value = "1"  # type: ignore[attr-defined]
        await pilot.pause()
        assert screen.query_one("#row-product_id", FieldRow).problem is None
        await go_next(pilot, "storage")
        disks = step_screen(app).query_one("#list-storage_spec_code")
        assert disks.has_class("-error")
        assert step_screen(app).query_one("#manual-storage_spec_code").display
        # Retry, once the cloud answers again (held until the test has looked), says it is loading, then
        # brings the lists back on every step that shows them.
        sandbox.state.faults.clear()
        held = sandbox.state.faults.add("hold", method="GET", path="*/products*")
        await pilot.click("#list-storage_spec_code #retry")
        await wait_for(pilot, lambda: sandbox.state.faults.fired(held) == 1)
        assert disks.has_class("-loading")
        assert "Loading disk types" in str(disks.query_one("#status").render())
        sandbox.state.faults.release(held)
        await wait_for(pilot, lambda: app.state.lists.catalog.items is not None)
        await pilot.pause()
        assert disks.has_class("-ready")
        assert not step_screen(app).query_one("#manual-storage_spec_code").display
        await jump(pilot, "flavor")
        assert flavors.has_class("-ready")
        assert flavors.selected == ("c6.4u8g.cluster",)  # type: ignore[attr-defined]


async def test_a_list_failing_while_shown_keeps_the_answer_and_the_focus_where_typing_works(
    sandbox: RunningSandbox,
) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to(pilot, "flavor")
        await fill_flavor(pilot)
        screen = step_screen(app)
        flavors = screen.query_one("#list-product_id")
        manual = screen.query_one("#manual-product_id")
        flavors.query_one("#filter").focus()
        await pilot.pause()
        sandbox.state.faults.add("status", status=500, method="GET", path="*/products*", count=None)
        app.load_lists(("catalog",))
        await wait_for(pilot, lambda: app.state.lists.catalog.error is not None)
        await pilot.pause()
        assert flavors.has_class("-error")
        # The answer given before the failure shows in the typed-ID box, and typing goes there.
        assert manual.value == "c6.4u8g.cluster"  # type: ignore[attr-defined]
        assert app.screen.focused is manual
        # Next with the flavor cleared points at the typed ID, never at the hidden list.
        manual.value = ""  # type: ignore[attr-defined]
        screen.query_one("#broker_num").focus()
        await pilot.pause()
        screen.action_next()
        await pilot.pause()
        assert app.screen.focused is manual
        # Retry that works: the list is back and the focus is on its filter, not lost.
        sandbox.state.faults.clear()
        await pilot.click("#list-product_id #retry")
        await wait_for(pilot, lambda: app.state.lists.catalog.items is not None)
        await pilot.pause()
        assert flavors.has_class("-ready")
        assert app.screen.focused is flavors.query_one("#filter")


async def test_a_name_the_api_refuses_takes_the_user_back_to_the_name(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        # The demo tenant already has an instance with this name.
        await walk_to_review(pilot, "rocketmq-orders")
        app.submit()
        await wait_for(pilot, lambda: app.screen.name == "basics" and not app.submitting)
        await pilot.pause()
        row = step_screen(app).query_one("#row-name", FieldRow)
        assert row.problem is not None and "DMS.00400060" in row.problem
        assert app.screen.focused is step_screen(app).query_one("#name")
        assert app.instance_id is None


async def test_double_submit_sends_one_create(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to_review(pilot, "orders-twice")
        review = app.screen
        review.post_message(review.SubmitRequested())  # type: ignore[attr-defined]
        review.post_message(review.SubmitRequested())  # type: ignore[attr-defined]
        app.submit()
        await wait_for(pilot, lambda: app.current == "result")
        app.submit()
        await pilot.pause(0.2)
        assert app.creates_sent == 1
        assert len(sandbox.state.instances_named("orders-twice")) == 1


async def test_quitting_keeps_the_draft_and_resume_lands_on_the_step(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_new(pilot)
        await fill_basics(pilot, "orders-draft")
        await go_next(pilot, "network")
        await fill_network(pilot)
        await pilot.press("ctrl+q")
    assert app.kept_draft == "orders-draft · network"  # said on the terminal after the wizard closes
    resumed = make_app(sandbox)
    async with resumed.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: bool(resumed.screen.query("#drafts")))
        drafts = resumed.screen.query_one("#drafts")
        await wait_for(pilot, lambda: drafts.option_count == 1 and drafts.get_option_at_index(0).id is not None)  # type: ignore[attr-defined]
        drafts.focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: resumed.screen.name == "flavor")
        assert resumed.state.get("name") == "orders-draft"
        assert resumed.state.get("vpc_id") == app.state.get("vpc_id")


async def test_a_reset_create_is_never_called_safe_and_a_new_submit_creates_once(sandbox: RunningSandbox) -> None:
    sandbox.state.faults.add("reset", method="POST", path="*/instances", count=1)
    # A reset after sending proves nothing: the lookups by name find nothing, and that is said as unknown.
    app = make_app(sandbox, client_factory=lambda settings: CloudClient(settings, lookup_delays=(0.0, 0.1)))
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to_review(pilot, "orders-reset")
        app.submit()
        await wait_for(pilot, lambda: app.creates_sent == 1 and not app.submitting)
        await pilot.pause()
        status = str(app.screen.query_one("#submit-status").render())
        assert "not known whether the instance was created" in status and "safe to submit" not in status
        assert app.instance_id is None
        assert sandbox.state.instances_named("orders-reset") == []
        app.submit()
        await wait_for(pilot, lambda: app.current == "result")
        assert len(sandbox.state.instances_named("orders-reset")) == 1


async def test_a_lost_create_answer_is_found_by_name_not_created_twice(sandbox: RunningSandbox) -> None:
    sandbox.state.faults.add("timeout_after_commit", method="POST", path="*/instances", count=1, delay=0.3)
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to_review(pilot, "orders-lost")
        app.submit()
        await wait_for(pilot, lambda: app.current == "result", timeout=20)
        assert app.outcome is not None and app.outcome.recovered
        created = sandbox.state.instances_named("orders-lost")
        assert [i["instance_id"] for i in created] == [app.instance_id]


class _LostTrackClient(CloudClient):
    """A client whose create ends with the outcome unknown, as after a fault the lookup could not settle."""

    async def create_instance(self, request: object) -> object:  # type: ignore[override]
        from wizard.errors import OutcomeUnknown

        raise OutcomeUnknown("the answer was lost and looking the name up failed three times")


async def test_an_unknown_outcome_is_never_called_not_created(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox, client_factory=_LostTrackClient)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to_review(pilot, "orders-unknown")
        app.submit()
        await wait_for(pilot, lambda: app.creates_sent == 1 and not app.submitting)
        await pilot.pause()
        status = str(app.screen.query_one("#submit-status").render())
        assert "Outcome unknown" in status
        assert "Not created" not in status
        assert "failed three times. Check the console" in status
        assert app.instance_id is None


async def test_back_to_start_and_new_begins_empty_and_keeps_one_draft_per_session(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await start_new(pilot)
        await fill_basics(pilot, "first-one")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.current == "start")
        await wait_for(pilot, lambda: len(app._draft_store.list()) == 1)  # type: ignore[union-attr]
        await start_new(pilot)
        assert app.state.values == {}
        assert "name" not in app.state.touched
        await fill_basics(pilot, "second-one")
        app._close_saver()
        names = sorted(d.name for d in app._draft_store.list())  # type: ignore[union-attr]
        assert names == ["first-one", "second-one"]


async def test_the_answers_are_judged_once_per_change_however_many_screens_show_them(
    sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wizard.model import CreateInstanceRequest

    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to(pilot, "billing")
        judged = 0
        validate = CreateInstanceRequest.model_validate

        def counting(*args: object, **kwargs: object) -> CreateInstanceRequest:
            nonlocal judged
            # The sandbox judges the body too, in its own thread: only the wizard's judgements count.
            if threading.current_thread() is threading.main_thread():
                judged += 1
            return validate(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(CreateInstanceRequest, "model_validate", counting)
        await go_next(pilot, "review")
        await wait_for(pilot, lambda: app.screen.body is not None)  # type: ignore[attr-defined]
        # Nothing changed since Billing judged the answers: the review, its body and the create all use
        # that judgement rather than validating again.
        assert judged == 0
        app.submit()
        await wait_for(pilot, lambda: app.current == "result")
        assert judged == 0


async def test_enter_goes_next_from_a_switch_or_a_choice_and_space_changes_them(sandbox: RunningSandbox) -> None:
    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to(pilot, "public_access")
        assert app.screen.focused is step_screen(app).query_one("#switch-enable_publicip")
        await pilot.press("space")
        await pilot.pause()
        assert app.state.get("enable_publicip") is True
        await pilot.press("space")
        await pilot.pause()
        assert app.state.get("enable_publicip") is False
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.name == "billing")
        await pilot.pause()
        assert app.screen.focused is step_screen(app).query_one("#mode")
        await pilot.press("down", "space")
        await wait_for(pilot, lambda: app.state.get("bss_param.charging_mode") == "prePaid")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.name == "review")


async def test_keys_wait_while_the_terminal_is_too_small_to_show_the_screen(sandbox: RunningSandbox) -> None:
    from screens.dialogs import ConfirmDialog

    app = make_app(sandbox)
    async with app.run_test(size=(120, 40)) as pilot:
        await walk_to_review(pilot, "orders-small")
        await pilot.resize_terminal(100, 22)
        await pilot.pause()
        assert app.has_class("-too-small")
        await pilot.press("s")  # Submit, on a screen nobody can see
        await pilot.pause(0.2)
        assert not isinstance(app.screen, ConfirmDialog)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
