"""The sandbox's calls after creation: brokers, topics, consumer groups, ACL users, security-group rules.

Paths and shapes are the vendor SDK's (`huaweicloudsdkrocketmq` / `huaweicloudsdkvpc` 3.1.219):

- ``GET /v2/{project_id}/instances/{instance_id}/brokers`` → ``{brokers: [{broker_name, ids}]}``
- ``POST …/topics`` → ``{id}`` (``?action=delete`` with ``{topics}`` → ``{job_id}``); ``GET …/topics`` lists
- ``POST …/groups`` → ``{name}`` (``?action=delete`` with ``{groups}`` → ``{job_id}``); ``GET …/groups`` lists
- ``POST …/users`` → the user (``CreateUserResponse`` echoes the body); ``GET …/users`` lists (no secrets)
- ``GET /v1/{project_id}/security-group-rules?security_group_id=…`` → ``{security_group_rules: [...]}``
- ``POST /v1/{project_id}/security-group-rules`` ``{security_group_rule: {...}}`` → the stored rule

Bodies are checked with the wizard's own models (`wizard.next_steps`), so a rule the client forgot shows up
as a server error. Topics, groups and users need a RUNNING instance (else ``DMS.00400026``) and users need
ACL on. Guesses where the vendor's documents are silent, the sandbox's own: a broken topic/group/user body,
a duplicate name and ACL being off answer ``DMS.00400800`` "Invalid request parameter." with the reason; a
duplicate security-group rule answers 409 ``VPC.0604``; a denied IAM action answers 403 ``VPC.0015`` (VPC)
or ``DMS.00403001`` (DMS) "Policy doesn't allow … to be performed.".

Test controls (not vendor behaviour): `busy(instance_id, times)` makes the next calls on an instance answer
``DMS.00400026`` as a changing instance would; `deny(action)` refuses an IAM action such as
``vpc:securityGroupRules:create``.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.responses import JSONResponse, Response

from wizard.next_steps import GroupRequest, NextStepInvalid, TopicRequest, UserRequest, parse_form
from wizard.sandbox import rules
from wizard.sandbox.rules import VendorError, parse_body, refuse

if TYPE_CHECKING:
    from wizard.sandbox.app import Call
    from wizard.sandbox.state import SandboxState

Json = dict[str, Any]
RUNNING = "RUNNING"
DUPLICATE_RULE = ("VPC.0604", "Security group rule already exists.")
VPC_DENIED = "VPC.0015"
DMS_DENIED = "DMS.00403001"
_RULE_IDENTITY = (
    "direction",
    "ethertype",
    "protocol",
    "port_range_min",
    "port_range_max",
    "remote_ip_prefix",
    "remote_group_id",
)
"""Two rules with these equal are the same rule (a second one is refused)."""


def broker_names(count: int) -> list[str]:
    """The instance's broker names, as the console and TF examples show them."""
    return [f"broker-{n}" for n in range(count)]


@dataclass
class InstanceContents:
    """Topics, groups and users of one instance, by name, in creation order."""

    topics: dict[str, Json] = field(default_factory=dict)
    groups: dict[str, Json] = field(default_factory=dict)
    users: dict[str, Json] = field(default_factory=dict)


