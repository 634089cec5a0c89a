"""Contract tests of the sandbox's calls after creation: brokers, topics, groups, users, security-group rules.

Shapes are checked against the vendor SDK's models (their attribute maps are copied into
tests/data/sdk-followup-models.json from huaweicloudsdkrocketmq/huaweicloudsdkvpc 3.1.219).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.sandbox.support import ManualClock
from wizard.sandbox.server import RunningSandbox

MODELS: dict[str, dict[str, str]] = json.loads(
    (Path(__file__).parents[1] / "data" / "sdk-followup-models.json").read_text()
)
SCALARS = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,), "object": (object,)}


def conforms(value: Any, kind: str, where: str = "$") -> list[str]:
    """Where `value` breaks the SDK's type `kind` (a model name, a scalar or list[...]); [] when it fits."""
    if value is None:
        return []
    if kind.startswith("list["):
        if not isinstance(value, list):
            return [f"{where}: not a list"]
        return [p for n, item in enumerate(value) for p in conforms(item, kind[5:-1], f"{where}[{n}]")]
    if kind in SCALARS:
        ok = isinstance(value, SCALARS[kind]) and not (kind in ("int", "float") and isinstance(value, bool))
        return [] if ok else [f"{where}: {value!r} is not {kind}"]
    if kind.startswith("dict("):
        return [] if isinstance(value, dict) else [f"{where}: not an object"]
    fields = MODELS[kind]
    if not isinstance(value, dict):
        return [f"{where}: not an object ({kind})"]
    problems = [f"{where}.{key}: not a field of {kind}" for key in value if key not in fields]
    return problems + [
        p for key, item in value.items() if key in fields for p in conforms(item, fields[key], f"{where}.{key}")
    ]


def _running_instance(api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any], **extra: Any) -> str:
    response = api.post(f"/v1.0/{sandbox.project_id}/instances", json={**body, **extra})
    assert response.status_code == 200, response.text
    instance_id = str(response.json()["instance_id"])
    sandbox.state.clock = ManualClock(sandbox.state.clock() + 60)
    return instance_id


@pytest.fixture
def instance(api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]) -> str:
    """A RUNNING instance with 1 broker, public access and ACL on."""
    return _running_instance(api, sandbox, body, enable_acl=True)


def _base(sandbox: RunningSandbox, instance_id: str) -> str:
    return f"/v2/{sandbox.project_id}/instances/{instance_id}"


def test_the_sdk_model_copy_is_the_one_the_tests_expect() -> None:
    assert "secret_key" in MODELS["User"]
    assert MODELS["CreateSecurityGroupRuleOption"]["port_range_min"] == "int"


def test_brokers_are_listed_by_name(api: httpx.Client, sandbox: RunningSandbox, instance: str) -> None:
    data = api.get(f"{_base(sandbox, instance)}/brokers").json()
    assert conforms(data, "ListBrokersResponse") == []
    assert [b["broker_name"] for b in data["brokers"]] == ["broker-0"]


def test_a_running_instance_shows_its_connection_fields(
    api: httpx.Client, sandbox: RunningSandbox, instance: str
) -> None:
    detail = api.get(_base(sandbox, instance)).json()
    assert conforms(detail, "ShowInstanceResponse") == []
    assert detail["namesrv_address"] == "192.168.0.11:8100,192.168.0.12:8100"
    assert detail["broker_address"] == "192.168.0.20:10100"
    eips = detail["publicip_address"].split(",")
    assert len(eips) == 3
    assert detail["public_namesrv_address"] == f"{eips[0]}:8200,{eips[1]}:8200"
    assert detail["public_broker_address"] == f"{eips[0]}:10100,{eips[1]}:10101,{eips[2]}:10102"
    assert detail["enable_acl"] is True
    assert detail["tls_mode"] == "PLAINTEXT"


def test_a_creating_instance_has_no_addresses_yet(
    api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any], clock: ManualClock
) -> None:
    instance_id = api.post(f"/v1.0/{sandbox.project_id}/instances", json=body).json()["instance_id"]
    detail = api.get(_base(sandbox, instance_id)).json()
    assert (detail["namesrv_address"], detail["public_namesrv_address"], detail["broker_address"]) == ("", "", "")


