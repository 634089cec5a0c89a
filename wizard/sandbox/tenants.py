"""What a sandbox account holds at start: AZs, flavors, VPCs, subnets, security groups, EIPs, projects.

Two tenants, both generated deterministically (same IDs every run):

- ``demo`` (default): four AZs (``sandbox-1a`` … ``sandbox-1d``); the five 4.8.0 flavors, with
  ``c6.16u32g.cluster`` sold out in ``sandbox-1d`` (listed in its products' ``ios[].unavailable_zones``);
  two VPCs with two subnets each; three security groups (one per VPC and a ``default`` one not tied to
  a VPC): ``sg-rocketmq`` opens every port a RocketMQ client needs, ``sg-staging`` opens only SSH and
  ``default`` only admits its own members; six unbound EIPs and one bound; two enterprise projects; one RUNNING instance
  (``rocketmq-orders``) and a quota of 5 RocketMQ instances.
- ``large``: the same AZs and flavors, with 50 VPCs, 10,000 subnets, 20,000 security groups and 2,000
  EIPs (every tenth bound), for scale tests. Its network lists are built on first use (well under a
  second), so starting it costs nothing.

Resources are kept as the JSON objects the vendor's list calls return, so serving them is a slice.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wizard.catalog import (
    HIGH_IO,
    PAY_PER_USE,
    STORAGE_TYPES,
    ULTRA_HIGH_IO,
    YEARLY_MONTHLY,
    AvailabilityZone,
    Catalog,
    Flavor,
    StorageOffer,
)
from wizard.fields import MIN_STORAGE_PER_BROKER_GB
from wizard.ports import ANYWHERE, BROKER_PORTS, NAMESRV_PRIVATE_PORT, NAMESRV_PUBLIC_PORT

Json = dict[str, Any]

ZONE_CODES = ("sandbox-1a", "sandbox-1b", "sandbox-1c", "sandbox-1d")
SOLD_OUT_FLAVOR = "c6.16u32g.cluster"
"""The demo's flavor that is sold out in one AZ (`SOLD_OUT_ZONE_CODE`)."""
SOLD_OUT_ZONE_CODE = "sandbox-1d"


def stable_uuid(*parts: object) -> str:
    """A UUID that depends only on `parts`, so every run of a tenant has the same IDs."""
    digest = hashlib.md5("/".join(str(p) for p in parts).encode(), usedforsecurity=False).digest()
    return str(uuid.UUID(bytes=digest, version=4))


def zone_id(code: str) -> str:
    """The AZ ID (32 hex digits, as the cloud's) of an AZ code."""
    return hashlib.md5(f"az/{code}".encode(), usedforsecurity=False).hexdigest()


@dataclass(frozen=True)
class FlavorSpec:
    """One flavor of the sandbox's products listing."""

    id: str
    type: str
    alias: str
    topics: int
    tps: int
    vcpus: int
    memory_gb: int
    max_storage_per_node: int
    unavailable: tuple[str, ...] = ()
    """AZ codes where it is sold out (with every disk type)."""


FLAVORS = (
    FlavorSpec("c6.4u8g.cluster.small", "cluster.small", "rocketmq.4u8g.cluster.small", 2000, 15000, 4, 8, 30000),
    FlavorSpec("c6.4u8g.cluster", "cluster", "rocketmq.4u8g.cluster", 4000, 20000, 4, 8, 60000),
    FlavorSpec("c6.8u16g.cluster", "cluster", "rocketmq.8u16g.cluster", 8000, 25000, 8, 16, 90000),
    FlavorSpec("c6.12u24g.cluster", "cluster", "rocketmq.12u24g.cluster", 12000, 28000, 12, 24, 90000),
    FlavorSpec(
        SOLD_OUT_FLAVOR, "cluster", "rocketmq.16u32g.cluster", 16000, 30000, 16, 32, 90000, (SOLD_OUT_ZONE_CODE,)
    ),
)
MAX_BROKERS = 10


def _ecs_flavor(vcpus: int) -> str:
    size = vcpus // 4
    return f"c6.{size if size > 1 else ''}xlarge.2"


def zone_items() -> list[Json]:
    """`GET /v2/available-zones` items, camelCase `soldOut` included."""
    return [
        {
            "id": zone_id(code),
            "code": code,
            "name": f"AZ{index}",
            "port": "8002",
            "resource_availability": "true",
            "default_az": index == 1,
            "remain_time": 9223372036854775807,
            "ipv6_enable": False,
            "soldOut": False,
            "mode": "center",
            "scope": "Center",
        }
        for index, code in enumerate(ZONE_CODES, start=1)
    ]


