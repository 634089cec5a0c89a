"""Connection details from a show answer, and the client configuration built from them."""

from __future__ import annotations

from typing import Any

import pytest

from wizard.connect_info import connection_details

RUNNING: dict[str, Any] = {
    "instance_id": "i-1",
    "name": "orders",
    "status": "RUNNING",
    "namesrv_address": "192.168.0.11:8100,192.168.0.12:8100",
    "broker_address": "192.168.0.20:10100",
    "enable_publicip": True,
    "public_namesrv_address": "203.0.113.11:8200,203.0.113.12:8200",
    "public_broker_address": "203.0.113.11:10100,203.0.113.12:10101,203.0.113.13:10102",
    "tls_mode": "PLAINTEXT",
    "ssl_enable": False,
    "enable_acl": False,
}


def test_the_fields_of_a_running_instance() -> None:
    details = connection_details(RUNNING)
    assert details.ready
    assert details.namesrv == ("192.168.0.11:8100", "192.168.0.12:8100")
    assert details.public_brokers[2] == "203.0.113.13:10102"
    data = details.as_json()
    assert data["namesrv_address"] == RUNNING["namesrv_address"]
    assert data["public_broker_address"] == RUNNING["public_broker_address"]
    assert (data["tls_mode"], data["ssl_enable"], data["enable_acl"]) == ("PLAINTEXT", False, False)


def test_the_client_config_uses_semicolons_and_no_tls_or_acl_when_off() -> None:
    config = connection_details(RUNNING).client_config()
    assert 'producer.setNamesrvAddr("192.168.0.11:8100;192.168.0.12:8100");' in config
    assert "203.0.113.11:8200;203.0.113.12:8200" in config
    assert "setUseTLS" not in config
    assert "AclClientRPCHook" not in config


@pytest.mark.parametrize(
    ("fields", "tls_line"),
    [
        ({"tls_mode": "SSL"}, "producer.setUseTLS(true);"),
        ({"tls_mode": "PERMISSIVE"}, "optional"),
        ({"tls_mode": None, "ssl_enable": True}, "producer.setUseTLS(true);"),
        ({"tls_mode": "ssl"}, "producer.setUseTLS(true);"),
    ],
)
def test_tls_adds_use_tls(fields: dict[str, Any], tls_line: str) -> None:
    config = connection_details({**RUNNING, **fields}).client_config()
    assert "setUseTLS(true)" in config
    assert tls_line in config


def test_acl_adds_the_hook_reading_keys_from_the_environment() -> None:
    config = connection_details({**RUNNING, "enable_acl": True}).client_config()
    assert "new AclClientRPCHook(new SessionCredentials(" in config
    assert 'System.getenv("ROCKETMQ_SECRET_KEY")' in config


def test_a_creating_instance_has_no_addresses_and_no_config() -> None:
    details = connection_details({**RUNNING, "status": "CREATING", "namesrv_address": "", "broker_address": ""})
    assert not details.ready
    assert details.as_json()["client_config"] == ""
    assert "not yet known" in details.lines()[0]


def test_the_lines_say_public_access_off() -> None:
    lines = connection_details({**RUNNING, "enable_publicip": False}).lines()
    assert any(line.startswith("Public access:") and line.endswith("off") for line in lines)
    assert not any("public)" in line for line in lines)
