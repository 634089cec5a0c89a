"""Table and property tests of the topic, consumer group and ACL user models (every rule, every field)."""

from __future__ import annotations

import string
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wizard.next_steps import (
    RESERVED_TOPIC_NAMES,
    SECRET_SPECIALS,
    GroupRequest,
    NextStepInvalid,
    TopicRequest,
    UserRequest,
    check_form,
    parse_form,
    secret_classes,
)

NAME_CHARS = string.ascii_letters + string.digits + "%|-_"
VALID_USER = {"access_key": "orders_app", "secret_key": "Orders-Secret-42"}


def _fields(problems: list[Any]) -> list[str]:
    return [p.field for p in problems]


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"name": "ab"}, "name", "3-64 characters"),
        ({"name": "a" * 65}, "name", "3-64 characters"),
        ({"name": "with space"}, "name", "letters, digits, %, |, - and _"),
        ({"name": "dot.ted"}, "name", "3-64"),
        ({"name": "TBW102"}, "name", "reserved"),
        ({"name": "SCHEDULE_TOPIC_XXXX"}, "name", "reserved"),
        ({"name": "rmq_sys_anything"}, "name", "reserved"),
        ({"name": "RMQ_SYS_custom"}, "name", "reserved"),
        ({"name": "orders", "queue_num": 0}, "queue_num", "1-50"),
        ({"name": "orders", "queue_num": 51}, "queue_num", "1-50"),
        ({"name": "orders", "queue_num": "8"}, "queue_num", "integer"),
        ({"name": "orders", "permission": "rw"}, "permission", "'all', 'pub' or 'sub'"),
        ({"name": "orders", "brokers": ["b"]}, "brokers.0", "3-64"),
        ({"name": "orders", "message_type": "FIFO"}, "message_type", "not a field"),
        ({}, "name", "required"),
    ],
)
def test_topic_rules(data: dict[str, Any], field: str, words: str) -> None:
    problems = check_form(TopicRequest, data)
    assert field in _fields(problems)
    assert words in next(p.message for p in problems if p.field == field)


@pytest.mark.parametrize("name", sorted(RESERVED_TOPIC_NAMES))
def test_every_reserved_topic_name_is_refused(name: str) -> None:
    assert _fields(check_form(TopicRequest, {"name": name})) == ["name"]


def test_a_topic_reports_every_problem_at_once() -> None:
    problems = check_form(TopicRequest, {"name": "x", "queue_num": 99, "permission": "no"})
    assert _fields(problems) == ["name", "queue_num", "permission"]


def test_a_topic_body_goes_to_the_instance_brokers_unless_it_names_some() -> None:
    topic = parse_form(TopicRequest, {"name": "orders"})
    assert topic.to_api_body(["broker-0", "broker-1"]) == {
        "name": "orders",
        "brokers": ["broker-0", "broker-1"],
        "queue_num": 8,
        "permission": "all",
    }
    chosen = parse_form(TopicRequest, {"name": "orders", "brokers": ["broker-1"], "queue_num": 50, "permission": "pub"})
    assert chosen.to_api_body(["broker-0", "broker-1"])["brokers"] == ["broker-1"]


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"name": "g"}, "name", "3-64"),
        ({"name": "orders-app", "retry_max_time": 0}, "retry_max_time", "1-16"),
        ({"name": "orders-app", "retry_max_time": 17}, "retry_max_time", "1-16"),
        ({"name": "orders-app", "broadcast": "yes"}, "broadcast", "boolean"),
        ({"name": "orders-app", "enabled": 1}, "enabled", "boolean"),
        ({"name": "orders-app", "group_desc": "d" * 201}, "group_desc", "at most 200"),
        ({"name": "orders-app", "consume_orderly": True}, "consume_orderly", "not a field"),
    ],
)
def test_group_rules(data: dict[str, Any], field: str, words: str) -> None:
    problems = check_form(GroupRequest, data)
    assert field in _fields(problems)
    assert words in next(p.message for p in problems if p.field == field)


