"""What comes after RUNNING: the first topic, consumer group and ACL user, each one pydantic model.

Field names are the API's (next-facts §2.5, `huaweicloudsdkrocketmq` 3.1.219 models). Types are strict and
every problem is reported at once, as `Problem`s naming the field and the rule. These are 4.8.0 bodies
(brokers, queues, permission); 5.x message types are not offered.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator
from pydantic_core import PydanticCustomError

NAME_RULE = "3-64 characters: letters, digits, %, |, - and _"
_NAME_RE = re.compile(r"[A-Za-z0-9%|_-]{3,64}")
RESERVED_TOPIC_PREFIX = "rmq_sys_"
RESERVED_TOPIC_NAMES = frozenset(
    {
        "TBW102",
        "SCHEDULE_TOPIC_XXXX",
        "BenchmarkTest",
        "RMQ_SYS_TRANS_HALF_TOPIC",
        "RMQ_SYS_TRACE_TOPIC",
        "RMQ_SYS_TRANS_OP_HALF_TOPIC",
        "TRANS_CHECK_MAX_TIME_TOPIC",
        "SELF_TEST_TOPIC",
        "OFFSET_MOVED_EVENT",
        "rmq_sys_offset_commit_event",
    }
)
"""Topic names the broker keeps for itself (hrm_faq_025)."""
QUEUES_MIN, QUEUES_MAX, QUEUES_DEFAULT = 1, 50, 8
TOPIC_PERMISSIONS = ("all", "pub", "sub")
RETRIES_MIN, RETRIES_MAX, RETRIES_DEFAULT = 1, 16, 16
GROUP_DESCRIPTION_MAX = 200
ACCESS_KEY_RULE = "7-64 characters, starting with a letter: letters, digits, - and _"
_ACCESS_KEY_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{6,63}")
SECRET_MIN, SECRET_MAX = 8, 32
SECRET_SPECIALS = "`~!@#$%^&*()-_=+\\|[{}];:'\",<.>/?"  # noqa: S105 - a character class, not a password
SECRET_RULE = (
    f"{SECRET_MIN}-{SECRET_MAX} characters with at least 3 of: upper-case letters, lower-case letters, "
    "digits, special characters; not the access key or the access key reversed"
)
_OCTET_PATTERN = re.compile(r"(\d{1,3}|\*)(\.(\d{1,3}|\*)){3}")


@dataclass(frozen=True)
class Problem:
    """One broken rule: the API field to fix and why, in words."""

    field: str
    message: str

    def as_json(self) -> dict[str, str]:
        """For `--json` output."""
        return {"field": self.field, "message": self.message}


class NextStepInvalid(ValueError):
    """A topic, group or user that breaks rules; `problems` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


