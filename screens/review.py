"""The review step: every answer grouped by step, the exact request body, the quota, and Submit.

The app sends values, issues, the body they make, catalog and quota down; the screen sends `EditRequested(step)` and
`SubmitRequested()` up. Submit is refused (with the reason) while the request has problems, and goes
through a confirmation whose default is No.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any, ClassVar

from pydantic import BaseModel
from pydantic_core import PydanticUndefined
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from screens.dialogs import ConfirmDialog
from screens.step import STEPPER_ENTRIES
from screens.widgets.json_view import JsonView
from screens.widgets.price import PriceLine, PriceTracker
from screens.widgets.stepper import Stepper
from screens.widgets.topbar import TOO_SMALL, KeysWaitWhileTooSmall, TopBar
from screens.words import counted
from wizard.catalog import PAY_PER_USE, Catalog
from wizard.fields import Step, field_spec, fields_of, split_ids
from wizard.model import BssParam, CreateInstanceRequest
from wizard.resources import Quota
from wizard.validation import Issue

#: Wide enough to show the answers and the body side by side.
WIDE_COLUMNS = 110

NOT_SET = "—"
SENDING = "Sending the create request…"


#: Fields holding IDs of cloud resources that people know by name.
NAMED_ID_FIELDS = frozenset({"vpc_id", "subnet_id", "security_group_id", "enterprise_project_id"})


def describe_value(
    path: str, values: Mapping[str, Any], catalog: Catalog, names: Mapping[str, str] | None = None
) -> str:
    """One answer as a person reads it: names beside IDs (from `names`, id -> name), AZ codes, the
    flavor's limits, totals, Yes/No."""
    head, _, rest = path.partition(".")
    value = values.get(head)
    if rest:
        value = value.get(rest) if isinstance(value, Mapping) else None
    if value is None or value in ("", []):
        return _default_of(path, catalog)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if path in NAMED_ID_FIELDS and names and isinstance(value, str) and names.get(value):
        return f"{names[value]} ({value})"
    if path == "available_zones" and isinstance(value, list):
        return ", ".join(_zone(str(zone_id), catalog) for zone_id in value)
    if path == "product_id":
        flavor = catalog.flavor(str(value))
        if flavor is not None and flavor.tps_per_broker:
            extra = f"{flavor.cpu_label}, " if flavor.cpu_label else ""
            return f"{value} ({extra}{flavor.tps_per_broker:,} TPS/broker)"
    if path == "storage_spec_code":
        storage_type = catalog.storage_type(str(value))
        if storage_type is not None:
            return f"{storage_type.label} ({value})"
    if path == "storage_space" and isinstance(value, int):
        brokers = values.get("broker_num")
        if isinstance(brokers, int) and brokers > 0:
            return f"{value:,} GB total ({value // brokers:,} GB/broker x {brokers})"
        return f"{value:,} GB"
    if path == "publicip_id" and isinstance(value, str):
        ids = split_ids(value)
        shown = ", ".join(f"{names[i]} ({i})" if names and names.get(i) else i for i in ids)
        return f"{len(ids)} EIP{'s' if len(ids) != 1 else ''}: {shown}"
    if path == "bss_param.charging_mode":
        return "Pay-per-use" if value == PAY_PER_USE else "Yearly/monthly"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _default_of(path: str, catalog: Catalog) -> str:
    """What an unset field means: the model's default, "No" for an unset switch, else not set."""
    head, _, rest = path.partition(".")
    model: type[BaseModel] = BssParam if rest else CreateInstanceRequest
    info = model.model_fields.get(rest or head)
    if info is None:
        return NOT_SET
    if info.default is not None and info.default is not PydanticUndefined:
        return f"{describe_value(path, {head: {rest: info.default}} if rest else {head: info.default}, catalog)}"
    if "bool" in str(info.annotation):
        return "No"
    return NOT_SET


def _zone(zone_id: str, catalog: Catalog) -> str:
    zone = catalog.zone(zone_id)
    return f"{zone.code} ({zone_id})" if zone is not None else zone_id


def shown_fields(step: Step, values: Mapping[str, Any]) -> tuple[str, ...]:
    """The fields a step's group lists: billing details only for yearly/monthly, EIPs only when public."""
    paths = [path for path in fields_of(step) if path != "bss_param"]
    if step is Step.BILLING and (values.get("bss_param") or {}).get("charging_mode", PAY_PER_USE) == PAY_PER_USE:
        paths = ["bss_param.charging_mode"]
    if step is Step.PUBLIC_ACCESS and not values.get("enable_publicip"):
        paths = [path for path in paths if path != "publicip_id"]
    return tuple(paths)


NOT_CREATED = "Not created"
OUTCOME_UNKNOWN = "Outcome unknown"


