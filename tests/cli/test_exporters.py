"""Exact output of every export format, and the Terraform export checked as HCL against the provider's schema."""

from __future__ import annotations

import json
from typing import Any

import hcl2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.catalog import HIGH_IO, OFFLINE_CATALOG, AvailabilityZone, Catalog
from wizard.exporters import ExportTarget, hcl_string, render, to_curl, to_hcloud, to_json, to_terraform
from wizard.model import CreateInstanceRequest
from wizard.validation import parse_request

# Every argument `huaweicloud_dms_rocketmq_instance` documents (api-facts §4, provider docs at b1dddd64).
PROVIDER_ARGUMENTS = frozenset(
    {
        "region",
        "name",
        "engine_version",
        "storage_space",
        "vpc_id",
        "subnet_id",
        "security_group_id",
        "availability_zones",
        "flavor_id",
        "storage_spec_code",
        "description",
        "ssl_enable",
        "ipv6_enable",
        "enable_publicip",
        "publicip_id",
        "broker_num",
        "enterprise_project_id",
        "enable_acl",
        "charging_mode",
        "period_unit",
        "period",
        "auto_renew",
        "tags",
        "configs",
        "tls_mode",
        "retention_policy",
    }
)

ZONES = ("0e1a", "0e1b", "0e1c")


def zone_catalog() -> Catalog:
    """The offline flavors plus three known AZs, so IDs map to codes."""
    zones = tuple(AvailabilityZone(zid, f"cn-north-4{zid[-1]}", f"AZ{n}") for n, zid in enumerate(ZONES, 1))
    return Catalog(flavors=OFFLINE_CATALOG.flavors, storage_types=OFFLINE_CATALOG.storage_types, zones=zones)


def minimal() -> CreateInstanceRequest:
    return parse_request(
        {
            "name": "orders-mq",
            "vpc_id": "vpc-1",
            "subnet_id": "subnet-1",
            "security_group_id": "sg-1",
            "available_zones": ["0e1a"],
            "product_id": "c6.4u8g.cluster",
            "broker_num": 1,
            "storage_spec_code": HIGH_IO,
            "storage_space": 300,
        }
    )


def full() -> CreateInstanceRequest:
    data: dict[str, Any] = {
        "name": "Billing-Queue_2",
        "description": 'Team "pay" ${x} %{y} \\ it\'s\nline two',
        "vpc_id": "vpc-1",
        "subnet_id": "subnet-1",
        "security_group_id": "sg-1",
        "available_zones": list(ZONES),
        "product_id": "c6.8u16g.cluster",
        "broker_num": 2,
        "storage_spec_code": HIGH_IO,
        "storage_space": 1200,
        "enterprise_project_id": "ep-1",
        "ssl_enable": True,
        "enable_acl": False,
        "enable_publicip": True,
        "publicip_id": "e1,e2,e3,e4,e5,e6",
        "bss_param": {
            "charging_mode": "prePaid",
            "period_type": "month",
            "period_num": 3,
            "is_auto_renew": True,
            "is_auto_pay": False,
        },
    }
    return parse_request(data, zone_catalog())


def test_json_is_exactly_the_api_body() -> None:
    text = to_json(minimal())
    assert json.loads(text) == minimal().to_api_body()
    assert text == (
        "{\n"
        '  "name": "orders-mq",\n'
        '  "engine": "reliability",\n'
        '  "engine_version": "4.8.0",\n'
        '  "storage_space": 300,\n'
        '  "vpc_id": "vpc-1",\n'
        '  "subnet_id": "subnet-1",\n'
        '  "security_group_id": "sg-1",\n'
        '  "available_zones": [\n'
        '    "0e1a"\n'
        "  ],\n"
        '  "product_id": "c6.4u8g.cluster",\n'
        '  "storage_spec_code": "dms.physical.storage.high.v2",\n'
        '  "broker_num": 1\n'
        "}\n"
    )


CURL_MINIMAL = """\
# Creates the instance. Set these shell variables first:
#   HUAWEICLOUD_SDK_AUTH_TOKEN  an IAM token (the X-Subject-Token header of IAM's POST /v3/auth/tokens)
#   HUAWEICLOUD_SDK_PROJECT_ID  the project ID
#   HUAWEICLOUD_SDK_REGION      the region, e.g. cn-north-4
curl -sS -X POST "https://dms.${HUAWEICLOUD_SDK_REGION}.myhuaweicloud.com/v2/reliability/\
${HUAWEICLOUD_SDK_PROJECT_ID}/instances" \\
  -H "Content-Type: application/json" \\
  -H "X-Auth-Token: ${HUAWEICLOUD_SDK_AUTH_TOKEN}" \\
  --data-binary @- <<'JSON'
"""


