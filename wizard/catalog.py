"""What can be bought: flavors, storage types and availability zones.

An offline default, built from the vendor's documented 4.8.0 flavors, lets everything validate with no
network. A live catalog (built by the client from the products and AZ APIs) replaces it. Rules that
depend on the catalog read it through pydantic's validation context (see `wizard.model`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from wizard.fields import MIN_STORAGE_PER_BROKER_GB

HIGH_IO = "dms.physical.storage.high.v2"
ULTRA_HIGH_IO = "dms.physical.storage.ultra.v2"

#: Billing modes as the create body names them.
PAY_PER_USE = "postPaid"
YEARLY_MONTHLY = "prePaid"


@dataclass(frozen=True)
class StorageType:
    """A disk type (storage I/O specification)."""

    code: str
    label: str


@dataclass(frozen=True)
class StorageOffer:
    """Where one flavor is sold with one disk type."""

    storage_spec_code: str
    available_zones: frozenset[str] | None = None
    """AZ IDs where it is sold; None means the catalog does not know (offline)."""
    unavailable_zones: frozenset[str] = frozenset()

    def sold_in(self, zone_ids: Iterable[str]) -> bool:
        """True when this disk type is sold for the flavor in every one of the zones."""
        zones = set(zone_ids)
        if zones & self.unavailable_zones:
            return False
        return self.available_zones is None or zones <= self.available_zones


@dataclass(frozen=True)
class Flavor:
    """A broker flavor (`product_id`) and its limits."""

    id: str
    topics_per_broker: int | None
    consumer_groups_per_broker: int | None
    tps_per_broker: int | None
    min_broker: int = 1
    max_broker: int = 10
    broker_step: int = 1
    min_storage_per_broker: int = MIN_STORAGE_PER_BROKER_GB
    max_storage_per_broker: int | None = None
    billing_modes: frozenset[str] = frozenset({PAY_PER_USE, YEARLY_MONTHLY})
    storage: tuple[StorageOffer, ...] = ()
    cpu_label: str = ""
    billing_code: str = ""
    """The products list's billing code (e.g. dms.platinum.c6): what its price codes are found by."""

    def storage_offer(self, storage_spec_code: str) -> StorageOffer | None:
        """The offer for one disk type, or None when the flavor is not sold with it."""
        return next((s for s in self.storage if s.storage_spec_code == storage_spec_code), None)

    def storage_codes(self) -> tuple[str, ...]:
        """Disk types this flavor is sold with."""
        return tuple(s.storage_spec_code for s in self.storage)

    def sold_in(self, zone_ids: Iterable[str], storage_spec_code: str | None = None) -> bool:
        """True when some (or the given) disk type of this flavor is sold in every one of the zones."""
        zones = tuple(zone_ids)
        offers = [s for s in self.storage if storage_spec_code in (None, s.storage_spec_code)]
        return any(offer.sold_in(zones) for offer in offers)


@dataclass(frozen=True)
class AvailabilityZone:
    """An availability zone: the create body takes its `id`, people know its `code` and `name`."""

    id: str
    code: str
    name: str
    sold_out: bool = False
    default: bool = False


@dataclass(frozen=True)
class Catalog:
    """Flavors, disk types and AZs; `live` is True when it came from the cloud's APIs."""

    flavors: tuple[Flavor, ...]
    storage_types: tuple[StorageType, ...]
    zones: tuple[AvailabilityZone, ...] = ()
    engine_versions: tuple[str, ...] = ("4.8.0",)
    live: bool = False
    _flavors_by_id: Mapping[str, Flavor] = field(init=False, repr=False, compare=False)
    _zones_by_id: Mapping[str, AvailabilityZone] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_flavors_by_id", MappingProxyType({f.id: f for f in self.flavors}))
        object.__setattr__(self, "_zones_by_id", MappingProxyType({z.id: z for z in self.zones}))

    def flavor(self, product_id: str) -> Flavor | None:
        """The flavor with this id, or None."""
        return self._flavors_by_id.get(product_id)

    def zone(self, zone_id: str) -> AvailabilityZone | None:
        """The AZ with this id, or None."""
        return self._zones_by_id.get(zone_id)

    def zone_by_code(self, code: str) -> AvailabilityZone | None:
        """The AZ whose code (e.g. `cn-north-4a`) or name is this, or None."""
        wanted = code.strip().lower()
        return next((z for z in self.zones if wanted in (z.code.lower(), z.name.lower())), None)

    def storage_type(self, code: str) -> StorageType | None:
        """The disk type with this code, or None."""
        return next((s for s in self.storage_types if s.code == code), None)

    @property
    def knows_zones(self) -> bool:
        """True when AZ IDs can be checked against a list (the offline catalog has none)."""
        return bool(self.zones)


STORAGE_TYPES = (
    StorageType(HIGH_IO, "High I/O"),
    StorageType(ULTRA_HIGH_IO, "Ultra-high I/O"),
)

_OFFLINE_OFFERS = (StorageOffer(HIGH_IO), StorageOffer(ULTRA_HIGH_IO))


def _offline_flavor(flavor_id: str, topics: int, tps: int, cpu: str) -> Flavor:
    return Flavor(
        id=flavor_id,
        topics_per_broker=topics,
        consumer_groups_per_broker=topics,
        tps_per_broker=tps,
        storage=_OFFLINE_OFFERS,
        cpu_label=cpu,
    )


#: The five documented 4.8.0 flavors, with per-broker limits from the product pages.
OFFLINE_CATALOG = Catalog(
    flavors=(
        _offline_flavor("c6.4u8g.cluster.small", 2000, 15000, "4 vCPUs | 8 GB"),
        _offline_flavor("c6.4u8g.cluster", 4000, 20000, "4 vCPUs | 8 GB"),
        _offline_flavor("c6.8u16g.cluster", 8000, 25000, "8 vCPUs | 16 GB"),
        _offline_flavor("c6.12u24g.cluster", 12000, 28000, "12 vCPUs | 24 GB"),
        _offline_flavor("c6.16u32g.cluster", 16000, 30000, "16 vCPUs | 32 GB"),
    ),
    storage_types=STORAGE_TYPES,
)
