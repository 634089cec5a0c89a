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


def issues_from(exc: ValidationError) -> list[Issue]:
    """Plain-words issues from a pydantic ValidationError of the request model."""
    issues: list[Issue] = []
    for error in exc.errors(include_url=False):
        path = ".".join(str(part) for part in error["loc"])
        message, step = _describe(path, error)
        issue = Issue(path, step, message)
        if issue not in issues:
            issues.append(issue)
    return issues


def _shown(value: object) -> str:
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


def _describe(path: str, error: Any) -> tuple[str, Step]:
    kind = error["type"]
    value = error.get("input")
    got = f"got {_kind_of(value)} {_shown(value)}"
    if kind == "extra_forbidden":
        parent, _, key = path.rpartition(".")
        known = BSS_FIELD_ORDER if parent == "bss_param" else API_FIELD_ORDER
        where = f" in {parent}" if parent else ""
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
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


__all__ = [
    "Issue",
    "RequestInvalid",
    "Step",
    "check_request",
    "issues_from",
    "parse_request",
]
