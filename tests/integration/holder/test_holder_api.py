"""The holder-account API end to end: sign up, log in, bind, device key, log out.

Every refusal is checked as RFC 9457 problem+json with its stable code.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from motorcred.adapters.notify.log import LogNotifier
from motorcred.bootstrap import Container
from motorcred.entrypoints.api.app import create_app

PASSWORD = "correct horse battery"
ID_NUMBER = "11010519491231002X"
NAME = "王小明"


@pytest.fixture
def api(container: Container) -> tuple[TestClient, LogNotifier]:
    app = create_app(container.settings, container=container)
    notifier = LogNotifier()
    app.state.notifier = notifier
    return TestClient(app), notifier


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code
    assert body["status"] == status and body["detail"]
    return body


def sign_up_and_log_in(client: TestClient, login: str = "13800138000") -> dict[str, str]:
    assert (
        client.post("/api/v1/accounts", json={"login": login, "password": PASSWORD}).status_code
        == 201
    )
    response = client.post("/api/v1/sessions", json={"login": login, "password": PASSWORD})
    assert response.status_code == 201
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_sign_up_bind_device_and_log_out(
    api: tuple[TestClient, LogNotifier], person_id: int, new_device_key: Any
) -> None:
    client, notifier = api
    created = client.post("/api/v1/accounts", json={"login": "13800138000", "password": PASSWORD})
    assert created.status_code == 201
    assert created.json()["login"] == "138****8000"
    session = client.post("/api/v1/sessions", json={"login": "13800138000", "password": PASSWORD})
    assert session.status_code == 201 and session.json()["token_type"] == "Bearer"
    auth = {"Authorization": f"Bearer {session.json()['token']}"}

    me = client.get("/api/v1/accounts/me", headers=auth).json()
    assert me["bound"] is False and me["device"] is None

    started = client.post(
        "/api/v1/accounts/me/binding", json={"id_number": ID_NUMBER, "name": NAME}, headers=auth
    )
    assert started.status_code == 202, started.text
    assert started.json()["sent_to"] == "139****5678"
    # The outbox was delivered after the response (background task).
    [sms] = notifier.sent
    assert sms.recipient == "13912345678"
    code = re.search(r"\b(\d{6})\b", sms.body).group(1)
    confirmed = client.post(
        "/api/v1/accounts/me/binding/confirm", json={"code": code}, headers=auth
    )
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["person_id"] == person_id
    assert confirmed.json()["name"] == "王*明"

    problem(client.get("/api/v1/accounts/me/device", headers=auth), 404, "DEVICE_NOT_BOUND")
    key = new_device_key()
    nonce = client.post("/api/v1/accounts/me/device/nonce", headers=auth)
    assert nonce.status_code == 201 and nonce.json()["purpose"] == "device-binding"
    account_id = me["id"]
    bound = client.post(
        "/api/v1/accounts/me/device",
        json={
            "jwk": key.jwk,
            "nonce": nonce.json()["nonce"],
            "signature": key.sign(nonce.json()["nonce"], account_id),
        },
        headers=auth,
    )
    assert bound.status_code == 200, bound.text
    assert bound.json()["jwk"] == key.jwk
    me = client.get("/api/v1/accounts/me", headers=auth).json()
    assert me["bound"] is True
    assert me["device"]["thumbprint"] == bound.json()["thumbprint"]

    assert client.delete("/api/v1/sessions/current", headers=auth).status_code == 204
    problem(client.get("/api/v1/accounts/me", headers=auth), 401, "HOLDER_AUTH_REQUIRED")


def test_holder_endpoints_need_a_session(api: tuple[TestClient, LogNotifier]) -> None:
    client, _ = api
    for method, path in [
        ("GET", "/api/v1/accounts/me"),
        ("POST", "/api/v1/accounts/me/binding"),
        ("POST", "/api/v1/accounts/me/binding/confirm"),
        ("POST", "/api/v1/accounts/me/device/nonce"),
        ("POST", "/api/v1/accounts/me/device"),
        ("GET", "/api/v1/accounts/me/device"),
        ("DELETE", "/api/v1/sessions/current"),
    ]:
        response = client.request(method, path, json={})
        body = problem(response, 401, "HOLDER_AUTH_REQUIRED")
        assert response.headers["www-authenticate"] == "Bearer"
        assert body["instance"] == path
    bad = {"Authorization": "Bearer not-a-session"}
    problem(client.get("/api/v1/accounts/me", headers=bad), 401, "HOLDER_AUTH_REQUIRED")


def test_account_refusals_as_problems(api: tuple[TestClient, LogNotifier]) -> None:
    client, _ = api
    sign_up_and_log_in(client)
    problem(
        client.post("/api/v1/accounts", json={"login": "13800138000", "password": PASSWORD}),
        409,
        "ACCOUNT_EXISTS",
    )
    weak = problem(
        client.post("/api/v1/accounts", json={"login": "13800138001", "password": "123"}),
        422,
        "PASSWORD_TOO_WEAK",
    )
    assert weak["details"]["problems"]
    problem(
        client.post("/api/v1/accounts", json={"login": "1", "password": PASSWORD}),
        422,
        "LOGIN_NAME_INVALID",
    )
    problem(client.post("/api/v1/accounts", json={"login": "13800138001"}), 422, "REQUEST_INVALID")
    problem(
        client.post("/api/v1/sessions", json={"login": "13800138001", "password": PASSWORD}),
        422,
        "LOGIN_FAILED",
    )
    for _ in range(4):
        problem(
            client.post(
                "/api/v1/sessions", json={"login": "13800138000", "password": "nope nope!"}
            ),
            422,
            "LOGIN_FAILED",
        )
    locked = problem(
        client.post("/api/v1/sessions", json={"login": "13800138000", "password": "nope nope!"}),
        429,
        "ACCOUNT_LOCKED",
    )
    assert locked["details"]["retry_after_seconds"] > 0
    assert response_headers(client, "13800138000")["retry-after"] == str(
        locked["details"]["retry_after_seconds"]
    )


def response_headers(client: TestClient, login: str) -> Any:
    return client.post("/api/v1/sessions", json={"login": login, "password": PASSWORD}).headers


def test_both_logout_paths_end_the_session(api: tuple[TestClient, LogNotifier]) -> None:
    client, _ = api
    for path in ("/api/v1/sessions", "/api/v1/sessions/current"):
        auth = sign_up_and_log_in(client, login=f"user{path.count('/')}")
        assert client.delete(path, headers=auth).status_code == 204
        problem(client.get("/api/v1/accounts/me", headers=auth), 401, "HOLDER_AUTH_REQUIRED")


def test_openapi_lists_the_holder_endpoints(api: tuple[TestClient, LogNotifier]) -> None:
    client, _ = api
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/accounts",
        "/api/v1/sessions",
        "/api/v1/accounts/me",
        "/api/v1/accounts/me/binding",
        "/api/v1/accounts/me/binding/confirm",
        "/api/v1/accounts/me/device/nonce",
        "/api/v1/accounts/me/device",
    ):
        assert path in paths


def test_binding_refusals_as_problems(
    api: tuple[TestClient, LogNotifier], person_id: int, clock: Any
) -> None:
    client, _ = api
    auth = sign_up_and_log_in(client)
    problem(
        client.post("/api/v1/accounts/me/binding/confirm", json={"code": "123456"}, headers=auth),
        409,
        "BINDING_NOT_STARTED",
    )
    problem(
        client.post(
            "/api/v1/accounts/me/binding",
            json={"id_number": ID_NUMBER, "name": "李四"},
            headers=auth,
        ),
        422,
        "BINDING_MISMATCH",
    )
    problem(
        client.post(
            "/api/v1/accounts/me/binding",
            json={"id_number": ID_NUMBER, "name": NAME},
            headers=auth,
        ),
        429,
        "OTP_RESEND_TOO_SOON",
    )
    clock.advance(minutes=1)
    assert (
        client.post(
            "/api/v1/accounts/me/binding", json={"id_number": ID_NUMBER, "name": NAME}, headers=auth
        ).status_code
        == 202
    )
    invalid = problem(
        client.post("/api/v1/accounts/me/binding/confirm", json={"code": "abcdef"}, headers=auth),
        422,
        "OTP_INVALID",
    )
    assert invalid["details"]["attempts_left"] == 4
    clock.advance(minutes=5)
    problem(
        client.post("/api/v1/accounts/me/binding/confirm", json={"code": "123456"}, headers=auth),
        422,
        "OTP_EXPIRED",
    )


def test_device_refusals_as_problems(
    api: tuple[TestClient, LogNotifier], new_device_key: Any
) -> None:
    client, _ = api
    auth = sign_up_and_log_in(client)
    account_id = client.get("/api/v1/accounts/me", headers=auth).json()["id"]
    key = new_device_key()
    nonce = client.post("/api/v1/accounts/me/device/nonce", headers=auth).json()["nonce"]
    forged = new_device_key().sign(nonce, account_id)
    problem(
        client.post(
            "/api/v1/accounts/me/device",
            json={"jwk": key.jwk, "nonce": nonce, "signature": forged},
            headers=auth,
        ),
        422,
        "DEVICE_PROOF_INVALID",
    )
    problem(
        client.post(
            "/api/v1/accounts/me/device",
            json={"jwk": key.jwk, "nonce": nonce, "signature": key.sign(nonce, account_id)},
            headers=auth,
        ),
        422,
        "NONCE_REUSED",
    )
    private_jwk = {**key.jwk, "d": "AAAA"}
    problem(
        client.post(
            "/api/v1/accounts/me/device",
            json={"jwk": private_jwk, "nonce": nonce, "signature": forged},
            headers=auth,
        ),
        422,
        "DEVICE_KEY_INVALID",
    )
    problem(
        client.post("/api/v1/accounts/me/device/nonce", json={"purpose": "other"}, headers=auth),
        422,
        "NONCE_PURPOSE_UNKNOWN",
    )