def test_curl_uses_placeholders_for_everything_unknown() -> None:
    assert to_curl(minimal()) == CURL_MINIMAL + to_json(minimal()) + "JSON\n"


def test_curl_with_region_project_and_the_v1_route() -> None:
    target = ExportTarget(region="eu-west-101", project_id="0123abcd", api_route="v1")
    assert to_curl(minimal(), target) == (
        "# Creates the instance. Set these shell variables first:\n"
        "#   HUAWEICLOUD_SDK_AUTH_TOKEN  an IAM token (the X-Subject-Token header of IAM's POST /v3/auth/tokens)\n"
        'curl -sS -X POST "https://dms.eu-west-101.myhuaweicloud.eu/v1.0/0123abcd/instances" \\\n'
        '  -H "Content-Type: application/json" \\\n'
        '  -H "X-Auth-Token: ${HUAWEICLOUD_SDK_AUTH_TOKEN}" \\\n'
        "  --data-binary @- <<'JSON'\n" + to_json(minimal()) + "JSON\n"
    )


def test_curl_escapes_an_endpoint_for_double_quotes() -> None:
    text = to_curl(minimal(), ExportTarget(endpoint='http://127.0.0.1:8080/"$x`/', project_id="p"))
    assert 'curl -sS -X POST "http://127.0.0.1:8080/\\"\\$x\\`/v2/reliability/p/instances"' in text


def test_curl_never_holds_a_secret_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUAWEICLOUD_SDK_AUTH_TOKEN", "real-token-value")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", "real-secret")
    text = to_curl(full(), ExportTarget(region="cn-north-4", project_id="p"))
    assert "real-token-value" not in text and "real-secret" not in text
    assert "${HUAWEICLOUD_SDK_AUTH_TOKEN}" in text