def test_create_a_topic_then_list_it(api: httpx.Client, sandbox: RunningSandbox, instance: str) -> None:
    sent = {"name": "orders", "brokers": ["broker-0"], "queue_num": 8, "permission": "all"}
    assert conforms(sent, "CreateTopicOrBatchDeleteTopicReq") == []
    response = api.post(f"{_base(sandbox, instance)}/topics", json=sent)
    assert response.status_code == 200, response.text
    assert response.json() == {"id": "orders"}
    assert conforms(response.json(), "CreateTopicOrBatchDeleteTopicResponse") == []
    listed = api.get(f"{_base(sandbox, instance)}/topics").json()
    assert conforms(listed, "ListRocketInstanceTopicsResponse") == []
    assert [(t["name"], t["total_write_queue_num"], t["permission"]) for t in listed["topics"]] == [
        ("orders", 8, "all")
    ]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"name": "ab"}, "3-64 characters"),
        ({"name": "bad name!"}, "3-64 characters"),
        ({"name": "TBW102"}, "reserved"),
        ({"name": "rmq_sys_mine"}, "reserved"),
        ({"queue_num": 0}, "1-50"),
        ({"queue_num": 51}, "1-50"),
        ({"permission": "write"}, "permission"),
        ({"brokers": ["broker-7"]}, "No broker broker-7"),
        ({"message_type": "NORMAL"}, "5.x"),
    ],
)
def test_a_topic_that_breaks_a_rule_is_refused(
    api: httpx.Client, sandbox: RunningSandbox, instance: str, change: dict[str, Any], words: str
) -> None:
    sent = {"name": "orders", "brokers": ["broker-0"], "queue_num": 8, "permission": "all", **change}
    response = api.post(f"{_base(sandbox, instance)}/topics", json=sent)
    assert response.status_code == 400
    assert response.json()["error_code"] == "DMS.00400800"
    assert words in response.json()["error_msg"]


def test_a_topic_name_is_taken_once(api: httpx.Client, sandbox: RunningSandbox, instance: str) -> None:
    sent = {"name": "orders", "brokers": ["broker-0"], "queue_num": 8, "permission": "all"}
    assert api.post(f"{_base(sandbox, instance)}/topics", json=sent).status_code == 200
    again = api.post(f"{_base(sandbox, instance)}/topics", json=sent)
    assert again.status_code == 400
    assert "already exists" in again.json()["error_msg"]


def test_topics_can_be_deleted_in_batch(api: httpx.Client, sandbox: RunningSandbox, instance: str) -> None:
    base = _base(sandbox, instance)
    api.post(f"{base}/topics", json={"name": "orders", "brokers": ["broker-0"], "queue_num": 8, "permission": "all"})
    response = api.post(f"{base}/topics", params={"action": "delete"}, json={"topics": ["orders"]})
    assert response.status_code == 200
    assert conforms(response.json(), "CreateTopicOrBatchDeleteTopicResponse") == []
    assert api.get(f"{base}/topics").json()["topics"] == []


def test_writes_wait_for_running_and_answer_busy(
    api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any], clock: ManualClock
) -> None:
    instance_id = api.post(f"/v1.0/{sandbox.project_id}/instances", json=body).json()["instance_id"]
    topic = {"name": "orders", "brokers": ["broker-0"], "queue_num": 8, "permission": "all"}
    creating = api.post(f"{_base(sandbox, instance_id)}/topics", json=topic)
    assert creating.status_code == 400
    assert creating.json()["error_code"] == "DMS.00400026"
    clock.advance(60)
    sandbox.state.followups.busy(instance_id, times=1)
    busy = api.post(f"{_base(sandbox, instance_id)}/topics", json=topic)
    assert busy.json()["error_code"] == "DMS.00400026"
    assert api.post(f"{_base(sandbox, instance_id)}/topics", json=topic).status_code == 200


