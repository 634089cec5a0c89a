"""The create call's rules as the server enforces them, answered with the vendor's error codes.

Every rule of the request model is checked again here (through `wizard.validation.check_request`, with
the sandbox's own catalog), so a check the client forgot shows up as a server error, as it would in the
cloud. The first problem found decides the answer, as the vendor's API reports one error at a time.
The checks only a server can make (IDs exist and belong together, EIPs unbound, name unique, quota) are
in `wizard.sandbox.state`, under its lock.

Stricter than the cloud on purpose: a body key that neither the wizard's model nor the vendor's create
models know is refused (DMS.00400800, with a "did you mean" hint) where the cloud may silently ignore it,
so a misspelt field never goes unnoticed. Fields the vendor takes but the wizard does not offer
(`VENDOR_ONLY_FIELDS`) are accepted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wizard.catalog import Catalog
from wizard.validation import Issue, check_request

ENGINES = ("reliability", "rocketmq")
"""Engine names the API accepts in paths and bodies (`rocketmq` is an alias of `reliability`)."""

VENDOR_ONLY_FIELDS = frozenset(
    {
        "arch_type",
        "tls_mode",
        "proxy_enable",
        "disk_encrypted_enable",
        "disk_encrypted_key",
        "ipv6_broker_address",
        "ipv6_namesrv_address",
    }
)
"""Create-body fields the vendor takes that the wizard's model does not offer; accepted and ignored."""

# The vendor's codes and messages (api-hrm error code table).
EMPTY_BODY = ("DMS.00400004", "The request body is empty.")
NOT_JSON = ("DMS.00400005", "The request body is not in valid JSON format.")
BAD_ENGINE = ("DMS.00400007", "Unsupported instance type.")
BAD_VERSION = ("DMS.00400008", "Unsupported engine version.")
BAD_PRODUCT = ("DMS.00400009", "Invalid product_id.")
BAD_NAME = ("DMS.00400010", "Invalid instance name.")
LONG_DESCRIPTION = ("DMS.00400011", "The description is too long.")
EMPTY_VPC = ("DMS.00400013", "vpc_id cannot be empty.")
BAD_STATE = ("DMS.00400026", "This operation is not allowed in the instance's current state.")
QUOTA_EXCEEDED = ("DMS.00400039", "Insufficient quota: the instance quota has been used up.")
UNKNOWN_AZ = ("DMS.00400042", "The AZ does not exist.")
SOLD_OUT = ("DMS.00400055", "The resources are sold out.")
NAME_TAKEN = ("DMS.00400060", "The instance name already exists.")
INVALID_PARAMETER = ("DMS.00400800", "Invalid request parameter.")
BAD_PROJECT = ("DMS.00400002", "Invalid project ID.")
NOT_FOUND = ("DMS.00404022", "The instance does not exist.")


@dataclass
class VendorError(Exception):
    """An error answer in the vendor's shape: `{"error_code": ..., "error_msg": ...}` with a status."""

    http_status: int
    code: str
    message: str
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__(f"{self.code}: {self.message}")

    def body(self) -> dict[str, str]:
        """The JSON body of the answer."""
        return {"error_code": self.code, "error_msg": self.message}


def refuse(kind: tuple[str, str], detail: str = "", http_status: int = 400) -> VendorError:
    """A VendorError for one of the codes above, with what exactly was wrong after the vendor's words."""
    code, message = kind
    return VendorError(http_status, code, f"{message} {detail}".strip())


def parse_body(raw: bytes) -> dict[str, Any]:
    """The create body as a JSON object; raises VendorError .00400004 (empty) or .00400005 (not JSON)."""
    if not raw.strip():
        raise refuse(EMPTY_BODY)
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise refuse(NOT_JSON, f"({exc})") from None
    except RecursionError:
        raise refuse(NOT_JSON, "(it nests too deeply)") from None
    except ValueError as exc:  # e.g. a number of more than 4300 digits
        raise refuse(NOT_JSON, f"({exc})") from None
    if not isinstance(data, dict):
        raise refuse(NOT_JSON, "(the body must be a JSON object)")
    return data


BY_ENGINE_REQUIRED = ("engine", "engine_version")
"""Body fields CreateInstanceByEngineReq requires that the wizard's model could fill in by default."""


