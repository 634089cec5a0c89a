"""Huawei Cloud API Gateway request signing (`SDK-HMAC-SHA256`), as the vendor's SDKs do it.

Signing side: `AkSkAuth` (an `httpx.Auth`) adds X-Project-Id, X-Security-Token, X-Sdk-Date, Host and
Authorization, and rewrites the query into its canonical form so the URL sent is the URL signed.
Checking side: `verify_request`, used by the sandbox to accept or refuse a request as the gateway would.
`TokenAuth` is the alternative IAM token mode (X-Auth-Token).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Generator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, quote, unquote

import httpx

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"

# Headers that transports and proxies add, drop or rewrite on the way: signing them would make a
# signature fail for reasons that have nothing to do with the request. The SDK never has them when it signs.
_UNSIGNED_HEADERS = frozenset(
    {
        "authorization",
        "connection",
        "content-length",
        "accept-encoding",
        "transfer-encoding",
        "keep-alive",
        "te",
        "upgrade",
        "expect",
        "proxy-authorization",
        "proxy-connection",
    }
)

_AUTHORIZATION_RE = re.compile(
    r"^SDK-HMAC-SHA256\s+Access=(?P<ak>[^,\s]+),\s*SignedHeaders=(?P<signed>[^,\s]+),\s*Signature=(?P<sig>[0-9a-fA-F]+)\s*$"
)


def _encode(value: str) -> str:
    return quote(value, safe="~")


def canonical_uri(path: str) -> str:
    """The path decoded, each segment re-encoded keeping only `~` unescaped, always ending with `/`."""
    segments = unquote(path).split("/")
    uri = "/".join(_encode(segment) for segment in segments)
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(query: Sequence[tuple[str, str]] | str) -> str:
    """Query pairs sorted by key then value, each part percent-encoded, joined with `&`.

    A string is parsed as a raw query string first (`+` reads as a space, as in form encoding).
    """
    pairs = parse_qsl(query, keep_blank_values=True) if isinstance(query, str) else list(query)
    # The SDK sorts the raw pairs, then encodes them (the order can differ from sorting encoded text).
    encoded = [(_encode(key), _encode(value)) for key, value in sorted(pairs)]
    return "&".join(f"{key}={value}" for key, value in encoded)


def _lower_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def body_hash(headers: Mapping[str, str], body: bytes) -> str:
    """The body's lower-hex SHA-256, or UNSIGNED-PAYLOAD when the request says its payload is unsigned."""
    if _lower_headers(headers).get("x-sdk-content-sha256", "") == UNSIGNED_PAYLOAD:
        return UNSIGNED_PAYLOAD
    return hashlib.sha256(body).hexdigest() if body else EMPTY_BODY_SHA256


def canonical_request(  # noqa: PLR0917 - the agreed interface (CONTRACTS.md) is positional
    method: str,
    path: str,
    query: list[tuple[str, str]] | str,
    headers: Mapping[str, str],
    signed_headers: Sequence[str],
    body: bytes,
) -> str:
    """The six newline-joined parts a signature covers: method, URI, query, headers, names, body hash."""
    lowered = _lower_headers(headers)
    names = [name.lower() for name in signed_headers]
    header_lines = "".join(f"{name}:{lowered.get(name, '').strip()}\n" for name in names)
    return "\n".join(
        [
            method.upper(),
            canonical_uri(path),
            canonical_query(query),
            header_lines,
            ";".join(names),
            body_hash(headers, body),
        ]
    )


def string_to_sign(canonical: str, sdk_date: str) -> str:
    """`SDK-HMAC-SHA256`, the X-Sdk-Date value and the canonical request's SHA-256, newline-joined."""
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{sdk_date}\n{digest}"


