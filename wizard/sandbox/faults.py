"""Faults on demand: latency, throttling, server errors, reset connections and lost create answers.

A `Fault` targets requests by method and path (an fnmatch pattern, where ``*`` also crosses ``/``) and
fires `count` times (None = until cleared). Kinds:

- ``latency``: wait `delay` seconds before handling (adds to the sandbox's base latency).
- ``hold``: wait before handling until the fault is released (`FaultPlan.release`, or cleared), or
  `delay` seconds pass (default 30): tests see a slow answer's in-between state at any machine speed.
- ``status``: answer `status` (429, 500, 502, 503 or 504) without handling the request; 429 carries a
  ``Retry-After: <retry_after>`` header and the gateway's ``APIG.0308`` throttling error.
- ``reset``: reset the TCP connection without handling the request (nothing happens).
- ``timeout``: stall until the client gives up (or `delay` seconds pass), then reset; nothing happens.
- ``timeout_after_commit``: handle the request (a create IS committed), then stall and reset instead
  of answering: the client cannot tell whether its call worked.
- ``create_failed``: the instance the next matching create makes ends CREATEFAILED instead of RUNNING.

In process: ``running.state.faults.add("status", status=503, method="POST", path="*/instances")``.
Over HTTP: ``POST /_sandbox/faults`` with the same fields as JSON (``GET`` lists, ``DELETE`` clears).
"""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any


class FaultKind(StrEnum):
    """What a fault does to the requests it targets."""

    LATENCY = "latency"
    HOLD = "hold"
    STATUS = "status"
    RESET = "reset"
    TIMEOUT = "timeout"
    TIMEOUT_AFTER_COMMIT = "timeout_after_commit"
    CREATE_FAILED = "create_failed"


FAULT_STATUSES = frozenset({429, 500, 502, 503, 504})
"""The HTTP statuses a ``status`` fault may answer with."""

#: Kinds that decide a request's fate; at most one fires per request (latency ones all add up).
_DECISIVE = (FaultKind.STATUS, FaultKind.RESET, FaultKind.TIMEOUT, FaultKind.TIMEOUT_AFTER_COMMIT)

DEFAULT_STALL = 30.0
"""Seconds a timeout fault stalls when no `delay` is given (clients give up well before)."""


@dataclass
class Fault:
    """One injected fault; `count` is how many more times it fires (None = forever)."""

    id: int
    kind: FaultKind
    method: str = "*"
    path: str = "*"
    count: int | None = 1
    status: int = 503
    delay: float = 0.0
    retry_after: int = 1
    fired: int = 0

    def matches(self, method: str, path: str) -> bool:
        """True when this fault targets a request with this method and path."""
        return self.method in ("*", method.upper()) and fnmatch.fnmatchcase(path, self.path)

    def as_json(self) -> dict[str, Any]:
        """The fault as the control path shows it."""
        return asdict(self)


@dataclass(frozen=True)
class RequestFaults:
    """What the faults decided for one request: extra latency, and at most one decisive fault."""

    latency: float = 0.0
    decisive: Fault | None = None
    holds: tuple[threading.Event, ...] = ()
    hold_limit: float = 0.0


