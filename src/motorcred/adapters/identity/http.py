"""An external real-person verification service over HTTPS (httpx, bounded timeout).

Request: ``POST <url>`` with ``Authorization: Bearer <token>`` and JSON
``{"request_id", "reference_photo", "live_photo"}`` (photos base64). Answer: JSON
``{"match": bool, "score": number in [0, 1], "reference": str}``. Anything else —
a timeout, a connection failure, a non-2xx status, a body of another shape — is an
``IDENTITY_SERVICE_*`` error: an application is never approved on a guess.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx

from motorcred.adapters.identity import IdentityResult
from motorcred.errors import Unavailable


class HttpIdentityVerifier:
    name = "http"

    def __init__(
        self,
        url: str,
        token: str,
        *,
        timeout_seconds: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._url = url
        self._token = token
        self._timeout = httpx.Timeout(timeout_seconds)
        self._transport = transport

    def verify(self, *, on_file: bytes, live: bytes, request_id: str) -> IdentityResult:
        payload = {
            "request_id": request_id,
            "reference_photo": base64.b64encode(on_file).decode(),
            "live_photo": base64.b64encode(live).decode(),
        }
        headers = {"Authorization": f"Bearer {self._token}"}
        try:
            with httpx.Client(timeout=self._timeout, transport=self._transport) as client:
                response = client.post(self._url, json=payload, headers=headers)
        except httpx.TimeoutException as exc:
            raise Unavailable(
                "IDENTITY_SERVICE_TIMEOUT",
                "the real-person verification service did not answer in time; try again",
            ) from exc
        except httpx.HTTPError as exc:
            raise Unavailable(
                "IDENTITY_SERVICE_UNREACHABLE",
                "the real-person verification service cannot be reached; try again later",
            ) from exc
        if response.status_code // 100 != 2:
            raise Unavailable(
                "IDENTITY_SERVICE_ERROR",
                f"the real-person verification service answered HTTP {response.status_code}",
                details={"status": response.status_code},
            )
        return _parse(response)


def _parse(response: httpx.Response) -> IdentityResult:
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    match = body.get("match") if isinstance(body, dict) else None
    score = body.get("score") if isinstance(body, dict) else None
    reference = body.get("reference", "") if isinstance(body, dict) else ""
    valid_score = isinstance(score, int | float) and not isinstance(score, bool) and 0 <= score <= 1
    if not isinstance(match, bool) or not valid_score or not isinstance(reference, str):
        raise Unavailable(
            "IDENTITY_SERVICE_ERROR",
            "the real-person verification service gave an answer of an unknown shape",
        )
    assert isinstance(score, int | float)
    return IdentityResult(match, float(score), "http", reference[:128])
