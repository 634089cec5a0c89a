"""The ports a RocketMQ 4.8.0 instance needs open, and which of them a security group's rules leave closed.

Facts (next-facts §2.2, the vendor's "Network > Allow Access To" table): clients reach the NameServer on
TCP 8100 from inside the VPC and on TCP 8200 over public access; the brokers listen on TCP 10100–10199.
Private access needs 8100 and the broker ports open to the VPC's CIDR; public access needs 8200 and the
broker ports open to wherever the clients are (the user names it; anywhere by default).

A rule counts when it is an IPv4 ingress rule, for TCP or every protocol, whose remote prefix contains the
needed source. A rule whose remote is another security group (the default group's intra-group allow-all)
admits only members of that group, so it does not open a port to a CIDR.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

NAMESRV_PRIVATE_PORT = 8100
NAMESRV_PUBLIC_PORT = 8200
BROKER_PORTS = (10100, 10199)
ANYWHERE = "0.0.0.0/0"
RULE_DESCRIPTION = "rocketmq-wizard"
"""Starts the description of every rule the wizard adds, so an operator can tell them apart."""


@dataclass(frozen=True, order=True)
class PortRange:
    """An inclusive TCP port range."""

    low: int
    high: int

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"


@dataclass(frozen=True)
class PortNeed:
    """Ports that must be open to one source, and why."""

    ports: PortRange
    source: str
    purpose: str

    def describe(self) -> str:
        """E.g. "TCP 8100 from 192.168.0.0/16 (NameServer, private access)"."""
        where = "anywhere (0.0.0.0/0)" if self.source == ANYWHERE else self.source
        return f"TCP {self.ports} from {where} ({self.purpose})"

    def rule_body(self, security_group_id: str) -> dict[str, Any]:
        """The body of `POST /v1/{project_id}/security-group-rules` that opens these ports."""
        return {
            "security_group_rule": {
                "security_group_id": security_group_id,
                "description": f"{RULE_DESCRIPTION}: {self.purpose}",
                "direction": "ingress",
                "ethertype": "IPv4",
                "protocol": "tcp",
                "port_range_min": self.ports.low,
                "port_range_max": self.ports.high,
                "remote_ip_prefix": self.source,
            }
        }


def required_ports(vpc_cidr: str, *, public: bool, public_source: str = ANYWHERE) -> list[PortNeed]:
    """What the instance needs open: private access always, public access when it is on."""
    brokers = PortRange(*BROKER_PORTS)
    needs = [
        PortNeed(PortRange(NAMESRV_PRIVATE_PORT, NAMESRV_PRIVATE_PORT), vpc_cidr, "NameServer, private access"),
        PortNeed(brokers, vpc_cidr, "brokers, private access"),
    ]
    if public:
        needs += [
            PortNeed(PortRange(NAMESRV_PUBLIC_PORT, NAMESRV_PUBLIC_PORT), public_source, "NameServer, public access"),
            PortNeed(brokers, public_source, "brokers, public access"),
        ]
    return needs


def _network(text: str) -> ipaddress.IPv4Network | None:
    try:
        network = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError:
        return None
    return network if isinstance(network, ipaddress.IPv4Network) else None


def is_ipv4_cidr(text: str) -> bool:
    """Whether `text` is an IPv4 address or CIDR block."""
    return _network(text) is not None


def _int_or(value: object, default: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return default


def _opens_to(rule: Mapping[str, Any], source: ipaddress.IPv4Network) -> PortRange | None:
    """The TCP ports `rule` opens to all of `source`, or None when it opens none to it."""
    if rule.get("direction") != "ingress" or (rule.get("ethertype") or "IPv4") != "IPv4":
        return None
    if (rule.get("protocol") or "").lower() not in ("", "tcp", "6"):
        return None
    if rule.get("remote_group_id") or rule.get("remote_address_group_id"):
        return None
    remote = _network(str(rule.get("remote_ip_prefix") or ANYWHERE))
    if remote is None or not source.subnet_of(remote):
        return None
    low = _int_or(rule.get("port_range_min"), 1)
    high = _int_or(rule.get("port_range_max"), 65535)
    return PortRange(low, high) if low <= high else None


def uncovered(ports: PortRange, opened: Iterable[PortRange]) -> list[PortRange]:
    """The parts of `ports` that none of `opened` covers, in order."""
    gaps: list[PortRange] = []
    start = ports.low
    for window in sorted(opened):
        if window.high < start or window.low > ports.high:
            continue
        if window.low > start:
            gaps.append(PortRange(start, window.low - 1))
        start = max(start, window.high + 1)
        if start > ports.high:
            return gaps
    if start <= ports.high:
        gaps.append(PortRange(start, ports.high))
    return gaps


def missing_ports(needs: Sequence[PortNeed], rules: Sequence[Mapping[str, Any]]) -> list[PortNeed]:
    """Each need's ports that the rules leave closed (a need may come back split into parts)."""
    missing: list[PortNeed] = []
    for need in needs:
        source = _network(need.source)
        if source is None:
            missing.append(need)
            continue
        opened = [window for rule in rules if (window := _opens_to(rule, source)) is not None]
        missing += [PortNeed(gap, need.source, need.purpose) for gap in uncovered(need.ports, opened)]
    return missing
