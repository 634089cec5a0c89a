"""How a client connects to an instance: its addresses, TLS and ACL, and a minimal client configuration.

Read from the show answer (next-facts §2.1, §2.3): `namesrv_address`, `broker_address`, the `public_*`
variants when public access is on, `tls_mode` (SSL, PLAINTEXT or PERMISSIVE; `ssl_enable` when it is
absent) and `enable_acl`. The API lists addresses separated by commas; the Java client's `setNamesrvAddr`
takes them separated by semicolons. The client configuration never holds a secret: it reads the ACL
user's keys from environment variables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

TLS_MODES = ("SSL", "PLAINTEXT", "PERMISSIVE")
ACCESS_KEY_VARIABLE = "ROCKETMQ_ACCESS_KEY"
SECRET_KEY_VARIABLE = "ROCKETMQ_SECRET_KEY"  # noqa: S105 - the name of a variable, not a secret


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _addresses(value: object) -> tuple[str, ...]:
    return tuple(part.strip() for part in _text(value).split(",") if part.strip())


@dataclass(frozen=True)
class ConnectionDetails:
    """What a client needs to connect, as the show answer gives it."""

    instance_id: str
    name: str
    status: str
    namesrv: tuple[str, ...]
    brokers: tuple[str, ...]
    public_namesrv: tuple[str, ...]
    public_brokers: tuple[str, ...]
    public_access: bool
    tls_mode: str
    acl: bool
    namesrv_domain: str = ""
    public_namesrv_domain: str = ""

    @property
    def ready(self) -> bool:
        """Whether the addresses are known (they appear once the instance is RUNNING)."""
        return bool(self.namesrv)

    @property
    def tls(self) -> bool:
        """Whether clients may (PERMISSIVE) or must (SSL) use TLS."""
        return self.tls_mode in ("SSL", "PERMISSIVE")

    def tls_words(self) -> str:
        """TLS in plain words."""
        return {
            "SSL": "on (SSL: clients must use TLS)",
            "PERMISSIVE": "optional (PERMISSIVE: TLS or plaintext)",
            "PLAINTEXT": "off (PLAINTEXT)",
        }.get(self.tls_mode, self.tls_mode or "unknown")

    def as_json(self) -> dict[str, Any]:
        """The fields `status --json` and `connect --json` print."""
        return {
            "namesrv_address": ",".join(self.namesrv),
            "namesrv_domain_name": self.namesrv_domain,
            "broker_address": ",".join(self.brokers),
            "enable_publicip": self.public_access,
            "public_namesrv_address": ",".join(self.public_namesrv),
            "public_namesrv_domain_name": self.public_namesrv_domain,
            "public_broker_address": ",".join(self.public_brokers),
            "tls_mode": self.tls_mode,
            "ssl_enable": self.tls,
            "enable_acl": self.acl,
            "client_config": self.client_config() if self.ready else "",
        }

    def lines(self) -> list[str]:
        """The connection details as `label: value` lines for a person."""
        rows = [("NameServer (private)", ", ".join(self.namesrv) or "not yet known (the instance is not RUNNING)")]
        if self.namesrv_domain:
            rows.append(("NameServer domain", self.namesrv_domain))
        rows.append(("Brokers (private)", ", ".join(self.brokers) or "-"))
        if self.public_access:
            rows.append(("NameServer (public)", ", ".join(self.public_namesrv) or "-"))
            rows.append(("Brokers (public)", ", ".join(self.public_brokers) or "-"))
        else:
            rows.append(("Public access", "off"))
        rows.append(("TLS", self.tls_words()))
        rows.append(("ACL", "on (clients sign in as an ACL user)" if self.acl else "off"))
        width = max(len(label) for label, _ in rows)
        return [f"{label + ':':<{width + 1}} {value}" for label, value in rows]

    def client_config(self) -> str:
        """A minimal Java producer configuration (the consumer's is the same with DefaultMQPushConsumer)."""
        lines: list[str] = []
        if self.acl:
            lines += [
                "RPCHook acl = new AclClientRPCHook(new SessionCredentials(",
                f'    System.getenv("{ACCESS_KEY_VARIABLE}"), System.getenv("{SECRET_KEY_VARIABLE}")));',
                'DefaultMQProducer producer = new DefaultMQProducer("my-producer-group", acl);',
            ]
        else:
            lines.append('DefaultMQProducer producer = new DefaultMQProducer("my-producer-group");')
        lines.append(f'producer.setNamesrvAddr("{";".join(self.namesrv)}");')
        if self.public_access and self.public_namesrv:
            lines.append(f'// from outside the VPC: producer.setNamesrvAddr("{";".join(self.public_namesrv)}");')
        if self.tls_mode == "SSL":
            lines.append("producer.setUseTLS(true);")
        elif self.tls_mode == "PERMISSIVE":
            lines.append("producer.setUseTLS(true);  // optional: PERMISSIVE also accepts plaintext")
        lines.append("producer.start();")
        return "\n".join(lines)


def connection_details(raw: Mapping[str, Any]) -> ConnectionDetails:
    """The connection details in a show answer."""
    tls_mode = _text(raw.get("tls_mode")).upper()
    if tls_mode not in TLS_MODES:
        tls_mode = "SSL" if raw.get("ssl_enable") is True else "PLAINTEXT"
    return ConnectionDetails(
        instance_id=_text(raw.get("instance_id")),
        name=_text(raw.get("name")),
        status=_text(raw.get("status")),
        namesrv=_addresses(raw.get("namesrv_address")),
        brokers=_addresses(raw.get("broker_address")),
        public_namesrv=_addresses(raw.get("public_namesrv_address")),
        public_brokers=_addresses(raw.get("public_broker_address")),
        public_access=raw.get("enable_publicip") is True,
        tls_mode=tls_mode,
        acl=raw.get("enable_acl") is True,
        namesrv_domain=_text(raw.get("namesrv_domain_name")),
        public_namesrv_domain=_text(raw.get("public_namesrv_domain_name")),
    )
