"""Requests for the storage tests."""

from __future__ import annotations

from typing import Any


def valid_values(**changes: Any) -> dict[str, Any]:
    """A valid pay-per-use request; keyword arguments replace fields (None removes one)."""
    data: dict[str, Any] = {
        "name": "orders-mq",
        "description": 'team "A" \\ backups',
        "vpc_id": "vpc-1",
        "subnet_id": "subnet-1",
        "security_group_id": "sg-1",
        "available_zones": ["az-1"],
        "product_id": "c6.4u8g.cluster",
        "broker_num": 1,
        "storage_spec_code": "dms.physical.storage.high.v2",
        "storage_space": 300,
        "bss_param": {"charging_mode": "postPaid"},
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