def test_create_a_consumer_group(api: httpx.Client, sandbox: RunningSandbox, instance: str) -> None:
    sent = {"name": "orders-app", "brokers": ["broker-0"], "broadcast": False, "retry_max_time": 16, "enabled": True}
    assert conforms(sent, "CreateConsumerGroupOrBatchDeleteConsumerGroupReq") == []
    response = api.post(f"{_base(sandbox, instance)}/groups", json=sent)
    assert response.status_code == 200, response.text
    assert response.json() == {"name": "orders-app"}
    listed = api.get(f"{_base(sandbox, instance)}/groups").json()
    assert conforms(listed, "ListInstanceConsumerGroupsResponse") == []
    assert [(g["name"], g["retry_max_time"]) for g in listed["groups"]] == [("orders-app", 16)]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"retry_max_time": 0}, "1-16"),
        ({"retry_max_time": 17}, "1-16"),
        ({"name": "x"}, "3-64"),
        ({"broadcast": "no"}, "broadcast"),
    ],
)
def test_a_group_that_breaks_a_rule_is_refused(
    api: httpx.Client, sandbox: RunningSandbox, instance: str, change: dict[str, Any], words: str
) -> None:
    sent = {"name": "orders-app", "broadcast": False, "retry_max_time": 16, **change}
    response = api.post(f"{_base(sandbox, instance)}/groups", json=sent)
    assert response.status_code == 400
    assert words in response.json()["error_msg"]


def test_create_a_user_and_its_secret_is_never_listed(
    api: httpx.Client, sandbox: RunningSandbox, instance: str
) -> None:
    sent = {
        "access_key": "orders_app",
        "secret_key": "Orders-Secret-42",
        "admin": False,
        "default_topic_perm": "PUB|SUB",
        "default_group_perm": "SUB",
        "topic_perms": [],
        "group_perms": [],
    }
    assert conforms(sent, "User") == []
    response = api.post(f"{_base(sandbox, instance)}/users", json=sent)
    assert response.status_code == 200, response.text
    assert conforms(response.json(), "CreateUserResponse") == []
    listed = api.get(f"{_base(sandbox, instance)}/users")
    assert conforms(listed.json(), "ListUserResponse") == []
    assert [u["access_key"] for u in listed.json()["users"]] == ["orders_app"]
    assert "Orders-Secret-42" not in listed.text


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"access_key": "1user-name"}, "starting with a letter"),
        ({"access_key": "short"}, "7-64"),
        ({"secret_key": "alllowercase"}, "at least 3 of"),
        ({"secret_key": "Ab1"}, "8-32"),
        ({"secret_key": "Aa1-" * 9}, "8-32"),
        ({"default_group_perm": "PUB"}, "default_group_perm"),
    ],
)
def test_a_user_that_breaks_a_rule_is_refused(
    api: httpx.Client, sandbox: RunningSandbox, instance: str, change: dict[str, Any], words: str
) -> None:
    sent = {"access_key": "orders_app", "secret_key": "Orders-Secret-42", **change}
    response = api.post(f"{_base(sandbox, instance)}/users", json=sent)
    assert response.status_code == 400, response.text
    assert words in response.json()["error_msg"]


def test_a_secret_equal_to_the_name_reversed_is_refused(
    api: httpx.Client, sandbox: RunningSandbox, instance: str
) -> None:
    sent = {"access_key": "Orders_App1", "secret_key": "Orders_App1"[::-1]}
    response = api.post(f"{_base(sandbox, instance)}/users", json=sent)
    assert response.status_code == 400
    assert "reversed" in response.json()["error_msg"]


def test_users_need_acl(api: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]) -> None:
    instance_id = _running_instance(api, sandbox, body)
    response = api.post(
        f"{_base(sandbox, instance_id)}/users", json={"access_key": "orders_app", "secret_key": "Orders-Secret-42"}
    )
    assert response.status_code == 400
    assert "ACL is off" in response.json()["error_msg"]


def _rules(api: httpx.Client, sandbox: RunningSandbox, group_id: str) -> list[dict[str, Any]]:
    data = api.get(f"/v1/{sandbox.project_id}/security-group-rules", params={"security_group_id": group_id}).json()
    assert conforms(data, "ListSecurityGroupRulesResponse") == []
    return list(data["security_group_rules"])


