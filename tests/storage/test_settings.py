"""The settings file: remembered choices, atomic and private, a corrupt file moved aside."""

from __future__ import annotations

import stat
from pathlib import Path

from wizard.storage.paths import app_paths
from wizard.storage.settings import SettingsFile, settings_file


def test_a_setting_is_remembered_and_others_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.toml"
    first = SettingsFile(path)
    first.set("theme", "light")
    first.set("pricing.site", "intl")
    again = SettingsFile(path)
    assert again.get("theme") == "light"
    assert again.get("pricing.site") == "intl"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_none_removes_a_setting(tmp_path: Path) -> None:
    settings = SettingsFile(tmp_path / "settings.toml")
    settings.set("pricing.site", "cn")
    settings.set("pricing.site", None)
    assert settings.get("pricing.site") is None


def test_no_file_means_no_settings(tmp_path: Path) -> None:
    settings = SettingsFile(tmp_path / "settings.toml")
    assert settings.read() == {}
    assert settings.get("theme") is None
    assert settings.problem is None


def test_a_corrupt_file_is_moved_aside_not_deleted(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("theme = [unclosed\n")
    settings = SettingsFile(path)
    assert settings.get("theme") is None
    assert settings.problem is not None and "moved aside" in settings.problem
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("settings.toml.corrupt-")]
    assert len(aside) == 1 and aside[0].read_text() == "theme = [unclosed\n"
    settings.set("theme", "dark")
    assert SettingsFile(path).get("theme") == "dark"


def test_the_settings_file_lives_in_the_wizard_home() -> None:
    assert settings_file().path == app_paths().settings_file
    assert app_paths().cache_dir.parent == app_paths().config_dir
