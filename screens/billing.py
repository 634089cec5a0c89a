"""Step 6, Billing: pay-per-use, or yearly/monthly with its period, auto-renew and auto-pay."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import RadioButton, RadioSet

from screens.state import period_range
from screens.step import StepScreen
from screens.widgets.field import FieldInput, FieldRow, SwitchRow
from wizard.catalog import PAY_PER_USE, YEARLY_MONTHLY
from wizard.fields import Step

MODES = ((PAY_PER_USE, "Pay-per-use (postPaid)"), (YEARLY_MONTHLY, "Yearly/monthly (prePaid)"))
PERIOD_TYPES = (("month", "Months"), ("year", "Years"))


class MarkedRadioButton(RadioButton):
    """A radio button whose state is a text mark, (*) or ( ), not only a colour (readable with NO_COLOR)."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.styled("(*)" if self.value else "( )", style)


class ChoiceSet(RadioSet, inherit_bindings=False):
    """A RadioSet whose buttons stand for API values; Space picks, Enter is the step's Next as everywhere."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,right", "next_button", "Next option", show=False),
        Binding("space", "toggle_button", "Pick"),
        Binding("up,left", "previous_button", "Previous option", show=False),
    ]

    def __init__(self, path: str, options: tuple[tuple[str, str], ...], *, id: str | None = None) -> None:
        self.path = path
        self.options = options
        super().__init__(*(MarkedRadioButton(label, id=f"opt-{value}") for value, label in options), id=id)

    def show_answer(self, value: str | None) -> None:
        """Press the button for a value changed elsewhere."""
        for option, _ in self.options:
            button = self.query_one(f"#opt-{option}", RadioButton)
            if option == value and not button.value:
                with self.prevent(RadioSet.Changed):
                    button.value = True

    def value_of(self, button: RadioButton) -> str | None:
        """The API value a button stands for."""
        return button.id.removeprefix("opt-") if button.id else None


class BillingStep(StepScreen):
    """Billing mode and period."""

    STEP: ClassVar[Step] = Step.BILLING
    PRICE = ""
    INTRO = "Pay-per-use needs nothing more. Yearly/monthly needs the period; renewal and payment are optional."

    def compose_fields(self) -> ComposeResult:
        yield FieldRow("bss_param.charging_mode", ChoiceSet("bss_param.charging_mode", MODES, id="mode"))
        with Vertical(id="prepaid"):
            yield FieldRow("bss_param.period_type", ChoiceSet("bss_param.period_type", PERIOD_TYPES, id="period-type"))
            yield FieldRow(
                "bss_param.period_num",
                FieldInput("bss_param.period_num", self.answer, whole_number=True, id="period-num"),
            )
            yield SwitchRow("bss_param.is_auto_renew", self.answer)
            yield SwitchRow("bss_param.is_auto_pay", self.answer)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        control = event.radio_set
        if isinstance(control, ChoiceSet):
            path, value = control.path, control.value_of(event.pressed)
            # Textual handles a RadioSet.Changed with RadioButton.Changed prevented, and carries that to all
            # that is done meanwhile: the period type pressed by the answer below would never tell its set,
            # which then kept the old choice pressed too. A timer answers outside that.
            self.set_timer(0.001, lambda: self.answer(path, value))

    def refresh_from_state(self) -> None:
        self.query_one("#mode", ChoiceSet).show_answer(self.state.charging_mode)
        prepaid = self.state.charging_mode == YEARLY_MONTHLY
        self.query_one("#prepaid").display = prepaid
        self.query_one("#period-type", ChoiceSet).show_answer(self.state.get("bss_param.period_type"))
        self.query_one("#period-num", FieldInput).show_answer(self.state.get("bss_param.period_num"))
        for row in self.query(SwitchRow):
            row.switch.show_answer(self.state.get(row.path))
        self._period_note()

    def answer_changed(self, path: str) -> None:
        if path == "bss_param.charging_mode":
            self.refresh_from_state()
        self._period_note()

    def _period_note(self) -> None:
        period_type = self.state.get("bss_param.period_type")
        low, high = period_range(period_type)
        unit = "years" if period_type == "year" else "months"
        self.query_one("#row-bss_param-period_num", FieldRow).show_note(f"{low}-{high} {unit}")
