"""Turning the model's verdict into plain problems a person can act on: field, step and message."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from wizard.catalog import OFFLINE_CATALOG, Catalog
from wizard.fields import Step, step_of
from wizard.model import API_FIELD_ORDER, BSS_FIELD_ORDER, CreateInstanceRequest


@dataclass(frozen=True)
class Issue:
    """One problem with a request: the dotted API path to fix, the step that owns it, and why."""

    field: str
    step: Step
    message: str

    def as_json(self) -> dict[str, str]:
        """The shape `validate --json` prints."""
        return {"field": self.field, "step": self.step.value, "message": self.message}


class RequestInvalid(Exception):
    """A request that breaks one or more rules; `issues` lists every one of them."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("; ".join(issue.message for issue in issues))


def parse_request(data: Mapping[str, Any], catalog: Catalog | None = None) -> CreateInstanceRequest:
    """Validate `data` against every rule; raise RequestInvalid naming every problem."""
    try:
        return CreateInstanceRequest.model_validate(data, context={"catalog": catalog or OFFLINE_CATALOG})
    except ValidationError as exc:
        raise RequestInvalid(issues_from(exc)) from None


def check_request(data: Mapping[str, Any], catalog: Catalog | None = None) -> list[Issue]:
    """Every problem with `data`, or an empty list when it is a valid request."""
    try:
        parse_request(data, catalog)
    except RequestInvalid as exc:
        return exc.issues
    return []


MAX_PROBLEMS_SHOWN = 50
"""Problems listed one by one; the rest are counted ("... and N more"), so a huge file gives a short answer."""

EMPTY_NAME = '""'
"""How a field whose name is the empty string is named in a problem."""


def _part(part: object) -> str:
    text = str(part)
    return text if text else EMPTY_NAME


def issues_from(exc: ValidationError) -> list[Issue]:
    """Plain-words issues from a pydantic ValidationError of the request model, each once, in order."""
    issues: dict[Issue, None] = {}  # a dict keeps the order and finds duplicates in constant time
    for error in exc.errors(include_url=False):
        path = ".".join(_part(part) for part in error["loc"])
        # "Did you mean" costs a fuzzy match per key: only for the problems that are listed one by one.
        message, step = _describe(path, error, suggest=len(issues) < MAX_PROBLEMS_SHOWN)
        issues.setdefault(Issue(path, step, message))
    return list(issues)


def _shown(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**20:
        return f"a number of {len(str(abs(value))) if abs(value) < 10**4000 else '4000+'} digits"
    if isinstance(value, str | bytes) and len(value) > 200:
        value = value[:60]
    if isinstance(value, list | dict | tuple) and len(value) > 20:
        return f"{_kind_of(value)} of {len(value)} items"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _describe(path: str, error: Any, *, suggest: bool = True) -> tuple[str, Step]:
    kind = error["type"]
    value = error.get("input")
    got = f"got {_kind_of(value)} {_shown(value)}"
    if kind == "extra_forbidden":
        parent, _, key = path.rpartition(".")
        known = BSS_FIELD_ORDER if parent == "bss_param" else API_FIELD_ORDER
        where = f" in {parent}" if parent else ""
        if key == EMPTY_NAME:
            return f"a field with an empty name ({EMPTY_NAME}) is not a field the API takes{where}", step_of(
                parent or path
            )
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6) if suggest and len(key) <= 64 else []
        if close:
            suggestion = f"{parent}.{close[0]}" if parent else close[0]
            return f"{path} is not a field the API takes{where}; did you mean {close[0]}?", step_of(suggestion)
        return f"{path} is not a field the API takes{where}", step_of(parent or path)
    step = step_of(path)
    messages = {
        "missing": f"{path} is required",
        "int_type": f"{path} must be a whole number ({got})",
        "bool_type": f"{path} must be true or false ({got})",
        "string_type": f"{path} must be text ({got})",
        "list_type": f"{path} must be a list of IDs ({got})",
        "model_type": f"{path} must be a table of billing fields ({got})",
        "model_attributes_type": f"{path} must be a table of billing fields ({got})",
        "dict_type": f"{path} must be a table ({got})",
    }
    if kind in messages:
        return messages[kind], step
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "one of the allowed values")
        return f"{path} must be {expected} ({got})", step
    if kind.startswith(("int_", "bool_", "string_", "list_")) or kind.endswith("_type"):
        return f"{path}: {error['msg'].lower()} ({got})", step
    return str(error["msg"]), step


def more_line(total: int) -> str:
    """The line that stands for the problems not listed, "" when every one is."""
    hidden = total - MAX_PROBLEMS_SHOWN
    return f"... and {hidden} more problem(s) not listed" if hidden > 0 else ""


__all__ = [
    "MAX_PROBLEMS_SHOWN",
    "Issue",
    "RequestInvalid",
    "Step",
    "check_request",
    "issues_from",
    "more_line",
    "parse_request",
]