def test_a_group_body() -> None:
    group = parse_form(GroupRequest, {"name": "orders-app", "retry_max_time": 3, "broadcast": True})
    assert group.to_api_body(["broker-0"]) == {
        "name": "orders-app",
        "brokers": ["broker-0"],
        "broadcast": True,
        "retry_max_time": 3,
        "enabled": True,
    }


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"access_key": "short1"}, "access_key", "7-64"),
        ({"access_key": "a" * 65}, "access_key", "7-64"),
        ({"access_key": "1starts-with-digit"}, "access_key", "starting with a letter"),
        ({"access_key": "has.dot.in"}, "access_key", "letters, digits, - and _"),
        ({"secret_key": "Aa1-Aa1"}, "secret_key", "8-32"),
        ({"secret_key": "Aa1-" * 8 + "x"}, "secret_key", "8-32"),
        ({"secret_key": "onlylowercase"}, "secret_key", "at least 3 of"),
        ({"secret_key": "lowerUPPER"}, "secret_key", "at least 3 of"),
        ({"secret_key": "orders_app"}, "secret_key", "at least 3 of"),
        ({"access_key": "Orders_App1", "secret_key": "Orders_App1"}, "secret_key", "not be the access key"),
        ({"access_key": "Orders_App1", "secret_key": "1ppA_sredrO"}, "secret_key", "reversed"),
        ({"white_remote_address": "300.0.0.1"}, "white_remote_address", "IPv4"),
        ({"white_remote_address": "10.0.0.0/8,,"}, "white_remote_address", "comma-separated"),
        ({"white_remote_address": "fe80::1"}, "white_remote_address", "IPv4"),
        ({"default_topic_perm": "ALL"}, "default_topic_perm", "'PUB|SUB'"),
        ({"default_group_perm": "PUB"}, "default_group_perm", "'SUB' or 'DENY'"),
        ({"topic_perms": [{"name": "orders", "perm": "X"}]}, "topic_perms.0.perm", "'PUB|SUB'"),
        ({"group_perms": [{"name": "orders-app", "perm": "PUB"}]}, "group_perms.0.perm", "'SUB' or 'DENY'"),
        ({"admin": "true"}, "admin", "boolean"),
    ],
)
def test_user_rules(change: dict[str, Any], field: str, words: str) -> None:
    problems = check_form(UserRequest, {**VALID_USER, **change})
    assert field in _fields(problems), problems
    assert words in next(p.message for p in problems if p.field == field)


@pytest.mark.parametrize("address", ["", "10.0.0.1", "10.0.0.0/8", "192.*.*.*", "10.0.0.0/8, 172.16.0.1"])
def test_white_list_forms_the_vendor_allows(address: str) -> None:
    assert check_form(UserRequest, {**VALID_USER, "white_remote_address": address}) == []


def test_a_user_body_carries_the_secret_but_its_repr_never_does() -> None:
    user = parse_form(UserRequest, {**VALID_USER, "topic_perms": [{"name": "orders", "perm": "PUB"}]})
    assert user.to_api_body()["secret_key"] == "Orders-Secret-42"
    assert user.to_api_body()["topic_perms"] == [{"name": "orders", "perm": "PUB"}]
    assert "Orders-Secret-42" not in repr(user)
    assert "Orders-Secret-42" not in str(user.model_dump())


def test_a_broken_user_never_shows_its_secret_in_the_problems() -> None:
    with pytest.raises(NextStepInvalid) as caught:
        parse_form(UserRequest, {"access_key": "x", "secret_key": "weaksecret"})
    assert "weaksecret" not in str(caught.value)
    assert all("weaksecret" not in p.message for p in caught.value.problems)


# --- properties -------------------------------------------------------------------------------

names = st.text(alphabet=NAME_CHARS, min_size=3, max_size=64)


@given(names, st.integers(1, 50), st.sampled_from(["all", "pub", "sub"]))
def test_any_name_of_the_allowed_characters_is_a_topic_unless_reserved(name: str, queues: int, perm: str) -> None:
    problems = check_form(TopicRequest, {"name": name, "queue_num": queues, "permission": perm})
    reserved = name in RESERVED_TOPIC_NAMES or name.lower().startswith("rmq_sys_")
    assert (problems != []) == reserved


@given(st.text(min_size=0, max_size=80))
def test_a_topic_name_is_valid_exactly_when_it_follows_the_rule(name: str) -> None:
    follows = 3 <= len(name) <= 64 and all(c in NAME_CHARS for c in name)
    reserved = name in RESERVED_TOPIC_NAMES or name.lower().startswith("rmq_sys_")
    assert (check_form(TopicRequest, {"name": name}) == []) == (follows and not reserved)


@given(st.integers(-100, 100))
def test_queue_and_retry_bounds(value: int) -> None:
    assert (check_form(TopicRequest, {"name": "orders", "queue_num": value}) == []) == (1 <= value <= 50)
    assert (check_form(GroupRequest, {"name": "orders", "retry_max_time": value}) == []) == (1 <= value <= 16)


secrets = st.text(alphabet=string.ascii_letters + string.digits + SECRET_SPECIALS + "é ", min_size=0, max_size=40)


@given(secrets)
def test_a_secret_is_valid_exactly_when_it_follows_the_rule(secret: str) -> None:
    follows = 8 <= len(secret) <= 32 and secret_classes(secret) >= 3 and secret not in ("orders_app", "ppa_sredro")
    assert (check_form(UserRequest, {"access_key": "orders_app", "secret_key": secret}) == []) == follows


@given(st.text(alphabet=string.ascii_letters + string.digits + "-_.", min_size=0, max_size=70))
def test_an_access_key_is_valid_exactly_when_it_follows_the_rule(key: str) -> None:
    follows = 7 <= len(key) <= 64 and key[:1].isascii() and key[:1].isalpha() and all(c != "." for c in key)
    secret = "Zz9~" * 3
    assert (check_form(UserRequest, {"access_key": key, "secret_key": secret}) == []) == follows
