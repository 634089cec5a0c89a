"""Table tests: every documented rule of the create body, at its valid and invalid edges."""

from __future__ import annotations

from typing import Any

import pytest

from tests.model.samples import live_catalog, valid_request
from wizard.catalog import ULTRA_HIGH_IO
from wizard.fields import Step, split_ids, typed_ids
from wizard.validation import check_request, parse_request

SIX_EIPS = ",".join(f"eip-{n}" for n in range(6))


def problems(data: dict[str, Any], catalog: Any = None) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for issue in check_request(data, catalog):
        found.setdefault(issue.field, []).append(issue.message)
    return found


VALID_EDGES = [
    pytest.param({}, id="minimal pay-per-use"),
    pytest.param({"name": "abcd"}, id="name 4 characters"),
    pytest.param({"name": "a" * 64}, id="name 64 characters"),
    pytest.param({"name": "A_b-9"}, id="name with _ - digits"),
    pytest.param({"description": ""}, id="empty description"),
    pytest.param({"description": "x" * 1024}, id="description 1024"),
    pytest.param({"description": 'quotes " and \\ backslashes'}, id="description with quote and backslash"),
    pytest.param({"available_zones": ["a", "b", "c"]}, id="three AZs"),
    pytest.param({"available_zones": ["a", "b", "c", "d"]}, id="four AZs"),
    pytest.param({"broker_num": 10, "storage_space": 3000}, id="10 brokers"),
    pytest.param({"broker_num": 2, "storage_space": 600}, id="300 per broker x 2"),
    pytest.param({"storage_space": 100000}, id="no offline maximum"),
    pytest.param({"product_id": "c6.4u8g.cluster.small"}, id="small flavor"),
    pytest.param({"product_id": "c6.16u32g.cluster"}, id="largest flavor"),
    pytest.param({"storage_spec_code": ULTRA_HIGH_IO}, id="ultra-high I/O"),
    pytest.param({"enable_publicip": True, "publicip_id": "e1,e2,e3"}, id="3 EIPs for 1 broker"),
    pytest.param(
        {"enable_publicip": True, "publicip_id": SIX_EIPS, "broker_num": 2, "storage_space": 600},
        id="6 EIPs for 2 brokers",
    ),
    pytest.param({"enable_publicip": True, "publicip_id": " e1 , e2,e3 "}, id="EIPs with spaces"),
    pytest.param({"enable_publicip": False}, id="public access off"),
    pytest.param({"ssl_enable": True, "enable_acl": True, "ipv6_enable": True}, id="switches on"),
    pytest.param({"enterprise_project_id": "0"}, id="enterprise project"),
    pytest.param({"bss_param": {"charging_mode": "postPaid"}}, id="explicit postPaid"),
    pytest.param({"bss_param": {"charging_mode": "prePaid", "period_type": "month", "period_num": 1}}, id="1 month"),
    pytest.param({"bss_param": {"charging_mode": "prePaid", "period_type": "month", "period_num": 9}}, id="9 months"),
    pytest.param(
        {
            "bss_param": {
                "charging_mode": "prePaid",
                "period_type": "year",
                "period_num": 3,
                "is_auto_pay": True,
            }
        },
        id="3 years",
    ),
    pytest.param({"engine": "reliability", "engine_version": "4.8.0"}, id="explicit engine"),
]


@pytest.mark.parametrize("changes", VALID_EDGES)
def test_valid_edges_pass(changes: dict[str, Any]) -> None:
    assert problems(valid_request(**changes)) == {}