def product_items() -> list[Json]:
    """`GET /v2/{engine}/products` items; every property value is a string, as the vendor's are."""
    items = []
    for spec in FLAVORS:
        unavailable = [zone_id(code) for code in spec.unavailable]
        available = [zone_id(code) for code in ZONE_CODES if code not in spec.unavailable]
        items.append(
            {
                "type": spec.type,
                "product_id": spec.id,
                "ecs_flavor_id": _ecs_flavor(spec.vcpus),
                "billing_code": "dms.platinum.c6",
                "arch_types": ["X86"],
                "charging_mode": ["monthly", "hourly"],
                "ios": [
                    {
                        "io_spec": io_spec,
                        "type": "evs",
                        "available_zones": available,
                        "unavailable_zones": unavailable,
                    }
                    for io_spec in (HIGH_IO, ULTRA_HIGH_IO)
                ],
                "support_features": ["acl", "ssl"],
                "properties": {
                    "max_broker": str(MAX_BROKERS),
                    "min_broker": "1",
                    "step_length": "1",
                    "max_storage_per_node": str(spec.max_storage_per_node),
                    "min_storage_per_node": str(MIN_STORAGE_PER_BROKER_GB),
                    "max_storage": str(spec.max_storage_per_node * MAX_BROKERS),
                    "min_storage": str(MIN_STORAGE_PER_BROKER_GB),
                    "max_topic_per_broker": str(spec.topics),
                    "max_consumer_per_broker": str(spec.topics),
                    "max_tps_per_broker": str(spec.tps),
                    "product_alias": spec.alias,
                    "engine_versions": "4.8.0",
                    "broker_num": "1",
                    "core": str(spec.vcpus),
                    "max_topic": str(spec.topics * MAX_BROKERS),
                    "max_consumer": str(spec.topics * MAX_BROKERS),
                },
                "qingtian_incompatible": False,
            }
        )
    return items


def build_catalog() -> Catalog:
    """The catalog the sandbox enforces: the same flavors and AZs its listings serve."""
    zones = tuple(
        AvailabilityZone(id=z["id"], code=z["code"], name=z["name"], sold_out=z["soldOut"], default=z["default_az"])
        for z in zone_items()
    )
    flavors = []
    for spec in FLAVORS:
        unavailable = frozenset(zone_id(code) for code in spec.unavailable)
        available = frozenset(zone_id(code) for code in ZONE_CODES) - unavailable
        flavors.append(
            Flavor(
                id=spec.id,
                topics_per_broker=spec.topics,
                consumer_groups_per_broker=spec.topics,
                tps_per_broker=spec.tps,
                min_broker=1,
                max_broker=MAX_BROKERS,
                broker_step=1,
                min_storage_per_broker=MIN_STORAGE_PER_BROKER_GB,
                max_storage_per_broker=spec.max_storage_per_node,
                billing_modes=frozenset({PAY_PER_USE, YEARLY_MONTHLY}),
                storage=tuple(StorageOffer(code, available, unavailable) for code in (HIGH_IO, ULTRA_HIGH_IO)),
                cpu_label=f"{spec.vcpus} vCPUs | {spec.memory_gb} GB",
            )
        )
    return Catalog(flavors=tuple(flavors), storage_types=STORAGE_TYPES, zones=zones, live=True)


@dataclass
class Network:
    """The VPC-side resources of an account, as the vendor's v1 list calls return them."""

    vpcs: list[Json] = field(default_factory=list)
    subnets: list[Json] = field(default_factory=list)
    security_groups: list[Json] = field(default_factory=list)
    eips: list[Json] = field(default_factory=list)


@dataclass(frozen=True)
class Tenant:
    """An account's contents at start; `network` is built on first use."""

    name: str
    network: Callable[[str], Network]
    """Builds the network lists for a project ID."""
    enterprise_projects: tuple[Json, ...]
    instance_quota: int
    existing_instances: tuple[Json, ...] = ()
    """Create bodies of instances that already exist (RUNNING) when the sandbox starts."""


def _vpc(project_id: str, vpc_id: str, name: str, cidr: str) -> Json:
    return {
        "id": vpc_id,
        "name": name,
        "cidr": cidr,
        "description": "",
        "status": "OK",
        "enterprise_project_id": "0",
        "tenant_id": project_id,
        "routes": [],
        "created_at": "2026-01-05T08:00:00Z",
        "updated_at": "2026-01-05T08:00:00Z",
    }


