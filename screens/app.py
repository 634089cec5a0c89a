"""The wizard app: the shared state, navigation between the step screens, and every call to the cloud.

One screen per step, built on first visit. Screens tell the app what happened through messages; the app
hands them state and results through attributes and methods. All I/O runs in workers: the live lists,
the quota, the create and the follow. The sandbox server, the saved drafts and the heavy modules (the
client, httpx, the request model) load once the start screen is whole (`StartScreen.Shown`), not before.
"""

from __future__ import annotations

import asyncio
import importlib
import threading
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen

from screens.start import SavedEntry, StartScreen, age
from screens.widgets.topbar import TOO_SMALL_CLASS
from wizard.fields import Step, field_spec

if TYPE_CHECKING:
    from screens.state import LiveList, WizardState
    from screens.step import StepScreen
    from screens.widgets.price import PriceTracker
    from wizard.client import CloudClient
    from wizard.connection import ConnectionSettings
    from wizard.resources import CreateOutcome

#: Where each step's screen lives; imported on first visit.
STEP_SCREENS: dict[str, tuple[str, str]] = {
    Step.BASICS.value: ("screens.basics", "BasicsStep"),
    Step.NETWORK.value: ("screens.network", "NetworkStep"),
    Step.FLAVOR.value: ("screens.flavor", "FlavorStep"),
    Step.STORAGE.value: ("screens.storage", "StorageStep"),
    Step.PUBLIC_ACCESS.value: ("screens.public_access", "PublicAccessStep"),
    Step.BILLING.value: ("screens.billing", "BillingStep"),
}
REVIEW = "review"
RESULT = "result"
#: The order of the walk: the field steps, then review.
ORDER: tuple[str, ...] = (*(step.value for step in Step), REVIEW)

#: Which live list a FilteredList (by its id) shows, for Retry.
LIST_OF_FIELD = {
    "list-vpc_id": "vpcs",
    "list-subnet_id": "subnets",
    "list-security_group_id": "security_groups",
    "list-available_zones": "catalog",
    "list-product_id": "catalog",
    "list-storage_spec_code": "catalog",
    "list-publicip_id": "eips",
    "list-enterprise_project_id": "enterprise_projects",
}
LIST_NAMES = ("catalog", "vpcs", "subnets", "security_groups", "eips", "enterprise_projects")

MIN_WIDTH, MIN_HEIGHT = 80, 24

ClientFactory = Callable[["ConnectionSettings"], "CloudClient"]


def default_client(settings: ConnectionSettings) -> CloudClient:
    """The real client (imported here: httpx and the client are not needed for the first frame)."""
    client_module = importlib.import_module("wizard.client")
    client: CloudClient = client_module.CloudClient(settings)
    return client


