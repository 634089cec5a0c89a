"""Drafts, profiles and history: the wizard's files, written atomically, versioned, never holding a secret.

The names below load their module on first use (PEP 562): importing one part, such as the secrets
registry that every connection uses, does not load every store.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wizard.storage.documents import SCHEMA_VERSION
    from wizard.storage.drafts import Draft, DraftStore, DraftSummary
    from wizard.storage.errors import DocumentUnreadable, DraftLocked, InvalidName, NotFound, StorageError
    from wizard.storage.history import HistoryEntry, HistoryStore
    from wizard.storage.paths import APP_NAME, HOME_VARIABLE, AppPaths, app_paths
    from wizard.storage.profiles import Profile, ProfileExists, ProfileInvalid, ProfileStore, ProfileSummary
    from wizard.storage.saver import DebouncedSaver
    from wizard.storage.secrets import (
        forget_secrets,
        register_credentials,
        register_secret,
        scan_for_secrets,
        strip_secrets,
    )

#: Where each public name lives.
_MODULE_OF = {
    "SCHEMA_VERSION": "documents",
    "Draft": "drafts",
    "DraftStore": "drafts",
    "DraftSummary": "drafts",
    "DocumentUnreadable": "errors",
    "DraftLocked": "errors",
    "InvalidName": "errors",
    "NotFound": "errors",
    "StorageError": "errors",
    "HistoryEntry": "history",
    "HistoryStore": "history",
    "APP_NAME": "paths",
    "HOME_VARIABLE": "paths",
    "AppPaths": "paths",
    "app_paths": "paths",
    "Profile": "profiles",
    "ProfileExists": "profiles",
    "ProfileInvalid": "profiles",
    "ProfileStore": "profiles",
    "ProfileSummary": "profiles",
    "DebouncedSaver": "saver",
    "forget_secrets": "secrets",
    "register_credentials": "secrets",
    "register_secret": "secrets",
    "scan_for_secrets": "secrets",
    "strip_secrets": "secrets",
}

__all__ = [
    "APP_NAME",
    "HOME_VARIABLE",
    "SCHEMA_VERSION",
    "AppPaths",
    "DebouncedSaver",
    "DocumentUnreadable",
    "Draft",
    "DraftLocked",
    "DraftStore",
    "DraftSummary",
    "HistoryEntry",
    "HistoryStore",
    "InvalidName",
    "NotFound",
    "Profile",
    "ProfileExists",
    "ProfileInvalid",
    "ProfileStore",
    "ProfileSummary",
    "StorageError",
    "app_paths",
    "forget_secrets",
    "register_credentials",
    "register_secret",
    "scan_for_secrets",
    "strip_secrets",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value
