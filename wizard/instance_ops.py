"""The calls after creation: connection details, brokers, the first topic, group and ACL user, the ports the
security group leaves closed and the rules that open them, and deleting a pay-per-use instance.

Reads retry as every read does (`wizard.http`). Writes are sent once each: an answer of ``DMS.00400026``
(the instance is busy: not RUNNING, or changing) is a clear refusal, so the same write is sent again after
a back-off until the instance takes it or `busy_timeout` passes. Any ambiguous failure (no answer, a reset,
a 5xx) is never resent blindly: the topic, group, user or rule is looked up first, and only its absence is
reported as "nothing was created".

Kept beside `wizard.client` rather than in it: it rides on a CloudClient's connection, signing and project
lookup (the few private parts it uses are named in `_Plumbing`).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

from wizard.connect_info import ConnectionDetails, connection_details
from wizard.error_codes import api_error
from wizard.errors import ApiError, NetworkError, NotCreated, WizardError
from wizard.http import describe_failure
from wizard.next_steps import GroupRequest, TopicRequest, UserRequest
from wizard.ports import PortNeed, missing_ports, required_ports

if TYPE_CHECKING:
    from wizard.client import CloudClient
    from wizard.resources import Instance

BUSY = "DMS.00400026"
#: Waits between tries while the instance answers busy (then every last one), within `busy_timeout`.
BUSY_DELAYS = (2.0, 4.0, 8.0, 15.0)
BUSY_TIMEOUT = 300.0
RULES_PAGE = 2000
PAY_PER_USE_MODE = 1
"""`charging_mode` of a pay-per-use instance in the show answer (0 is yearly/monthly)."""


@dataclass(frozen=True)
class Created:
    """A write that took: what it made, and whether it had to be found after an ambiguous failure."""

    name: str
    recovered: bool = False
    busy_retries: int = 0
    answer: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class PortCheck:
    """What a security group leaves closed, or why that could not be read (a notice, not a failure)."""

    security_group_id: str
    needed: list[PortNeed]
    missing: list[PortNeed]
    notice: str = ""

    @property
    def known(self) -> bool:
        """Whether the rules could be read."""
        return not self.notice

    def warning_lines(self) -> list[str]:
        """What a person should read: the closed ports and from where, or the notice."""
        if self.notice:
            return [self.notice]
        if not self.missing:
            return []
        return [
            f"The security group does not open {len(self.missing)} of the ports RocketMQ clients need:",
            *(f"  {need.describe()}" for need in self.missing),
            "Clients will time out (RemotingTooMuchRequestException: sendDefaultImpl call timeout) until "
            "these are open.",
        ]


@dataclass(frozen=True)
class RulesAdded:
    """The outcome of adding rules: what was opened, and notices for what could not be."""

    added: list[PortNeed]
    notices: list[str]


def permission_notice(exc: ApiError, action: str) -> str | None:
    """A notice when the API refused for lack of permission (403), else None."""
    if exc.http_status != 403:
        return None
    return (
        f"Your account may not {action} (HTTP 403 {exc.code or ''}).".replace(" )", ")")
        + " Ask an administrator, or check the rules in the console."
    )


class InstanceOps:
    """The calls above, on one CloudClient (which keeps the connection, the signing and the project ID)."""

    def __init__(self, client: CloudClient, *, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.client = client
        self.busy_timeout = busy_timeout
        self._p = _Plumbing(client)

    # ---- reads --------------------------------------------------------------------------------

    async def connection(self, instance_id: str) -> tuple[Instance, ConnectionDetails]:
        """The instance and how to connect to it."""
        instance = await self.client.show_instance(instance_id)
        return instance, connection_details(instance.raw)

    async def brokers(self, instance_id: str) -> list[str]:
        """The broker names of the instance (empty until it is RUNNING)."""
        data = await self._p.get(await self._instance_path(instance_id, "/brokers"), what="the brokers")
        brokers = data.get("brokers")
        items = brokers if isinstance(brokers, list) else []
        return [str(b["broker_name"]) for b in items if isinstance(b, dict) and b.get("broker_name")]

    async def names(self, instance_id: str, kind: str) -> list[str]:
        """Names of the instance's topics, groups or users (`kind` is topics, groups or users)."""
        data = await self._p.get(await self._instance_path(instance_id, f"/{kind}"), what=f"the {kind}")
        items = data.get(kind)
        key = "access_key" if kind == "users" else "name"
        return [str(i[key]) for i in items if isinstance(i, dict) and i.get(key)] if isinstance(items, list) else []

    async def security_group_rules(self, security_group_id: str) -> list[Mapping[str, Any]]:
        """Every rule of a security group (`GET /v1/{project_id}/security-group-rules`, every page)."""
        pid = await self.client.project_id()
        url = self._p.vpc(f"/v1/{pid}/security-group-rules")
        rules: list[Mapping[str, Any]] = []
        marker = ""
        while True:
            params = [("security_group_id", security_group_id), ("limit", str(RULES_PAGE))]
            data = await self._p.get(url, [*params, ("marker", marker)] if marker else params, what="the rules")
            page = data.get("security_group_rules")
            items = [r for r in page if isinstance(r, dict)] if isinstance(page, list) else []
            rules += [r for r in items if r.get("security_group_id") in (None, security_group_id)]
            if len(items) < RULES_PAGE or not items[-1].get("id"):
                return rules
            marker = str(items[-1]["id"])

    async def check_ports(
        self, security_group_id: str, vpc_cidr: str, *, public: bool, public_source: str
    ) -> PortCheck:
        """Which of the ports the instance needs the group leaves closed; a permission problem is a notice."""
        needed = required_ports(vpc_cidr, public=public, public_source=public_source)
        try:
            rules = await self.security_group_rules(security_group_id)
        except ApiError as exc:
            notice = permission_notice(exc, "read this security group's rules")
            if notice is None:
                raise
            return PortCheck(security_group_id, needed, [], notice)
        return PortCheck(security_group_id, needed, missing_ports(needed, rules))

    # ---- writes -------------------------------------------------------------------------------

    async def open_ports(self, security_group_id: str, needs: Sequence[PortNeed]) -> RulesAdded:
        """Add one ingress rule per need; a rule that exists already counts as added."""
        pid = await self.client.project_id()
        url = self._p.vpc(f"/v1/{pid}/security-group-rules")
        added: list[PortNeed] = []
        notices: list[str] = []
        for need in needs:
            body = need.rule_body(security_group_id)
            try:
                await self._write(url, body, found=self._rule_finder(security_group_id, need))
            except ApiError as exc:
                if exc.http_status == 409:
                    added.append(need)
                    continue
                notice = permission_notice(exc, "add rules to this security group")
                if notice is None:
                    raise
                notices.append(notice)
                break
            added.append(need)
        return RulesAdded(added, notices)

    def _rule_finder(self, security_group_id: str, need: PortNeed) -> Callable[[], Awaitable[bool]]:
        async def exists() -> bool:
            return not missing_ports([need], await self.security_group_rules(security_group_id))

        return exists

    async def create_topic(self, instance_id: str, topic: TopicRequest) -> Created:
        """Create a topic on the brokers it names (or all the instance has)."""
        brokers = [] if topic.brokers else await self.brokers(instance_id)
        url = await self._instance_path(instance_id, "/topics")
        body = topic.to_api_body(brokers)
        return await self._write(url, body, found=lambda: self._has(instance_id, "topics", topic.name))

    async def create_group(self, instance_id: str, group: GroupRequest) -> Created:
        """Create a consumer group on the brokers it names (or all the instance has)."""
        brokers = [] if group.brokers else await self.brokers(instance_id)
        url = await self._instance_path(instance_id, "/groups")
        body = group.to_api_body(brokers)
        return await self._write(url, body, found=lambda: self._has(instance_id, "groups", group.name))

    async def create_user(self, instance_id: str, user: UserRequest) -> Created:
        """Create an ACL user; the answer (which echoes the secret) is dropped, never kept."""
        url = await self._instance_path(instance_id, "/users")
        created = await self._write(
            url, user.to_api_body(), found=lambda: self._has(instance_id, "users", user.access_key)
        )
        return Created(user.access_key, created.recovered, created.busy_retries)

    async def delete_instance(self, instance_id: str) -> Instance:
        """Delete a pay-per-use instance; refuses (WizardError) a yearly/monthly one, saying why."""
        instance = await self.client.show_instance(instance_id)
        mode = instance.raw.get("charging_mode")
        if mode != PAY_PER_USE_MODE:
            raise WizardError(
                f"Not deleted: {instance.name} ({instance_id}) is billed yearly/monthly, and such an instance is "
                "not deleted but unsubscribed (Billing Center > Unsubscriptions, or the BSS unsubscribe API), "
                "which refunds what is left of its period."
            )
        url = self._p.dms(f"/v2/{await self.client.project_id()}/instances/{quote(instance_id, safe='')}")
        try:
            response = await self._p.send("DELETE", url, b"")
        except httpx.HTTPError as exc:
            reason = describe_failure(exc, httpx.URL(url).host, self.client.settings.timeout)
            if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
                raise NetworkError(f"Nothing was sent: {reason}.") from None
            return await self._deleted_after(instance_id, instance, reason)
        if response.is_success:
            return instance
        if response.status_code >= 500:
            error = api_error(response.status_code, response.content, response.headers)
            return await self._deleted_after(instance_id, instance, f"the API answered {error}")
        raise api_error(response.status_code, response.content, response.headers)

    async def _deleted_after(self, instance_id: str, instance: Instance, reason: str) -> Instance:
        try:
            now = await self.client.show_instance(instance_id)
        except ApiError as exc:
            if exc.http_status == 404:
                return instance
            raise
        if now.status == "DELETING":
            return now
        raise WizardError(f"The delete call failed ({reason}) and the instance is still {now.status}.")

    # ---- plumbing -----------------------------------------------------------------------------

    async def _instance_path(self, instance_id: str, tail: str) -> str:
        pid = await self.client.project_id()
        return self._p.dms(f"/v2/{pid}/instances/{quote(instance_id, safe='')}{tail}")

    async def _has(self, instance_id: str, kind: str, name: str) -> bool:
        return name in await self.names(instance_id, kind)

    async def _write(self, url: str, body: Mapping[str, Any], *, found: Callable[[], Awaitable[bool]]) -> Created:
        """POST once per try; busy answers are tried again, ambiguous failures looked up, never resent."""
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        name = str(body.get("name") or body.get("access_key") or "the rule")
        clock, started = self._p.clock, self._p.clock()
        retries = 0
        while True:
            try:
                response = await self._p.send("POST", url, payload)
            except httpx.HTTPError as exc:
                reason = describe_failure(exc, httpx.URL(url).host, self.client.settings.timeout)
                if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)):
                    raise NotCreated(f"Nothing was sent: {reason}. It is safe to try again.") from None
                return await self._settle(name, found, reason, retries)
            if response.is_success:
                try:
                    answer = json.loads(response.content or b"{}")
                except ValueError:
                    answer = {}
                return Created(name, busy_retries=retries, answer=answer if isinstance(answer, dict) else {})
            error = api_error(response.status_code, response.content, response.headers)
            if response.status_code >= 500:
                return await self._settle(name, found, f"the API answered {error}", retries)
            if error.code != BUSY:
                raise error
            delay = BUSY_DELAYS[min(retries, len(BUSY_DELAYS) - 1)]
            if clock() - started + delay > self.busy_timeout:
                raise ApiError(
                    code=error.code,
                    http_status=error.http_status,
                    request_id=error.request_id,
                    message=f"The instance stayed busy for {self.busy_timeout:g} s, so {name} was not created: "
                    "try again when it is RUNNING.",
                ) from None
            retries += 1
            await self._p.sleep(delay)

    async def _settle(self, name: str, found: Callable[[], Awaitable[bool]], reason: str, retries: int) -> Created:
        try:
            exists = await found()
        except (ApiError, NetworkError) as exc:
            raise WizardError(
                f"The call failed ({reason}) and checking whether {name} exists failed too ({exc}); it may or may "
                "not exist: look before trying again."
            ) from None
        if exists:
            return Created(name, recovered=True, busy_retries=retries)
        raise NotCreated(f"The call failed ({reason}); {name} does not exist, so it is safe to try again.")


class _Plumbing:
    """The CloudClient parts the calls above ride on: its sender, signing, endpoints, sleep and clock."""

    def __init__(self, client: CloudClient) -> None:
        self._client = client

    def dms(self, path: str) -> str:
        return f"{self._client.settings.dms_endpoint}{path}"

    def vpc(self, path: str) -> str:
        return f"{self._client.settings.vpc_endpoint}{path}"

    async def get(self, url: str, params: Sequence[tuple[str, str]] | None = None, *, what: str) -> Mapping[str, Any]:
        return await self._client._get_json(url, params, what=what)

    async def send(self, method: str, url: str, payload: bytes) -> httpx.Response:
        return await self._client._sender.send_once(method, url, json_body=payload, auth=self._client._auth)

    def clock(self) -> float:
        return self._client._clock()

    async def sleep(self, seconds: float) -> None:
        await self._client._sleep(seconds)
