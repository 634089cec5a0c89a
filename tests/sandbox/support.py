"""Helpers shared by the sandbox tests."""

from __future__ import annotations


class ManualClock:
    """A monotonic clock that moves only when a test says so, so lifecycle tests never race real time."""

    def __init__(self, start: float) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += seconds
