"""The price estimate on the steps that change it: a tracker that asks in the background, and the line that shows it.

`PriceTracker` (one per app) turns the answers into a price inquiry on every change. An inquiry already
answered shows at once; a new one marks the figure on show as updating and asks after a short pause
(typing several keys asks once), in a worker, so typing never waits. `PriceLine` (mounted by Flavor,
Storage, Public access, Billing and Review) shows what the tracker knows: the total, each item on its own
line, or in words why there is no price.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

if TYPE_CHECKING:
    from screens.app import WizardApp
    from wizard.pricing.estimate import Estimate
    from wizard.pricing.inquiry import PriceInquiry
    from wizard.pricing.pricer import Pricer

DEBOUNCE = 0.3
"""Seconds without a change before a new inquiry is sent."""


@dataclass(frozen=True)
class PriceView:
    """What the price line shows: the last estimate (maybe for older answers), and whether it is current."""

    estimate: Estimate | None = None
    updating: bool = False
    unavailable: str = ""
    """Why there is no price, in words (empty when there is one, or one is coming)."""


Listener = Callable[[PriceView], None]


class PriceTracker:
    """Keeps the estimate of the app's current answers (see the module docstring)."""

    def __init__(self, app: WizardApp) -> None:
        self.app = app
        self.view = PriceView()
        self.inquiry: PriceInquiry | None = None
        self._listeners: list[Listener] = []
        self._timer: Timer | None = None
        self._pricer: Pricer | None = None
        self._last: Estimate | None = None
        self.asked = 0
        """How many inquiries were sent to the price service (benches count them)."""

    def subscribe(self, listener: Listener) -> None:
        """Call `listener` with every new view (and now, with the current one)."""
        self._listeners.append(listener)
        listener(self.view)

    def unsubscribe(self, listener: Listener) -> None:
        """Stop calling `listener`."""
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _show(self, view: PriceView) -> None:
        self.view = view
        for listener in list(self._listeners):
            listener(view)

    def changed(self) -> None:
        """The answers (or the catalog, or the connection) changed: work out the inquiry, show what is known."""
        from wizard.pricing.estimate import PriceUnavailable
        from wizard.pricing.inquiry import inquiry_from_answers

        settings = self.app.settings
        if settings is None:
            self._set_inquiry(None, "there is no connection to ask the price service")
            return
        state = self.app.state
        try:
            inquiry = inquiry_from_answers(
                state.get, lambda path: state.issue_for(path) is not None, state.catalog, settings.region
            )
        except PriceUnavailable as exc:
            self._set_inquiry(None, exc.reason)
            return
        if inquiry == self.inquiry and (self.view.estimate is not None or self.view.updating):
            return
        self.inquiry = inquiry
        known = self._pricer.known(inquiry) if self._pricer is not None else None
        if known is not None:
            self._stop_timer()
            self._answered(inquiry, known)
            return
        # The last figure stays on show, marked, until the new one comes (even across a moment of invalid answers).
        self._show(PriceView(self._last, updating=True))
        self._stop_timer()
        self._timer = self.app.set_timer(DEBOUNCE, self._ask)

    def _set_inquiry(self, inquiry: None, reason: str) -> None:
        self._stop_timer()
        self.inquiry = inquiry
        self._show(PriceView(None, unavailable=reason))

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _ask(self) -> None:
        self._timer = None
        if self.inquiry is not None:
            self.app.run_worker(self._fetch(self.inquiry), group="price", exclusive=True, exit_on_error=False)

    async def _fetch(self, inquiry: PriceInquiry) -> None:
        from wizard.pricing.estimate import PriceUnavailable
        from wizard.pricing.pricer import default_pricer

        try:
            if self._pricer is None:
                client = await self.app.client()
                settings = self.app.settings
                if settings is None:
                    return
                self._pricer = default_pricer(settings, client.project_id)
            self.asked += 1
            answer: Estimate | PriceUnavailable = await self._pricer.estimate(inquiry)
        except PriceUnavailable as exc:
            answer = exc
        except Exception as exc:  # a price never stops the wizard: say why and go on
            answer = PriceUnavailable(f"the price could not be asked ({exc})")
        if inquiry == self.inquiry:
            self._answered(inquiry, answer)

    def _answered(self, inquiry: PriceInquiry, answer: Any) -> None:
        from wizard.pricing.estimate import Estimate

        if isinstance(answer, Estimate):
            self._last = answer
            self._show(PriceView(answer))
        else:
            self._show(PriceView(None, unavailable=str(answer)))

    async def aclose(self) -> None:
        """Stop asking and close the price service's connections."""
        self._stop_timer()
        pricer, self._pricer = self._pricer, None
        if pricer is not None:
            await pricer.aclose()

    def total_sentence(self) -> str:
        """The total in one sentence for the confirm dialog ("" when nothing is known yet)."""
        view = self.view
        if view.estimate is not None and not view.updating:
            return f"Estimated price: {view.estimate.total_line()}."
        if view.unavailable:
            return f"Price unavailable: {view.unavailable}."
        return "The price is still being worked out."


class PriceLine(Widget):
    """The estimate of the current answers: the total, then each item on its own line (with the class
    `-with-notes`, also what is not included, such as EIPs)."""

    DEFAULT_CLASSES = "price-line"

    def compose(self) -> ComposeResult:
        yield Static("", classes="price-total", markup=False)
        yield Static("", classes="price-items", markup=False)

    def on_mount(self) -> None:
        tracker = getattr(self.app, "price_tracker", None)
        if isinstance(tracker, PriceTracker):
            tracker.subscribe(self.show)
            tracker.changed()
        else:
            self.show(PriceView(None, unavailable="there is no price service"))

    def on_unmount(self) -> None:
        tracker = getattr(self.app, "price_tracker", None)
        if isinstance(tracker, PriceTracker):
            tracker.unsubscribe(self.show)

    def show(self, view: PriceView) -> None:
        """Show a view of the tracker (attributes down)."""
        try:
            total = self.query_one(".price-total", Static)
            items = self.query_one(".price-items", Static)
        except NoMatches:
            return  # not composed yet, or being removed
        self.set_class(view.updating, "-updating")
        self.set_class(bool(view.unavailable), "-unavailable")
        estimate = view.estimate
        if estimate is None:
            total.update(
                f"Price: unavailable — {view.unavailable}." if view.unavailable else "Price: being worked out…"
            )
            items.update("")
            return
        mark = " (updating…)" if view.updating else ""
        total.update(f"Price{mark}: {estimate.total_line()}")
        lines = [f"  {estimate.item_line(item)}" for item in estimate.items]
        if self.has_class("-with-notes"):
            lines += [f"  {note}" for note in estimate.notes]
        items.update("\n".join(lines))
