"""Any body sent to the application and review endpoints gets an answer or a problem,
never a 500 (a bound holder with a device key, and staff)."""

from __future__ import annotations

import base64
from typing import Any

from edl_fixtures import STAFF
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
PHOTO = st.binary(max_size=64).map(lambda b: base64.b64encode(b).decode())
FIELDS = {
    "photo_path": st.sampled_from(["on_file", "camera", "album", "", "x" * 20]) | JSON,
    "photo": PHOTO | JSON,
    "live_photo": PHOTO | JSON,
    "client_key": st.text(max_size=140) | JSON,
    "claim_token": st.text(max_size=70) | JSON,
    "reason": st.text(max_size=600) | JSON,
    "reviewer": st.text(max_size=70) | JSON,
}
BODY = st.fixed_dictionaries({}, optional=FIELDS) | JSON
KEY = st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=140)

TARGETS = [
    ("holder", "/api/v1/edl/applications"),
    ("staff", "/api/v1/review/claim"),
    ("staff", "/api/v1/review/items/1/approve"),
    ("staff", "/api/v1/review/items/1/reject"),
    ("staff", "/api/v1/review/items/1/flag"),
]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.sampled_from(TARGETS), body=BODY, key=KEY)
def test_never_a_server_error(
    client: TestClient, holder: dict[str, str], target: tuple[str, str], body: Any, key: str
) -> None:
    who, path = target
    headers = {**(holder if who == "holder" else STAFF), "Idempotency-Key": key}
    unsafe = TestClient(client.app, raise_server_exceptions=False)
    response = unsafe.post(path, json=body, headers=headers)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"]