INVALID = [
    # (changes, field, words the message must contain)
    ({"name": None}, "name", "required"),
    ({"name": ""}, "name", "required"),
    ({"name": "1abc"}, "name", "start with a letter"),
    ({"name": "_abc"}, "name", "start with a letter"),
    ({"name": "abc"}, "name", "4-64 characters"),
    ({"name": "a" * 65}, "name", "4-64 characters"),
    ({"name": "ab cd"}, "name", "only letters, digits, _ and -"),
    ({"name": "abc.d"}, "name", "only letters, digits, _ and -"),
    ({"name": "äbcd"}, "name", "start with a letter"),
    ({"name": 1234}, "name", "must be text"),
    ({"description": "x" * 1025}, "description", "at most 1024"),
    ({"engine": "kafka"}, "engine", "'reliability'"),
    ({"engine_version": "5.x"}, "engine_version", "4.8.0"),
    ({"available_zones": []}, "available_zones", "at least one"),
    ({"available_zones": ["a", "b"]}, "available_zones", "never 2"),
    ({"available_zones": ["a", " "]}, "available_zones", "blank"),
    ({"available_zones": ["a", "a", "b"]}, "available_zones", "more than once"),
    ({"available_zones": "az-1"}, "available_zones", "list"),
    ({"available_zones": None}, "available_zones", "required"),
    ({"product_id": "c6.2u4g.cluster"}, "product_id", "not a flavor"),
    ({"product_id": None}, "product_id", "required"),
    ({"storage_spec_code": "dms.physical.storage.normal"}, "storage_spec_code", "not a disk type"),
    ({"broker_num": 0}, "broker_num", "at least 1"),
    ({"broker_num": 11, "storage_space": 3300}, "broker_num", "1-10"),
    ({"broker_num": "2"}, "broker_num", "whole number"),
    ({"broker_num": 2.0}, "broker_num", "whole number"),
    ({"broker_num": True}, "broker_num", "whole number"),
    ({"storage_space": 299}, "storage_space", "at least 300 GB per broker"),
    ({"storage_space": 500, "broker_num": 2}, "storage_space", "at least 300 GB per broker"),
    ({"storage_space": 601, "broker_num": 2}, "storage_space", "divide evenly"),
    ({"storage_space": "600"}, "storage_space", "whole number"),
    ({"storage_space": 0}, "storage_space", "at least 1"),
    ({"vpc_id": ""}, "vpc_id", "required"),
    ({"vpc_id": "   "}, "vpc_id", "blank"),
    ({"subnet_id": None}, "subnet_id", "required"),
    ({"security_group_id": " sg"}, "security_group_id", "spaces"),
    ({"enable_publicip": True}, "publicip_id", "required when enable_publicip"),
    ({"enable_publicip": True, "publicip_id": "e1,e2"}, "publicip_id", "exactly 3"),
    ({"enable_publicip": True, "publicip_id": "e1,e2,e3,e4"}, "publicip_id", "exactly 3"),
    (
        {"enable_publicip": True, "publicip_id": "e1,e2,e3", "broker_num": 2, "storage_space": 600},
        "publicip_id",
        "exactly 6",
    ),
    ({"enable_publicip": True, "publicip_id": "e1,,e3"}, "publicip_id", "blank"),
    ({"enable_publicip": True, "publicip_id": "e1,e1,e3"}, "publicip_id", "more than once"),
    ({"enable_publicip": False, "publicip_id": "e1,e2,e3"}, "publicip_id", "left out"),
    ({"publicip_id": "e1,e2,e3"}, "publicip_id", "left out"),
    ({"enable_publicip": "yes"}, "enable_publicip", "true or false"),
    ({"ssl_enable": 1}, "ssl_enable", "true or false"),
    ({"bss_param": {"charging_mode": "monthly"}}, "bss_param.charging_mode", "'prePaid' or 'postPaid'"),
    ({"bss_param": {"charging_mode": "prePaid"}}, "bss_param.period_type", "required for prePaid"),
    (
        {"bss_param": {"charging_mode": "prePaid", "period_type": "month"}},
        "bss_param.period_num",
        "required for prePaid",
    ),
    (
        {"bss_param": {"charging_mode": "prePaid", "period_type": "month", "period_num": 10}},
        "bss_param.period_num",
        "1-9",
    ),
    (
        {"bss_param": {"charging_mode": "prePaid", "period_type": "month", "period_num": 0}},
        "bss_param.period_num",
        "1-9",
    ),
    (
        {"bss_param": {"charging_mode": "prePaid", "period_type": "year", "period_num": 4}},
        "bss_param.period_num",
        "1-3",
    ),
    (
        {"bss_param": {"charging_mode": "prePaid", "period_type": "week", "period_num": 1}},
        "bss_param.period_type",
        "'month' or 'year'",
    ),
    (
        {"bss_param": {"charging_mode": "postPaid", "period_num": 2}},
        "bss_param.period_num",
        "only to prePaid",
    ),
    (
        {"bss_param": {"charging_mode": "prePaid", "period_type": "month", "period_num": "3"}},
        "bss_param.period_num",
        "whole number",
    ),
    ({"bss_param": {"is_auto_renew": "true"}}, "bss_param.is_auto_renew", "true or false"),
    ({"bss_param": "prePaid"}, "bss_param", "table"),
    ({"brokers_num": 2}, "brokers_num", "did you mean broker_num"),
    ({"vpcid": "x"}, "vpcid", "did you mean vpc_id"),
    ({"zzz": 1}, "zzz", "not a field"),
    ({"bss_param": {"period_typ": "month"}}, "bss_param.period_typ", "did you mean period_type"),
]


@pytest.mark.parametrize(("changes", "field", "words"), INVALID, ids=[f"{c[1]}:{c[2]}" for c in INVALID])
def test_invalid_edges_name_field_and_rule(changes: dict[str, Any], field: str, words: str) -> None:
    found = problems(valid_request(**changes))
    assert field in found, found
    assert any(words in message for message in found[field]), found[field]
    # the message names the field (or its last part, for nested ones)
    assert any(field.rpartition(".")[2] in message for message in found[field]), found[field]


