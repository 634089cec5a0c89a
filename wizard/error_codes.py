"""Vendor error bodies turned into one typed error, and known codes mapped to the step and field to fix.

The API answers errors as `{"error_code", "error_msg"}`; the SDK also accepts `errorCode/errorMsg` and
`code/message`, IAM nests them under `"error"`, and the API gateway's own errors start with `APIG.`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from wizard.errors import ApiError, FieldHint
from wizard.fields import DESCRIPTION_MAX, NAME_MAX, NAME_MIN

#: Gateway code for "throttling threshold reached": the call was refused before reaching the service.
THROTTLED = "APIG.0308"
NOT_FOUND = "DMS.00404022"

_MAX_TEXT = 300

#: Known codes → where the user fixes it. An empty field means no single field (e.g. the account's quota).
KNOWN_HINTS: Mapping[str, FieldHint] = {
    "DMS.00400060": FieldHint("basics", "name", "That name is taken: an instance with this name already exists."),
    "DMS.00400010": FieldHint(
        "basics",
        "name",
        f"The instance name is not valid: start with a letter; {NAME_MIN}-{NAME_MAX} letters, digits, _ or -.",
    ),
    "DMS.00400011": FieldHint(
        "basics", "description", f"The description is too long (at most {DESCRIPTION_MAX} characters)."
    ),
    "DMS.00400039": FieldHint(
        "basics",
        "",
        "The account's RocketMQ instance quota is used up: delete an instance you no longer need or ask "
        "for a higher quota.",
    ),
    "DMS.00400055": FieldHint(
        "network",
        "available_zones",
        "The chosen flavor or disk type is sold out in these availability zones: choose other AZs "
        "(or another flavor or disk type).",
    ),
    "DMS.00400042": FieldHint("network", "available_zones", "An availability zone does not exist: choose AZs again."),
    "DMS.00400067": FieldHint("network", "available_zones", "Choose exactly one availability zone here."),
    "DMS.00400013": FieldHint("network", "vpc_id", "Choose a VPC."),
    "DMS.00400009": FieldHint("flavor", "product_id", "The flavor is not valid here: choose another flavor."),
    "DMS.00400008": FieldHint("flavor", "engine_version", "That engine version is not supported."),
    "DMS.00400007": FieldHint("flavor", "engine", "That engine type is not supported."),
}

#: Codes that are not about a field but deserve plain advice.
KNOWN_ADVICE: Mapping[str, str] = {
    "DMS.00400002": "The project ID is not valid for this region: check --project-id or HUAWEICLOUD_SDK_PROJECT_ID.",
    THROTTLED: "The API is throttling requests: wait a few seconds and try again.",
    "APIG.0301": "The credentials were refused: check the access key, secret key and security token.",
    "APIG.0303": "The credentials were refused: check the access key, secret key and security token.",
    "APIG.0101": "The API was not found at this endpoint: check the region or --endpoint.",
    "APIG.1002": "The credentials were refused: check the access key, secret key and security token.",
}


def hint_for(code: str) -> FieldHint | None:
    """Where the user fixes an error with this vendor code, if it is one we know."""
    return KNOWN_HINTS.get(code)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_error_body(body: bytes) -> tuple[str, str, str]:
    """The (code, message, request_id) an error body holds, whichever of the vendor's shapes it uses.

    Anything that is not one of them gives empty strings; never raises.
    """
    try:
        data: Any = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return "", "", ""
    if not isinstance(data, dict):
        return "", "", ""
    if isinstance(data.get("error"), dict):
        nested = data["error"]
        return _text(nested.get("code")), _text(nested.get("message")), _text(data.get("request_id"))
    for code_key, message_key in (("error_code", "error_msg"), ("errorCode", "errorMsg"), ("code", "message")):
        if code_key in data or message_key in data:
            code = data.get(code_key)
            return (
                str(code).strip() if isinstance(code, (str, int)) else "",
                _text(data.get(message_key)),
                _text(data.get("request_id")),
            )
    return "", "", ""


def api_error(status: int, body: bytes, headers: Mapping[str, str]) -> ApiError:
    """The typed error for an HTTP error answer: code, message, status, request ID and where to fix it."""
    code, message, body_request_id = parse_error_body(body)
    request_id = headers.get("x-request-id") or headers.get("X-Request-Id") or body_request_id
    if not message:
        message = KNOWN_ADVICE.get(code, "") or _fallback_message(status, body)
    elif code in KNOWN_ADVICE:
        message = f"{KNOWN_ADVICE[code]} ({message})"
    return ApiError(code=code, message=message, http_status=status, request_id=request_id, hint=hint_for(code))


def _fallback_message(status: int, body: bytes) -> str:
    text = body.decode("utf-8", errors="replace").strip()
    if len(text) > _MAX_TEXT:
        text = text[:_MAX_TEXT] + "…"
    reason = {401: "unauthorised", 403: "forbidden", 404: "not found", 429: "too many requests"}.get(status, "")
    head = f"HTTP {status}" + (f" {reason}" if reason else "")
    return f"{head}: {text}" if text else head


def is_throttled(status: int, code: str) -> bool:
    """True when the gateway refused the call for its rate (429 or APIG.0308)."""
    return status == 429 or code == THROTTLED
