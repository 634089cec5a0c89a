"""Sending requests: timeouts on every call, and safe retries for reads.

Reads are retried on connection errors, timeouts, 429/APIG.0308 and 502/503/504, with exponential back-off
and jitter, honouring Retry-After, bounded both in attempts and in total time. Writes go through
`send_once`, which never retries: the caller decides what an ambiguous failure means.
"""

from __future__ import annotations

import asyncio
import random
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from wizard.error_codes import api_error, is_throttled, parse_error_body
from wizard.errors import NetworkError, Throttled

#: Statuses worth trying again for a read: the gateway or a proxy failed, or asked us to slow down.
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})

QueryParams = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class RetryPolicy:
    """How reads are retried: at most `max_attempts` tries within `max_total` seconds, waiting in between."""

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_total: float = 45.0
    max_retry_after: float = 30.0
    #: The gateway's advice for APIG.0308 is to wait 2-5 s when it gives no Retry-After.
    throttle_delay: float = 2.0

    def backoff(self, retry: int, rng: random.Random) -> float:
        """Seconds before retry number `retry` (1-based): exponential, with jitter in its upper half."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (retry - 1))
        return rng.uniform(ceiling / 2, ceiling)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (a number or an HTTP date), or None when absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def _is_retryable_exception(exc: httpx.HTTPError) -> bool:
    if _tls_failure(exc) is not None:
        return False
    return isinstance(exc, (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError))


def _tls_failure(exc: BaseException) -> ssl.SSLError | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def describe_failure(exc: httpx.HTTPError, host: str, timeout: float) -> str:
    """Plain words for a call that got no answer (never the URL's query, never a header)."""
    tls = _tls_failure(exc)
    if tls is not None:
        return f"the TLS certificate of {host} could not be verified ({tls.__class__.__name__})"
    if isinstance(exc, httpx.ConnectTimeout):
        return f"could not connect to {host} within {timeout:g} s"
    if isinstance(exc, httpx.TimeoutException):
        return f"{host} did not answer within {timeout:g} s"
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect to {host} (connection refused or name not found)"
    if isinstance(exc, (httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError)):
        return f"the connection to {host} was reset or closed mid-request"
    return f"the request to {host} failed ({exc.__class__.__name__})"


class Sender:
    """Sends requests through one httpx client, with the retry rules above for reads."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.client = client
        self.policy = policy or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()

    def _timeout(self) -> float:
        read = self.client.timeout.read
        return read if read is not None else 0.0

    async def read(
        self,
        method: str,
        url: str,
        *,
        params: QueryParams | None = None,
        auth: httpx.Auth | None = None,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
    ) -> httpx.Response:
        """Send an idempotent request (a GET, or a POST that only asks, like a price inquiry) and return its
        2xx answer, retrying what is worth retrying.

        Raises ApiError for an error answer and NetworkError when no answer came, after the retries.
        """
        policy = self.policy
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            delay: float | None
            try:
                response = await self._send(method, url, params=params, auth=auth, headers=headers, content=content)
            except httpx.HTTPError as exc:
                if not _is_retryable_exception(exc):
                    raise NetworkError(describe_failure(exc, httpx.URL(url).host, self._timeout())) from None
                delay = policy.backoff(attempt, self._rng)
                failure: httpx.HTTPError | httpx.Response = exc
            else:
                if response.is_success:
                    return response
                code = parse_error_body(response.content)[0]
                throttled = is_throttled(response.status_code, code)
                if not (throttled or response.status_code in RETRYABLE_STATUSES):
                    raise api_error(response.status_code, response.content, response.headers)
                delay = self._delay_for(response, attempt, throttled)
                failure = response
            elapsed = self._clock() - started
            if delay is None or attempt >= policy.max_attempts or elapsed + delay > policy.max_total:
                raise self._give_up(failure, url, attempt, elapsed)
            await self._sleep(delay)

    def _delay_for(self, response: httpx.Response, attempt: int, throttled: bool) -> float | None:
        """Seconds to wait before the next try, or None when the server asks for longer than we will wait."""
        backoff = self.policy.backoff(attempt, self._rng)
        asked = retry_after_seconds(response.headers.get("retry-after"))
        if asked is not None:
            if asked > self.policy.max_retry_after:
                return None
            # Honour the server's wait, plus a little jitter so parallel clients do not return in lockstep.
            return asked + self._rng.uniform(0, min(0.5, self.policy.base_delay))
        if throttled:
            return max(backoff, self.policy.throttle_delay + self._rng.uniform(0, 1))
        return backoff

    def _give_up(self, failure: httpx.HTTPError | httpx.Response, url: str, attempts: int, elapsed: float) -> Exception:
        if isinstance(failure, httpx.Response):
            error = api_error(failure.status_code, failure.content, failure.headers)
            if is_throttled(failure.status_code, error.code):
                # Turned away for the rate, nothing refused: the call can simply be made again later.
                asked = retry_after_seconds(failure.headers.get("retry-after"))
                later = f"after {asked:.0f} s, as the API's Retry-After asks" if asked is not None else "in a moment"
                return Throttled(
                    f"{httpx.URL(url).host} is throttling calls ({error}); the wizard waited what it could. "
                    f"Try again {later}."
                )
            return error
        what = describe_failure(failure, httpx.URL(url).host, self._timeout())
        tries = "1 try" if attempts == 1 else f"{attempts} tries"
        return NetworkError(f"{what} ({tries} over {elapsed:.1f} s)")

    async def send_once(
        self,
        method: str,
        url: str,
        *,
        json_body: bytes,
        auth: httpx.Auth | None = None,
    ) -> httpx.Response:
        """Send a request exactly once and return whatever answer came; transport errors propagate."""
        return await self._send(method, url, auth=auth, content=json_body, headers={"Content-Type": "application/json"})

    async def _send(
        self,
        method: str,
        url: str,
        *,
        params: QueryParams | None = None,
        auth: httpx.Auth | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        request = self.client.build_request(
            method,
            url,
            params=tuple(params) if params else None,
            content=content,
            headers=dict(headers or {"Content-Type": "application/json"}),
        )
        if auth is None:
            return await self.client.send(request)
        return await self.client.send(request, auth=auth)
