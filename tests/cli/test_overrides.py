"""`--set FIELD=VALUE`: dotted API paths, values typed as the model types them, every mistake named."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.overrides import FIELD_KINDS, Kind, OverrideError, apply_overrides, parse_assignment
from wizard.validation import check_request


@pytest.mark.parametrize(
    ("raw", "path", "value"),
    [
        ("broker_num=3", "broker_num", 3),
        ("storage_space= 900 ", "storage_space", 900),
        ("bss_param.period_num=3", "bss_param.period_num", 3),
        ("ssl_enable=true", "ssl_enable", True),
        ("enable_acl=False", "enable_acl", False),
        ("bss_param.is_auto_renew=TRUE", "bss_param.is_auto_renew", True),
        ("available_zones=a,b, c", "available_zones", ["a", "b", "c"]),
        ("available_zones=az-1", "available_zones", ["az-1"]),
        ("name=orders-mq", "name", "orders-mq"),
        ("description=a=b, c", "description", "a=b, c"),
        ("publicip_id=e1,e2,e3", "publicip_id", "e1,e2,e3"),
        ("bss_param.charging_mode=prePaid", "bss_param.charging_mode", "prePaid"),
        ("description=", "description", None),
    ],
)
def test_values_are_typed_as_the_model_types_the_field(raw: str, path: str, value: object) -> None:
    assignment = parse_assignment(raw)
    assert (assignment.path, assignment.value) == (path, value)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("brokers_num=3", "--set brokers_num: not a field the API takes; did you mean broker_num?"),
        ("bss_param.period_typ=month", "did you mean bss_param.period_type?"),
        ("zzz=1", "--set zzz: not a field the API takes"),
        ("broker_num=three", "--set broker_num: takes a whole number written with the digits 0-9 (got 'three')"),
        ("broker_num=1.5", "takes a whole number"),
        ("broker_num=\u0661", "--set broker_num: takes a whole number written with the digits 0-9 (got '\u0661')"),
        ("broker_num=+-5", "--set broker_num: takes a whole number written with the digits 0-9 (got '+-5')"),
        ("broker_num=²", "--set broker_num: takes a whole number written with the digits 0-9 (got '²')"),
        ("ssl_enable=yes", "--set ssl_enable: takes true or false (got 'yes')"),
        ("broker_num", "expected FIELD=VALUE"),
        ("=3", "expected FIELD=VALUE"),
        ("bss_param=prePaid", "--set bss_param: is a table; set its fields one by one"),
    ],
)
def test_bad_assignments_name_field_and_rule(raw: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_assignment(raw)
    assert message in str(caught.value)


def test_every_bad_assignment_is_reported_at_once() -> None:
    with pytest.raises(OverrideError) as caught:
        apply_overrides({}, ["brokers_num=3", "broker_num=2", "ssl_enable=maybe", "nope"])
    assert len(caught.value.problems) == 3


def test_overrides_apply_in_order_and_leave_the_input_untouched() -> None:
    data: dict[str, Any] = {"name": "a-name", "bss_param": {"charging_mode": "postPaid"}}
    changed = apply_overrides(
        data,
        [
            "bss_param.charging_mode=prePaid",
            "bss_param.period_type=year",
            "bss_param.period_num=2",
            "name=other",
            "name=final",
        ],
    )
    assert changed == {
        "name": "final",
        "bss_param": {"charging_mode": "prePaid", "period_type": "year", "period_num": 2},
    }
    assert data == {"name": "a-name", "bss_param": {"charging_mode": "postPaid"}}


def test_a_nested_field_creates_its_table_and_an_empty_value_removes_it() -> None:
    assert apply_overrides({}, ["bss_param.period_num=3"]) == {"bss_param": {"period_num": 3}}
    assert apply_overrides({"publicip_id": "e1"}, ["publicip_id="]) == {}
    assert apply_overrides({}, ["bss_param.period_num="]) == {}


def test_a_nested_field_under_a_non_table_is_refused() -> None:
    with pytest.raises(OverrideError, match="bss_param in the request is not a table"):
        apply_overrides({"bss_param": "x"}, ["bss_param.period_num=3"])


def test_every_model_field_can_be_set() -> None:
    assert FIELD_KINDS["available_zones"] is Kind.ID_LIST
    assert FIELD_KINDS["broker_num"] is Kind.INTEGER
    assert FIELD_KINDS["bss_param.is_auto_pay"] is Kind.BOOLEAN
    assert FIELD_KINDS["bss_param"] is Kind.TABLE
    assert FIELD_KINDS["publicip_id"] is Kind.TEXT


def test_typed_overrides_turn_an_invalid_file_valid() -> None:
    data = {
        "name": "orders-mq",
        "vpc_id": "vpc-1",
        "subnet_id": "subnet-1",
        "security_group_id": "sg-1",
        "available_zones": ["az-1", "az-2"],
        "product_id": "c6.4u8g.cluster",
        "broker_num": 1,
        "storage_spec_code": "dms.physical.storage.high.v2",
        "storage_space": 300,
    }
    assert check_request(data)
    fixed = apply_overrides(data, ["available_zones=az-1,az-2,az-3", "broker_num=2", "storage_space=600"])
    assert check_request(fixed) == []


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_any_whole_number_reads_back_exactly(number: int) -> None:
    assert parse_assignment(f"storage_space={number}").value == number


@given(st.lists(st.text(alphabet="abcdef0123456789-", min_size=1, max_size=12), min_size=1, max_size=6))
def test_any_zone_list_reads_back_in_order(zones: list[str]) -> None:
    assert parse_assignment("available_zones=" + ",".join(zones)).value == zones


@given(st.text(min_size=1).filter(lambda text: text.strip().lower() not in ("true", "false")))
def test_nothing_but_true_or_false_is_a_boolean(text: str) -> None:
    with pytest.raises(ValueError, match="takes true or false"):
        parse_assignment(f"ssl_enable={text}")