def sign(sk: str, string_to_sign: str) -> str:
    """Lower-hex HMAC-SHA256 of the string to sign, keyed with the raw secret key."""
    return hmac.new(sk.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def signed_header_names(headers: Mapping[str, str]) -> list[str]:
    """Every header name without an underscore, lower-cased and sorted, minus transport-level headers."""
    return sorted({name.lower() for name in headers if "_" not in name and name.lower() not in _UNSIGNED_HEADERS})


def _utc_now() -> datetime:
    return datetime.now(UTC)


class AkSkAuth(httpx.Auth):
    """Signs every request with an access key / secret key pair (`SDK-HMAC-SHA256`)."""

    requires_request_body = True

    def __init__(
        self,
        ak: str,
        sk: str,
        project_id: str | None = None,
        security_token: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.ak = ak
        self._sk = sk
        self.project_id = project_id
        self._security_token = security_token
        self._clock = clock or _utc_now

    def __repr__(self) -> str:
        return f"AkSkAuth(ak={self.ak!r}, project_id={self.project_id!r}, sk=<hidden>)"

    def sign_request(self, request: httpx.Request) -> None:
        """Add the credential headers, the date, Host and Authorization, and canonicalise the query."""
        headers = request.headers
        if "authorization" in headers:
            return
        if self.project_id:
            headers["X-Project-Id"] = self.project_id
        if self._security_token:
            headers["X-Security-Token"] = self._security_token
        content_type = headers.get("content-type")
        if content_type is not None and not content_type.startswith(("application/json", "application/bson")):
            headers["X-Sdk-Content-Sha256"] = UNSIGNED_PAYLOAD
        if "x-sdk-date" not in headers:
            headers["X-Sdk-Date"] = self._clock().astimezone(UTC).strftime(DATE_FORMAT)
        if "host" not in headers:
            headers["Host"] = request.url.netloc.decode("ascii")

        query = canonical_query(request.url.query.decode("ascii"))
        request.url = request.url.copy_with(query=query.encode("ascii") if query else None)

        names = signed_header_names(headers)
        canonical = canonical_request(request.method, request.url.path, query, headers, names, request.content)
        signature = sign(self._sk, string_to_sign(canonical, headers["x-sdk-date"]))
        headers["Authorization"] = (
            f"{ALGORITHM} Access={self.ak}, SignedHeaders={';'.join(names)}, Signature={signature}"
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.sign_request(request)
        yield request


class TokenAuth(httpx.Auth):
    """IAM token mode: every request carries X-Auth-Token (and X-Project-Id when known)."""

    def __init__(self, token: str, project_id: str | None = None) -> None:
        self._token = token
        self.project_id = project_id

    def __repr__(self) -> str:
        return f"TokenAuth(project_id={self.project_id!r}, token=<hidden>)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["X-Auth-Token"] = self._token
        if self.project_id:
            request.headers["X-Project-Id"] = self.project_id
        yield request


def verify_request(  # noqa: PLR0917 - the agreed interface (CONTRACTS.md) is positional
    method: str,
    path: str,
    query_string: str,
    headers: Mapping[str, str],
    body: bytes,
    secret_for: Callable[[str], str | None],
    now: datetime,
    max_skew: timedelta = timedelta(minutes=15),
) -> str | None:
    """Check a request's SDK-HMAC-SHA256 signature as the gateway would.

    Returns None when it is good, else a short reason: a missing header, an unknown AK, a stale date
    or a bad signature. `path` may be raw or decoded; `secret_for` maps an AK to its SK (None if unknown).
    """
    lowered = _lower_headers(headers)
    authorization = lowered.get("authorization")
    if not authorization:
        return "missing header Authorization"
    match = _AUTHORIZATION_RE.match(authorization.strip())
    if match is None:
        return "malformed Authorization header"
    sdk_date = lowered.get("x-sdk-date")
    if not sdk_date:
        return "missing header X-Sdk-Date"
    if "host" not in lowered:
        return "missing header Host"
    signed = match["signed"].lower().split(";")
    for required in ("host", "x-sdk-date"):
        if required not in signed:
            return f"header {required} is not signed"
    for name in signed:
        if name not in lowered:
            return f"missing signed header {name}"
    try:
        when = datetime.strptime(sdk_date, DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        return "malformed X-Sdk-Date"
    if abs(now.astimezone(UTC) - when) > max_skew:
        return "stale X-Sdk-Date (clock skew too large)"
    sk = secret_for(match["ak"])
    if sk is None:
        return "unknown access key"
    canonical = canonical_request(method, path, query_string, lowered, signed, body)
    expected = sign(sk, string_to_sign(canonical, sdk_date))
    if not hmac.compare_digest(expected, match["sig"].lower()):
        return "bad signature"
    return None
