"""The product codes a RocketMQ instance is priced with: discovered from the vendor's catalogue, never guessed.

The vendor does not document the `resource_type`/`resource_spec` strings of a RocketMQ broker or its
storage. They are found by listing the DMS service's resource types and each type's specs for the region
and charge mode, then matching: the instance spec is the one whose dot-separated parts are exactly the
flavor's billing code and product ID together (`dms.platinum.c6` + `c6.4u8g.cluster`); the storage spec is
the disk's `io_spec`. Anything else (none, or several) is "price unavailable". The specs found are cached
per site and region in the user cache folder (atomic, versioned, a day at most).
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wizard.pricing.estimate import PriceUnavailable
from wizard.storage.atomic import atomic_write_text, move_aside
from wizard.storage.errors import StorageError

CACHE_VERSION = 1
CACHE_MAX_AGE = 24 * 3600.0
"""Seconds a cached list of specs is trusted before it is discovered again."""


@dataclass(frozen=True)
class SpecCode:
    """One sellable spec of the catalogue, as `resource-specs-query` lists it."""

    cloud_service_type: str
    resource_type: str
    resource_spec: str


def _parts(code: str) -> frozenset[str]:
    return frozenset(part for part in code.lower().split(".") if part)


def _one(found: list[SpecCode], what: str, where: str) -> SpecCode:
    if len(found) == 1:
        return found[0]
    if not found:
        raise PriceUnavailable(f"the price catalogue of {where} has no spec matching {what}")
    specs = ", ".join(sorted(spec.resource_spec for spec in found))
    raise PriceUnavailable(f"several specs of the price catalogue of {where} match {what} ({specs})")


def instance_spec(specs: Iterable[SpecCode], billing_code: str, flavor_id: str, where: str) -> SpecCode:
    """The spec of a broker flavor: its parts are exactly those of the billing code and the product ID."""
    wanted = _parts(billing_code) | _parts(flavor_id)
    found = [spec for spec in specs if _parts(spec.resource_spec) == wanted]
    return _one(found, f"the flavor {flavor_id} (billing code {billing_code})", where)


def storage_spec(specs: Iterable[SpecCode], io_spec: str, where: str) -> SpecCode:
    """The spec of a disk type: its parts are exactly those of the `io_spec`."""
    wanted = _parts(io_spec)
    found = [spec for spec in specs if _parts(spec.resource_spec) == wanted]
    return _one(found, f"the disk type {io_spec}", where)


class CodeCache:
    """The discovered specs, one JSON file per site and region under `folder`."""

    def __init__(self, folder: Path, clock: Callable[[], float] = time.time) -> None:
        self.folder = folder
        self._clock = clock

    def _path(self, site: str, region: str) -> Path:
        return self.folder / f"{site}-{region}.json"

    def load(self, site: str, region: str, charge_mode: str) -> list[SpecCode] | None:
        """The cached specs of a charge mode, or None when absent, stale, from another version or unreadable."""
        path = self._path(site, region)
        data = self._read(path)
        if data is None:
            return None
        modes = data.get("charge_modes")
        entry = modes.get(charge_mode) if isinstance(modes, dict) else None
        if not isinstance(entry, dict):
            return None
        saved = entry.get("saved_at")
        if not isinstance(saved, (int, float)) or not 0 <= self._clock() - saved <= CACHE_MAX_AGE:
            return None
        specs = entry.get("specs")
        if not isinstance(specs, list):
            return None
        return [SpecCode(*row) for row in specs if isinstance(row, list) and len(row) == 3]

    def save(self, site: str, region: str, charge_mode: str, specs: Iterable[SpecCode]) -> None:
        """Remember the specs of a charge mode (other modes' entries are kept); failures are ignored: a cache."""
        path = self._path(site, region)
        data = self._read(path) or {}
        modes = data.get("charge_modes")
        modes = modes if isinstance(modes, dict) else {}
        modes[charge_mode] = {
            "saved_at": self._clock(),
            "specs": [[s.cloud_service_type, s.resource_type, s.resource_spec] for s in specs],
        }
        document = {"version": CACHE_VERSION, "site": site, "region": region, "charge_modes": modes}
        # A cache that cannot be written only costs a lookup next time.
        with contextlib.suppress(StorageError, OSError):
            atomic_write_text(path, json.dumps(document, indent=1, sort_keys=True))

    def _read(self, path: Path) -> Mapping[str, Any] | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError, ValueError):
            self._set_aside(path)
            return None
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
            if not isinstance(data, dict):
                self._set_aside(path)
            return None
        return data

    @staticmethod
    def _set_aside(path: Path) -> None:
        # Never deleted; one that cannot even be moved is simply not used.
        with contextlib.suppress(StorageError, OSError):
            move_aside(path)