def test_curl_body_survives_the_shell(tmp_path: Any) -> None:
    """The heredoc body is the JSON byte for byte: quotes, dollars and backslashes are not touched."""
    import subprocess

    script = to_curl(full()).replace("curl ", "cat >/dev/null; cat <<'X' #", 1)
    # Run only the heredoc part through sh: everything from --data-binary's heredoc to its end marker.
    heredoc = script[script.index("<<'JSON'") :]
    result = subprocess.run(["sh", "-c", "cat " + heredoc], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == full().to_api_body()


TERRAFORM_FULL = """\
# Generated by rocketmq-wizard from a validated request.
resource "huaweicloud_dms_rocketmq_instance" "billing_queue_2" {
  region                = "cn-north-4"
  name                  = "Billing-Queue_2"
  description           = "Team \\"pay\\" \\u0024{x} \\u0025{y} \\\\ it's\\nline two"
  engine_version        = "4.8.0"
  flavor_id             = "c6.8u16g.cluster"
  broker_num            = 2
  storage_spec_code     = "dms.physical.storage.high.v2"
  storage_space         = 1200
  enterprise_project_id = "ep-1"

  vpc_id             = "vpc-1"
  subnet_id          = "subnet-1"
  security_group_id  = "sg-1"
  availability_zones = ["cn-north-4a", "cn-north-4b", "cn-north-4c"]

  ssl_enable      = true
  enable_acl      = false
  enable_publicip = true
  publicip_id     = "e1,e2,e3,e4,e5,e6"

  # The provider always pays prePaid orders at once: is_auto_pay false cannot be kept.
  charging_mode = "prePaid"
  period_unit   = "month"
  period        = 3
  auto_renew    = "true"
}
"""

TERRAFORM_MINIMAL_UNMAPPED = """\
# Generated by rocketmq-wizard from a validated request.
resource "huaweicloud_dms_rocketmq_instance" "orders_mq" {
  name              = "orders-mq"
  engine_version    = "4.8.0"
  flavor_id         = "c6.4u8g.cluster"
  broker_num        = 1
  storage_spec_code = "dms.physical.storage.high.v2"
  storage_space     = 300

  vpc_id             = "vpc-1"
  subnet_id          = "subnet-1"
  security_group_id  = "sg-1"
  # The provider takes AZ codes (e.g. cn-north-4a), not IDs, and silently drops values it
  # does not know. No AZ list could map these IDs: 0e1a. Replace them with codes.
  availability_zones = ["0e1a"]
}
"""


def test_terraform_full_maps_zone_ids_to_codes_and_billing_to_provider_names() -> None:
    assert to_terraform(full(), zone_catalog(), region="cn-north-4") == TERRAFORM_FULL


def test_terraform_says_which_zone_ids_it_could_not_map() -> None:
    assert to_terraform(minimal(), OFFLINE_CATALOG) == TERRAFORM_MINIMAL_UNMAPPED
    assert to_terraform(minimal(), None) == TERRAFORM_MINIMAL_UNMAPPED


def _resource(text: str) -> dict[str, Any]:
    parsed = hcl2.loads(text)
    (block,) = parsed["resource"]
    (kind,) = block
    assert kind.strip('"') == "huaweicloud_dms_rocketmq_instance"
    (body,) = block[kind].values()
    return {key: value for key, value in body.items() if not key.startswith("__")}


@pytest.mark.parametrize("make", [minimal, full])
def test_terraform_parses_as_hcl_and_names_only_documented_arguments(make: Any) -> None:
    attributes = _resource(to_terraform(make(), zone_catalog(), region="cn-north-4"))
    assert set(attributes) <= PROVIDER_ARGUMENTS, set(attributes) - PROVIDER_ARGUMENTS
    assert {"name", "engine_version", "flavor_id", "storage_space", "availability_zones"} <= set(attributes)


def test_terraform_values_read_back_equal_the_request() -> None:
    request = full()
    attributes = _resource(to_terraform(request, zone_catalog()))
    body = request.to_api_body()
    assert attributes["storage_space"] == body["storage_space"]
    assert attributes["broker_num"] == body["broker_num"]
    assert attributes["flavor_id"] == f'"{body["product_id"]}"'
    assert attributes["availability_zones"] == ['"cn-north-4a"', '"cn-north-4b"', '"cn-north-4c"']
    assert attributes["period"] == 3 and attributes["period_unit"] == '"month"'


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_any_description_is_one_valid_hcl_string(text: str) -> None:
    parsed = hcl2.loads(f"x = {hcl_string(text)}\n")
    assert parsed["x"] == hcl_string(text)


HCLOUD_FULL = """\
hcloud RocketMQ CreateInstanceByEngine \\
  --cli-region=cn-north-4 \\
  --engine=reliability \\
  --project_id=0123abcd \\
  --name=Billing-Queue_2 \\
  --description='Team "pay" ${x} %{y} \\ it'"'"'s
line two' \\
  --engine_version=4.8.0 \\
  --storage_space=1200 \\
  --vpc_id=vpc-1 \\
  --subnet_id=subnet-1 \\
  --security_group_id=sg-1 \\
  --available_zones.1=0e1a \\
  --available_zones.2=0e1b \\
  --available_zones.3=0e1c \\
  --product_id=c6.8u16g.cluster \\
  --ssl_enable=true \\
  --storage_spec_code=dms.physical.storage.high.v2 \\
  --enterprise_project_id=ep-1 \\
  --enable_acl=false \\
  --enable_publicip=true \\
  --publicip_id=e1,e2,e3,e4,e5,e6 \\
  --broker_num=2 \\
  --bss_param.is_auto_renew=true \\
  --bss_param.charging_mode=prePaid \\
  --bss_param.is_auto_pay=false \\
  --bss_param.period_type=month \\
  --bss_param.period_num=3
"""


def test_hcloud_full_command() -> None:
    assert to_hcloud(full(), ExportTarget(region="cn-north-4", project_id="0123abcd")) == HCLOUD_FULL


def test_hcloud_leaves_region_and_project_to_the_profile_when_unknown() -> None:
    assert to_hcloud(minimal()) == (
        "# KooCLI takes the region and project ID not given here from its current profile.\n"
        "hcloud RocketMQ CreateInstanceByEngine \\\n"
        "  --engine=reliability \\\n"
        "  --name=orders-mq \\\n"
        "  --engine_version=4.8.0 \\\n"
        "  --storage_space=300 \\\n"
        "  --vpc_id=vpc-1 \\\n"
        "  --subnet_id=subnet-1 \\\n"
        "  --security_group_id=sg-1 \\\n"
        "  --available_zones.1=0e1a \\\n"
        "  --product_id=c6.4u8g.cluster \\\n"
        "  --storage_spec_code=dms.physical.storage.high.v2 \\\n"
        "  --broker_num=1\n"
    )


def test_hcloud_arguments_split_by_the_shell_as_intended() -> None:
    import shlex

    words = shlex.split(to_hcloud(full(), ExportTarget(region="r", project_id="p")).replace("\\\n", " "))
    assert words[:3] == ["hcloud", "RocketMQ", "CreateInstanceByEngine"]
    assert "--description=" + full().to_api_body()["description"] in words


def test_render_refuses_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        render("yaml", minimal())
