"""The HTTP verification adapter against an in-process service (httpx.MockTransport)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable

import httpx
import pytest

from motorcred.adapters.identity.http import HttpIdentityVerifier
from motorcred.errors import Unavailable

URL = "https://verify.example.invalid/v1/compare"


def verifier(handler: Callable[[httpx.Request], httpx.Response]) -> HttpIdentityVerifier:
    return HttpIdentityVerifier(
        URL, "s3cret", timeout_seconds=2, transport=httpx.MockTransport(handler)
    )


def test_sends_both_photos_and_reads_the_answer() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        body = json.loads(request.content)
        same = body["reference_photo"] == body["live_photo"]
        return httpx.Response(
            200, json={"match": same, "score": 0.97 if same else 0.1, "reference": "chk-1"}
        )

    result = verifier(handler).verify(on_file=b"A", live=b"A", request_id="app-1")
    assert result.matched and result.score == 0.97 and result.reference == "chk-1"
    [request] = seen
    assert request.headers["authorization"] == "Bearer s3cret"
    sent = json.loads(request.content)
    assert sent["request_id"] == "app-1"
    assert base64.b64decode(sent["live_photo"]) == b"A"
    assert not verifier(handler).verify(on_file=b"A", live=b"B", request_id="x").matched


@pytest.mark.parametrize(
    ("response", "code"),
    [
        (httpx.Response(500, text="boom"), "IDENTITY_SERVICE_ERROR"),
        (httpx.Response(200, text="not json"), "IDENTITY_SERVICE_ERROR"),
        (httpx.Response(200, json={"match": "yes", "score": 0.9}), "IDENTITY_SERVICE_ERROR"),
        (httpx.Response(200, json={"match": True, "score": 7}), "IDENTITY_SERVICE_ERROR"),
        (httpx.Response(200, json=[1, 2]), "IDENTITY_SERVICE_ERROR"),
    ],
)
def test_bad_answers_are_errors_never_a_match(response: httpx.Response, code: str) -> None:
    with pytest.raises(Unavailable) as info:
        verifier(lambda _: response).verify(on_file=b"A", live=b"A", request_id="x")
    assert info.value.code == code and info.value.http_status == 503


def test_timeouts_and_connection_failures() -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(Unavailable) as info:
        verifier(timeout).verify(on_file=b"A", live=b"A", request_id="x")
    assert info.value.code == "IDENTITY_SERVICE_TIMEOUT"
    with pytest.raises(Unavailable) as info:
        verifier(refused).verify(on_file=b"A", live=b"A", request_id="x")
    assert info.value.code == "IDENTITY_SERVICE_UNREACHABLE"