class FaultPlan:
    """The faults waiting to fire; safe to change from any thread while requests are served."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._gates: dict[int, threading.Event] = {}
        self._fired: dict[int, int] = {}
        self._next_id = 1

    def add(
        self,
        kind: FaultKind | str,
        *,
        method: str = "*",
        path: str = "*",
        count: int | None = 1,
        status: int | None = None,
        delay: float | None = None,
        retry_after: int = 1,
    ) -> Fault:
        """Add a fault; raises ValueError for an unknown kind, a bad status or a negative count/delay."""
        try:
            fault_kind = FaultKind(kind)
        except ValueError:
            known = ", ".join(k.value for k in FaultKind)
            raise ValueError(f"unknown fault kind {kind!r}; use one of {known}") from None
        if fault_kind is FaultKind.STATUS:
            status = 503 if status is None else status
            if status not in FAULT_STATUSES:
                raise ValueError(f"status must be one of {sorted(FAULT_STATUSES)} (got {status})")
        if count is not None and count < 1:
            raise ValueError(f"count must be at least 1, or null for every request (got {count})")
        if delay is not None and delay < 0:
            raise ValueError(f"delay must not be negative (got {delay})")
        if retry_after < 0:
            raise ValueError(f"retry_after must not be negative (got {retry_after})")
        if delay is None:
            stalls = (FaultKind.TIMEOUT, FaultKind.TIMEOUT_AFTER_COMMIT, FaultKind.HOLD)
            delay = DEFAULT_STALL if fault_kind in stalls else 0.0
        with self._lock:
            fault = Fault(
                id=self._next_id,
                kind=fault_kind,
                method=method.upper(),
                path=path,
                count=count,
                status=status or 503,
                delay=delay,
                retry_after=retry_after,
            )
            self._next_id += 1
            self._faults.append(fault)
            if fault_kind is FaultKind.HOLD:
                self._gates[fault.id] = threading.Event()
        return fault

    def release(self, fault: Fault | int) -> None:
        """Let every request a ``hold`` fault is holding (or will hold) go on."""
        fault_id = fault if isinstance(fault, int) else fault.id
        with self._lock:
            gate = self._gates.get(fault_id)
        if gate is not None:
            gate.set()

    def fired(self, fault: Fault | int) -> int:
        """How many requests this fault has fired on so far (0 for an unknown fault)."""
        fault_id = fault if isinstance(fault, int) else fault.id
        with self._lock:
            return self._fired.get(fault_id, 0)

    def add_from_json(self, data: object) -> Fault:
        """Add a fault described by the control path's JSON; raises ValueError when it is malformed."""
        if not isinstance(data, dict):
            raise ValueError("a fault must be a JSON object with at least a 'kind'")
        allowed = {"kind", "method", "path", "count", "status", "delay", "retry_after"}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise ValueError(f"unknown fault field(s) {', '.join(unknown)}; use {', '.join(sorted(allowed))}")
        if "kind" not in data:
            raise ValueError("a fault needs a 'kind'")
        types: dict[str, tuple[type, ...]] = {
            "kind": (str,),
            "method": (str,),
            "path": (str,),
            "count": (int, type(None)),
            "status": (int,),
            "delay": (int, float),
            "retry_after": (int,),
        }
        for key, value in data.items():
            if isinstance(value, bool) or not isinstance(value, types[key]):
                raise ValueError(f"fault field {key} has the wrong type ({value!r})")
        delay = data.get("delay")
        return self.add(
            data["kind"],
            method=data.get("method", "*"),
            path=data.get("path", "*"),
            count=data.get("count", 1),
            status=data.get("status"),
            delay=None if delay is None else float(delay),
            retry_after=data.get("retry_after", 1),
        )

    def for_request(self, method: str, path: str) -> RequestFaults:
        """Fire the faults that target this request: every latency one, and the first decisive one."""
        latency = 0.0
        decisive: Fault | None = None
        holds: list[threading.Event] = []
        hold_limit = 0.0
        with self._lock:
            for fault in list(self._faults):
                if not fault.matches(method, path):
                    continue
                if fault.kind is FaultKind.LATENCY:
                    latency += fault.delay
                elif fault.kind is FaultKind.HOLD:
                    holds.append(self._gates[fault.id])
                    hold_limit = max(hold_limit, fault.delay)
                elif fault.kind in _DECISIVE and decisive is None:
                    decisive = fault
                else:
                    continue
                self._fire(fault)
        return RequestFaults(latency, decisive, tuple(holds), hold_limit)

    def take_create_failed(self, method: str, path: str) -> bool:
        """True (and fired) when a create_failed fault targets this create call."""
        with self._lock:
            for fault in self._faults:
                if fault.kind is FaultKind.CREATE_FAILED and fault.matches(method, path):
                    self._fire(fault)
                    return True
        return False

    def _fire(self, fault: Fault) -> None:
        fault.fired += 1
        self._fired[fault.id] = fault.fired
        if fault.count is not None:
            fault.count -= 1
            if fault.count <= 0:
                self._faults.remove(fault)

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._faults.clear()
            gates = list(self._gates.values())
            self._gates.clear()
        for gate in gates:
            gate.set()

    def active(self) -> list[Fault]:
        """The faults still waiting to fire (copies)."""
        with self._lock:
            return [Fault(**asdict(f)) for f in self._faults]