def _subnet(subnet_id: str, name: str, vpc_id: str, cidr: str, zone: str, *, neutron_id: str = "") -> Json:
    prefix = cidr.rsplit(".", 1)[0]
    return {
        "id": subnet_id,
        "name": name,
        "description": "",
        "cidr": cidr,
        "gateway_ip": f"{prefix}.1",
        "vpc_id": vpc_id,
        "availability_zone": zone,
        "status": "ACTIVE",
        "ipv6_enable": False,
        "dhcp_enable": True,
        "primary_dns": "100.125.1.250",
        "secondary_dns": "100.125.129.250",
        "dnsList": ["100.125.1.250", "100.125.129.250"],
        "neutron_network_id": subnet_id,
        "neutron_subnet_id": neutron_id or stable_uuid("neutron-subnet", subnet_id),
        "available_ip_address_count": 250,
        "scope": "center",
    }


def _security_group(sg_id: str, name: str, vpc_id: str, description: str = "", rules: list[Json] | None = None) -> Json:
    return {
        "id": sg_id,
        "name": name,
        "description": description,
        "vpc_id": vpc_id,
        "enterprise_project_id": "0",
        "security_group_rules": rules or [],
    }


def _rule(
    sg_id: str,
    n: int,
    *,
    direction: str = "ingress",
    protocol: str | None = "tcp",
    ports: tuple[int, int] | None = None,
    prefix: str | None = None,
    group: str | None = None,
    ethertype: str = "IPv4",
    description: str = "",
) -> Json:
    """One rule as `GET /v1/{project_id}/security-group-rules` returns it."""
    return {
        "id": stable_uuid("sg-rule", sg_id, n),
        "description": description,
        "security_group_id": sg_id,
        "direction": direction,
        "ethertype": ethertype,
        "protocol": protocol,
        "port_range_min": ports[0] if ports else None,
        "port_range_max": ports[1] if ports else None,
        "remote_ip_prefix": prefix,
        "remote_group_id": group,
        "remote_address_group_id": None,
        "tenant_id": "",
    }


def _egress(sg_id: str, n: int) -> list[Json]:
    return [
        _rule(sg_id, n, direction="egress", protocol=None, ethertype="IPv4"),
        _rule(sg_id, n + 1, direction="egress", protocol=None, ethertype="IPv6"),
    ]


def _demo_security_groups(vpc_app: str, vpc_app_cidr: str, vpc_staging: str) -> list[Json]:
    """`default` admits only its own members (as the cloud's default group does); `sg-rocketmq` opens every
    port a RocketMQ instance needs; `sg-staging` opens only SSH, so a RocketMQ client cannot connect."""
    default, opened, closed = (stable_uuid("demo", "sg", n) for n in (1, 2, 3))
    return [
        _security_group(
            default,
            "default",
            "",
            "Default security group",
            [
                _rule(default, 1, protocol=None, group=default),
                _rule(default, 2, protocol=None, group=default, ethertype="IPv6"),
                *_egress(default, 3),
            ],
        ),
        _security_group(
            opened,
            "sg-rocketmq",
            vpc_app,
            "RocketMQ brokers",
            [
                _rule(opened, 1, ports=(NAMESRV_PRIVATE_PORT,) * 2, prefix=vpc_app_cidr, description="NameServer"),
                _rule(opened, 2, ports=(NAMESRV_PUBLIC_PORT,) * 2, prefix=ANYWHERE, description="public NameServer"),
                _rule(opened, 3, ports=BROKER_PORTS, prefix=ANYWHERE, description="brokers"),
                *_egress(opened, 4),
            ],
        ),
        _security_group(
            closed,
            "sg-staging",
            vpc_staging,
            "Staging",
            [_rule(closed, 1, ports=(22, 22), prefix="10.0.0.0/16", description="SSH"), *_egress(closed, 2)],
        ),
    ]


def _eip(eip_id: str, address: str, bound_port: str | None = None, *, bandwidth_id: str = "") -> Json:
    item: Json = {
        "id": eip_id,
        "public_ip_address": address,
        "ip_version": 4,
        "status": "ACTIVE" if bound_port else "DOWN",
        "type": "5_bgp",
        "bandwidth_id": bandwidth_id or stable_uuid("bandwidth", eip_id),
        "bandwidth_name": f"bandwidth-{address.replace('.', '-')}",
        "bandwidth_size": 5,
        "bandwidth_share_type": "PER",
        "enterprise_project_id": "0",
        "create_time": "2026-01-05 08:00:00",
        "alias": "",
        "public_border_group": "center",
    }
    if bound_port:
        item["port_id"] = bound_port
        item["private_ip_address"] = "192.168.0.10"
    return item


