"""Render a validated create request in the forms other tools take: JSON, curl, Terraform, KooCLI.

Pure functions of a `CreateInstanceRequest` (already validated) plus, for Terraform, an optional
`Catalog` that maps AZ IDs to the AZ codes the provider wants. Nothing here reads the network, the
environment or a secret: where a command needs a token, a region or a project ID it does not know, it
names a shell variable instead (`$HUAWEICLOUD_SDK_AUTH_TOKEN`, `$HUAWEICLOUD_SDK_PROJECT_ID`,
`$HUAWEICLOUD_SDK_REGION`), so an export can be pasted into a ticket without leaking anything.

What is certain and what is not:
- JSON is exactly `to_api_body()`.
- curl calls the route the client would use (`wizard.create_route`: `v2`, the default,
  `POST /v2/reliability/{project_id}/instances`; `v1` `POST /v1.0/{project_id}/instances`) with IAM token
  authentication (`X-Auth-Token`); AK/SK signing cannot be done by curl alone.
- Terraform: attribute names, the `flavor_id` / `availability_zones` (AZ codes) / `charging_mode` /
  `period_unit` / `period` / `auto_renew` (a string) mapping follow the provider's documentation of
  `huaweicloud_dms_rocketmq_instance`. The provider always auto-pays prePaid orders and has no `engine`
  or `is_auto_pay` argument; a request that says otherwise gets a comment.
- KooCLI: the operation is `CreateInstanceByEngine` (the v2 route, the only one taking `bss_param`);
  parameters use KooCLI's documented conventions (`--cli-region`, path parameters by name, body fields
  by dotted path, arrays 1-based as `--available_zones.1=`). The service name `RocketMQ` and the
  operation name follow API Explorer's naming and have not been checked against a live KooCLI: run the
  printed command with `--dryrun` first. Without `--cli-region`/`--project_id` KooCLI takes them from
  the current profile, so they are left out when unknown.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wizard.catalog import YEARLY_MONTHLY, Catalog
from wizard.create_route import DEFAULT_ROUTE, ApiRoute, body_for_route
from wizard.create_route import create_path as route_path
from wizard.model import CreateInstanceRequest

FORMATS = ("json", "curl", "terraform", "hcloud")

TOKEN_VARIABLE = "HUAWEICLOUD_SDK_AUTH_TOKEN"  # noqa: S105 (a variable name, not a secret)
"""The shell variable the curl export reads the IAM token from."""
PROJECT_VARIABLE = "HUAWEICLOUD_SDK_PROJECT_ID"
"""The shell variable standing in for an unknown project ID (the SDK's own name for it)."""
REGION_VARIABLE = "HUAWEICLOUD_SDK_REGION"
"""The shell variable standing in for an unknown region."""

TERRAFORM_RESOURCE = "huaweicloud_dms_rocketmq_instance"


@dataclass(frozen=True)
class ExportTarget:
    """Where the exported call would go; anything left None becomes a placeholder or is left out."""

    region: str | None = None
    project_id: str | None = None
    endpoint: str | None = None
    """The DMS base URL (e.g. `https://dms.cn-north-4.myhuaweicloud.com`)."""
    api_route: ApiRoute = DEFAULT_ROUTE


def render(
    fmt: str,
    request: CreateInstanceRequest,
    *,
    catalog: Catalog | None = None,
    target: ExportTarget | None = None,
) -> str:
    """The request in format `fmt` (one of FORMATS), ending in a newline."""
    target = target or ExportTarget()
    if fmt == "json":
        return to_json(request)
    if fmt == "curl":
        return to_curl(request, target)
    if fmt == "terraform":
        return to_terraform(request, catalog, region=target.region)
    if fmt == "hcloud":
        return to_hcloud(request, target)
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


# --- JSON ---------------------------------------------------------------------------------------


def to_json(request: CreateInstanceRequest) -> str:
    """The exact request body, indented."""
    return json.dumps(request.to_api_body(), indent=2, ensure_ascii=False) + "\n"


# --- curl ---------------------------------------------------------------------------------------


def _in_double_quotes(value: str | None, variable: str) -> str:
    """Text for inside a double-quoted shell word: the value escaped, or a reference to `variable`."""
    if value is None:
        return "${" + variable + "}"
    return re.sub(r'([\\"$`])', r"\\\1", value)


def dms_base_url(target: ExportTarget) -> str:
    """The DMS base URL for the target, with a region placeholder when the region is unknown."""
    if target.endpoint:
        return _in_double_quotes(target.endpoint.rstrip("/"), "")
    region = _in_double_quotes(target.region, REGION_VARIABLE)
    # eu-west-101 is served under the .eu top-level domain (api-facts §3).
    domain = "myhuaweicloud.eu" if target.region == "eu-west-101" else "myhuaweicloud.com"
    return f"https://dms.{region}.{domain}"


def create_path(target: ExportTarget) -> str:
    """The create route's path for the target's API route."""
    return route_path(target.api_route, _in_double_quotes(target.project_id, PROJECT_VARIABLE))


def to_curl(request: CreateInstanceRequest, target: ExportTarget | None = None) -> str:
    """A curl command sending the body with an IAM token taken from `$HUAWEICLOUD_SDK_AUTH_TOKEN`."""
    target = target or ExportTarget()
    url = dms_base_url(target) + create_path(target)
    needs = [(TOKEN_VARIABLE, "an IAM token (the X-Subject-Token header of IAM's POST /v3/auth/tokens)")]
    if target.project_id is None:
        needs.append((PROJECT_VARIABLE, "the project ID"))
    if target.endpoint is None and target.region is None:
        needs.append((REGION_VARIABLE, "the region, e.g. cn-north-4"))
    width = max(len(name) for name, _ in needs)
    body = json.dumps(body_for_route(target.api_route, request.to_api_body()), indent=2, ensure_ascii=False)
    lines = [
        "# Creates the instance. Set these shell variables first:",
        *(f"#   {name.ljust(width)}  {meaning}" for name, meaning in needs),
        f'curl -sS -X POST "{url}" \\',
        '  -H "Content-Type: application/json" \\',
        f'  -H "X-Auth-Token: ${{{TOKEN_VARIABLE}}}" \\',
        "  --data-binary @- <<'JSON'",
        body,
        "JSON",
    ]
    return "\n".join(lines) + "\n"


# --- Terraform ----------------------------------------------------------------------------------


def hcl_string(value: str) -> str:
    """A double-quoted HCL string literal; template sequences (`${`, `%{`) are escaped so they stay text."""
    out = ['"']
    for ch in value:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    # `\u0024{` and `\u0025{` are literal text to HCL's scanner; the usual `$${` escape is equally valid
    # but python-hcl2 (our test parser) rejects it when no `}` follows.
    return "".join(out).replace("${", "\\u0024{").replace("%{", "\\u0025{")


def _hcl_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return hcl_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_hcl_value(item) for item in value) + "]"
    raise TypeError(f"no HCL form for {type(value).__name__}")