class WizardApp(App[str | None]):
    """The guided wizard: start, six steps, review, result."""

    # The start screen's styles load with the app's: a screen's own CSS_PATH makes Textual parse every
    # stylesheet again when it is first shown, which would cost the first frame.
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        Path(__file__).with_name("app.tcss"),
        Path(__file__).with_name("start.tcss"),
    ]
    TITLE = "RocketMQ wizard"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[Any]] = [
        Binding("ctrl+q", "quit_keep_draft", "Quit", priority=True, id="quit"),
        Binding("ctrl+s", "save_profile", "Save profile", id="save-profile"),
        Binding("f1", "help", "Help", id="help"),
    ]

    def __init__(
        self,
        settings: ConnectionSettings | None,
        *,
        credentials_problem: str | None = None,
        connect_sandbox: Callable[[], ConnectionSettings] | None = None,
        sandbox_at_start: bool = False,
        client_factory: ClientFactory | None = None,
        draft_store: Any | None = None,
        profile_store: Any | None = None,
        autosave_delay: float = 0.3,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.credentials_problem = credentials_problem if settings is None else None
        self._connect_sandbox = connect_sandbox
        # --sandbox: the sandbox server starts once the start screen is drawn, not before it (~0.3 s).
        self.sandbox_starting = sandbox_at_start and settings is None and connect_sandbox is not None
        self._client_factory = client_factory or default_client
        self._client: CloudClient | None = None
        self._client_lock = asyncio.Lock()
        self._draft_store = draft_store
        self._profile_store = profile_store
        self._stores_lock = threading.Lock()
        self._autosave_delay = autosave_delay
        self._draft: Any | None = None
        self._saver: Any | None = None
        self._state: WizardState | None = None
        self._price_tracker: PriceTracker | None = None
        self._screens: dict[str, Screen[Any]] = {}
        self._lists_dirty = False
        self.current = "start"
        self.submitting = False
        self.creates_sent = 0
        self.outcome: CreateOutcome | None = None
        self.instance_id: str | None = None
        self.instance_status: str | None = None
        self.kept_draft: str | None = None
        """The draft left unsubmitted when the user quit (its name and step), said on the terminal."""

    # --- start-up ------------------------------------------------------------------------------

    def describe_target(self) -> str:
        """Where requests go, for the top bar."""
        if self.settings is None:
            return "SANDBOX (starting…)" if self.sandbox_starting else "NOT CONNECTED"
        return self.settings.describe()

    def credentials_source(self) -> str:
        """Where the credentials came from."""
        return self.settings.credentials.source if self.settings is not None else ""

    def on_mount(self) -> None:
        start = StartScreen(
            self.describe_target(),
            self.credentials_source(),
            self.credentials_problem,
            connecting=self.sandbox_starting,
        )
        self.install_screen(start, "start")
        self._screens["start"] = start
        self.push_screen(start)
        self._check_size(self.size.width, self.size.height)

    @on(StartScreen.Shown)
    def _after_start_screen(self) -> None:
        # Everything the start screen does not need loads once it is whole (it says so once): the threads
        # below hold the GIL for a good part of a second, and would otherwise slow its second frame down.
        if self.sandbox_starting:
            self._start_sandbox()
        self.load_saved()
        self._warm_up()

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        # The model (pydantic), the client (httpx) and the first steps take most of a second to import;
        # importing them in a thread keeps the start screen answering keys meanwhile.
        for module in ("screens.state", "wizard.client", "screens.basics", "screens.network"):
            with suppress(ImportError):
                importlib.import_module(module)
        self.call_from_thread(self._warmed_up)

    def _warmed_up(self) -> None:
        if self.settings is not None and not self.state.lists.catalog.loading and not self.state.lists.catalog.loaded:
            self.load_lists(LIST_NAMES)

    @property
    def state(self) -> WizardState:
        """The answers (created on first use: it imports the model)."""
        if self._state is None:
            from screens.state import WizardState

            self._state = WizardState()
            if self.settings is not None:
                self._state.set_api_route(self.settings.api_route)
        return self._state

    @property
    def price_tracker(self) -> PriceTracker:
        """The estimate of the current answers, asked in the background (made on first use)."""
        if self._price_tracker is None:
            from screens.widgets.price import PriceTracker

            self._price_tracker = PriceTracker(self)
        return self._price_tracker

    def on_resize(self, event: Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        if too_small != self.has_class(TOO_SMALL_CLASS):
            self.set_class(too_small, TOO_SMALL_CLASS)
            self.screen.refresh_bindings()  # the screen's keys wait while it cannot be seen

    # --- the client ----------------------------------------------------------------------------

    async def client(self) -> CloudClient:
        """The open client, created on first use."""
        async with self._client_lock:
            if self._client is None:
                if self.settings is None:
                    raise RuntimeError("no connection settings")
                client = self._client_factory(self.settings)
                await client.__aenter__()
                self._client = client
            return self._client

    async def _close_client(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with suppress(Exception):
                await client.__aexit__(None, None, None)

    async def on_unmount(self) -> None:
        self._close_saver()
        if self._price_tracker is not None:
            await self._price_tracker.aclose()
        await self._close_client()
        if self._draft_store is not None and hasattr(self._draft_store, "close"):
            self._draft_store.close()

    # --- live lists ----------------------------------------------------------------------------

    def load_lists(self, names: Iterable[str]) -> None:
        """Fetch lists in background workers; each screen is told as each one arrives."""
        for name in names:
            self._live_list(name).loading = True
            self._live_list(name).error = None
            self.run_worker(self._load_list(name), group=f"list-{name}", exclusive=True, exit_on_error=False)
        self._lists_changed()

    def _live_list(self, name: str) -> LiveList[Any]:
        live: LiveList[Any] = getattr(self.state.lists, name)
        return live

    async def _load_list(self, name: str) -> None:
        from wizard.errors import WizardError

        live = self._live_list(name)
        try:
            client = await self.client()
            if name == "catalog":
                catalog = await client.load_catalog()
                self.state.set_catalog(catalog)
                self.price_tracker.changed()  # the live flavors carry the billing codes prices are found by
                items: tuple[Any, ...] = (catalog,)
            elif name == "vpcs":
                items = tuple(await client.list_vpcs())
            elif name == "subnets":
                items = tuple(await client.list_subnets())
            elif name == "security_groups":
                items = tuple(await client.list_security_groups())
            elif name == "eips":
                items = tuple(await client.list_eips())
            else:
                items = tuple(await client.list_enterprise_projects())
        except WizardError as exc:
            live.items, live.error = None, str(exc)
        except Exception as exc:
            live.items, live.error = None, f"{type(exc).__name__}: {exc}"
        else:
            live.items, live.error = items, None
        finally:
            live.loading = False
        self._lists_changed()

    def _lists_changed(self) -> None:
        # Lists arrive one by one; tell the screens once per frame, not once per list.
        if not self._lists_dirty:
            self._lists_dirty = True
            self.call_after_refresh(self._push_lists)

    def _push_lists(self) -> None:
        from screens.step import StepScreen

        self._lists_dirty = False

        for screen in self._screens.values():
            if isinstance(screen, StepScreen) and screen.ready:
                screen.lists_changed()
                screen.refresh_problems()
        review = self._screens.get(REVIEW)
        if review is not None and review.is_mounted:
            self._update_review()

    def on_filtered_list_retry_requested(self, event: Any) -> None:
        name = LIST_OF_FIELD.get(event.filtered_list.id or "")
        if name is not None:
            self.load_lists((name,))

    # --- drafts and profiles -------------------------------------------------------------------

    def _stores(self) -> tuple[Any, Any]:
        # Asked for by the start screen's loader thread and by the UI thread: made once, under a lock.
        with self._stores_lock:
            if self._draft_store is None or self._profile_store is None:
                storage = importlib.import_module("wizard.storage")
                if self._draft_store is None:
                    self._draft_store = storage.DraftStore()
                if self._profile_store is None:
                    self._profile_store = storage.ProfileStore()
            return self._draft_store, self._profile_store

    @work(thread=True, group="saved", exclusive=True, exit_on_error=False)
    def load_saved(self) -> None:
        """List drafts and profiles for the start screen (file I/O, so in a thread)."""
        drafts_store, profiles_store = self._stores()
        try:
            drafts = [
                SavedEntry(d.id, f"{d.name or '(no name yet)'} · {d.step} · {age(d.updated)}")
                for d in drafts_store.list()  # most recently saved first
            ]
        except Exception as exc:
            drafts = []
            self.call_from_thread(self.notify, f"Could not list drafts: {exc}", severity="warning")
        try:
            profiles = [SavedEntry(p.name, p.name) for p in profiles_store.list()]
        except Exception as exc:
            profiles = []
            self.call_from_thread(self.notify, f"Could not list profiles: {exc}", severity="warning")
        start = self._screens["start"]
        if isinstance(start, StartScreen):
            self.call_from_thread(start.show_drafts, drafts)
            self.call_from_thread(start.show_profiles, profiles)

    def _begin(self, values: dict[str, Any] | None, step: str, draft: Any | None = None) -> None:
        """Start walking the steps with these answers, autosaving into `draft` (or a new one)."""
        drafts_store, _ = self._stores()
        # Back at the start and beginning again: the last session's draft is closed (lock released) and
        # none of its answers carry over.
        self._close_saver()
        if values is not None:
            self.state.load(values)
        if draft is None:
            draft = drafts_store.new(self.state.values, step)
        self._draft = draft
        storage = importlib.import_module("wizard.storage")
        self._saver = storage.DebouncedSaver(
            drafts_store, draft, delay=self._autosave_delay, on_error=self._autosave_failed
        )
        self.goto(step if step in ORDER else Step.BASICS.value)
        if self.settings is not None and not any(getattr(self.state.lists, n).loading for n in LIST_NAMES):
            missing = [n for n in LIST_NAMES if not getattr(self.state.lists, n).loaded]
            if missing:
                self.load_lists(missing)

    @on(StartScreen.NewRequested)
    def _new(self) -> None:
        self._begin({}, Step.BASICS.value)

    @on(StartScreen.ResumeRequested)
    def _resume(self, event: StartScreen.ResumeRequested) -> None:
        drafts_store, _ = self._stores()
        self._close_saver()  # it may hold this very draft's lock
        try:
            draft = drafts_store.open(event.draft_id)
        except Exception as exc:
            self.notify(str(exc), title="Cannot resume that draft", severity="error", markup=False)
            return
        self.state.load(draft.values)
        # Resume on the first unfinished step (the step reached when everything before it is done).
        order = list(ORDER)
        first = self.state.first_unfinished()
        reached = draft.step if draft.step in order else Step.BASICS.value
        step = first.value if first is not None else reached
        for visited in order[: order.index(step)]:
            if visited != REVIEW:
                self.state.visit(Step(visited))
        self._begin(None, step, draft)

    @on(StartScreen.ProfileRequested)
    def _from_profile(self, event: StartScreen.ProfileRequested) -> None:
        _, profiles_store = self._stores()
        try:
            profile = profiles_store.load(event.name)
        except Exception as exc:
            self.notify(str(exc), title="Cannot open that profile", severity="error", markup=False)
            return
        values = getattr(profile, "values", profile)
        self._begin(dict(values), Step.BASICS.value)

    @on(StartScreen.SandboxRequested)
    def _use_sandbox(self) -> None:
        self._start_sandbox()

    @work(thread=True, group="sandbox", exclusive=True, exit_on_error=False)
    def _start_sandbox(self) -> None:
        if self._connect_sandbox is None:
            return
        try:
            settings = self._connect_sandbox()
        except Exception as exc:  # a port, a thread, anything: say so on the start screen
            self.call_from_thread(self._sandbox_failed, f"The sandbox did not start: {exc}")
            return
        self.call_from_thread(self._connected, settings)

    def _sandbox_failed(self, message: str) -> None:
        self.sandbox_starting = False
        self.credentials_problem = message
        start = self._screens["start"]
        if isinstance(start, StartScreen):
            start.connection_failed(message)
        self.notify(message, severity="error", markup=False)

    def _connected(self, settings: ConnectionSettings) -> None:
        self.settings = settings
        if self._state is not None:
            self._state.set_api_route(settings.api_route)
        self.credentials_problem = None
        self.sandbox_starting = False
        start = self._screens["start"]
        if isinstance(start, StartScreen):
            start.connected(self.describe_target(), self.credentials_source())
        self.load_lists(LIST_NAMES)

    def _autosave_failed(self, error: Exception) -> None:
        with suppress(Exception):
            self.call_from_thread(self.notify, f"The draft could not be saved: {error}", severity="warning")

    def _close_saver(self) -> None:
        saver, self._saver = self._saver, None
        if saver is not None:
            try:
                saver.close()
            except Exception as exc:
                self.notify(f"The draft could not be saved: {exc}", severity="error", markup=False)

    def _autosave(self) -> None:
        # A draft with no answer yet is not worth a file (nor a line on the start screen).
        if self._saver is not None and self.state.values:
            self._saver.update(dict(self.state.values), self.current if self.current in ORDER else REVIEW)

    def action_save_profile(self) -> None:
        """Save the current answers as a named profile (without the instance name)."""
        if self._state is None:
            self.notify("Start an instance first, then save its answers as a profile.")
            return
        from screens.profile_name import ProfileNameDialog

        self.push_screen(ProfileNameDialog(), self._save_profile)

    def _save_profile(self, answer: tuple[str, bool] | None) -> None:
        if not answer:
            return
        name, include_name = answer
        _, profiles_store = self._stores()
        try:
            profiles_store.save(name, dict(self.state.values), include_name=include_name)
        except Exception as exc:  # a bad name, a full disk: say so, keep going
            self.notify(str(exc), title="Profile not saved", severity="error", markup=False)
            return
        kept = "with" if include_name else "without"
        self.notify(f"Saved profile {name!r} ({kept} the instance name).", markup=False)

    # --- navigation ----------------------------------------------------------------------------

    def _screen_for(self, key: str) -> Screen[Any]:
        screen = self._screens.get(key)
        if screen is not None:
            return screen
        if key == REVIEW:
            from screens.review import ReviewStep

            screen = ReviewStep(*self._judged(), target=self.describe_target(), names=self._names())
        else:
            module_name, class_name = STEP_SCREENS[key]
            screen_class = getattr(importlib.import_module(module_name), class_name)
            screen = screen_class(self.state, self.describe_target())
        self.install_screen(screen, key)
        self._screens[key] = screen
        return screen

    def goto(self, key: str) -> None:
        """Show a step (built on its first visit), keeping every answer."""
        if key not in ORDER:
            return
        screen = self._screen_for(key)
        self.current = key
        if key != REVIEW:
            self.state.visit(Step(key))
        else:
            self._update_review()
            self.check_quota()
        while isinstance(self.screen, Screen) and self.screen.is_modal:
            self.pop_screen()
        if self.screen is not screen:
            self.switch_screen(screen)
        self._autosave()

    def action_goto(self, key: str) -> None:
        """Jump to a step (stepper clicks, command palette)."""
        if self._state is None or self.current in ("start", RESULT):
            return
        self.goto(key)

    def action_next_step(self) -> None:
        """The step screen's Next, from the command palette."""
        from screens.step import StepScreen

        if isinstance(self.screen, StepScreen):
            self.screen.action_next()

    def action_previous_step(self) -> None:
        """The step screen's Back, from the command palette."""
        from screens.step import StepScreen

        if isinstance(self.screen, StepScreen):
            self.screen.action_back()

    def on_step_screen_next_requested(self, event: StepScreen.NextRequested) -> None:
        index = ORDER.index(event.step.value)
        self.goto(ORDER[index + 1])

    def on_step_screen_back_requested(self, event: StepScreen.BackRequested) -> None:
        index = ORDER.index(event.step.value)
        if index == 0:
            self.current = "start"
            self.switch_screen(self._screens["start"])
            self.load_saved()  # the draft just left is now on the list
        else:
            self.goto(ORDER[index - 1])

    def on_step_screen_answer_changed(self, event: StepScreen.AnswerChanged) -> None:
        self._autosave()
        self.price_tracker.changed()

    # --- review, submit, result ----------------------------------------------------------------

    def _update_review(self) -> None:
        review = self._screens.get(REVIEW)
        if review is not None:
            review.update(*self._judged(), self._names())  # type: ignore[attr-defined]

    def _judged(self) -> tuple[dict[str, Any], list[Any], dict[str, Any] | None, Any]:
        """The answers, their problems, the body they make (judged once, by the state) and the catalog."""
        request = self.state.request()
        body = request.to_api_body() if request is not None else None
        return dict(self.state.values), self.state.issues(), body, self.state.catalog

    def _names(self) -> dict[str, str]:
        """Names (or addresses) of the chosen resources by ID, so the review shows what people recognise."""
        lists = self.state.lists
        chosen: list[tuple[Any, str | None]] = [
            (lists.vpcs, self.state.get("vpc_id")),
            (lists.subnets, self.state.get("subnet_id")),
            (lists.security_groups, self.state.get("security_group_id")),
            (lists.enterprise_projects, self.state.get("enterprise_project_id")),
            *((lists.eips, eip) for eip in self.state.eip_ids),
        ]
        names: dict[str, str] = {}
        for live, item_id in chosen:
            item = live.find(item_id) if isinstance(item_id, str) else None
            label = getattr(item, "name", None) or getattr(item, "address", None)
            if item is not None and label:
                names[item.id] = label
        return names

    def check_quota(self) -> None:
        """Ask for the quota in a worker and show it on the review step."""
        if self.settings is not None:
            self.run_worker(self._quota(), group="quota", exclusive=True, exit_on_error=False)

    async def _quota(self) -> None:
        from wizard.errors import WizardError

        review = self._screens.get(REVIEW)
        try:
            quota = await (await self.client()).quota()
        except WizardError as exc:
            if review is not None:
                review.set_quota(None, str(exc))  # type: ignore[attr-defined]
            return
        if review is not None:
            review.set_quota(quota, None)  # type: ignore[attr-defined]

    def on_review_step_edit_requested(self, event: Any) -> None:
        step = event.step
        self.goto(step.value if isinstance(step, Step) else str(step))

    def on_review_step_submit_requested(self, event: Any) -> None:
        self.submit()

    def submit(self) -> None:
        """Send the create, once: a second request while one is in flight is ignored."""
        if self.submitting or self.outcome is not None:
            return
        self.submitting = True
        review = self._screens.get(REVIEW)
        if review is not None:
            review.set_submitting(True)  # type: ignore[attr-defined]
        self.run_worker(self._create(), group="create", exclusive=False, exit_on_error=False)

    async def _create(self) -> None:
        from screens.review import NOT_CREATED, OUTCOME_UNKNOWN
        from wizard.errors import ApiError, NotCreated, OutcomeUnknown, WizardError
        from wizard.validation import RequestInvalid

        failure: tuple[str, str, str | None, str | None] | None = None
        outcome: CreateOutcome | None = None
        try:
            request = self.state.request()
            if request is None:
                raise RequestInvalid(self.state.issues())
            client = await self.client()
            self.creates_sent += 1
            outcome = await client.create_instance(request)
        except RequestInvalid as exc:
            failure = (NOT_CREATED, "The request is not valid yet: " + str(exc), None, None)
        except ApiError as exc:
            hint = exc.hint
            failure = (NOT_CREATED, exc.describe(), hint.step if hint else None, hint.field if hint else None)
        except NotCreated as exc:
            failure = (NOT_CREATED, f"{sentence(exc)} Nothing was created, so it is safe to submit again.", None, None)
        except OutcomeUnknown as exc:
            failure = (
                OUTCOME_UNKNOWN,
                f"It is not known whether the instance was created: {sentence(exc)} Check the console (or "
                f"`rocketmq-wizard status`) before submitting again.",
                None,
                None,
            )
        except WizardError as exc:
            failure = (NOT_CREATED, str(exc), None, None)
        finally:
            self.submitting = False
            review = self._screens.get(REVIEW)
            if review is not None:
                review.set_submitting(False)  # type: ignore[attr-defined]
        if failure is not None:
            self._submit_failed(*failure)
        elif outcome is not None:
            self._created(outcome)

    def _submit_failed(self, headline: str, message: str, step: str | None, field: str | None) -> None:
        review = self._screens.get(REVIEW)
        target = Step(step) if step in {s.value for s in Step} else None
        if review is not None:
            review.show_submit_error(message, target, headline)  # type: ignore[attr-defined]
        self.notify(message, title=headline, severity="error", timeout=15, markup=False)
        if target is None:
            return
        self.goto(target.value)
        screen = self._screens[target.value]
        from screens.step import StepScreen

        if isinstance(screen, StepScreen) and field:
            screen.call_after_refresh(self._point_at, screen, field, message)

    @staticmethod
    def _point_at(screen: StepScreen, field: str, message: str) -> None:
        screen.show_field_problem(field, message)
        screen.focus_field(field)

    def _created(self, outcome: CreateOutcome) -> None:
        from screens.result import ResultStep

        self.outcome = outcome
        self.instance_id = outcome.instance_id
        saver, self._saver = self._saver, None
        if saver is not None:
            try:
                saver.submitted(outcome.instance_id)
            except Exception as exc:
                self.notify(f"Could not record the draft in the history: {exc}", severity="warning", markup=False)
        result = ResultStep(outcome, target=self.describe_target())
        self.install_screen(result, RESULT)
        self._screens[RESULT] = result
        self.current = RESULT
        self.switch_screen(result)
        self.run_worker(self._follow(outcome.instance_id), group="follow", exclusive=True, exit_on_error=False)

    async def _follow(self, instance_id: str) -> None:
        from wizard.errors import WizardError

        result = self._screens[RESULT]
        try:
            client = await self.client()
            async for change in client.follow(instance_id):
                self.instance_status = change.instance.status
                result.status_changed(change)  # type: ignore[attr-defined]
        except WizardError as exc:
            result.follow_failed(str(exc))  # type: ignore[attr-defined]

    def on_result_step_done(self, event: Any) -> None:
        self.exit(self.instance_id)

    # --- app-wide actions ----------------------------------------------------------------------

    def action_quit_keep_draft(self) -> None:
        """Quit; the draft is kept (saved now) so it can be resumed."""
        if self._saver is not None and self._state is not None and self.state.values:
            name = self.state.get("name")
            where = self.current if self.current in ORDER else REVIEW
            self.kept_draft = f"{name if isinstance(name, str) and name else '(no name yet)'} · {where}"
        self._close_saver()
        self.exit(self.instance_id)

    def action_help(self) -> None:
        """Help for the focused field (its label and the model's help text), else the keys."""
        from screens.dialogs import HelpDialog
        from screens.widgets.field import FieldRow, SwitchRow

        node = self.screen.focused
        while node is not None and not isinstance(node, FieldRow | SwitchRow):
            node = node.parent  # type: ignore[assignment]
        if isinstance(node, FieldRow) and node.help_text:
            self.push_screen(HelpDialog(node.label_text, node.help_text))
            return
        if isinstance(node, SwitchRow):
            spec = field_spec(node.path)
            self.push_screen(HelpDialog(spec.label, spec.help))
            return
        self.push_screen(
            HelpDialog(
                "Keys",
                "Tab / Shift+Tab move between fields. Enter goes to the next step (in a list it picks; "
                "Ctrl+N goes on from anywhere). Esc goes back; answers are kept. F1 shows help for the "
                "focused field. Ctrl+S saves the answers as a profile. Ctrl+P opens the command palette. "
                "Ctrl+Q quits and keeps the draft.",
            )
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from self._screen_commands(screen)
        if self._state is not None and self.current not in ("start", RESULT):
            yield SystemCommand("Next step", "Check this step and go on", self.action_next_step)
            yield SystemCommand("Previous step", "Go back one step, keeping answers", self.action_previous_step)
            for key in ORDER:
                title = "Review" if key == REVIEW else Step(key).label
                yield SystemCommand(f"Go to {title}", f"Jump to the {title} step", _goto(self, key))
            yield SystemCommand("Save profile", "Save these answers as a profile (Ctrl+S)", self.action_save_profile)
        yield SystemCommand("Help", "Help for the focused field (F1)", self.action_help)
        yield SystemCommand("Quit", "Quit; the draft is kept (Ctrl+Q)", self.action_quit_keep_draft)
        yield from (cmd for cmd in super().get_system_commands(screen) if cmd.title not in ("Quit",))

    def _screen_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The main actions of the screen the palette was opened on (the same as its keys)."""
        if isinstance(screen, StartScreen):
            yield SystemCommand("New instance", "Start a new instance (n)", screen.action_new)
            return
        # Imported only when on show: both screens are built late.
        from screens.result import ResultStep
        from screens.review import ReviewStep

        if isinstance(screen, ReviewStep):
            yield SystemCommand("Submit", "Send the create request, after a confirmation (s)", screen.action_submit)
            yield SystemCommand("Copy request body", "Copy the exact JSON body (c)", screen.action_copy_body)
        elif isinstance(screen, ResultStep):
            yield SystemCommand("Copy instance ID", "Copy the new instance's ID (c)", screen.action_copy_id)


def _goto(app: WizardApp, key: str) -> Callable[[], None]:
    return lambda: app.action_goto(key)


def sentence(error: Exception) -> str:
    """An error's message ending as a sentence, so another can follow it."""
    text = str(error).rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def run_app(
    settings: ConnectionSettings | None,
    *,
    credentials_problem: str | None = None,
    connect_sandbox: Callable[[], ConnectionSettings] | None = None,
    sandbox_at_start: bool = False,
) -> tuple[str | None, str | None]:
    """Run the wizard until the user quits; returns the created instance's ID and the draft kept
    unsubmitted (its name and step), either of them None.

    With `sandbox_at_start` (and no settings) the sandbox is started by `connect_sandbox` once the start
    screen is drawn, so it does not wait for the server.
    """
    app = WizardApp(
        settings,
        credentials_problem=credentials_problem,
        connect_sandbox=connect_sandbox,
        sandbox_at_start=sandbox_at_start,
    )
    return app.run(), app.kept_draft
