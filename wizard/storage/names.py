"""The rules for draft IDs and profile names, which become file names."""

from __future__ import annotations

import re

from wizard.storage.errors import InvalidName
from wizard.storage.secrets import holds_secret

_DRAFT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_PROFILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
PROFILE_NAME_RULE = "1-64 characters: letters, digits, '.', '_' and '-', starting with a letter or digit"


def check_draft_id(draft_id: str) -> str:
    """`draft_id` if it is a well-formed draft ID, else InvalidName."""
    if not _DRAFT_ID.fullmatch(draft_id):
        raise InvalidName(f"{draft_id!r} is not a draft ID (IDs look like 20261128-010203-1a2b3c4d)")
    return draft_id


def check_profile_name(name: str) -> str:
    """`name` if it can name a profile file, else InvalidName giving the rule."""
    if holds_secret(name):
        raise InvalidName("that profile name holds a secret (an access key or token); choose another name")
    if not _PROFILE_NAME.fullmatch(name) or name.lower().endswith(".toml"):
        shown = name if len(name) <= 70 else name[:67] + "..."
        raise InvalidName(f"profile name {shown!r} is not allowed: use {PROFILE_NAME_RULE}, without .toml")
    return name
