"""Shared fixtures: no test ever touches the real user's home, credentials or settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from wizard.sandbox.server import RunningSandbox


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point HOME, the app's folders and the SDK's files at a fresh temporary folder; clear cloud env vars."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ROCKETMQ_WIZARD_HOME", str(home / "wizard-home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    for name in list(os.environ):
        if name.startswith(("HUAWEICLOUD_", "HW_", "HC_")):
            monkeypatch.delenv(name)
    yield home


@pytest.fixture
def sandbox() -> Iterator[RunningSandbox]:
    """A sandbox (demo tenant; instances RUNNING 0.5 s after creation) on a free loopback port, stopped after."""
    from wizard.sandbox import start_sandbox

    running = start_sandbox(tenant="demo", create_delay=0.5)
    try:
        yield running
    finally:
        running.stop()