LIVE_INVALID = [
    ({"available_zones": ["cn-north-4a"]}, "available_zones", "use its ID 0e1a"),
    ({"available_zones": ["nope"]}, "available_zones", "not an AZ of this region"),
    ({"available_zones": ["0e1g"]}, "available_zones", "sold out"),
    ({"broker_num": 7, "storage_space": 2100}, "broker_num", "1-6"),
    ({"product_id": "c6.8u16g.cluster", "broker_num": 3, "storage_space": 900}, "broker_num", "steps of 2"),
    ({"storage_space": 3001}, "storage_space", "at most 3000 GB per broker"),
    (
        {
            "product_id": "c6.8u16g.cluster",
            "broker_num": 2,
            "storage_space": 600,
            "available_zones": ["0e1a", "0e1b", "0e1c"],
        },
        "product_id",
        "not sold in every chosen AZ",
    ),
    (
        {
            "product_id": "c6.8u16g.cluster",
            "broker_num": 2,
            "storage_space": 600,
            "bss_param": {"charging_mode": "prePaid", "period_type": "year", "period_num": 1},
        },
        "product_id",
        "not sold yearly/monthly",
    ),
    (
        {"storage_spec_code": ULTRA_HIGH_IO, "available_zones": ["0e1a", "0e1b", "0e1c"]},
        "storage_spec_code",
        "not sold for c6.4u8g.cluster in every chosen AZ",
    ),
    (
        {
            "product_id": "c6.8u16g.cluster",
            "broker_num": 2,
            "storage_space": 600,
            "storage_spec_code": ULTRA_HIGH_IO,
        },
        "storage_spec_code",
        "not sold with disk type",
    ),
]


@pytest.mark.parametrize(("changes", "field", "words"), LIVE_INVALID, ids=[c[2] for c in LIVE_INVALID])
def test_catalog_rules_use_the_live_catalog(changes: dict[str, Any], field: str, words: str) -> None:
    data = valid_request(available_zones=["0e1a"], **{k: v for k, v in changes.items() if k != "available_zones"})
    if "available_zones" in changes:
        data["available_zones"] = changes["available_zones"]
    found = problems(data, live_catalog())
    assert field in found, found
    assert any(words in message for message in found[field]), found[field]


def test_live_catalog_accepts_a_valid_request() -> None:
    assert problems(valid_request(available_zones=["0e1a", "0e1b", "0e1c"]), live_catalog()) == {}


def test_az_codes_pass_offline_where_no_catalog_knows_the_zones() -> None:
    assert problems(valid_request(available_zones=["cn-north-4a"])) == {}


def test_every_problem_is_reported_at_once() -> None:
    data = valid_request(
        name="1",
        broker_num=2,
        storage_space=500,
        available_zones=["a", "b"],
        enable_publicip=True,
        publicip_id="e1",
        bss_param={"charging_mode": "prePaid", "period_type": "year", "period_num": 5},
        brokers=3,
    )
    assert set(problems(data)) == {
        "name",
        "available_zones",
        "storage_space",
        "publicip_id",
        "bss_param.period_num",
        "brokers",
    }


def test_cross_step_rules_still_run_when_an_unrelated_field_fails() -> None:
    found = problems(valid_request(name="x", storage_space=100))
    assert set(found) == {"name", "storage_space"}


def test_a_field_that_fails_its_own_rule_is_not_also_called_missing() -> None:
    found = problems(valid_request(enable_publicip=True, publicip_id="e1,e1,e2"))
    assert len(found["publicip_id"]) == 1


ISSUE_STEPS = [
    ("name", Step.BASICS),
    ("available_zones", Step.NETWORK),
    ("broker_num", Step.FLAVOR),
    ("storage_space", Step.STORAGE),
    ("publicip_id", Step.PUBLIC_ACCESS),
    ("bss_param.period_num", Step.BILLING),
    ("brokers_num", Step.FLAVOR),
]


@pytest.mark.parametrize(("field", "step"), ISSUE_STEPS)
def test_each_problem_names_the_step_that_fixes_it(field: str, step: Step) -> None:
    data = valid_request(
        name="1",
        available_zones=["a", "b"],
        broker_num=11,
        storage_space=1,
        enable_publicip=True,
        publicip_id="e",
        bss_param={"charging_mode": "prePaid", "period_type": "year", "period_num": 9},
        brokers_num=1,
    )
    steps = {issue.field: issue.step for issue in check_request(data)}
    assert steps[field] is step


def test_parse_request_returns_the_model_for_valid_data() -> None:
    request = parse_request(valid_request())
    assert request.broker_num == 1
    assert request.engine == "reliability"


def test_a_mistyped_public_access_switch_is_one_problem_not_two() -> None:
    found = problems(valid_request(enable_publicip="true", publicip_id="e1,e2,e3"))
    assert set(found) == {"enable_publicip"}


@pytest.mark.parametrize(
    ("text", "split", "typed"),
    [
        ("e1,e2,e3", ["e1", "e2", "e3"], ["e1", "e2", "e3"]),
        (" e1 , e2 ", ["e1", "e2"], ["e1", "e2"]),
        ("e1,,e2", ["e1", "", "e2"], ["e1", "e2"]),  # the blank is kept for the model to report
        ("e1,", ["e1", ""], ["e1"]),
        ("", [""], []),
        ("   ", [""], []),
    ],
)
def test_comma_separated_ids_split_the_same_everywhere(text: str, split: list[str], typed: list[str]) -> None:
    assert split_ids(text) == split
    assert typed_ids(text) == typed


def test_typed_ids_of_something_other_than_text_are_none() -> None:
    assert typed_ids(None) == []
    assert typed_ids(["e1"]) == []