def _error(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def _resource_name(value: str) -> str:
    if not _NAME_RE.fullmatch(value):
        raise _error("name_rule", f"must be {NAME_RULE} (got {value!r})")
    return value


def _topic_name(value: str) -> str:
    _resource_name(value)
    if value in RESERVED_TOPIC_NAMES or value.lower().startswith(RESERVED_TOPIC_PREFIX):
        raise _error("reserved", f"{value!r} is reserved by RocketMQ (and no name may start with rmq_sys_)")
    return value


def _access_key(value: str) -> str:
    if not _ACCESS_KEY_RE.fullmatch(value):
        raise _error("access_key_rule", f"must be {ACCESS_KEY_RULE} (got {value!r})")
    return value


def _address_item(item: str) -> bool:
    if _OCTET_PATTERN.fullmatch(item):
        return all(part == "*" or int(part) <= 255 for part in item.split("."))
    try:
        network = ipaddress.ip_network(item, strict=False)
    except ValueError:
        return False
    return isinstance(network, ipaddress.IPv4Network)


def _white_list(value: str) -> str:
    items = [item.strip() for item in value.split(",")]
    if value.strip() and not all(item and _address_item(item) for item in items):
        raise _error(
            "address_rule", f"must be IPv4 addresses or CIDRs (or 192.*.*.* patterns), comma-separated (got {value!r})"
        )
    return value.strip()


def secret_classes(secret: str) -> int:
    """How many of the four character classes the secret uses."""
    return sum(
        (
            any(c.isascii() and c.isupper() for c in secret),
            any(c.isascii() and c.islower() for c in secret),
            any(c.isdigit() for c in secret),
            any(c in SECRET_SPECIALS for c in secret),
        )
    )


ResourceName = Annotated[str, AfterValidator(_resource_name)]
TopicName = Annotated[str, AfterValidator(_topic_name)]


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class TopicRequest(_Form):
    """`POST /v2/{project_id}/instances/{instance_id}/topics` (4.8.0)."""

    name: TopicName
    queue_num: int = Field(QUEUES_DEFAULT, ge=QUEUES_MIN, le=QUEUES_MAX)
    permission: Literal["all", "pub", "sub"] = "all"
    brokers: list[ResourceName] = Field(default_factory=list)
    """Broker names; empty means every broker the instance has."""

    def to_api_body(self, instance_brokers: Sequence[str]) -> dict[str, Any]:
        """The body, on the chosen brokers (or all of the instance's)."""
        return {
            "name": self.name,
            "brokers": list(self.brokers or instance_brokers),
            "queue_num": self.queue_num,
            "permission": self.permission,
        }


class GroupRequest(_Form):
    """`POST /v2/{project_id}/instances/{instance_id}/groups` (4.8.0)."""

    name: ResourceName
    retry_max_time: int = Field(RETRIES_DEFAULT, ge=RETRIES_MIN, le=RETRIES_MAX)
    broadcast: bool = False
    enabled: bool = True
    group_desc: str = Field("", max_length=GROUP_DESCRIPTION_MAX)
    brokers: list[ResourceName] = Field(default_factory=list)

    def to_api_body(self, instance_brokers: Sequence[str]) -> dict[str, Any]:
        """The body, on the chosen brokers (or all of the instance's)."""
        body: dict[str, Any] = {
            "name": self.name,
            "brokers": list(self.brokers or instance_brokers),
            "broadcast": self.broadcast,
            "retry_max_time": self.retry_max_time,
            "enabled": self.enabled,
        }
        if self.group_desc:
            body["group_desc"] = self.group_desc
        return body


class TopicPermission(_Form):
    """A user's permission on one topic."""

    name: ResourceName
    perm: Literal["PUB|SUB", "PUB", "SUB", "DENY"]


class GroupPermission(_Form):
    """A user's permission on one consumer group."""

    name: ResourceName
    perm: Literal["SUB", "DENY"]


def _secret(value: SecretStr) -> SecretStr:
    secret = value.get_secret_value()
    if not SECRET_MIN <= len(secret) <= SECRET_MAX or secret_classes(secret) < 3:
        raise _error("secret_rule", f"must be {SECRET_RULE}")
    return value


class UserRequest(_Form):
    """`POST /v2/{project_id}/instances/{instance_id}/users`: an ACL user. The secret never leaves as text
    except in the body sent to the API."""

    access_key: Annotated[str, AfterValidator(_access_key)]
    secret_key: Annotated[SecretStr, AfterValidator(_secret)]
    white_remote_address: Annotated[str, AfterValidator(_white_list)] = ""
    admin: bool = False
    default_topic_perm: Literal["PUB|SUB", "PUB", "SUB", "DENY"] = "DENY"
    default_group_perm: Literal["SUB", "DENY"] = "DENY"
    topic_perms: list[TopicPermission] = Field(default_factory=list)
    group_perms: list[GroupPermission] = Field(default_factory=list)

    @model_validator(mode="after")
    def _secret_differs(self) -> UserRequest:
        if self.secret_key.get_secret_value() in (self.access_key, self.access_key[::-1]):
            raise _error("secret_rule", "secret_key must not be the access key or the access key reversed")
        return self

    def to_api_body(self) -> dict[str, Any]:
        """The body, secret included: send it, never store or print it."""
        body: dict[str, Any] = {
            "access_key": self.access_key,
            "secret_key": self.secret_key.get_secret_value(),
            "admin": self.admin,
            "default_topic_perm": self.default_topic_perm,
            "default_group_perm": self.default_group_perm,
            "topic_perms": [{"name": p.name, "perm": p.perm} for p in self.topic_perms],
            "group_perms": [{"name": p.name, "perm": p.perm} for p in self.group_perms],
        }
        if self.white_remote_address:
            body["white_remote_address"] = self.white_remote_address
        return body


_M = TypeVar("_M", bound=_Form)


def problems_of(exc: ValidationError) -> list[Problem]:
    """Plain problems, each naming its field, from a validation error of the models above."""
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        path = ".".join(str(part) for part in error["loc"])
        kind, message = error["type"], str(error["msg"])
        value = error.get("input")
        if kind == "missing":
            text = f"{path} is required"
        elif kind == "extra_forbidden":
            text = f"{path} is not a field the API takes"
        elif kind in ("greater_than_equal", "less_than_equal"):
            text = f"{path} must be {_bounds(path)} (got {value!r})"
        elif kind == "literal_error":
            text = f"{path} must be {error.get('ctx', {}).get('expected', 'one of the allowed values')} (got {value!r})"
        elif kind == "string_too_long":
            text = f"{path} must be at most {error.get('ctx', {}).get('max_length')} characters"
        elif kind.endswith("_type") or kind.endswith("_parsing"):
            text = f"{path}: {message.lower()}"
        else:
            field = path or _field_of(message)
            text = f"{path} {message}" if path else message
            path = field
        problem = Problem(path, text)
        if problem not in problems:
            problems.append(problem)
    return problems


def _bounds(path: str) -> str:
    if path == "queue_num":
        return f"{QUEUES_MIN}-{QUEUES_MAX}"
    if path == "retry_max_time":
        return f"{RETRIES_MIN}-{RETRIES_MAX}"
    return "within its bounds"


def _field_of(message: str) -> str:
    first = message.split(" ", 1)[0].rstrip(":")
    return first if first == "secret_key" else ""


def parse_form(model: type[_M], data: Mapping[str, Any]) -> _M:
    """Validate `data` with `model`; raise NextStepInvalid naming every problem."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise NextStepInvalid(problems_of(exc)) from None


def check_form(model: type[_Form], data: Mapping[str, Any]) -> list[Problem]:
    """Every problem with `data` for `model`, or [] when it is valid."""
    try:
        parse_form(model, data)
    except NextStepInvalid as exc:
        return exc.problems
    return []
