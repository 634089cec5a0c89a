"""Property tests: validation never crashes, every problem is placed, valid requests round-trip."""

from __future__ import annotations

import json
import tomllib
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.catalog import OFFLINE_CATALOG, STORAGE_TYPES
from wizard.fields import EIPS_PER_BROKER, Step
from wizard.model import API_FIELD_ORDER, BSS_FIELD_ORDER
from wizard.validation import check_request, parse_request

FIELD_NAMES = [*API_FIELD_ORDER, "brokers_num", "vpcid", "extra"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=True),
    st.text(max_size=80),
)
json_like = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=5)),
    max_leaves=15,
)
bss_like = st.dictionaries(st.sampled_from([*BSS_FIELD_ORDER, "period"]), json_like, max_size=6)
any_request = st.dictionaries(
    st.sampled_from(FIELD_NAMES),
    st.one_of(json_like, bss_like),
    max_size=len(FIELD_NAMES),
)

name_chars = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
ids = st.text(alphabet="abcdef0123456789-", min_size=1, max_size=20).filter(lambda s: s.strip() == s)


@st.composite
def valid_requests(draw: st.DrawFn) -> dict[str, Any]:
    brokers = draw(st.integers(min_value=1, max_value=10))
    data: dict[str, Any] = {
        "name": draw(st.sampled_from("abcXYZ")) + draw(st.text(name_chars, min_size=3, max_size=63)),
        "vpc_id": draw(ids),
        "subnet_id": draw(ids),
        "security_group_id": draw(ids),
        "available_zones": draw(
            st.lists(ids, min_size=1, max_size=5, unique=True).filter(lambda zones: len(zones) != 2)
        ),
        "product_id": draw(st.sampled_from([f.id for f in OFFLINE_CATALOG.flavors])),
        "broker_num": brokers,
        "storage_spec_code": draw(st.sampled_from([s.code for s in STORAGE_TYPES])),
        "storage_space": brokers * draw(st.integers(min_value=300, max_value=30000)),
    }
    if draw(st.booleans()):
        # Plain text: control and format characters are refused (they could rewrite a terminal).
        data["description"] = draw(st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs")), max_size=1024))
    for switch in ("ssl_enable", "enable_acl", "ipv6_enable"):
        if draw(st.booleans()):
            data[switch] = draw(st.booleans())
    if draw(st.booleans()):
        data["enable_publicip"] = True
        eips = draw(st.lists(ids, min_size=EIPS_PER_BROKER * brokers, max_size=EIPS_PER_BROKER * brokers, unique=True))
        data["publicip_id"] = ",".join(eips)
    if draw(st.booleans()):
        period_type = draw(st.sampled_from(["month", "year"]))
        data["bss_param"] = {
            "charging_mode": "prePaid",
            "period_type": period_type,
            "period_num": draw(st.integers(min_value=1, max_value=9 if period_type == "month" else 3)),
            "is_auto_renew": draw(st.booleans()),
            "is_auto_pay": draw(st.booleans()),
        }
    return data


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(any_request)
def test_no_input_makes_validation_raise(data: dict[str, Any]) -> None:
    issues = check_request(data)
    for issue in issues:
        assert issue.field, issue
        assert isinstance(issue.step, Step)
        assert issue.message
        assert issue.field.rpartition(".")[2] in issue.message, issue


@settings(max_examples=200)
@given(valid_requests())
def test_valid_requests_pass_and_their_body_round_trips(data: dict[str, Any]) -> None:
    assert check_request(data) == []
    body = parse_request(data).to_api_body()
    assert None not in body.values()
    assert list(body) == [key for key in API_FIELD_ORDER if key in body]
    assert parse_request(body).to_api_body() == body
    assert json.loads(json.dumps(body)) == body


@settings(max_examples=200)
@given(valid_requests())
def test_toml_round_trip_keeps_the_body(data: dict[str, Any]) -> None:
    body = parse_request(data).to_api_body()
    text = tomli_w.dumps(body)
    assert parse_request(tomllib.loads(text)).to_api_body() == body


@settings(max_examples=100)
@given(valid_requests())
def test_optional_fields_left_unset_stay_out_of_the_body(data: dict[str, Any]) -> None:
    body = parse_request(data).to_api_body()
    for optional in (
        "description",
        "ssl_enable",
        "enable_acl",
        "ipv6_enable",
        "enable_publicip",
        "bss_param",
    ):
        assert (optional in body) == (optional in data)
    assert body["engine"] == "reliability"
    assert body["engine_version"] == "4.8.0"
