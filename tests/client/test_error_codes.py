"""Every shape of vendor error becomes one ApiError with its code, message, status, request ID and fix."""

from __future__ import annotations

import json

import pytest

from wizard.error_codes import api_error, hint_for, parse_error_body


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        (
            {"error_code": "DMS.00400060", "error_msg": "Instance name already exists."},
            "DMS.00400060",
            "Instance name already exists.",
        ),
        ({"errorCode": "DMS.00400039", "errorMsg": "Quota exceeded"}, "DMS.00400039", "Quota exceeded"),
        ({"code": "DMS.00400009", "message": "Invalid product_id"}, "DMS.00400009", "Invalid product_id"),
        ({"error_code": "APIG.0308", "error_msg": "throttled", "request_id": "r1"}, "APIG.0308", "throttled"),
        ({"error": {"code": "IAM.0001", "message": "bad token", "title": "Unauthorized"}}, "IAM.0001", "bad token"),
        ({"code": 400, "message": "numeric code"}, "400", "numeric code"),
        ({"something": "else"}, "", ""),
        ([1, 2], "", ""),
    ],
)
def test_error_shapes_are_parsed(body: object, code: str, message: str) -> None:
    parsed = parse_error_body(json.dumps(body).encode())
    assert parsed[:2] == (code, message)


@pytest.mark.parametrize("raw", [b"", b"<html>502 Bad Gateway</html>", b"\xff\xfe", b"null"])
def test_non_json_bodies_never_raise(raw: bytes) -> None:
    assert parse_error_body(raw) == ("", "", "")
    error = api_error(502, raw, {})
    assert error.http_status == 502
    assert "HTTP 502" in str(error)


def test_request_id_comes_from_the_header_or_the_body() -> None:
    body = json.dumps({"error_code": "DMS.00400800", "error_msg": "bad", "request_id": "from-body"}).encode()
    assert api_error(400, body, {"x-request-id": "from-header"}).request_id == "from-header"
    assert api_error(400, body, {}).request_id == "from-body"


@pytest.mark.parametrize(
    ("code", "step", "field"),
    [
        ("DMS.00400060", "basics", "name"),
        ("DMS.00400010", "basics", "name"),
        ("DMS.00400011", "basics", "description"),
        ("DMS.00400039", "basics", ""),
        ("DMS.00400055", "network", "available_zones"),
        ("DMS.00400042", "network", "available_zones"),
        ("DMS.00400067", "network", "available_zones"),
        ("DMS.00400013", "network", "vpc_id"),
        ("DMS.00400009", "flavor", "product_id"),
    ],
)
def test_known_codes_point_at_the_field_to_fix(code: str, step: str, field: str) -> None:
    hint = hint_for(code)
    assert hint is not None
    assert (hint.step, hint.field) == (step, field)
    error = api_error(
        400, json.dumps({"error_code": code, "error_msg": "vendor words"}).encode(), {"X-Request-Id": "rid"}
    )
    assert error.hint == hint
    assert error.code == code
    text = str(error)
    assert hint.advice in text and "vendor words" in text and code in text and "rid" in text


def test_taken_name_says_so() -> None:
    error = api_error(400, b'{"error_code":"DMS.00400060","error_msg":"exists"}', {})
    assert "name is taken" in str(error)


def test_unknown_code_keeps_the_vendor_message() -> None:
    error = api_error(400, b'{"error_code":"DMS.00499999","error_msg":"Something new"}', {})
    assert error.hint is None
    assert str(error).startswith("Something new")


def test_gateway_codes_get_plain_advice() -> None:
    error = api_error(401, b'{"error_code":"APIG.0301","error_msg":"Incorrect IAM authentication information"}', {})
    assert "credentials were refused" in error.message
    assert error.code == "APIG.0301"
