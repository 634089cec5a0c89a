"""The TOML documents drafts, profiles and history entries are stored in.

A document is a request file with the API's field names (the format `rocketmq-wizard validate` reads,
`[bss_param]` as a table) plus one `[wizard]` table of bookkeeping: schema version, kind, created and
updated times, and per kind the step reached or the instance ID. Request-file readers drop the
`[wizard]` table, so every stored file can be validated or exported as it is.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tomli_w

from wizard.boundedread import FileTooLarge, NotAFile, describe_limit, read_bounded
from wizard.requestfile import HEADER_TABLE
from wizard.storage.atomic import move_aside
from wizard.storage.errors import DocumentUnreadable, StorageError

SCHEMA_VERSION = 1
"""The schema this wizard writes. Files with another version are migrated up to it or refused."""

Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {}
"""Version N -> a function turning a whole parsed document of version N into version N + 1."""

KINDS = ("draft", "profile", "history")
_OWN_KEYS = ("schema", "kind", "created", "updated")


class DocumentInvalid(Exception):
    """Text that is not a usable document; the message says why in plain words."""


class SchemaTooNew(DocumentInvalid):
    """A document written by a newer wizard: never guessed at, left as it is."""


@dataclass(frozen=True)
class Document:
    """A parsed document: its bookkeeping and the request values it holds."""

    kind: str
    created: datetime
    updated: datetime
    values: dict[str, Any]
    header: dict[str, Any] = field(default_factory=dict)
    """Kind-specific header fields (step, instance_id, profile name, ...)."""
    migrated_from: int | None = None
    """The schema version the file had when it was older than SCHEMA_VERSION, else None."""


def now_utc() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def _tomlable(value: Any) -> Any:
    """`value` as TOML can hold it: None is dropped by the caller, odd types become text."""
    if isinstance(value, bool | int | float | str | datetime):
        return value
    if isinstance(value, Mapping):
        return {str(k): _tomlable(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple | set | frozenset):
        return [_tomlable(item) for item in value if item is not None]
    return str(value)


def render_document(
    kind: str,
    values: Mapping[str, Any],
    *,
    created: datetime,
    updated: datetime,
    header: Mapping[str, Any] | None = None,
) -> str:
    """The TOML text of a document. `values` must already be free of secrets; None values are left out."""
    body = {str(k): _tomlable(v) for k, v in values.items() if v is not None and k != HEADER_TABLE}
    table: dict[str, Any] = {"schema": SCHEMA_VERSION, "created": created, "updated": updated}
    table.update({k: _tomlable(v) for k, v in (header or {}).items() if v is not None and k not in _OWN_KEYS})
    # `kind` comes last, and is required on reading: a file cut short anywhere lacks it or fails to parse.
    table["kind"] = kind
    body[HEADER_TABLE] = table
    intro = (
        f"# rocketmq-wizard {kind}. The fields are the create call's body (rocketmq-wizard validate reads\n"
        f"# this file as it is); the [{HEADER_TABLE}] table is the wizard's bookkeeping.\n"
    )
    return intro + tomli_w.dumps(body)


def _as_time(value: object, name: str, fallback: datetime | None) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if value is None and fallback is not None:
        return fallback
    if value is None:
        raise DocumentInvalid(f"the [{HEADER_TABLE}] table has no '{name}' time")
    raise DocumentInvalid(f"'{HEADER_TABLE}.{name}' must be a date and time, not {value!r}")


def _migrate(data: dict[str, Any], version: int) -> dict[str, Any]:
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise DocumentInvalid(
                f"it has schema version {version}, older than this wizard can read "
                f"(it reads {min([*MIGRATIONS, SCHEMA_VERSION])} to {SCHEMA_VERSION})"
            )
        data = step(data)
        version += 1
        header = data.get(HEADER_TABLE)
        if isinstance(header, dict):
            header["schema"] = version
    return data


def parse_document(
    text: str, *, kind: str | None, require_header: bool = True, fallback_time: datetime | None = None
) -> Document:
    """Parse a stored document of `kind`; raise DocumentInvalid (or SchemaTooNew) saying why it is unusable.

    Without `require_header`, a plain request file (no `[wizard]` table) is accepted, its times taken from
    `fallback_time`. With `kind` None, a document of any kind is accepted.
    """
    if not text.strip():
        raise DocumentInvalid("the file is empty")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DocumentInvalid(f"it is not valid TOML, perhaps cut short ({exc})") from None
    except RecursionError:
        raise DocumentInvalid("it is not a usable TOML file: its tables or lists nest too deeply") from None
    except ValueError as exc:
        raise DocumentInvalid(f"it is not valid TOML ({exc})") from None
    header = data.get(HEADER_TABLE)
    if header is None:
        if require_header:
            raise DocumentInvalid(f"it has no [{HEADER_TABLE}] table (schema version, times), perhaps cut short")
        when = fallback_time or now_utc()
        return Document(kind=kind or "request", created=when, updated=when, values=data)
    if not isinstance(header, dict):
        raise DocumentInvalid(f"'{HEADER_TABLE}' must be a table of bookkeeping, not {type(header).__name__}")
    version = header.get("schema")
    if isinstance(version, bool) or not isinstance(version, int):
        raise DocumentInvalid(f"'{HEADER_TABLE}.schema' must be a whole number, not {version!r}")
    if version > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"it was written by a newer rocketmq-wizard (schema version {version}; this one reads up to "
            f"{SCHEMA_VERSION}); upgrade rocketmq-wizard to open it"
        )
    migrated_from = version if version < SCHEMA_VERSION else None
    data = _migrate(data, version)
    header = data.pop(HEADER_TABLE)
    found_kind = header.get("kind")
    if found_kind is None:
        raise DocumentInvalid(f"'{HEADER_TABLE}.kind' is missing: the file may have been cut short")
    if not isinstance(found_kind, str) or found_kind not in KINDS:
        raise DocumentInvalid(f"'{HEADER_TABLE}.kind' must be one of {', '.join(KINDS)}, not {found_kind!r}")
    if kind is not None and found_kind != kind:
        raise DocumentInvalid(f"it is a {found_kind} file, not a {kind} file")
    created = _as_time(header.get("created"), "created", fallback_time)
    updated = _as_time(header.get("updated"), "updated", created)
    extra = {k: v for k, v in header.items() if k not in _OWN_KEYS}
    return Document(found_kind, created, updated, data, extra, migrated_from)


STORED_FILE_LIMIT = 4 << 20
"""The largest stored document read (a draft or profile is a few KiB): a bigger one is not the wizard's."""


