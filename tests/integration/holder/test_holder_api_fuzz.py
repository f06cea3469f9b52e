"""Any body sent to a holder endpoint gets an answer or a problem, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motorcred.adapters.notify.log import LogNotifier
from motorcred.bootstrap import Container
from motorcred.entrypoints.api.app import create_app

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
FIELDS = [
    "login",
    "password",
    "id_number",
    "name",
    "code",
    "purpose",
    "jwk",
    "cose_key",
    "nonce",
    "signature",
    "x",
    "y",
    "kty",
    "crv",
]
BODY = st.dictionaries(st.sampled_from(FIELDS), JSON | st.text(max_size=200), max_size=6) | JSON

POSTS = [
    "/api/v1/accounts",
    "/api/v1/sessions",
    "/api/v1/accounts/me/binding",
    "/api/v1/accounts/me/binding/confirm",
    "/api/v1/accounts/me/device/nonce",
    "/api/v1/accounts/me/device",
]


@pytest.fixture
def client_and_auth(container: Container, person_id: int) -> tuple[TestClient, dict[str, str]]:
    app = create_app(container.settings, container=container)
    app.state.notifier = LogNotifier()
    client = TestClient(app, raise_server_exceptions=False)
    login = {"login": "13800138000", "password": "correct horse battery"}
    assert client.post("/api/v1/accounts", json=login).status_code == 201
    token = client.post("/api/v1/sessions", json=login).json()["token"]
    return client, {"Authorization": f"Bearer {token}"}


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(path=st.sampled_from(POSTS), body=BODY, with_jwk=st.booleans())
def test_arbitrary_bodies_never_break_the_api(
    client_and_auth: tuple[TestClient, dict[str, str]], path: str, body: Any, with_jwk: bool
) -> None:
    client, auth = client_and_auth
    if with_jwk and isinstance(body, dict):
        body["jwk"] = {"kty": "EC", "crv": "P-256", "x": body.get("x"), "y": body.get("y")}
    response = client.post(path, json=body, headers=auth)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"].isupper()
