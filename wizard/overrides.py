"""`--set FIELD=VALUE`: change one field of a request from the command line, typed as the model types it.

FIELD is a dotted API path (`broker_num`, `bss_param.period_num`). VALUE is read by the field's type in
the request model: whole numbers for integer fields, `true`/`false` for booleans, comma-separated IDs
for `available_zones`, text otherwise. An empty VALUE (`--set description=`) removes the field. Every
bad assignment is reported at once; an unknown path gets a "did you mean".
"""

from __future__ import annotations

import copy
import difflib
import re
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from pydantic import BaseModel

from wizard.fields import split_ids
from wizard.model import BssParam, CreateInstanceRequest


class Kind(Enum):
    """How a `--set` value is read."""

    TEXT = "text"
    INTEGER = "a whole number"
    BOOLEAN = "true or false"
    ID_LIST = "comma-separated IDs"
    TABLE = "a table"


class OverrideError(Exception):
    """One or more `--set` assignments that cannot be applied; `problems` lists each in plain words.

    `applied` is the request with every other assignment applied, so the rest can still be checked;
    `fields` names the FIELD of each problem (as typed), in the same order.
    """

    def __init__(
        self, problems: list[str], applied: dict[str, Any] | None = None, fields: list[str] | None = None
    ) -> None:
        self.problems = problems
        self.applied = applied if applied is not None else {}
        self.fields = fields if fields is not None else [""] * len(problems)
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Assignment:
    """One parsed `--set`: the dotted path and the typed value (None removes the field)."""

    path: str
    value: object


def _kind_of(annotation: Any) -> Kind:
    """The kind of a model field's annotation (Optional and Annotated unwrapped)."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _kind_of(options[0])
    if origin is list:
        return Kind.ID_LIST
    if annotation is bool:
        return Kind.BOOLEAN
    if annotation is int:
        return Kind.INTEGER
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return Kind.TABLE
    return Kind.TEXT


def _field_kinds() -> dict[str, Kind]:
    kinds = {name: _kind_of(info.annotation) for name, info in CreateInstanceRequest.model_fields.items()}
    kinds.update({f"bss_param.{name}": _kind_of(info.annotation) for name, info in BssParam.model_fields.items()})
    return kinds


FIELD_KINDS: Mapping[str, Kind] = _field_kinds()
"""Every dotted API path `--set` accepts, with how its value is read."""


def _parse_value(path: str, kind: Kind, text: str) -> object:
    """The typed value of `text` for `path`; raises ValueError with a plain message."""
    if kind is Kind.INTEGER:
        digits = text.strip()
        # ASCII digits only (int() also reads Arabic-Indic and other digits), and of a length a count can have.
        if not (digits.isascii() and re.fullmatch(r"[+-]?[0-9]{1,18}", digits)):
            shown = text if len(text) <= 40 else text[:37] + "..."
            raise ValueError(f"--set {path}: takes a whole number written with the digits 0-9 (got {shown!r})")
        return int(digits)
    if kind is Kind.BOOLEAN:
        lowered = text.strip().lower()
        if lowered not in ("true", "false"):
            raise ValueError(f"--set {path}: takes true or false (got {text!r})")
        return lowered == "true"
    if kind is Kind.ID_LIST:
        return split_ids(text)
    return text


def parse_assignment(raw: str) -> Assignment:
    """One `FIELD=VALUE`, typed; raises ValueError with a message naming the field and the rule."""
    path, sep, text = raw.partition("=")
    path = path.strip()
    if not sep or not path:
        raise ValueError(f"--set {raw!r}: expected FIELD=VALUE, e.g. --set broker_num=3")
    kind = FIELD_KINDS.get(path)
    if kind is None:
        close = difflib.get_close_matches(path, list(FIELD_KINDS), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise ValueError(f"--set {path}: not a field the API takes{hint}")
    if kind is Kind.TABLE:
        members = ", ".join(p for p in FIELD_KINDS if p.startswith(f"{path}."))
        raise ValueError(f"--set {path}: is a table; set its fields one by one ({members})")
    if text == "":
        return Assignment(path, None)
    return Assignment(path, _parse_value(path, kind, text))


def apply_overrides(data: Mapping[str, Any], raw_assignments: Sequence[str]) -> dict[str, Any]:
    """A copy of `data` with every `--set` applied in order; raises OverrideError listing every bad one."""
    result: dict[str, Any] = copy.deepcopy(dict(data))
    problems: list[str] = []
    fields: list[str] = []
    for raw in raw_assignments:
        try:
            assignment = parse_assignment(raw)
        except ValueError as exc:
            problems.append(str(exc))
            fields.append(raw.partition("=")[0].strip())
            continue
        parent, _, key = assignment.path.rpartition(".")
        target: Any = result
        if parent:
            target = result.get(parent)
            if target is None:
                if assignment.value is None:
                    continue
                target = result[parent] = {}
            elif not isinstance(target, dict):
                problems.append(f"--set {assignment.path}: {parent} in the request is not a table")
                fields.append(assignment.path)
                continue
        if assignment.value is None:
            target.pop(key, None)
        else:
            target[key] = assignment.value
    if problems:
        raise OverrideError(problems, result, fields)
    return result