class ReviewStep(KeysWaitWhileTooSmall, Screen[None]):
    """Every answer grouped by step with an Edit button per group, the JSON body, the quota, and Submit."""

    CSS_PATH: ClassVar[list[str | PurePath]] = ["review.tcss", "widgets/price.tcss"]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "edit_last", "Back"),
        Binding("s", "submit", "Submit"),
        Binding("c", "copy_body", "Copy body"),
    ]

    class EditRequested(Message):
        """The user wants to go back to a step to change it."""

        def __init__(self, step: Step) -> None:
            super().__init__()
            self.step = step

    class SubmitRequested(Message):
        """The user confirmed: send the create request."""

    def __init__(
        self,
        values: Mapping[str, Any],
        issues: list[Issue],
        body: Mapping[str, Any] | None,
        catalog: Catalog,
        *,
        target: str = "",
        names: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(name="review", classes="review-screen")
        self.values: dict[str, Any] = dict(values)
        self.names: dict[str, str] = dict(names or {})
        self.issues = list(issues)
        self.catalog = catalog
        self.target = target
        self.quota: Quota | None = None
        self.quota_error: str | None = None
        self.submitting = False
        self.body: dict[str, Any] | None = dict(body) if body is not None else None

    def compose(self) -> ComposeResult:
        yield TopBar("Review", self.target)
        yield Stepper(STEPPER_ENTRIES, id="stepper")
        with Horizontal(id="review-columns"):
            with VerticalScroll(id="answers"):
                yield Static("", id="review-problems", markup=False)
                for step in Step:
                    with Vertical(classes="review-group", id=f"group-{step.value}"):
                        with Horizontal(classes="review-group-head"):
                            yield Static(step.label, classes="review-group-title", markup=False)
                            yield Static("", classes="review-group-status", markup=False)
                            yield Button(
                                f"Edit {step.label}", id=f"edit-{step.value}", classes="edit-step", compact=True
                            )
                        yield Static("", classes="review-group-fields", markup=False)
            with VerticalScroll(id="body-pane"):
                yield Static("Request body", id="body-title")
                yield JsonView("The exact request body appears here once every problem is fixed.", id="body-json")
        yield PriceLine(classes="-with-notes", id="review-price")
        yield Static("", id="quota", markup=False)
        yield Static("", id="submit-status", markup=False)
        with Horizontal(id="review-nav"):
            yield Button("← Back", id="back")
            yield Button("Submit…", id="submit", variant="primary")
        yield Static(TOO_SMALL, id="too-small")
        yield Footer()

    def on_mount(self) -> None:
        self._refresh_all()
        self.query_one("#submit", Button).focus()

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE_COLUMNS, "-wide")

    # --- attributes down -----------------------------------------------------------------------

    def update(
        self,
        values: Mapping[str, Any],
        issues: list[Issue],
        body: Mapping[str, Any] | None,
        catalog: Catalog,
        names: Mapping[str, str] | None = None,
    ) -> None:
        """Show new answers (e.g. after an edit), their problems and the body they make (None while there
        are problems); changed answers clear a past refusal.

        `names` (resource id -> name, e.g. from the live VPC list) shows names beside IDs; None keeps the
        ones given before.
        """
        changed = dict(values) != self.values
        if names is not None:
            self.names = dict(names)
        self.values = dict(values)
        self.issues = list(issues)
        self.body = dict(body) if body is not None else None
        self.catalog = catalog
        if self.is_mounted:
            if changed:
                for group in self.query(".review-group"):
                    group.remove_class("-failed")
                self._status("")
            self._refresh_all()

    def set_quota(self, quota: Quota | None, error: str | None = None) -> None:
        """Show the account's instance quota, or why it could not be read (None, None: still checking)."""
        self.quota = quota
        self.quota_error = error
        if self.is_mounted:
            self._refresh_quota()

    def set_submitting(self, submitting: bool) -> None:
        """Disable Submit while a create is in flight (and say so); ending it keeps an error on show."""
        self.submitting = submitting
        if self.is_mounted:
            button = self.query_one("#submit", Button)
            button.disabled = submitting
            button.label = "Submitting…" if submitting else "Submit…"
            status = self.query_one("#submit-status", Static)
            if submitting:
                self._status(SENDING)
            elif not status.has_class("-error"):
                self._status("")

    def show_submit_error(self, message: str, step: Step | None, headline: str = NOT_CREATED) -> None:
        """Show why the create failed; when a step can fix it, point at it and focus its Edit button.

        `headline` says what is known of the outcome: NOT_CREATED, or OUTCOME_UNKNOWN after a fault.
        """
        self.set_submitting(False)
        where = f" Fix it on the {step.label} step: press Edit {step.label}." if step is not None else ""
        self._status(f"✗ {headline}: {message}{where}", error=True)
        for group in self.query(".review-group"):
            failed = step is not None and group.id == f"group-{step.value}"
            group.set_class(failed, "-failed")
            if failed:
                group.query_one(".review-group-status", Static).update("✗ the cloud refused this")
        if step is not None:
            button = self.query_one(f"#edit-{step.value}", Button)
            button.focus()
            button.scroll_visible()

    # --- drawing -------------------------------------------------------------------------------

    def _refresh_all(self) -> None:
        by_step: dict[Step, list[Issue]] = {step: [] for step in Step}
        for issue in self.issues:
            by_step[issue.step].append(issue)
        for step in Step:
            group = self.query_one(f"#group-{step.value}", Vertical)
            problems = by_step[step]
            group.set_class(bool(problems), "-invalid")
            status = f"✗ {len(problems)} problem{'s' if len(problems) != 1 else ''}" if problems else "✓ ready"
            group.query_one(".review-group-status", Static).update(status)
            group.query_one(".review-group-fields", Static).update(self._group_text(step, problems))
        problems_box = self.query_one("#review-problems", Static)
        count = len(self.issues)
        problems_box.display = bool(count)
        if count:
            steps = ", ".join(dict.fromkeys(issue.step.label for issue in self.issues))
            problems_box.update(
                f"✗ {count} problem{'s' if count != 1 else ''} to fix before submitting ({steps}): "
                "use the Edit buttons below."
            )
        self.query_one(Stepper).show({step.value: ("invalid" if by_step[step] else "done") for step in Step}, "review")
        self._refresh_body()
        self._refresh_quota()

    def _group_text(self, step: Step, problems: list[Issue]) -> RenderableType:
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(style="dim", no_wrap=True, width=19)
        grid.add_column(ratio=1, overflow="fold")
        for path in shown_fields(step, self.values):
            # Text, not str: a table reads str cells as markup, and answers (or names) may hold [brackets].
            grid.add_row(field_spec(path).label, Text(describe_value(path, self.values, self.catalog, self.names)))
        if not problems:
            return grid
        text = Text("\n".join(f"✗ {issue.message}" for issue in problems), style="bold")
        return Group(grid, text)

    def _refresh_body(self) -> None:
        self.query_one("#body-json", JsonView).show(self.body)

    def body_text(self) -> str:
        """The request body as it will be sent (pretty-printed), or "" while the request is invalid."""
        return json.dumps(self.body, indent=2, ensure_ascii=False) if self.body is not None else ""

    def _refresh_quota(self) -> None:
        quota_view = self.query_one("#quota", Static)
        quota_view.set_class(False, "-warning")
        if self.quota_error is not None:
            quota_view.update(f"Quota: could not be checked ({self.quota_error}); you can still submit.")
        elif self.quota is None:
            quota_view.update("Quota: checking…")
        elif self.quota.remaining == 0:
            quota_view.add_class("-warning")
            quota_view.update(
                f"⚠ Quota: {self.quota.used} of {self.quota.quota} instances used, none left. "
                "The create will be refused unless an instance is deleted or the quota raised."
            )
        else:
            quota_view.update(
                f"Quota: {self.quota.used} of {self.quota.quota} instances used, {self.quota.remaining} left."
            )

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#submit-status", Static)
        status.update(text)
        status.set_class(error, "-error")
        status.display = bool(text)

    # --- actions -------------------------------------------------------------------------------

    @on(Button.Pressed, ".edit-step")
    def _edit(self, event: Button.Pressed) -> None:
        event.stop()
        step_value = (event.button.id or "").removeprefix("edit-")
        self.post_message(self.EditRequested(Step(step_value)))

    @on(Button.Pressed, "#back")
    def _back(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_edit_last()

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    def action_edit_last(self) -> None:
        """Back from review is the last step, to change it."""
        self.post_message(self.EditRequested(list(Step)[-1]))

    def action_copy_body(self) -> None:
        if self.body is None:
            self.notify("There is no body to copy until every problem is fixed.", severity="warning")
            return
        self.app.copy_to_clipboard(self.body_text())
        self.notify("Request body copied (if your terminal allows clipboard access).")

    def action_submit(self) -> None:
        """Ask for confirmation (default No), then post SubmitRequested; refused while there are problems."""
        if self.submitting:
            return
        if self.issues or self.body is None:
            count = len(self.issues)
            reason = f"{count} problem{'s' if count != 1 else ''} must be fixed first" if count else "not valid"
            first = self.issues[0] if self.issues else None
            detail = f" (first: {first.step.label} — {first.message})" if first is not None else ""
            self._status(f"✗ Cannot submit: {reason}{detail}.", error=True)
            self.app.bell()
            return
        self.app.push_screen(
            ConfirmDialog("Create this instance?", self._confirm_text(), confirm_label="Create"),
            self._confirmed,
        )

    def _confirm_text(self) -> str:
        values = self.values
        broker_num = values.get("broker_num")
        brokers = counted(broker_num, "broker") if isinstance(broker_num, int) else f"{broker_num} brokers"
        billing = describe_value("bss_param.charging_mode", values, self.catalog)
        if billing == NOT_SET:
            billing = "Pay-per-use"
        where = f" in {self.target}" if self.target else ""
        return (
            f"Create RocketMQ instance '{values.get('name')}'{where}: {brokers} of "
            f"{values.get('product_id')}, {values.get('storage_space')} GB.\n"
            f"Billing: {billing}. This sends one create request; charges start once it exists." + self._price_sentence()
        )

    def _price_sentence(self) -> str:
        tracker = getattr(self.app, "price_tracker", None)
        return f"\n{tracker.total_sentence()}" if isinstance(tracker, PriceTracker) else ""

    def _confirmed(self, answer: bool | None) -> None:
        if answer and not self.submitting and not self.issues:
            self.set_submitting(True)
            self.post_message(self.SubmitRequested())
