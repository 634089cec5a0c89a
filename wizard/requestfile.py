"""Reading a request from a TOML or JSON file with the API's field names."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

HEADER_TABLE = "wizard"
"""The bookkeeping table of the wizard's own files (drafts, profiles, history); not part of a request."""


class RequestFileError(Exception):
    """A request file that cannot be read, or is not TOML/JSON holding a table."""


def load_request_file(path: Path) -> dict[str, Any]:
    """The table in a `.toml` or `.json` file (chosen by extension)."""
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise RequestFileError(f"{path}: the file must end in .toml or .json (it ends in {suffix or 'nothing'})")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RequestFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise RequestFileError(f"{path}: is a folder, not a file") from None
    except PermissionError:
        raise RequestFileError(f"{path}: permission denied") from None
    except UnicodeDecodeError as exc:
        raise RequestFileError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise RequestFileError(f"{path}: cannot be read ({exc.strerror})") from None
    return parse_request_text(text, suffix.lstrip("."), str(path))


def parse_request_text(text: str, kind: str, origin: str = "input") -> dict[str, Any]:
    """The table in TOML or JSON text; `origin` names it in messages."""
    data: Any
    if kind == "toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise RequestFileError(f"{origin}: not valid TOML: {exc}") from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise RequestFileError(f"{origin}: not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, dict):
        raise RequestFileError(f"{origin}: must hold a table of fields, not {type(data).__name__}")
    return without_header(data)


def without_header(data: dict[str, Any]) -> dict[str, Any]:
    """`data` without the wizard's `[wizard]` bookkeeping table, so a saved draft or profile reads as a request."""
    if isinstance(data.get(HEADER_TABLE), dict):
        return {key: value for key, value in data.items() if key != HEADER_TABLE}
    return data