def resource_label(name: str) -> str:
    """A Terraform resource label from an instance name (lower case, `_` for `-`)."""
    label = re.sub(r"[^A-Za-z0-9_]", "_", name).lower()
    return label if label[:1].isalpha() else f"rocketmq_{label}"


def zone_codes(zone_ids: Sequence[str], catalog: Catalog | None) -> tuple[list[str], list[str]]:
    """The AZ codes for `zone_ids` (an ID the catalog cannot map is kept as it is) and the unmapped IDs."""
    codes: list[str] = []
    unmapped: list[str] = []
    for zone_id in zone_ids:
        zone = catalog.zone(zone_id) if catalog is not None else None
        if zone is not None and zone.code:
            codes.append(zone.code)
        else:
            codes.append(zone_id)
            unmapped.append(zone_id)
    return codes, unmapped


def _block(groups: Sequence[Sequence[tuple[str, str] | str]]) -> list[str]:
    """Attribute lines aligned on `=` within each group (as `terraform fmt` does); str items are comments."""
    lines: list[str] = []
    for group in groups:
        if not group:
            continue
        if lines:
            lines.append("")
        width = max((len(item[0]) for item in group if isinstance(item, tuple)), default=0)
        for item in group:
            if isinstance(item, str):
                lines.append(f"  # {item}")
            else:
                lines.append(f"  {item[0].ljust(width)} = {item[1]}")
    return lines