def read_document(path: Path, *, kind: str | None, require_header: bool = True) -> Document:
    """Read and parse the document at `path` (see parse_document); OSError passes through.

    A symbolic link is never followed (NotAFile), and at most STORED_FILE_LIMIT bytes are read (FileTooLarge).
    """
    raw = read_bounded(path, STORED_FILE_LIMIT, follow_symlinks=False)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentInvalid(f"it is not UTF-8 text (byte {exc.start})") from None
    fallback = datetime.fromtimestamp(path.stat().st_mtime, UTC) if not require_header else None
    return parse_document(text, kind=kind, require_header=require_header, fallback_time=fallback)


def open_document(path: Path, *, kind: str, require_header: bool = True) -> Document:
    """Read a stored document; an unusable one is moved aside (never deleted) and reported.

    Raises FileNotFoundError when there is no such file, and DocumentUnreadable naming the file, the
    reason, and where it was moved. A file from a newer wizard is left in place for that wizard.
    """
    try:
        return read_document(path, kind=kind, require_header=require_header)
    except FileNotFoundError:
        raise
    except IsADirectoryError:
        raise DocumentUnreadable(path, "it is a folder, not a file") from None
    except NotAFile as exc:
        shown = str(exc).removeprefix(f"{path} is ")
        what = f"a symbolic link (to {os.readlink(path)})" if path.is_symlink() else shown
        raise DocumentUnreadable(path, f"it is {what}; the wizard reads only its own regular files") from None
    except FileTooLarge:
        raise DocumentUnreadable(
            path, f"it is larger than {describe_limit(STORED_FILE_LIMIT)}, so not a file the wizard wrote"
        ) from None
    except PermissionError:
        raise DocumentUnreadable(path, "permission denied reading it") from None
    except OSError as exc:
        raise DocumentUnreadable(path, f"it cannot be read ({exc.strerror})") from None
    except SchemaTooNew as exc:
        raise DocumentUnreadable(path, str(exc)) from None
    except DocumentInvalid as exc:
        raise set_aside(path, str(exc)) from None


def set_aside(path: Path, reason: str) -> DocumentUnreadable:
    """Move an unusable file aside (never deleting it) and return the error that reports it."""
    try:
        moved = move_aside(path)
    except FileNotFoundError:
        return DocumentUnreadable(path, reason + " (another wizard has already moved it aside)")
    except StorageError as failure:
        return DocumentUnreadable(path, f"{reason}; {failure}")
    return DocumentUnreadable(path, reason, moved)