def _demo_network(project_id: str) -> Network:
    vpc_app = stable_uuid("demo", "vpc", 1)
    vpc_staging = stable_uuid("demo", "vpc", 2)
    return Network(
        vpcs=[
            _vpc(project_id, vpc_app, "vpc-demo", "192.168.0.0/16"),
            _vpc(project_id, vpc_staging, "vpc-staging", "10.0.0.0/16"),
        ],
        subnets=[
            _subnet(stable_uuid("demo", "subnet", 1), "subnet-app", vpc_app, "192.168.0.0/24", ZONE_CODES[0]),
            _subnet(stable_uuid("demo", "subnet", 2), "subnet-data", vpc_app, "192.168.1.0/24", ZONE_CODES[1]),
            _subnet(stable_uuid("demo", "subnet", 3), "subnet-staging-a", vpc_staging, "10.0.0.0/24", ZONE_CODES[0]),
            _subnet(stable_uuid("demo", "subnet", 4), "subnet-staging-b", vpc_staging, "10.0.1.0/24", ZONE_CODES[2]),
        ],
        security_groups=_demo_security_groups(vpc_app, "192.168.0.0/16", vpc_staging),
        eips=[
            *(_eip(stable_uuid("demo", "eip", n), f"203.0.113.{10 + n}") for n in range(1, 7)),
            _eip(stable_uuid("demo", "eip", 7), "203.0.113.99", bound_port=stable_uuid("demo", "port", 1)),
        ],
    )


LARGE_VPCS = 50
LARGE_SUBNETS = 10_000
LARGE_SECURITY_GROUPS = 20_000
LARGE_EIPS = 2_000


def _fast_id(kind: int, index: int) -> str:
    # md5 per item would cost ~60 ms for 32,000 items; these are just as unique and stable.
    return f"{kind:08x}-0000-4000-8000-{index:012x}"


def _large_network(project_id: str) -> Network:
    vpc_ids = [_fast_id(1, v) for v in range(LARGE_VPCS)]
    vpcs = [_vpc(project_id, vpc_ids[v], f"vpc-{v:03d}", f"10.{v}.0.0/16") for v in range(LARGE_VPCS)]
    per_vpc = LARGE_SUBNETS // LARGE_VPCS
    subnets = [
        _subnet(
            _fast_id(2, n),
            f"subnet-{n:05d}",
            vpc_ids[n // per_vpc],
            f"10.{n // per_vpc}.{n % per_vpc}.0/24",
            ZONE_CODES[n % len(ZONE_CODES)],
            neutron_id=_fast_id(6, n),
        )
        for n in range(LARGE_SUBNETS)
    ]
    security_groups = [
        _security_group(_fast_id(3, n), f"sg-{n:05d}", vpc_ids[n % LARGE_VPCS] if n % 4 else "")
        for n in range(LARGE_SECURITY_GROUPS)
    ]
    eips = [
        _eip(
            _fast_id(4, n), f"100.{64 + n // 65536}.{n // 256 % 256}.{n % 256}", _fast_id(5, n) if n % 10 == 9 else None
        )
        for n in range(LARGE_EIPS)
    ]
    return Network(vpcs=vpcs, subnets=subnets, security_groups=security_groups, eips=eips)


ENTERPRISE_PROJECTS: tuple[Json, ...] = (
    {"id": "0", "name": "default", "status": 1, "description": "Default enterprise project"},
    {"id": stable_uuid("eps", "production"), "name": "production", "status": 1, "description": ""},
)


def _demo_existing(project_id: str) -> Json:
    network = _demo_network(project_id)
    return {
        "name": "rocketmq-orders",
        "description": "Orders queue (already in the demo account)",
        "engine": "reliability",
        "engine_version": "4.8.0",
        "storage_space": 600,
        "vpc_id": network.vpcs[0]["id"],
        "subnet_id": network.subnets[0]["id"],
        "security_group_id": network.security_groups[1]["id"],
        "available_zones": [zone_id(ZONE_CODES[0])],
        "product_id": "c6.4u8g.cluster",
        "storage_spec_code": HIGH_IO,
        "broker_num": 2,
    }


def build_tenant(name: str, project_id: str) -> Tenant:
    """The tenant called `name` ("demo" or "large"); raises ValueError for any other name."""
    if name == "demo":
        return Tenant(
            name="demo",
            network=_demo_network,
            enterprise_projects=ENTERPRISE_PROJECTS,
            instance_quota=5,
            existing_instances=(_demo_existing(project_id),),
        )
    if name == "large":
        return Tenant(name="large", network=_large_network, enterprise_projects=ENTERPRISE_PROJECTS, instance_quota=50)
    raise ValueError(f"unknown sandbox tenant {name!r}; use demo or large")
