"""Where the wizard keeps its files: platformdirs' user folders, or one folder named by ROCKETMQ_WIZARD_HOME.

The cache folder holds only what can be fetched again (e.g. the price codes discovered per site and region).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "rocketmq-wizard"
HOME_VARIABLE = "ROCKETMQ_WIZARD_HOME"


@dataclass(frozen=True)
class AppPaths:
    """The app's folders. Nothing is created until a store writes there."""

    data_dir: Path
    config_dir: Path
    cache_dir: Path

    @property
    def drafts_dir(self) -> Path:
        """One TOML file per draft."""
        return self.data_dir / "drafts"

    @property
    def profiles_dir(self) -> Path:
        """One TOML file per profile."""
        return self.data_dir / "profiles"

    @property
    def history_dir(self) -> Path:
        """One TOML file per submitted request."""
        return self.data_dir / "history"

    @property
    def settings_file(self) -> Path:
        """The user's settings."""
        return self.config_dir / "settings.toml"


def app_paths(env: Mapping[str, str] | None = None) -> AppPaths:
    """The app's folders; ROCKETMQ_WIZARD_HOME, when set, holds data and settings under one folder."""
    environ = os.environ if env is None else env
    home = environ.get(HOME_VARIABLE, "").strip()
    if home:
        root = Path(home).expanduser().absolute()
        return AppPaths(data_dir=root, config_dir=root, cache_dir=root / "cache")
    return AppPaths(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        cache_dir=Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
    )
