"""Reading a request from a TOML or JSON file with the API's field names.

Reading is bounded: at most REQUEST_FILE_LIMIT bytes of a regular file (a FIFO or a device is refused at
once), nested at most MAX_NESTING levels, numbers of a sane length, text that is valid Unicode. Whatever
the file holds, the reader answers with a RequestFileError naming the file and the rule, never a traceback.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from wizard.boundedread import FileTooLarge, NotAFile, describe_limit, read_bounded

HEADER_TABLE = "wizard"
"""The bookkeeping table of the wizard's own files (drafts, profiles, history); not part of a request."""

REQUEST_FILE_LIMIT = 4 << 20
"""The largest request file read: a request is a few KiB, so this only stops runaway input."""

MAX_NESTING = 16
"""How deep tables and lists may nest in a request file (a request nests 3 levels: bss_param, tags...)."""


class RequestFileError(Exception):
    """A request file that cannot be read, or is not TOML/JSON holding a table."""


def read_request_text(path: Path) -> str:
    """The UTF-8 text of a request file, read boundedly; RequestFileError saying why it cannot be read."""
    try:
        raw = read_bounded(path, REQUEST_FILE_LIMIT)
    except FileNotFoundError:
        raise RequestFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise RequestFileError(f"{path}: is a folder, not a file") from None
    except PermissionError:
        raise RequestFileError(f"{path}: permission denied") from None
    except NotAFile as exc:
        raise RequestFileError(f"{path}: {str(exc).removeprefix(str(path) + ' ')}, not a regular file") from None
    except FileTooLarge:
        raise RequestFileError(
            f"{path}: larger than {describe_limit(REQUEST_FILE_LIMIT)}; a request file is a few KiB"
        ) from None
    except OSError as exc:
        raise RequestFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RequestFileError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def load_request_file(path: Path) -> dict[str, Any]:
    """The table in a `.toml` or `.json` file (chosen by extension)."""
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise RequestFileError(f"{path}: the file must end in .toml or .json (it ends in {suffix or 'nothing'})")
    return parse_request_text(read_request_text(path), suffix.lstrip("."), str(path))


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_request_text(text: str, kind: str, origin: str = "input") -> dict[str, Any]:
    """The table in TOML or JSON text; `origin` names it in messages."""
    data: Any
    if kind == "toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise RequestFileError(f"{origin}: not valid TOML: {exc}") from None
        except RecursionError:
            raise RequestFileError(f"{origin}: nested too deeply (at most {MAX_NESTING} levels)") from None
        except ValueError as exc:
            raise RequestFileError(f"{origin}: not valid TOML: {exc}") from None
    else:
        try:
            data = json.loads(text, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            raise RequestFileError(f"{origin}: not valid JSON: {exc.msg} at line {exc.lineno}") from None
        except RecursionError:
            raise RequestFileError(f"{origin}: nested too deeply (at most {MAX_NESTING} levels)") from None
        except ValueError as exc:
            raise RequestFileError(f"{origin}: not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise RequestFileError(f"{origin}: must hold a table of fields, not {type(data).__name__}")
    problem = tree_problem(data)
    if problem:
        raise RequestFileError(f"{origin}: {problem}")
    return without_header(data)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _path_of(parts: tuple[str, ...]) -> str:
    return ".".join(parts) if parts else "the top level"


def tree_problem(data: dict[str, Any]) -> str:
    """Why a parsed document cannot be a request whatever its fields (too deep, text that is not Unicode), or ""."""
    stack: list[tuple[tuple[str, ...], Any, int]] = [((), data, 1)]
    while stack:
        parts, value, depth = stack.pop()
        if isinstance(value, dict | list) and depth > MAX_NESTING:
            return f"{_path_of(parts)} is nested too deeply (tables and lists at most {MAX_NESTING} levels)"
        if isinstance(value, dict):
            for key, item in value.items():
                if _has_surrogate(key):
                    return f"a field name in {_path_of(parts)} is not valid Unicode text (it holds a lone surrogate)"
                stack.append(((*parts, key), item, depth + 1))
        elif isinstance(value, list):
            stack.extend(((*parts, str(index)), item, depth + 1) for index, item in enumerate(value))
        elif isinstance(value, str) and _has_surrogate(value):
            return f"{_path_of(parts)} is not valid Unicode text (it holds a lone surrogate)"
    return ""


def without_header(data: dict[str, Any]) -> dict[str, Any]:
    """`data` without the wizard's `[wizard]` bookkeeping table, so a saved draft or profile reads as a request."""
    if isinstance(data.get(HEADER_TABLE), dict):
        return {key: value for key, value in data.items() if key != HEADER_TABLE}
    return data
