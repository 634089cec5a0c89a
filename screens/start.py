"""The start screen: a new instance, a draft to resume, or a saved profile to start from.

It says where requests will go (region and project, or a clear SANDBOX badge) and where the credentials
came from; with none, it says what to set and offers the built-in sandbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from screens.widgets.topbar import TOO_SMALL, KeysWaitWhileTooSmall, TopBar


@dataclass(frozen=True)
class SavedEntry:
    """A draft or profile as the start screen lists it."""

    id: str
    label: str


def age(when: datetime, now: datetime | None = None) -> str:
    """How long ago, in words a person reads at a glance."""
    seconds = max(((now or datetime.now(UTC)) - when).total_seconds(), 0)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} days ago"


class StartScreen(KeysWaitWhileTooSmall, Screen[None]):
    """New, resume or from profile."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New instance"),
    ]

    class NewRequested(Message):
        """Start a new instance from nothing."""

    class ResumeRequested(Message):
        """Resume a draft."""

        def __init__(self, draft_id: str) -> None:
            super().__init__()
            self.draft_id = draft_id

    class ProfileRequested(Message):
        """Start from a saved profile."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    class SandboxRequested(Message):
        """Use the built-in sandbox (no credentials needed)."""

    class Shown(Message):
        """The whole start screen is drawn (its second frame): the app's background work may begin."""

    def __init__(
        self, target: str, credentials_source: str, credentials_problem: str | None, *, connecting: bool = False
    ) -> None:
        super().__init__(name="start")
        self.target = target
        self.credentials_source = credentials_source
        self.credentials_problem = credentials_problem
        self.connecting = connecting
        """True while the built-in sandbox starts (New waits for it)."""
        self._new_pending = False
        self._saved: dict[str, Sequence[SavedEntry] | None] = {"drafts": None, "profiles": None}
        """The drafts and profiles to list (None while loading), kept until their lists are mounted."""
        self._rest_started = False
        self._rest_mounted = False

    def compose(self) -> ComposeResult:
        yield TopBar("Start", self.target)
        with VerticalScroll(id="body"):
            yield Static(
                "Create a Huawei Cloud DMS for RocketMQ instance, step by step. Every answer is checked as "
                "you type; nothing is sent until you confirm on the Review step.",
                classes="intro",
            )
            yield Static(self._where(), id="where", markup=False)
            if self.credentials_problem is not None:
                yield self._problem_box(self.credentials_problem, "Use the sandbox")
            yield Button("New instance", id="new", variant="primary")
        yield Static(TOO_SMALL, id="too-small")

    @staticmethod
    def _problem_box(message: str, button: str) -> Horizontal:
        # Built only when there is a problem to show: most starts have none, and it costs the first frame.
        return Horizontal(
            Static(message, id="credentials-problem", markup=False),
            Button(button, id="use-sandbox"),
            id="no-credentials",
        )

    def _where(self) -> str:
        if self.connecting:
            return "Requests go to: the built-in SANDBOX (starting…)\nCredentials: the sandbox's own keys"
        if self.credentials_problem:
            return f"Requests go to: {self.target}\nCredentials: none found."
        return f"Requests go to: {self.target}\nCredentials: {self.credentials_source}"

    def on_mount(self) -> None:
        self.query_one("#new", Button).disabled = self.credentials_problem is not None or self.connecting
        if self.credentials_problem is not None:
            self.query_one("#use-sandbox", Button).focus()
        else:
            self.query_one("#new", Button).focus()
        # The first frame shows what to read first (where requests go, New); the saved lists (still loading
        # then) and the footer follow in the next frame. They cost most of the first frame's time otherwise.
        self.call_after_refresh(self._mount_rest)
        # Textual runs an after-refresh callback on whichever screen is on top then, and drops it if that
        # is a dialog closed before it refreshes (F1 pressed during the first frame): this catches that.
        self.set_timer(0.5, self._mount_rest)

    async def _mount_rest(self) -> None:
        if self._rest_started or not self.is_attached:
            return  # done already, or the app quit before its second frame
        self._rest_started = True
        from textual.widgets import Footer  # imported here too: it takes ~2 ms off the first frame

        await self.mount(Footer())
        await self.query_one("#body", VerticalScroll).mount_all(
            [
                Label("Resume a draft", classes="section"),
                OptionList(id="drafts"),
                Label("Start from a saved profile", classes="section"),
                OptionList(id="profiles"),
            ]
        )
        if not self.is_attached:
            return  # the app is quitting
        self._rest_mounted = True
        self.show_drafts(self._saved["drafts"])
        self.show_profiles(self._saved["profiles"])
        self.post_message(self.Shown())

    def connected(self, target: str, credentials_source: str) -> None:
        """The app switched to another target (the sandbox): say so and allow starting."""
        self.target = target
        self.credentials_source = credentials_source
        self.credentials_problem = None
        self.connecting = False
        self.query_one(TopBar).show_target(target)
        self.query_one("#where", Static).update(self._where())
        self.query("#no-credentials").remove()
        new = self.query_one("#new", Button)
        new.disabled = False
        new.focus()
        if self._new_pending:
            # The user pressed n while the sandbox was starting: go on now.
            self._new_pending = False
            self.post_message(self.NewRequested())

    def connection_failed(self, message: str) -> None:
        """Starting the sandbox failed: say why and offer to try again."""
        self.connecting = False
        self.credentials_problem = message
        self.query_one("#where", Static).update(self._where())
        self.call_later(self._show_problem, message)

    async def _show_problem(self, message: str) -> None:
        await self.query("#no-credentials").remove()
        box = self._problem_box(message, "Try the sandbox again")
        await self.query_one("#body", VerticalScroll).mount(box, before="#new")
        box.query_one("#use-sandbox", Button).focus()

    def _fill(self, list_id: str, entries: Sequence[SavedEntry] | None, empty: str) -> None:
        self._saved[list_id] = entries
        if not self._rest_mounted:
            return  # filled once the lists are mounted
        options = self.query_one(f"#{list_id}", OptionList)
        options.clear_options()
        if entries is None:
            options.add_option(Option("Loading…", disabled=True))
        elif not entries:
            options.add_option(Option(empty, disabled=True))
        else:
            options.add_options([Option(entry.label, id=entry.id) for entry in entries])
            options.highlighted = 0
        options.disabled = self.credentials_problem is not None and bool(entries)

    def show_drafts(self, drafts: Sequence[SavedEntry] | None) -> None:
        """List the drafts (None while loading)."""
        self._fill("drafts", drafts, "No drafts yet.")

    def show_profiles(self, profiles: Sequence[SavedEntry] | None) -> None:
        """List the profiles (None while loading)."""
        self._fill("profiles", profiles, "No saved profiles yet.")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id
        if option_id is None:
            return
        if event.option_list.id == "drafts":
            self.post_message(self.ResumeRequested(option_id))
        else:
            self.post_message(self.ProfileRequested(option_id))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "new":
            self.action_new()
        elif event.button.id == "use-sandbox":
            event.button.disabled = True
            event.button.label = "Starting the sandbox…"
            self.post_message(self.SandboxRequested())

    def action_new(self) -> None:
        """Start a new instance."""
        if self.connecting:
            self._new_pending = True
        elif self.credentials_problem is None:
            self.post_message(self.NewRequested())