def test_the_demo_groups_open_the_ports_or_not(api: httpx.Client, sandbox: RunningSandbox, ids: dict[str, Any]) -> None:
    opened = _rules(api, sandbox, ids["groups"]["sg-rocketmq"])
    closed = _rules(api, sandbox, ids["groups"]["sg-staging"])
    ingress = {
        (r["port_range_min"], r["port_range_max"], r["remote_ip_prefix"]) for r in opened if r["direction"] == "ingress"
    }
    assert ingress == {(8100, 8100, "192.168.0.0/16"), (8200, 8200, "0.0.0.0/0"), (10100, 10199, "0.0.0.0/0")}
    assert [(r["port_range_min"], r["protocol"]) for r in closed if r["direction"] == "ingress"] == [(22, "tcp")]
    every = api.get(f"/v1/{sandbox.project_id}/security-group-rules").json()["security_group_rules"]
    assert len(every) == len(opened) + len(closed) + len(_rules(api, sandbox, ids["groups"]["default"]))


def test_add_a_rule_then_a_duplicate_is_refused(
    api: httpx.Client, sandbox: RunningSandbox, ids: dict[str, Any]
) -> None:
    group = ids["groups"]["sg-staging"]
    sent = {
        "security_group_rule": {
            "security_group_id": group,
            "description": "rocketmq-wizard: NameServer, private access",
            "direction": "ingress",
            "ethertype": "IPv4",
            "protocol": "tcp",
            "port_range_min": 8100,
            "port_range_max": 8100,
            "remote_ip_prefix": "10.0.0.0/16",
        }
    }
    assert conforms(sent, "CreateSecurityGroupRuleRequestBody") == []
    response = api.post(f"/v1/{sandbox.project_id}/security-group-rules", json=sent)
    assert response.status_code == 200, response.text
    assert conforms(response.json(), "CreateSecurityGroupRuleResponse") == []
    assert response.json()["security_group_rule"]["id"] in {r["id"] for r in _rules(api, sandbox, group)}
    again = api.post(f"/v1/{sandbox.project_id}/security-group-rules", json=sent)
    assert again.status_code == 409
    assert again.json()["error_code"] == "VPC.0604"
    groups = api.get(f"/v1/{sandbox.project_id}/security-groups").json()["security_groups"]
    staging = next(g for g in groups if g["id"] == group)
    assert len(staging["security_group_rules"]) == len(_rules(api, sandbox, group))


@pytest.mark.parametrize(
    "change",
    [
        {"direction": "sideways"},
        {"port_range_min": 0},
        {"port_range_min": 9000, "port_range_max": 8000},
        {"remote_group_id": "x"},
    ],
)
def test_a_broken_rule_is_refused(
    api: httpx.Client, sandbox: RunningSandbox, ids: dict[str, Any], change: dict[str, Any]
) -> None:
    option = {"security_group_id": ids["groups"]["sg-staging"], "direction": "ingress", "protocol": "tcp"}
    option |= {"port_range_min": 8100, "port_range_max": 8100, "remote_ip_prefix": "10.0.0.0/16"} | change
    response = api.post(f"/v1/{sandbox.project_id}/security-group-rules", json={"security_group_rule": option})
    assert response.status_code == 400
    assert response.json()["error_code"] == "VPC.0602"


def test_a_rule_for_an_unknown_group_is_404(api: httpx.Client, sandbox: RunningSandbox) -> None:
    option = {"security_group_id": "nope", "direction": "ingress"}
    response = api.post(f"/v1/{sandbox.project_id}/security-group-rules", json={"security_group_rule": option})
    assert response.status_code == 404


def test_a_denied_action_answers_403(api: httpx.Client, sandbox: RunningSandbox, ids: dict[str, Any]) -> None:
    sandbox.state.followups.deny("vpc:securityGroupRules:get")
    response = api.get(
        f"/v1/{sandbox.project_id}/security-group-rules", params={"security_group_id": ids["groups"]["default"]}
    )
    assert response.status_code == 403
    assert response.json()["error_code"] == "VPC.0015"
    sandbox.state.followups.allow("vpc:securityGroupRules:get")
    assert api.get(f"/v1/{sandbox.project_id}/security-group-rules").status_code == 200


def test_calls_on_an_unknown_instance_are_404(api: httpx.Client, sandbox: RunningSandbox) -> None:
    response = api.get(f"{_base(sandbox, 'no-such-instance')}/brokers")
    assert response.status_code == 404
    assert response.json()["error_code"] == "DMS.00404022"