class FollowUps:
    """What the calls after creation keep: per-instance contents, and the test controls."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._contents: dict[str, InstanceContents] = {}
        self._busy: dict[str, int] = {}
        self._denied: set[str] = set()
        self.sent: list[tuple[str, str]] = []
        """(call, instance or group ID) of every write that was accepted, for tests to count."""

    def contents(self, instance_id: str) -> InstanceContents:
        """The instance's topics, groups and users."""
        with self.lock:
            return self._contents.setdefault(instance_id, InstanceContents())

    def busy(self, instance_id: str, times: int = 1) -> None:
        """Make the next `times` calls on the instance answer DMS.00400026."""
        with self.lock:
            self._busy[instance_id] = self._busy.get(instance_id, 0) + times

    def deny(self, action: str) -> None:
        """Refuse an IAM action (e.g. ``vpc:securityGroupRules:get``) from now on."""
        with self.lock:
            self._denied.add(action)

    def allow(self, action: str) -> None:
        """Stop refusing an IAM action."""
        with self.lock:
            self._denied.discard(action)

    def check_allowed(self, action: str) -> None:
        """Raise the 403 a missing permission gets."""
        with self.lock:
            denied = action in self._denied
        if denied:
            code = VPC_DENIED if action.startswith("vpc:") else DMS_DENIED
            raise VendorError(403, code, f"Policy doesn't allow {action} to be performed.")

    def take_busy(self, instance_id: str) -> bool:
        """Whether this call meets a busy instance (and count it)."""
        with self.lock:
            left = self._busy.get(instance_id, 0)
            if left:
                self._busy[instance_id] = left - 1
            return left > 0