def check_post_paid_body(body: Mapping[str, Any]) -> None:
    """The v1 route and `/v2/{project_id}/instances` have no `bss_param` (CreatePostPaidInstanceReq).

    The cloud's answer to a field its model lacks is not documented; the sandbox refuses it (as it refuses
    every unknown field), because a prePaid order silently created pay-per-use is the worst outcome.
    """
    if "bss_param" in body:
        raise refuse(
            INVALID_PARAMETER,
            "bss_param is not a parameter of this API (it creates pay-per-use instances only); "
            "create yearly/monthly instances with POST /v2/{engine}/{project_id}/instances.",
        )


def check_by_engine_body(body: Mapping[str, Any]) -> None:
    """CreateInstanceByEngineReq requires `engine` and `engine_version` in the body; nothing fills them in."""
    for key in BY_ENGINE_REQUIRED:
        if key not in body:
            raise refuse(INVALID_PARAMETER, f"{key} is required.")


def check_five_x_only(body: Mapping[str, Any]) -> None:
    """`POST /v2/{project_id}/rocketmq/instances` is documented as creating 5.x instances only."""
    if body.get("engine_version") != "5.x":
        raise refuse(BAD_VERSION, f"This API creates 5.x instances only (got {body.get('engine_version')!r}).")


def model_view(body: Mapping[str, Any]) -> dict[str, Any]:
    """The body as the wizard's model sees it: vendor-only fields dropped, the engine alias resolved."""
    view = {key: value for key, value in body.items() if key not in VENDOR_ONLY_FIELDS}
    if view.get("engine") == "rocketmq":
        view["engine"] = "reliability"
    return view


def check_create_body(body: Mapping[str, Any], catalog: Catalog) -> dict[str, Any]:
    """Check every rule of the request model; returns the model's view of the body, or raises VendorError."""
    view = model_view(body)
    issues = check_request(view, catalog)
    if issues:
        raise vendor_error_for(issues[0], view, catalog)
    return view


def vendor_error_for(issue: Issue, body: Mapping[str, Any], catalog: Catalog) -> VendorError:
    """The vendor's error for one problem the request model found."""
    top = issue.field.split(".", 1)[0]
    detail = issue.message
    if top == "name":
        return refuse(BAD_NAME, detail)
    if top == "description":
        return refuse(LONG_DESCRIPTION, detail)
    if top == "engine":
        return refuse(BAD_ENGINE, detail)
    if top == "engine_version":
        return refuse(BAD_VERSION, detail)
    if top == "vpc_id":
        value = body.get("vpc_id")
        if not isinstance(value, str) or not value.strip():
            return refuse(EMPTY_VPC, detail)
        return refuse(INVALID_PARAMETER, detail)
    if top == "available_zones":
        return _zone_error(body.get("available_zones"), catalog, detail)
    if top in ("product_id", "storage_spec_code"):
        return _offer_error(top, body, catalog, detail)
    return refuse(INVALID_PARAMETER, detail)


def _zone_error(zones: object, catalog: Catalog, detail: str) -> VendorError:
    if isinstance(zones, list) and all(isinstance(z, str) for z in zones):
        if any(z.strip() and catalog.zone(z) is None for z in zones):
            return refuse(UNKNOWN_AZ, detail)
        if any((zone := catalog.zone(z)) is not None and zone.sold_out for z in zones):
            return refuse(SOLD_OUT, detail)
    return refuse(INVALID_PARAMETER, detail)


def _offer_error(top: str, body: Mapping[str, Any], catalog: Catalog, detail: str) -> VendorError:
    product = body.get("product_id")
    flavor = catalog.flavor(product) if isinstance(product, str) else None
    if flavor is None:
        return refuse(BAD_PRODUCT, detail) if top == "product_id" else refuse(INVALID_PARAMETER, detail)
    spec = body.get("storage_spec_code") if top == "storage_spec_code" else None
    if spec is not None and (not isinstance(spec, str) or flavor.storage_offer(spec) is None):
        return refuse(INVALID_PARAMETER, detail)
    zones = body.get("available_zones")
    known_zones = isinstance(zones, list) and all(isinstance(z, str) and catalog.zone(z) for z in zones)
    if known_zones and not flavor.sold_in(zones, spec):  # type: ignore[arg-type]
        return refuse(SOLD_OUT, detail)
    return refuse(INVALID_PARAMETER, detail)