def to_terraform(request: CreateInstanceRequest, catalog: Catalog | None = None, *, region: str | None = None) -> str:
    """A `huaweicloud_dms_rocketmq_instance` resource creating the same instance."""
    body: Mapping[str, Any] = request.to_api_body()
    main: list[tuple[str, str] | str] = []
    if region:
        main.append(("region", hcl_string(region)))
    main.append(("name", hcl_string(body["name"])))
    if "description" in body:
        main.append(("description", hcl_string(body["description"])))
    main += [
        ("engine_version", hcl_string(body["engine_version"])),
        ("flavor_id", hcl_string(body["product_id"])),
        ("broker_num", _hcl_value(body["broker_num"])),
        ("storage_spec_code", hcl_string(body["storage_spec_code"])),
        ("storage_space", _hcl_value(body["storage_space"])),
    ]
    if "enterprise_project_id" in body:
        main.append(("enterprise_project_id", hcl_string(body["enterprise_project_id"])))

    codes, unmapped = zone_codes(body["available_zones"], catalog)
    network: list[tuple[str, str] | str] = [
        ("vpc_id", hcl_string(body["vpc_id"])),
        ("subnet_id", hcl_string(body["subnet_id"])),
        ("security_group_id", hcl_string(body["security_group_id"])),
    ]
    if unmapped:
        network += [
            "The provider takes AZ codes (e.g. cn-north-4a), not IDs, and silently drops values it",
            f"does not know. No AZ list could map these IDs: {', '.join(unmapped)}. Replace them with codes.",
        ]
    network.append(("availability_zones", _hcl_value(codes)))

    access: list[tuple[str, str] | str] = [
        (key, _hcl_value(body[key]))
        for key in ("ssl_enable", "enable_acl", "ipv6_enable", "enable_publicip", "publicip_id")
        if key in body
    ]

    billing: list[tuple[str, str] | str] = []
    bss: Mapping[str, Any] = body.get("bss_param", {})
    if bss:
        if bss.get("charging_mode") == YEARLY_MONTHLY and bss.get("is_auto_pay") is False:
            billing.append("The provider always pays prePaid orders at once: is_auto_pay false cannot be kept.")
        billing.append(("charging_mode", hcl_string(bss["charging_mode"])))
        if "period_type" in bss:
            billing.append(("period_unit", hcl_string(bss["period_type"])))
        if "period_num" in bss:
            billing.append(("period", _hcl_value(bss["period_num"])))
        if "is_auto_renew" in bss:
            billing.append(("auto_renew", hcl_string("true" if bss["is_auto_renew"] else "false")))

    label = resource_label(body["name"])
    lines = [
        "# Generated by rocketmq-wizard from a validated request.",
        f'resource "{TERRAFORM_RESOURCE}" "{label}" {{',
        *_block([main, network, access, billing]),
        "}",
    ]
    return "\n".join(lines) + "\n"


# --- KooCLI (hcloud) ----------------------------------------------------------------------------


def _hcloud_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def hcloud_parameters(request: CreateInstanceRequest) -> list[tuple[str, str]]:
    """The body as KooCLI parameters: dotted paths for nested fields, 1-based indexes for arrays."""
    params: list[tuple[str, str]] = []

    def flatten(prefix: str, value: object) -> None:
        if isinstance(value, Mapping):
            for key, item in value.items():
                flatten(f"{prefix}.{key}" if prefix else str(key), item)
        elif isinstance(value, list):
            for index, item in enumerate(value, start=1):
                flatten(f"{prefix}.{index}", item)
        else:
            params.append((prefix, _hcloud_value(value)))

    flatten("", request.to_api_body())
    return params


def to_hcloud(request: CreateInstanceRequest, target: ExportTarget | None = None) -> str:
    """The equivalent KooCLI command (`hcloud RocketMQ CreateInstanceByEngine ...`)."""
    target = target or ExportTarget()
    args: list[tuple[str, str]] = []
    if target.region is not None:
        args.append(("cli-region", target.region))
    body = request.to_api_body()
    args.append(("engine", body["engine"]))
    if target.project_id is not None:
        args.append(("project_id", target.project_id))
    args += [(key, value) for key, value in hcloud_parameters(request) if key != "engine"]
    lines = ["hcloud RocketMQ CreateInstanceByEngine"]
    lines += [f"  --{key}={shlex.quote(value)}" for key, value in args]
    command = " \\\n".join(lines) + "\n"
    if target.region is None or target.project_id is None:
        return "# KooCLI takes the region and project ID not given here from its current profile.\n" + command
    return command