class FollowUpApi:
    """The handlers; `routes()` gives them to the sandbox app."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.extras: FollowUps = state.followups

    def routes(self) -> list[tuple[str, str, Callable[[Call], Response]]]:
        """(method, path, handler) of every call above; all are scoped by project ID."""
        base = "/v2/{project_id}/instances/{instance_id}"
        return [
            ("GET", f"{base}/brokers", self.list_brokers),
            ("POST", f"{base}/topics", self.topics_post),
            ("GET", f"{base}/topics", self.list_topics),
            ("POST", f"{base}/groups", self.groups_post),
            ("GET", f"{base}/groups", self.list_groups),
            ("POST", f"{base}/users", self.create_user),
            ("GET", f"{base}/users", self.list_users),
            ("GET", "/v1/{project_id}/security-group-rules", self.list_rules),
            ("POST", "/v1/{project_id}/security-group-rules", self.create_rule),
        ]

    # --- DMS ------------------------------------------------------------------------------------

    def _instance(self, call: Call, action: str, *, running: bool) -> Json:
        self.extras.check_allowed(action)
        detail = self.state.show_instance(call.params["instance_id"])
        if running and (detail["status"] != RUNNING or self.extras.take_busy(detail["instance_id"])):
            raise refuse(rules.BAD_STATE, f"The instance is {detail['status']}; try again when it is RUNNING.")
        return detail

    def list_brokers(self, call: Call) -> Response:
        """GET …/brokers."""
        detail = self._instance(call, "dms:instance:get", running=False)
        names = broker_names(int(detail["broker_num"])) if detail["status"] == RUNNING else []
        brokers = [{"broker_name": name, "ids": [0, 1, 2]} for name in names]
        return JSONResponse({"brokers": brokers, "total": len(brokers), "next_offset": -1, "previous_offset": -1})

    def topics_post(self, call: Call) -> Response:
        """POST …/topics: create one topic, or with ?action=delete remove some."""
        detail = self._instance(call, "dms:instance:modify", running=True)
        contents = self.extras.contents(detail["instance_id"])
        body = parse_body(call.body)
        if call.query.get("action") == "delete":
            return self._batch_delete(contents.topics, body, "topics")
        if "message_type" in body:
            raise refuse(rules.INVALID_PARAMETER, "message_type is for RocketMQ 5.x instances only.")
        topic = _parsed(TopicRequest, body)
        self._check_brokers(topic.brokers, detail)
        with self.extras.lock:
            if topic.name in contents.topics:
                raise refuse(rules.INVALID_PARAMETER, f"The topic {topic.name} already exists.")
            brokers = topic.brokers or broker_names(int(detail["broker_num"]))
            contents.topics[topic.name] = {
                "name": topic.name,
                "total_read_queue_num": topic.queue_num,
                "total_write_queue_num": topic.queue_num,
                "permission": topic.permission,
                "created_at": int(time.time() * 1000),
                "brokers": [
                    {"broker_name": b, "read_queue_num": topic.queue_num, "write_queue_num": topic.queue_num}
                    for b in brokers
                ],
            }
            self.extras.sent.append(("topic", detail["instance_id"]))
        return JSONResponse({"id": topic.name})

    def list_topics(self, call: Call) -> Response:
        """GET …/topics."""
        detail = self._instance(call, "dms:instance:get", running=False)
        topics = list(self.extras.contents(detail["instance_id"]).topics.values())
        limit = _max_topics(detail)
        return JSONResponse(
            {"total": len(topics), "max": limit, "remaining": limit - len(topics), "topics": topics}
            | {"next_offset": -1, "previous_offset": -1}
        )

    def groups_post(self, call: Call) -> Response:
        """POST …/groups: create one consumer group, or with ?action=delete remove some."""
        detail = self._instance(call, "dms:instance:modify", running=True)
        contents = self.extras.contents(detail["instance_id"])
        body = parse_body(call.body)
        if call.query.get("action") == "delete":
            return self._batch_delete(contents.groups, body, "groups")
        if "consume_orderly" in body:
            raise refuse(rules.INVALID_PARAMETER, "consume_orderly is for RocketMQ 5.x instances only.")
        group = _parsed(GroupRequest, body)
        self._check_brokers(group.brokers, detail)
        with self.extras.lock:
            if group.name in contents.groups:
                raise refuse(rules.INVALID_PARAMETER, f"The consumer group {group.name} already exists.")
            contents.groups[group.name] = {
                "name": group.name,
                "enabled": group.enabled,
                "broadcast": group.broadcast,
                "brokers": group.brokers or broker_names(int(detail["broker_num"])),
                "group_desc": group.group_desc,
                "retry_max_time": group.retry_max_time,
                "created_at": int(time.time() * 1000),
                "permissions": ["sub"],
                "consume_orderly": False,
                "group_online": False,
                "topic_subscription_count": 0,
            }
            self.extras.sent.append(("group", detail["instance_id"]))
        return JSONResponse({"name": group.name})

    def list_groups(self, call: Call) -> Response:
        """GET …/groups."""
        detail = self._instance(call, "dms:instance:get", running=False)
        groups = list(self.extras.contents(detail["instance_id"]).groups.values())
        limit = _max_topics(detail)
        return JSONResponse(
            {"total": len(groups), "groups": groups, "max": limit, "remaining": limit - len(groups)}
            | {"next_offset": -1, "previous_offset": -1}
        )

    def create_user(self, call: Call) -> Response:
        """POST …/users: an ACL user (the instance must have ACL on)."""
        detail = self._instance(call, "dms:instance:modify", running=True)
        if not detail.get("enable_acl"):
            raise refuse(rules.INVALID_PARAMETER, "ACL is off on this instance: turn it on before adding users.")
        body = parse_body(call.body)
        user = _parsed(UserRequest, body)
        contents = self.extras.contents(detail["instance_id"])
        with self.extras.lock:
            if user.access_key in contents.users:
                raise refuse(rules.INVALID_PARAMETER, f"The user {user.access_key} already exists.")
            shown = {key: value for key, value in user.to_api_body().items() if key != "secret_key"}
            shown.setdefault("white_remote_address", "")
            contents.users[user.access_key] = shown
            self.extras.sent.append(("user", detail["instance_id"]))
        # CreateUserResponse models secret_key too; the sandbox echoes it as the request gave it.
        return JSONResponse({**shown, "secret_key": user.secret_key.get_secret_value()})

    def list_users(self, call: Call) -> Response:
        """GET …/users (secrets are never listed)."""
        detail = self._instance(call, "dms:instance:get", running=False)
        users = list(self.extras.contents(detail["instance_id"]).users.values())
        return JSONResponse({"users": users, "total": len(users)})

    @staticmethod
    def _check_brokers(chosen: list[str], detail: Json) -> None:
        known = broker_names(int(detail["broker_num"]))
        unknown = [b for b in chosen if b not in known]
        if unknown:
            raise refuse(rules.INVALID_PARAMETER, f"No broker {', '.join(unknown)}; this instance has {known}.")

    def _batch_delete(self, store: dict[str, Json], body: Json, key: str) -> Response:
        names = body.get(key)
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise refuse(rules.INVALID_PARAMETER, f"{key} must be a non-empty list of names.")
        with self.extras.lock:
            for name in names:
                store.pop(name, None)
        return JSONResponse({"job_id": str(uuid.uuid4())})

    # --- VPC security-group rules ---------------------------------------------------------------

    def list_rules(self, call: Call) -> Response:
        """GET /v1/{project_id}/security-group-rules?security_group_id=…&limit=…&marker=…"""
        self.extras.check_allowed("vpc:securityGroupRules:get")
        query = call.query
        wanted = query.get("security_group_id")
        with self.state.lock:
            groups = self.state.resource_list("security_groups")
            chosen = [g for g in groups if wanted is None or g["id"] == wanted]
            found = [dict(rule) for group in chosen for rule in group["security_group_rules"]]
        marker = query.get("marker")
        if marker:
            ids = [rule["id"] for rule in found]
            if marker not in ids:
                raise refuse(("VPC.0002", "Invalid query parameter."), f"marker {marker} is not a rule of this list.")
            found = found[ids.index(marker) + 1 :]
        limit_text = query.get("limit", "")
        limit = int(limit_text) if limit_text.isdigit() and int(limit_text) > 0 else len(found)
        return JSONResponse({"security_group_rules": found[:limit]})

    def create_rule(self, call: Call) -> Response:
        """POST /v1/{project_id}/security-group-rules."""
        self.extras.check_allowed("vpc:securityGroupRules:create")
        body = parse_body(call.body)
        option = body.get("security_group_rule")
        bad = ("VPC.0602", "Invalid security group rule.")
        if not isinstance(option, dict):
            raise refuse(bad, "The body must hold security_group_rule.")
        group_id = option.get("security_group_id")
        direction = option.get("direction")
        if not isinstance(group_id, str) or direction not in ("ingress", "egress"):
            raise refuse(bad, "security_group_id and direction (ingress or egress) are required.")
        low, high = option.get("port_range_min"), option.get("port_range_max")
        for value in (low, high):
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 65535):
                raise refuse(bad, "port_range_min and port_range_max must be 1-65535.")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            raise refuse(bad, "port_range_min must not be greater than port_range_max.")
        remotes = [k for k in ("remote_ip_prefix", "remote_group_id", "remote_address_group_id") if option.get(k)]
        if len(remotes) > 1:
            raise refuse(bad, f"{' and '.join(remotes)} exclude each other.")
        with self.state.lock:
            group = self.state.resource("security_groups", group_id)
            if group is None:
                raise refuse(("VPC.0601", "The security group does not exist."), f"(id {group_id})", http_status=404)
            rule = {
                "id": str(uuid.uuid4()),
                "description": str(option.get("description") or ""),
                "security_group_id": group_id,
                "direction": direction,
                "ethertype": option.get("ethertype") or "IPv4",
                "protocol": option.get("protocol"),
                "port_range_min": low,
                "port_range_max": high,
                "remote_ip_prefix": option.get("remote_ip_prefix"),
                "remote_group_id": option.get("remote_group_id"),
                "remote_address_group_id": option.get("remote_address_group_id"),
                "tenant_id": self.state.project_id,
            }
            same = _RULE_IDENTITY
            for existing in group["security_group_rules"]:
                if all(existing.get(k) == rule.get(k) for k in same):
                    raise refuse(DUPLICATE_RULE, f"Rule id is {existing['id']}.", http_status=409)
            group["security_group_rules"].append(rule)
            self.extras.sent.append(("security_group_rule", group_id))
        return JSONResponse({"security_group_rule": dict(rule)})


def _parsed(model: type[TopicRequest] | type[GroupRequest] | type[UserRequest], body: Json) -> Any:
    try:
        return parse_form(model, body)
    except NextStepInvalid as exc:
        raise refuse(rules.INVALID_PARAMETER, exc.problems[0].message) from None


def _max_topics(detail: Json) -> int:
    return 2000 * int(detail.get("broker_num") or 1)
