"""Keeping secrets out of every file the wizard writes.

Two nets: keys that name a secret (ak, sk, access_key, security_token, password, ...) are dropped at any
depth, and any value holding a secret known to this process (registered by whoever resolved the
credentials, or found in the SDK's environment variables) is dropped, whatever field it was typed into.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SECRET_KEYS = frozenset(
    {
        "ak",
        "sk",
        "accesskey",
        "accesskeyid",
        "secretkey",
        "secretaccesskey",
        "securitytoken",
        "authtoken",
        "xauthtoken",
        "xsecuritytoken",
        "token",
        "password",
        "passwd",
        "pwd",
        "secret",
        "apikey",
        "privatekey",
        "credential",
        "credentials",
    }
)
_SECRET_KEY_PARTS = ("password", "passwd", "secret", "token", "accesskey", "credential", "privatekey", "apikey")
_ENV_PREFIXES = ("HUAWEICLOUD_", "HW_", "HC_", "OS_")
_ENV_SECRET_WORDS = re.compile(r"(^|_)(AK|SK|ACCESS_KEY|SECRET|TOKEN|PASSWORD)(_|$)")
#: Secrets shorter than this are only matched as a whole value, so a short one cannot wipe unrelated text.
_MIN_CONTAINED = 8

_lock = threading.Lock()
_registered: set[str] = set()


def register_secret(value: str | None) -> None:
    """Remember a secret this process holds, so no file ever stores it (None and blanks are ignored)."""
    if value and value.strip():
        with _lock:
            _registered.add(value)


def register_credentials(credentials: object) -> None:
    """Register the ak, sk, security_token and auth_token of a credentials object (whichever it has)."""
    for attribute in ("ak", "sk", "security_token", "auth_token"):
        value = getattr(credentials, attribute, None)
        if isinstance(value, str):
            register_secret(value)


def forget_secrets() -> None:
    """Forget every registered secret (for tests)."""
    with _lock:
        _registered.clear()


def _environment_secrets(env: Mapping[str, str]) -> set[str]:
    return {
        value
        for name, value in env.items()
        if value.strip() and name.startswith(_ENV_PREFIXES) and _ENV_SECRET_WORDS.search(name)
    }


def known_secrets() -> frozenset[str]:
    """Every secret this process knows: the registered ones and those in the SDK's environment variables."""
    with _lock:
        registered = set(_registered)
    return frozenset(registered | _environment_secrets(os.environ))


def is_secret_key(key: str) -> bool:
    """Whether a field name names a secret (ak, sk, access_key, security_token, password, ...)."""
    normal = re.sub(r"[^a-z0-9]", "", key.lower())
    return normal in _SECRET_KEYS or any(part in normal for part in _SECRET_KEY_PARTS)


def holds_secret(text: str, secrets: Iterable[str] | None = None) -> bool:
    """Whether `text` is, or contains, a known secret."""
    for secret in known_secrets() if secrets is None else secrets:
        if text == secret or (len(secret) >= _MIN_CONTAINED and secret in text):
            return True
    return False


def redact(text: str) -> str:
    """`text` with every known secret in it replaced by [secret] (for messages that quote user input)."""
    for secret in sorted(known_secrets(), key=len, reverse=True):
        if len(secret) >= _MIN_CONTAINED or text == secret:
            text = text.replace(secret, "[secret]")
    return text


def _value_holds_secret(value: object, secrets: frozenset[str]) -> bool:
    if isinstance(value, str):
        return holds_secret(value, secrets)
    if isinstance(value, list | tuple):
        return any(_value_holds_secret(item, secrets) for item in value)
    return False


def _strip(values: Mapping[str, Any], prefix: str, secrets: frozenset[str], dropped: list[str]) -> dict[str, Any]:
    kept: dict[str, Any] = {}
    for key, value in values.items():
        path = f"{prefix}{key}"
        if is_secret_key(str(key)) or holds_secret(str(key), secrets) or _value_holds_secret(value, secrets):
            dropped.append(path)
            continue
        if isinstance(value, Mapping):
            kept[key] = _strip(value, f"{path}.", secrets, dropped)
        else:
            kept[key] = value
    return kept


def strip_secrets_report(values: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """A copy of `values` without secrets, and the dotted paths of the fields that were dropped."""
    dropped: list[str] = []
    return _strip(values, "", known_secrets(), dropped), dropped


def strip_secrets(values: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `values` without any field named like a secret or holding a known secret."""
    return strip_secrets_report(values)[0]


@dataclass(frozen=True)
class SecretFinding:
    """A file that holds a secret; `what` says which secret by position, never by value."""

    path: Path
    what: str


def scan_for_secrets(root: Path, secrets: Iterable[str] | None = None) -> list[SecretFinding]:
    """Every file (and file name) under `root` holding one of `secrets` (default: the known ones)."""
    wanted = sorted(s for s in (known_secrets() if secrets is None else secrets) if s)
    findings: list[SecretFinding] = []
    if not root.exists():
        return findings
    for path in sorted(p for p in root.rglob("*")):
        for index, secret in enumerate(wanted):
            if secret in path.name:
                findings.append(SecretFinding(path, f"secret #{index + 1} in the file name"))
        if not path.is_file():
            continue
        content = path.read_bytes()
        for index, secret in enumerate(wanted):
            if secret.encode("utf-8") in content:
                findings.append(SecretFinding(path, f"secret #{index + 1} in the content"))
    return findings
