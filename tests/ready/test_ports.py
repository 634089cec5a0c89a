"""Which ports a security group leaves closed, and from where: table tests and properties."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.ports import PortNeed, PortRange, missing_ports, required_ports, uncovered

VPC = "192.168.0.0/16"


def rule(low: int | None, high: int | None, prefix: str | None = "0.0.0.0/0", **extra: Any) -> dict[str, Any]:
    return {
        "direction": "ingress",
        "ethertype": "IPv4",
        "protocol": "tcp",
        "port_range_min": low,
        "port_range_max": high,
        "remote_ip_prefix": prefix,
        **extra,
    }


def closed(rules: list[dict[str, Any]], *, public: bool = False, source: str = "0.0.0.0/0") -> list[str]:
    return [n.describe() for n in missing_ports(required_ports(VPC, public=public, public_source=source), rules)]


def test_private_access_needs_8100_and_the_broker_ports_from_the_vpc() -> None:
    assert closed([]) == [
        "TCP 8100 from 192.168.0.0/16 (NameServer, private access)",
        "TCP 10100-10199 from 192.168.0.0/16 (brokers, private access)",
    ]


def test_public_access_also_needs_8200_and_the_broker_ports_from_where_clients_are() -> None:
    assert closed([], public=True, source="198.51.100.0/24")[2:] == [
        "TCP 8200 from 198.51.100.0/24 (NameServer, public access)",
        "TCP 10100-10199 from 198.51.100.0/24 (brokers, public access)",
    ]
    assert "anywhere (0.0.0.0/0)" in closed([], public=True)[2]


@pytest.mark.parametrize(
    ("rules", "left"),
    [
        ([rule(8100, 8100, VPC), rule(10100, 10199, VPC)], []),
        ([rule(None, None, "0.0.0.0/0", protocol=None)], []),
        ([rule(1, 65535, "192.168.0.0/8")], []),
        ([rule(8100, 8100, "192.168.1.0/24"), rule(10100, 10199, VPC)], ["TCP 8100"]),
        ([rule(8100, 8100, VPC, protocol="udp"), rule(10100, 10199, VPC)], ["TCP 8100"]),
        ([rule(8100, 8100, VPC, direction="egress"), rule(10100, 10199, VPC)], ["TCP 8100"]),
        ([rule(8100, 8100, VPC, ethertype="IPv6"), rule(10100, 10199, VPC)], ["TCP 8100"]),
        ([rule(None, None, None, protocol=None, remote_group_id="sg-self")], ["TCP 8100", "TCP 10100-10199"]),
        ([rule(8100, 8100, VPC), rule(10100, 10150, VPC)], ["TCP 10151-10199"]),
        ([rule(8100, 8100, VPC), rule(10100, 10120, VPC), rule(10130, 10199, VPC)], ["TCP 10121-10129"]),
        ([rule(8000, 8200, VPC, protocol="6"), rule(10000, 11000, VPC)], []),
        ([rule(8100, 8100, "not-a-cidr"), rule(10100, 10199, VPC)], ["TCP 8100"]),
    ],
)
def test_which_rules_open_what(rules: list[dict[str, Any]], left: list[str]) -> None:
    assert [line.split(" from ")[0] for line in closed(rules)] == left


def test_a_rule_body_opens_exactly_the_need() -> None:
    need = PortNeed(PortRange(8200, 8200), "0.0.0.0/0", "NameServer, public access")
    option = need.rule_body("sg-1")["security_group_rule"]
    assert option == {
        "security_group_id": "sg-1",
        "description": "rocketmq-wizard: NameServer, public access",
        "direction": "ingress",
        "ethertype": "IPv4",
        "protocol": "tcp",
        "port_range_min": 8200,
        "port_range_max": 8200,
        "remote_ip_prefix": "0.0.0.0/0",
    }
    assert missing_ports([need], [option]) == []


ranges = st.tuples(st.integers(1, 300), st.integers(1, 300)).map(lambda t: PortRange(min(t), max(t)))


@given(ranges, st.lists(ranges, max_size=6))
def test_gaps_and_opened_ranges_cover_the_need_and_never_overlap(need: PortRange, opened: list[PortRange]) -> None:
    gaps = uncovered(need, opened)
    in_gaps = {p for g in gaps for p in range(g.low, g.high + 1)}
    in_opened = {p for o in opened for p in range(o.low, o.high + 1)}
    wanted = set(range(need.low, need.high + 1))
    assert in_gaps == wanted - in_opened
    assert gaps == sorted(gaps)
    assert all(a.high + 1 < b.low for a, b in itertools.pairwise(gaps))


@given(st.lists(ranges, max_size=6))
def test_adding_the_missing_rules_leaves_nothing_missing(opened: list[PortRange]) -> None:
    rules = [rule(r.low, r.high, VPC) for r in opened]
    needs = [PortNeed(PortRange(50, 250), VPC, "test")]
    missing = missing_ports(needs, rules)
    added = rules + [m.rule_body("sg")["security_group_rule"] for m in missing]
    assert missing_ports(needs, added) == []
