"""The sandbox account's state: resources, instances and their lifecycle, in memory, behind one lock.

Lifecycle of an instance (computed from the clock whenever the state is read, so no timer threads):

- a create stores it as CREATING, binds its EIPs (status ACTIVE, with a port) and counts it in the quota;
- `create_delay` seconds later it is RUNNING, or CREATEFAILED when a ``create_failed`` fault targeted the
  create call or its name starts with ``fail-`` (a failed instance releases its EIPs but keeps counting
  in the quota until deleted, as in the cloud);
- a delete makes it DELETING; `delete_delay` seconds later it is gone (404), its EIPs unbound and its
  quota freed.

The `available_zones` of an instance come back in another order than the create asked for, as the real
API's do.
"""

from __future__ import annotations

import gc
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wizard.catalog import YEARLY_MONTHLY, Catalog
from wizard.fields import split_ids
from wizard.ports import BROKER_PORTS, NAMESRV_PRIVATE_PORT, NAMESRV_PUBLIC_PORT
from wizard.sandbox import rules
from wizard.sandbox.bss import BssAccount
from wizard.sandbox.faults import FaultPlan
from wizard.sandbox.followups import FollowUps
from wizard.sandbox.rules import refuse
from wizard.sandbox.tenants import FLAVORS, Json, Network, Tenant, build_catalog, product_items, stable_uuid, zone_items

FAIL_PREFIX = "fail-"
"""Instances whose name starts with this end CREATEFAILED (a documented way to see a failed create)."""

CREATING, RUNNING, CREATEFAILED, DELETING = "CREATING", "RUNNING", "CREATEFAILED", "DELETING"
LIST_LIMIT_MAX = 50
LIST_LIMIT_DEFAULT = 10


@dataclass
class InstanceRecord:
    """One instance as the sandbox keeps it: the accepted create body and its lifecycle times."""

    id: str
    body: dict[str, Any]
    created_ms: int
    born: float
    ready_after: float
    outcome: str
    zones: list[str]
    eip_ids: list[str] = field(default_factory=list)
    deleting_since: float | None = None

    def status(self, now: float) -> str:
        """The status at monotonic time `now`."""
        if self.deleting_since is not None:
            return DELETING
        return self.outcome if now - self.born >= self.ready_after else CREATING


def reordered(zones: list[str]) -> list[str]:
    """The AZ list in another order than given (sorted, or reversed when already sorted)."""
    ordered = sorted(zones)
    return ordered if ordered != zones else list(reversed(zones))


