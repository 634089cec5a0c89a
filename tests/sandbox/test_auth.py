"""The sandbox checks signatures as the gateway does: a bad one gets the gateway's 401, never the data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from wizard.sandbox import SANDBOX_TOKEN
from wizard.sandbox.server import RunningSandbox
from wizard.signing import AkSkAuth


def _refusal(response: httpx.Response) -> str:
    assert response.status_code == 401
    data: dict[str, Any] = response.json()
    assert set(data) == {"error_code", "error_msg"}
    assert data["error_msg"].startswith("Incorrect IAM authentication information") or data["error_code"] == "APIG.0307"
    assert response.headers["X-Request-Id"]
    return str(data["error_code"])


@pytest.mark.parametrize(
    "path",
    [
        "/v2/available-zones",
        "/v2/reliability/products",
        "/v2/{project}/instances?engine=reliability",
        "/v2/{project}/quotas",
        "/v1/{project}/vpcs",
        "/v1/{project}/subnets",
        "/v1/{project}/security-groups",
        "/v1/{project}/publicips",
        "/v3/projects?name=sandbox-1",
        "/v1.0/enterprise-projects",
    ],
)
def test_every_read_path_refuses_an_unsigned_call(plain: httpx.Client, sandbox: RunningSandbox, path: str) -> None:
    response = plain.get(sandbox.url + path.format(project=sandbox.project_id))
    assert _refusal(response) == "APIG.0301"
    assert "missing header Authorization" in response.json()["error_msg"]


def test_an_unsigned_create_stores_nothing(plain: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]) -> None:
    response = plain.post(f"{sandbox.url}/v1.0/{sandbox.project_id}/instances", json=body)
    assert _refusal(response) == "APIG.0301"
    assert sandbox.state.instances_named(body["name"]) == []


def test_a_wrong_secret_key_is_a_bad_signature(plain: httpx.Client, sandbox: RunningSandbox) -> None:
    auth = AkSkAuth(sandbox.ak, "not-the-sandbox-secret", project_id=sandbox.project_id)
    response = plain.get(f"{sandbox.url}/v2/available-zones", auth=auth)
    assert _refusal(response) == "APIG.0301"
    assert "bad signature" in response.json()["error_msg"]


def test_an_unknown_access_key_is_refused(plain: httpx.Client, sandbox: RunningSandbox) -> None:
    auth = AkSkAuth("SOMEONEELSE000000000", sandbox.sk)
    response = plain.get(f"{sandbox.url}/v2/available-zones", auth=auth)
    assert _refusal(response) == "APIG.0301"
    assert "unknown access key" in response.json()["error_msg"]


@pytest.mark.parametrize("skew", [timedelta(minutes=-16), timedelta(minutes=16), timedelta(days=-1)])
def test_a_stale_sdk_date_is_refused(plain: httpx.Client, sandbox: RunningSandbox, skew: timedelta) -> None:
    auth = AkSkAuth(sandbox.ak, sandbox.sk, clock=lambda: datetime.now(UTC) + skew)
    response = plain.get(f"{sandbox.url}/v2/available-zones", auth=auth)
    assert _refusal(response) == "APIG.0301"
    assert "stale" in response.json()["error_msg"]


def test_a_date_within_the_allowed_skew_is_accepted(plain: httpx.Client, sandbox: RunningSandbox) -> None:
    auth = AkSkAuth(sandbox.ak, sandbox.sk, clock=lambda: datetime.now(UTC) - timedelta(minutes=10))
    assert plain.get(f"{sandbox.url}/v2/available-zones", auth=auth).status_code == 200


def test_a_body_changed_after_signing_is_a_bad_signature(
    plain: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]
) -> None:
    auth = AkSkAuth(sandbox.ak, sandbox.sk, project_id=sandbox.project_id)
    request = httpx.Request("POST", f"{sandbox.url}/v1.0/{sandbox.project_id}/instances", json=body)
    auth.sign_request(request)
    other_name = body["name"][:-1] + "X"  # same length, so Content-Length still fits
    tampered = httpx.Request("POST", request.url, headers=request.headers, json={**body, "name": other_name})
    response = plain.send(tampered)
    assert _refusal(response) == "APIG.0301"
    assert "bad signature" in response.json()["error_msg"]
    assert sandbox.state.instances_named(other_name) == []


def test_a_query_changed_after_signing_is_a_bad_signature(plain: httpx.Client, sandbox: RunningSandbox) -> None:
    auth = AkSkAuth(sandbox.ak, sandbox.sk, project_id=sandbox.project_id)
    request = httpx.Request("GET", f"{sandbox.url}/v1/{sandbox.project_id}/vpcs?limit=1")
    auth.sign_request(request)
    moved = httpx.Request("GET", f"{sandbox.url}/v1/{sandbox.project_id}/vpcs?limit=2", headers=request.headers)
    assert _refusal(plain.send(moved)) == "APIG.0301"


def test_a_missing_sdk_date_is_refused(plain: httpx.Client, sandbox: RunningSandbox) -> None:
    auth = AkSkAuth(sandbox.ak, sandbox.sk)
    request = httpx.Request("GET", f"{sandbox.url}/v2/available-zones")
    auth.sign_request(request)
    del request.headers["X-Sdk-Date"]
    response = plain.send(request)
    assert _refusal(response) == "APIG.0301"
    assert "X-Sdk-Date" in response.json()["error_msg"]


def test_a_host_left_out_of_the_signed_headers_is_refused(plain: httpx.Client, sandbox: RunningSandbox) -> None:
    auth = AkSkAuth(sandbox.ak, sandbox.sk)
    request = httpx.Request("GET", f"{sandbox.url}/v2/available-zones")
    auth.sign_request(request)
    authorization = request.headers["Authorization"]
    request.headers["Authorization"] = authorization.replace("SignedHeaders=host;", "SignedHeaders=")
    assert request.headers["Authorization"] != authorization
    response = plain.send(request)
    assert _refusal(response) == "APIG.0301"
    assert "host is not signed" in response.json()["error_msg"]


def test_signed_queries_with_characters_that_need_encoding_are_accepted(
    api: httpx.Client, sandbox: RunningSandbox
) -> None:
    response = api.get(
        f"/v2/{sandbox.project_id}/instances",
        params={"engine": "reliability", "name": "a b/c+d*e~f", "exact_match_name": "true"},
    )
    assert response.status_code == 200
    assert response.json() == {"instances": [], "instance_num": 0}


def test_the_sandbox_token_is_accepted_instead_of_a_signature(plain: httpx.Client, sandbox: RunningSandbox) -> None:
    response = plain.get(f"{sandbox.url}/v1/{sandbox.project_id}/vpcs", headers={"X-Auth-Token": SANDBOX_TOKEN})
    assert response.status_code == 200
    assert len(response.json()["vpcs"]) == 2


def test_a_wrong_token_gets_the_gateway_token_error(plain: httpx.Client, sandbox: RunningSandbox) -> None:
    response = plain.get(f"{sandbox.url}/v2/available-zones", headers={"X-Auth-Token": "expired-token"})
    assert _refusal(response) == "APIG.0307"


def test_custom_keys_replace_the_fixed_ones(plain: httpx.Client) -> None:
    from wizard.sandbox import SANDBOX_AK, SANDBOX_SK, start_sandbox

    with start_sandbox(ak="MYOWNAK0000000000000", sk="my-own-secret", project_id="p" * 32) as running:
        own = AkSkAuth("MYOWNAK0000000000000", "my-own-secret", project_id="p" * 32)
        fixed = AkSkAuth(SANDBOX_AK, SANDBOX_SK)
        assert plain.get(f"{running.url}/v1/{'p' * 32}/vpcs", auth=own).status_code == 200
        assert plain.get(f"{running.url}/v2/available-zones", auth=fixed).status_code == 401


def test_a_sandbox_with_its_own_keys_refuses_the_published_token(plain: httpx.Client) -> None:
    from wizard.sandbox import start_sandbox

    with start_sandbox(ak="MYOWNAK0000000000000", sk="my-own-secret", project_id="p" * 32) as running:
        response = plain.get(f"{running.url}/v1/{'p' * 32}/vpcs", headers={"X-Auth-Token": SANDBOX_TOKEN})
        assert _refusal(response) == "APIG.0307"
        assert "only its own keys" in response.json()["error_msg"]


def test_a_bad_signature_is_refused_even_with_the_token(plain: httpx.Client, sandbox: RunningSandbox) -> None:
    auth = AkSkAuth(sandbox.ak, "not-the-sandbox-secret", project_id=sandbox.project_id)
    response = plain.get(f"{sandbox.url}/v2/available-zones", auth=auth, headers={"X-Auth-Token": SANDBOX_TOKEN})
    assert _refusal(response) == "APIG.0301"
    assert "bad signature" in response.json()["error_msg"]


def test_an_unsigned_payload_is_refused_on_a_json_body(
    plain: httpx.Client, sandbox: RunningSandbox, body: dict[str, Any]
) -> None:
    auth = AkSkAuth(sandbox.ak, sandbox.sk, project_id=sandbox.project_id)
    response = plain.post(
        f"{sandbox.url}/v1.0/{sandbox.project_id}/instances",
        json=body,
        auth=auth,
        headers={"X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD"},
    )
    assert _refusal(response) == "APIG.0301"
    assert "UNSIGNED-PAYLOAD" in response.json()["error_msg"]
    assert sandbox.state.instances_named(body["name"]) == []


@pytest.mark.parametrize("raw", [b"[" * 100_000, b'{"a": ' + b"9" * 5000 + b"}"])
def test_a_malformed_create_body_is_a_400_not_a_500(plain: httpx.Client, sandbox: RunningSandbox, raw: bytes) -> None:
    auth = AkSkAuth(sandbox.ak, sandbox.sk, project_id=sandbox.project_id)
    response = plain.post(
        f"{sandbox.url}/v1.0/{sandbox.project_id}/instances",
        content=raw,
        auth=auth,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400 and response.json()["error_code"] == "DMS.00400005"
