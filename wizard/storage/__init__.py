"""Drafts, profiles and history: the wizard's files, written atomically, versioned, never holding a secret."""

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
