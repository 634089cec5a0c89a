"""SDK-HMAC-SHA256 signing reproduces the vendor SDK byte for byte, and the checker refuses what it should."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wizard.signing import (
    AkSkAuth,
    TokenAuth,
    canonical_request,
    sign,
    signed_header_names,
    string_to_sign,
    verify_request,
)

# Produced by the vendor's own Python SDK (huaweicloudsdkcore 3.1.219), not by our signer; see its "description".
VECTOR_FILE = Path(__file__).resolve().parents[1] / "data" / "sdk-hmac-sha256.json"
VECTORS: list[dict[str, Any]] = json.loads(VECTOR_FILE.read_text("utf-8"))["vectors"]
FROZEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
SIGNING_HEADERS = {"authorization", "host", "x-project-id", "x-security-token"}


def _request_for(vector: dict[str, Any]) -> tuple[httpx.Request, AkSkAuth]:
    """The request as our client would hand it to the signer, before any signing header exists."""
    given, expected = vector["input"], vector["expected"]
    creds = given["credentials"]
    if vector["kind"] == "signer":
        url = f"{given['scheme']}://{given['host']}{given['resource_path']}"
        params = [(key, str(value)) for key, value in given["query_params"]]
        headers = dict(given["headers"])
        method, body = given["method"], given["body"].encode("utf-8")
    else:
        parts = urlsplit(expected["url"])
        url = f"{parts.scheme}://{parts.netloc}{parts.path}"
        # Reversed, so the test proves the signer sorts the query itself.
        params = list(reversed(parse_qsl(parts.query, keep_blank_values=True)))
        headers = {
            name: value
            for name, value in expected["headers"].items()
            if name.lower() not in SIGNING_HEADERS and name.lower() != "x-sdk-date"
        }
        method, body = expected["method"], expected["body"].encode("utf-8")
    request = httpx.Request(method, url, params=tuple(params), headers=headers, content=body or None)
    auth = AkSkAuth(creds["ak"], creds["sk"], creds["project_id"], creds["security_token"], clock=lambda: FROZEN)
    return request, auth


@pytest.mark.parametrize("vector", VECTORS, ids=[v["id"] for v in VECTORS])
def test_signing_reproduces_sdk_vector(vector: dict[str, Any]) -> None:
    expected = vector["expected"]
    request, auth = _request_for(vector)
    auth.sign_request(request)

    assert str(request.url) == expected["url"]
    assert request.headers["authorization"] == expected["authorization"]
    for name, value in expected["headers"].items():
        assert request.headers[name] == value, name
    names = signed_header_names(request.headers)
    assert ";".join(names) == expected["signed_headers"]
    canonical = canonical_request(
        request.method, request.url.path, request.url.query.decode(), request.headers, names, request.content
    )
    assert canonical == expected["canonical_request"]
    sts = string_to_sign(canonical, request.headers["x-sdk-date"])
    assert sts == expected["string_to_sign"]
    assert sign(vector["input"]["credentials"]["sk"], sts) == expected["signature"]
    if "body" in expected:
        assert request.content == expected["body"].encode("utf-8")


def test_there_are_six_vectors() -> None:
    assert len(VECTORS) == 6


async def test_url_on_the_wire_is_the_signed_one() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    auth = AkSkAuth("AK", "SK", "proj", clock=lambda: FROZEN)
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler), auth=auth) as client:
        await client.get("https://dms.example/v2/x", params={"name": "a b+c", "limit": "5"})
    wire = seen[0]
    assert wire.url.query == b"limit=5&name=a%20b%2Bc"
    reason = verify_request(
        wire.method,
        wire.url.raw_path.split(b"?")[0].decode(),
        wire.url.query.decode(),
        wire.headers,
        wire.content,
        {"AK": "SK"}.get,
        FROZEN,
    )
    assert reason is None


def _signed(body: bytes = b'{"a": 1}', *, when: datetime = FROZEN, token: str | None = None) -> httpx.Request:
    request = httpx.Request(
        "POST",
        "http://127.0.0.1:8080/v1.0/proj/instances",
        params={"q": "1"},
        headers={"Content-Type": "application/json"},
        content=body,
    )
    AkSkAuth("AK", "SK", "proj", security_token=token, clock=lambda: when).sign_request(request)
    return request


def _verify(request: httpx.Request, *, now: datetime = FROZEN, body: bytes | None = None) -> str | None:
    return verify_request(
        request.method,
        request.url.path,
        request.url.query.decode(),
        request.headers,
        request.content if body is None else body,
        {"AK": "SK"}.get,
        now,
    )


def test_verify_accepts_a_good_signature_with_a_security_token() -> None:
    assert _verify(_signed(token="tok")) is None


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda r: r.headers.pop("authorization"), "missing header Authorization"),
        (lambda r: r.headers.pop("x-sdk-date"), "missing header X-Sdk-Date"),
        (lambda r: r.headers.__setitem__("authorization", "Basic abc"), "malformed Authorization header"),
        (lambda r: r.headers.__setitem__("x-project-id", "other"), "bad signature"),
        (lambda r: r.headers.__setitem__("x-sdk-date", "yesterday"), "malformed X-Sdk-Date"),
        (
            lambda r: r.headers.__setitem__("authorization", r.headers["authorization"].replace("=AK", "=X")),
            "unknown access key",
        ),
    ],
)
def test_verify_refuses_tampered_requests(tamper: Any, reason: str) -> None:
    request = _signed()
    tamper(request)
    assert _verify(request) == reason


def test_verify_refuses_a_changed_body() -> None:
    assert _verify(_signed(), body=b'{"a": 2}') == "bad signature"


def test_verify_refuses_a_stale_date_and_accepts_small_skew() -> None:
    request = _signed()
    assert _verify(request, now=FROZEN + timedelta(minutes=16)) == "stale X-Sdk-Date (clock skew too large)"
    assert _verify(request, now=FROZEN - timedelta(minutes=14)) is None


def test_verify_refuses_a_signed_header_that_is_missing() -> None:
    request = _signed(token="tok")
    del request.headers["x-security-token"]
    assert _verify(request) == "missing signed header x-security-token"


def test_non_json_payload_is_sent_unsigned_as_the_sdk_does() -> None:
    request = httpx.Request("PUT", "https://h/x", headers={"Content-Type": "text/plain"}, content=b"hi")
    AkSkAuth("AK", "SK", clock=lambda: FROZEN).sign_request(request)
    assert request.headers["x-sdk-content-sha256"] == "UNSIGNED-PAYLOAD"
    assert _verify(request, body=b"anything") is None


def test_reprs_never_show_secrets() -> None:
    assert "SECRETKEY" not in repr(AkSkAuth("AK", "SECRETKEY", security_token="SECRETTOKEN"))
    assert "SECRETTOKEN" not in repr(AkSkAuth("AK", "SECRETKEY", security_token="SECRETTOKEN"))
    assert "SECRETTOKEN" not in repr(TokenAuth("SECRETTOKEN"))


def test_token_auth_sends_x_auth_token() -> None:
    request = httpx.Request("GET", "https://h/x")
    flow = TokenAuth("tok", "proj").auth_flow(request)
    sent = next(flow)
    assert sent.headers["x-auth-token"] == "tok"
    assert sent.headers["x-project-id"] == "proj"
    assert "authorization" not in sent.headers


_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12)


@settings(max_examples=100, deadline=None)
@given(
    query=st.lists(st.tuples(_TEXT.filter(bool), _TEXT), max_size=5),
    segment=_TEXT.filter(lambda s: s not in ("", ".", "..")),
    body=st.binary(max_size=64),
)
def test_any_request_signed_by_us_verifies_as_sent(query: list[tuple[str, str]], segment: str, body: bytes) -> None:
    """Whatever the query and path hold, the URL that goes on the wire is the one that was signed."""
    # The client percent-encodes every ID it puts in a path, as here.
    url = httpx.URL(f"https://dms.example.com/v2/p/{quote(segment, safe='')}")
    request = httpx.Request(
        "POST", url, params=tuple(query), headers={"Content-Type": "application/json"}, content=body
    )
    AkSkAuth("AK", "SK", "proj", clock=lambda: FROZEN).sign_request(request)
    wire = httpx.Request(request.method, str(request.url), headers=request.headers, content=body)
    assert _verify(wire) is None