class SandboxState:
    """Everything the sandbox account holds; every public method is safe to call from any thread."""

    def __init__(
        self,
        tenant: Tenant,
        *,
        project_id: str,
        region: str,
        create_delay: float = 3.0,
        delete_delay: float = 1.0,
        latency: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.tenant = tenant
        self.project_id = project_id
        self.region = region
        self.create_delay = create_delay
        self.delete_delay = delete_delay
        self.latency = latency
        self.clock = clock
        self.lock = threading.RLock()
        self.faults = FaultPlan()
        self.followups = FollowUps()
        """Topics, groups and users of the instances, and the busy/deny test controls."""
        self.catalog: Catalog = build_catalog()
        self.zones: list[Json] = zone_items()
        self.products: list[Json] = product_items()
        self.enterprise_projects: list[Json] = [dict(p) for p in tenant.enterprise_projects]
        self.instance_quota = tenant.instance_quota
        self.bss = BssAccount.for_tenant(tenant.name)
        """The account as billing sees it (its site and discount); tests may change it."""
        self.closing = threading.Event()
        """Set when the sandbox stops, so stalled answers (timeout faults) end at once."""
        self.committed_creates = 0
        """How many create calls stored an instance (faults included): tests count duplicates with it."""
        self._network: Network | None = None
        self._by_id: dict[str, dict[str, Json]] = {}
        self._positions: dict[str, dict[str, int]] = {}
        self._instances: dict[str, InstanceRecord] = {}
        for body in tenant.existing_instances:
            self._store(dict(body), outcome=RUNNING, ready_after=0.0, born=clock() - 86400.0)

    # --- network resources ----------------------------------------------------------------------

    def network(self) -> Network:
        """The VPCs, subnets, security groups and EIPs (built on first use)."""
        with self.lock:
            if self._network is None:
                # Tens of thousands of new dicts would set off full collections of everything the
                # process holds (seconds inside a test run); none of them can be garbage.
                collecting = gc.isenabled()
                gc.disable()
                try:
                    network = self.tenant.network(self.project_id)
                finally:
                    if collecting:
                        gc.enable()
                for kind, items in self._lists(network).items():
                    self._by_id[kind] = {item["id"]: item for item in items}
                    self._positions[kind] = {item["id"]: n for n, item in enumerate(items)}
                self._network = network
            return self._network

    @staticmethod
    def _lists(network: Network) -> dict[str, list[Json]]:
        return {
            "vpcs": network.vpcs,
            "subnets": network.subnets,
            "security_groups": network.security_groups,
            "publicips": network.eips,
        }

    def resource_list(self, kind: str) -> list[Json]:
        """One of the network lists by its JSON key: vpcs, subnets, security_groups, publicips."""
        return self._lists(self.network())[kind]

    def resource(self, kind: str, resource_id: str) -> Json | None:
        """One network resource by list key and ID, or None."""
        self.network()
        return self._by_id[kind].get(resource_id)

    def position(self, kind: str, resource_id: str) -> int | None:
        """Where a resource sits in its list (for `marker` pagination), or None when it is unknown."""
        self.network()
        return self._positions[kind].get(resource_id)

    # --- instances ------------------------------------------------------------------------------

    def _settle(self) -> None:
        """Apply what time has done: failed creates release their EIPs, finished deletes disappear."""
        now = self.clock()
        for record in list(self._instances.values()):
            if record.deleting_since is not None:
                if now - record.deleting_since >= self.delete_delay:
                    self._release_eips(record)
                    del self._instances[record.id]
            elif record.status(now) == CREATEFAILED and record.eip_ids:
                self._release_eips(record)

    def _release_eips(self, record: InstanceRecord) -> None:
        for eip_id in record.eip_ids:
            eip = self.resource("publicips", eip_id)
            if eip is not None:
                eip["status"] = "DOWN"
                eip.pop("port_id", None)
                eip.pop("private_ip_address", None)
        record.eip_ids = []

    def _store(self, body: dict[str, Any], *, outcome: str, ready_after: float, born: float) -> InstanceRecord:
        instance_id = str(uuid.uuid4())
        record = InstanceRecord(
            id=instance_id,
            body=body,
            created_ms=int(time.time() * 1000),
            born=born,
            ready_after=ready_after,
            outcome=outcome,
            zones=reordered(list(body.get("available_zones", []))),
        )
        self._instances[instance_id] = record
        return record

    def create_instance(self, body: Mapping[str, Any], *, fail: bool | Callable[[], bool] = False) -> InstanceRecord:
        """Check what only the server can check, then store the instance; raises VendorError.

        `fail` (or, when callable, what it answers at the moment of storing) makes it end CREATEFAILED.
        """
        with self.lock:
            self._settle()
            name = body["name"]
            if any(r.body["name"] == name for r in self._instances.values()):
                raise refuse(rules.NAME_TAKEN, f"(name {name!r})")
            self._check_network(body)
            eip_ids = self._check_eips(body)
            if len(self._instances) >= self.instance_quota:
                raise refuse(
                    rules.QUOTA_EXCEEDED,
                    f"The account may have {self.instance_quota} RocketMQ instances and has {len(self._instances)}.",
                )
            failing = fail() if callable(fail) else fail
            outcome = CREATEFAILED if failing or name.startswith(FAIL_PREFIX) else RUNNING
            record = self._store(dict(body), outcome=outcome, ready_after=self.create_delay, born=self.clock())
            for n, eip_id in enumerate(eip_ids):
                eip = self._by_id["publicips"][eip_id]
                eip["status"] = "ACTIVE"
                eip["port_id"] = stable_uuid("port", record.id, n)
                eip["private_ip_address"] = f"{self._subnet_prefix(body)}.{100 + n}"
            record.eip_ids = eip_ids
            self.committed_creates += 1
            return record

    def _check_network(self, body: Mapping[str, Any]) -> None:
        vpc_id, subnet_id, sg_id = body["vpc_id"], body["subnet_id"], body["security_group_id"]
        if self.resource("vpcs", vpc_id) is None:
            raise refuse(rules.INVALID_PARAMETER, f"vpc_id {vpc_id} does not exist.")
        subnet = self.resource("subnets", subnet_id)
        if subnet is None:
            raise refuse(rules.INVALID_PARAMETER, f"subnet_id {subnet_id} does not exist.")
        if subnet["vpc_id"] != vpc_id:
            raise refuse(rules.INVALID_PARAMETER, f"subnet_id {subnet_id} is not a subnet of VPC {vpc_id}.")
        group = self.resource("security_groups", sg_id)
        if group is None:
            raise refuse(rules.INVALID_PARAMETER, f"security_group_id {sg_id} does not exist.")
        if group["vpc_id"] not in ("", vpc_id):
            raise refuse(rules.INVALID_PARAMETER, f"security_group_id {sg_id} belongs to another VPC than {vpc_id}.")
        project = body.get("enterprise_project_id")
        if project is not None and all(p["id"] != project for p in self.enterprise_projects):
            raise refuse(rules.INVALID_PARAMETER, f"enterprise_project_id {project} does not exist.")

    def _check_eips(self, body: Mapping[str, Any]) -> list[str]:
        if body.get("enable_publicip") is not True or not isinstance(body.get("publicip_id"), str):
            return []
        ids = split_ids(body["publicip_id"])
        for eip_id in ids:
            eip = self.resource("publicips", eip_id)
            if eip is None:
                raise refuse(rules.INVALID_PARAMETER, f"publicip_id {eip_id} does not exist.")
            if eip["ip_version"] != 4:
                raise refuse(rules.INVALID_PARAMETER, f"publicip_id {eip_id} is not an IPv4 EIP.")
            if eip["status"] != "DOWN":
                raise refuse(rules.INVALID_PARAMETER, f"publicip_id {eip_id} is already bound ({eip['status']}).")
        return ids

    def _subnet_prefix(self, body: Mapping[str, Any]) -> str:
        subnet = self.resource("subnets", body["subnet_id"])
        cidr = subnet["cidr"] if subnet else "192.168.0.0/24"
        return str(cidr).split("/", 1)[0].rsplit(".", 1)[0]

    def show_instance(self, instance_id: str) -> Json:
        """The instance's detail as `GET /v2/{project_id}/instances/{id}` returns it; raises VendorError 404."""
        with self.lock:
            self._settle()
            record = self._instances.get(instance_id)
            if record is None:
                raise refuse(rules.NOT_FOUND, f"No instance {instance_id}.", http_status=404)
            return self._detail(record)

    def list_instances(
        self,
        *,
        name: str | None = None,
        exact_match_name: bool = False,
        instance_id: str | None = None,
        status: str | None = None,
        include_failure: bool = True,
        enterprise_project_id: str | None = None,
    ) -> list[Json]:
        """The details of the instances that pass the filters, newest first."""
        with self.lock:
            self._settle()
            found = []
            for record in reversed(self._instances.values()):
                detail = self._detail(record)
                if name is not None and (
                    detail["name"] != name if exact_match_name else name.lower() not in detail["name"].lower()
                ):
                    continue
                if instance_id is not None and record.id != instance_id:
                    continue
                if status is not None and detail["status"] != status:
                    continue
                if not include_failure and detail["status"] == CREATEFAILED:
                    continue
                if enterprise_project_id is not None and detail["enterprise_project_id"] != enterprise_project_id:
                    continue
                found.append(detail)
            return found

    def delete_instance(self, instance_id: str) -> None:
        """Start deleting an instance; raises VendorError (404 unknown, 400 while CREATING or DELETING)."""
        with self.lock:
            self._settle()
            record = self._instances.get(instance_id)
            if record is None:
                raise refuse(rules.NOT_FOUND, f"No instance {instance_id}.", http_status=404)
            status = record.status(self.clock())
            if status in (CREATING, DELETING):
                raise refuse(rules.BAD_STATE, f"The instance is {status}.")
            record.deleting_since = self.clock()

    def instances_named(self, name: str) -> list[Json]:
        """Every instance with exactly this name (tests use it to prove a create happened once)."""
        return self.list_instances(name=name, exact_match_name=True)

    def quota_used(self) -> int:
        """RocketMQ instances that count against the quota now."""
        with self.lock:
            self._settle()
            return len(self._instances)

    def set_instance_quota(self, quota: int) -> None:
        """Change how many RocketMQ instances the account may have."""
        with self.lock:
            self.instance_quota = quota

    def quotas_json(self) -> Json:
        """The body of `GET /v2/{project_id}/quotas`."""
        used = self.quota_used()
        return {
            "quotas": {
                "resources": [
                    {"type": "rocketmqInstance", "quota": self.instance_quota, "used": used, "min": 0, "max": 100},
                    {"type": "kafkaInstance", "quota": 10, "used": 0, "min": 0, "max": 100},
                ]
            }
        }

    def _detail(self, record: InstanceRecord) -> Json:
        body = record.body
        status = record.status(self.clock())
        vpc = self.resource("vpcs", body["vpc_id"]) or {}
        subnet = self.resource("subnets", body["subnet_id"]) or {}
        group = self.resource("security_groups", body["security_group_id"]) or {}
        spec = next((f for f in FLAVORS if f.id == body["product_id"]), FLAVORS[0])
        brokers = int(body["broker_num"])
        prefix = self._subnet_prefix(body)
        ready = status in (RUNNING, DELETING)
        bss = body.get("bss_param") or {}
        public = bool(body.get("enable_publicip"))
        eips = [self.resource("publicips", e) or {} for e in split_ids(body["publicip_id"])] if public else []
        addresses = ",".join(str(e.get("public_ip_address", "")) for e in eips)
        zone_names = [z.name if (z := self.catalog.zone(zid)) else zid for zid in record.zones]
        ssl = bool(body.get("ssl_enable"))
        return {
            "name": body["name"],
            "engine": "reliability",
            "status": status,
            "description": body.get("description", ""),
            "type": spec.type,
            "specification": f"{spec.vcpus}vCPUs {spec.memory_gb}GB * {brokers}",
            "engine_version": body.get("engine_version", "4.8.0"),
            "instance_id": record.id,
            "arch_type": body.get("arch_type", "X86"),
            "charging_mode": 0 if bss.get("charging_mode") == YEARLY_MONTHLY else 1,
            "vpc_id": body["vpc_id"],
            "vpc_name": vpc.get("name", ""),
            "created_at": str(record.created_ms),
            "product_id": body["product_id"],
            "security_group_id": body["security_group_id"],
            "security_group_name": group.get("name", ""),
            "subnet_id": body["subnet_id"],
            "subnet_name": subnet.get("name", ""),
            "subnet_cidr": subnet.get("cidr", ""),
            "available_zones": list(record.zones),
            "available_zone_names": zone_names,
            "user_id": stable_uuid("user", self.project_id),
            "user_name": "sandbox-user",
            "maintain_begin": "02:00:00",
            "maintain_end": "06:00:00",
            "enable_log_collection": False,
            "storage_space": body["storage_space"],
            "used_storage_space": 0,
            "total_storage_space": body["storage_space"],
            "enable_publicip": public,
            "publicip_id": body.get("publicip_id", "") if public else "",
            "publicip_address": addresses if public else "",
            "ssl_enable": ssl,
            "cross_vpc_info": "",
            "storage_resource_id": stable_uuid("storage", record.id),
            "storage_spec_code": body["storage_spec_code"],
            "service_type": "advanced",
            "storage_type": "hec",
            "extend_times": 0,
            "ipv6_enable": bool(body.get("ipv6_enable")),
            "support_features": "",
            "disk_encrypted": bool(body.get("disk_encrypted_enable")),
            "ces_version": "linux,v1,v2",
            "node_num": 3 * brokers + 2,
            "new_spec_billing_enable": True,
            "enable_acl": bool(body.get("enable_acl")),
            "broker_num": brokers,
            "dns_enable": False,
            "namesrv_address": f"{prefix}.11:{NAMESRV_PRIVATE_PORT},{prefix}.12:{NAMESRV_PRIVATE_PORT}"
            if ready
            else "",
            "broker_address": ",".join(f"{prefix}.{20 + n}:{BROKER_PORTS[0]}" for n in range(brokers)) if ready else "",
            "public_namesrv_address": _public_namesrv(eips) if ready else "",
            "public_broker_address": _public_brokers(eips) if ready else "",
            "enterprise_project_id": body.get("enterprise_project_id", "0"),
            "tags": [],
            "tls_mode": body.get("tls_mode", "SSL" if ssl else "PLAINTEXT"),
            "max_msg_process_tps": spec.tps * brokers,
        }


def _public_namesrv(eips: list[Json]) -> str:
    """The public NameServer: port 8200 on the first two EIPs (two NameServer nodes)."""
    return ",".join(f"{e.get('public_ip_address', '')}:{NAMESRV_PUBLIC_PORT}" for e in eips[:2])


def _public_brokers(eips: list[Json]) -> str:
    """One public broker port per EIP, from 10100 up (3 per broker: 10100 to 10100+3n-1)."""
    return ",".join(f"{e.get('public_ip_address', '')}:{BROKER_PORTS[0] + n}" for n, e in enumerate(eips))
