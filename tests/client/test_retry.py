"""Reads retry only what is worth retrying, with growing jittered waits, honouring Retry-After, bounded."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from wizard.commands.reporting import failure_of
from wizard.errors import ApiError, NetworkError, Throttled
from wizard.http import RetryPolicy, Sender, retry_after_seconds

URL = "https://dms.cn-north-4.myhuaweicloud.com/v2/p/instances"


class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


Step = Callable[[httpx.Request], httpx.Response]


def _raise(exc: Exception) -> Step:
    def step(request: httpx.Request) -> httpx.Response:
        raise exc

    return step


def _answer(status: int, body: object = None, headers: dict[str, str] | None = None) -> Step:
    def step(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body if body is not None else {}, headers=headers)

    return step


OK = _answer(200, {"instances": []})


async def _run(
    steps: list[Step], policy: RetryPolicy | None = None
) -> tuple[httpx.Response | Exception, int, FakeTime]:
    calls = 0
    fake = FakeTime()

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        step = steps[min(calls, len(steps) - 1)]
        calls += 1
        return step(request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler), timeout=5) as client:
        sender = Sender(client, policy, sleep=fake.sleep, clock=fake.clock, rng=random.Random(7))
        try:
            result: httpx.Response | Exception = await sender.read("GET", URL)
        except (ApiError, NetworkError) as exc:
            result = exc
    return result, calls, fake


@pytest.mark.parametrize(
    "failure",
    [
        _raise(httpx.ConnectError("refused")),
        _raise(httpx.ConnectTimeout("slow")),
        _raise(httpx.ReadTimeout("slow")),
        _raise(httpx.ReadError("reset")),
        _raise(httpx.RemoteProtocolError("closed")),
        _answer(429, {"error_code": "APIG.0308", "error_msg": "throttled"}),
        _answer(400, {"error_code": "APIG.0308", "error_msg": "throttled with another status"}),
        _answer(502),
        _answer(503),
        _answer(504),
    ],
    ids=["connect", "connect-timeout", "read-timeout", "reset", "closed", "429", "apig-0308", "502", "503", "504"],
)
async def test_transient_failures_are_retried_then_succeed(failure: Step) -> None:
    result, calls, fake = await _run([failure, failure, OK])
    assert isinstance(result, httpx.Response) and result.status_code == 200
    assert calls == 3
    assert len(fake.sleeps) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 500])
async def test_other_errors_are_not_retried(status: int) -> None:
    result, calls, fake = await _run([_answer(status, {"error_code": "DMS.00400800", "error_msg": "no"}), OK])
    assert isinstance(result, ApiError)
    assert result.http_status == status
    assert calls == 1
    assert fake.sleeps == []


async def test_retries_are_bounded_in_count() -> None:
    result, calls, _ = await _run([_answer(503)], RetryPolicy(max_attempts=4))
    assert isinstance(result, ApiError) and result.http_status == 503
    assert calls == 4


async def test_retries_are_bounded_in_time() -> None:
    policy = RetryPolicy(max_attempts=50, base_delay=1, max_delay=4, max_total=10)
    result, calls, fake = await _run([_answer(502)], policy)
    assert isinstance(result, ApiError)
    assert sum(fake.sleeps) <= 10
    assert calls < 50


async def test_backoff_grows_with_jitter() -> None:
    policy = RetryPolicy(max_attempts=6, base_delay=1, max_delay=100, max_total=1000)
    _, _, fake = await _run([_raise(httpx.ConnectError("refused"))], policy)
    assert len(fake.sleeps) == 5
    for number, slept in enumerate(fake.sleeps, start=1):
        ceiling = 2 ** (number - 1)
        assert ceiling / 2 <= slept <= ceiling
    rng_a, rng_b = random.Random(1), random.Random(2)
    assert policy.backoff(3, rng_a) != policy.backoff(3, rng_b)


async def test_retry_after_seconds_is_honoured() -> None:
    result, _, fake = await _run([_answer(429, {}, {"Retry-After": "3"}), OK])
    assert isinstance(result, httpx.Response)
    assert 3 <= fake.sleeps[0] <= 3.5


async def test_throttling_without_retry_after_waits_as_the_gateway_advises() -> None:
    _, _, fake = await _run([_answer(429, {"error_code": "APIG.0308", "error_msg": "limit"}), OK])
    assert fake.sleeps[0] >= 2


async def test_retry_after_longer_than_we_wait_gives_up_at_once_and_is_not_a_refusal() -> None:
    result, calls, fake = await _run(
        [_answer(429, {"error_code": "APIG.0308", "error_msg": "x"}, {"Retry-After": "600"}), OK]
    )
    # Throttled is a NetworkError (exit 4, try again later), never an ApiError (exit 2, "the API refused").
    assert isinstance(result, Throttled) and not isinstance(result, ApiError)
    assert "APIG.0308" in str(result) and "after 600 s" in str(result)
    assert calls == 1 and fake.sleeps == []
    assert failure_of(result).code == 4


async def test_throttling_that_outlasts_the_retries_is_not_a_refusal() -> None:
    throttled = _answer(429, {"error_code": "APIG.0308", "error_msg": "x"}, {"Retry-After": "1"})
    result, _, _ = await _run([throttled] * 10)
    assert isinstance(result, Throttled)


async def test_network_error_after_retries_says_where_and_how_often() -> None:
    result, calls, _ = await _run([_raise(httpx.ConnectError("refused"))], RetryPolicy(max_attempts=3))
    assert isinstance(result, NetworkError)
    assert "dms.cn-north-4.myhuaweicloud.com" in str(result)
    assert "3 tries" in str(result)
    assert calls == 3


def test_retry_after_parses_seconds_and_dates() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert retry_after_seconds("5") == 5
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now) == 30
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("-4") == 0


async def test_each_retry_is_signed_afresh() -> None:
    from wizard.signing import AkSkAuth

    dates: list[str] = []
    moments = iter([datetime(2026, 1, 1, 0, 0, s, tzinfo=UTC) for s in range(10)])

    def handler(request: httpx.Request) -> httpx.Response:
        dates.append(request.headers["x-sdk-date"])
        return httpx.Response(503 if len(dates) < 2 else 200, content=json.dumps({}).encode())

    fake = FakeTime()
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        sender = Sender(client, sleep=fake.sleep, clock=fake.clock)
        await sender.read("GET", URL, auth=AkSkAuth("AK", "SK", clock=lambda: next(moments)))
    assert dates == ["20260101T000000Z", "20260101T000001Z"]


async def test_an_unverifiable_certificate_is_not_retried_and_says_so() -> None:
    import ssl

    def bad_certificate(request: httpx.Request) -> httpx.Response:
        try:
            raise ssl.SSLCertVerificationError("certificate verify failed")
        except ssl.SSLError as cause:
            raise httpx.ConnectError("TLS handshake failed") from cause

    result, calls, fake = await _run([bad_certificate, OK])
    assert isinstance(result, NetworkError)
    assert "TLS certificate" in str(result)
    assert calls == 1 and fake.sleeps == []
