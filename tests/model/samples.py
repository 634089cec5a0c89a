"""Sample requests and catalogs for the request model's tests."""

from __future__ import annotations

from typing import Any

from wizard.catalog import (
    HIGH_IO,
    ULTRA_HIGH_IO,
    AvailabilityZone,
    Catalog,
    Flavor,
    StorageOffer,
    StorageType,
)


def valid_request(**changes: Any) -> dict[str, Any]:
    """A valid pay-per-use request; keyword arguments replace fields (None removes one)."""
    data: dict[str, Any] = {
        "name": "orders-mq",
        "vpc_id": "vpc-1",
        "subnet_id": "subnet-1",
        "security_group_id": "sg-1",
        "available_zones": ["az-1"],
        "product_id": "c6.4u8g.cluster",
        "broker_num": 1,
        "storage_spec_code": HIGH_IO,
        "storage_space": 300,
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def live_catalog() -> Catalog:
    """A catalog as the live APIs would give it: known AZs, one sold out, one flavor not sold in AZ c."""
    zones = (
        AvailabilityZone("0e1a", "cn-north-4a", "AZ1"),
        AvailabilityZone("0e1b", "cn-north-4b", "AZ2"),
        AvailabilityZone("0e1c", "cn-north-4c", "AZ3"),
        AvailabilityZone("0e1g", "cn-north-4g", "AZ4", sold_out=True),
    )
    everywhere = frozenset({"0e1a", "0e1b", "0e1c"})
    flavors = (
        Flavor(
            "c6.4u8g.cluster",
            4000,
            4000,
            20000,
            min_broker=1,
            max_broker=6,
            max_storage_per_broker=3000,
            storage=(StorageOffer(HIGH_IO, everywhere), StorageOffer(ULTRA_HIGH_IO, frozenset({"0e1a"}))),
        ),
        Flavor(
            "c6.8u16g.cluster",
            8000,
            8000,
            25000,
            min_broker=2,
            max_broker=10,
            broker_step=2,
            billing_modes=frozenset({"postPaid"}),
            storage=(StorageOffer(HIGH_IO, everywhere, unavailable_zones=frozenset({"0e1c"})),),
        ),
    )
    return Catalog(
        flavors=flavors,
        storage_types=(StorageType(HIGH_IO, "High I/O"), StorageType(ULTRA_HIGH_IO, "Ultra-high I/O")),
        zones=zones,
        live=True,
    )
