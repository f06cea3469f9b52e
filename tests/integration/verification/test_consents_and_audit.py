"""Standing consent, verifier credentials and the audit log of checks (API and CLI)."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner
from verification_fixtures import Clock, HolderSetup, VerifierSetup

from motorcred.bootstrap import Container
from motorcred.services import audit, verifiers


def _grant(client: TestClient, holder: HolderSetup, org_id: int, clock: Clock) -> int:
    response = client.post(
        "/api/v1/consents",
        json={
            "organisation_id": org_id,
            "purpose": "car rental contract 2026-118",
            "valid_until": (clock.now + timedelta(days=30)).isoformat(),
        },
        headers=holder.headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _check(client: TestClient, verifier: VerifierSetup, **body: object) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = client.post("/api/v1/verifications", json=body, headers=verifier.headers)
    return response.status_code, response.json()


def test_consent_allows_repeated_checks_until_revoked(
    client: TestClient, holder: HolderSetup, rental: VerifierSetup, clock: Clock
) -> None:
    consent_id = _grant(client, holder, rental.org_id, clock)
    for _ in range(2):
        status, body = _check(client, rental, consent_id=consent_id)
        assert status == 200 and body["fields"]["name"] == "张*三"
        assert body["purpose"] == "car rental contract 2026-118"
    listed = client.get("/api/v1/consents", headers=holder.headers).json()["items"]
    assert [c["status"] for c in listed] == ["live"]
    assert (
        client.delete(f"/api/v1/consents/{consent_id}", headers=holder.headers).status_code == 200
    )
    status, body = _check(client, rental, consent_id=consent_id)
    assert (status, body["code"]) == (403, "CONSENT_REVOKED")
    assert "fields" not in body and "name" not in json.dumps(body)


def test_consent_expires_and_belongs_to_one_organisation(
    client: TestClient,
    holder: HolderSetup,
    rental: VerifierSetup,
    police: VerifierSetup,
    clock: Clock,
) -> None:
    consent_id = _grant(client, holder, rental.org_id, clock)
    status, body = _check(client, police, consent_id=consent_id)
    assert (status, body["code"]) == (403, "CONSENT_REQUIRED")
    status, body = _check(client, rental, consent_id=consent_id + 1000)
    assert (status, body["code"]) == (403, "CONSENT_REQUIRED")
    clock.advance(days=31)
    status, body = _check(client, rental, consent_id=consent_id)
    assert (status, body["code"]) == (403, "CONSENT_EXPIRED")


def test_consent_input_is_checked(
    client: TestClient, holder: HolderSetup, rental: VerifierSetup, clock: Clock
) -> None:
    past = {"organisation_id": rental.org_id, "purpose": "x", "valid_until": "2020-01-01T00:00:00Z"}
    response = client.post("/api/v1/consents", json=past, headers=holder.headers)
    assert response.json()["code"] == "CONSENT_PERIOD_INVALID"
    unknown = past | {"organisation_id": 9999, "valid_until": "2026-12-01T00:00:00Z"}
    response = client.post("/api/v1/consents", json=unknown, headers=holder.headers)
    assert (response.status_code, response.json()["code"]) == (404, "VERIFIER_UNKNOWN")
    response = client.delete("/api/v1/consents/9999", headers=holder.headers)
    assert response.json()["code"] == "CONSENT_UNKNOWN"


def test_verifier_auth_api_keys_and_oauth(
    client: TestClient, container: Container, clock: Clock
) -> None:
    status = client.post("/api/v1/verifications", json={"code": "MC0:x"})
    assert (status.status_code, status.json()["code"]) == (401, "VERIFIER_AUTH_REQUIRED")
    bad = client.post(
        "/api/v1/verifications", json={"code": "MC0:x"}, headers={"Authorization": "Bearer mcv_x_y"}
    )
    assert bad.json()["code"] == "VERIFIER_AUTH_REQUIRED"

    org = verifiers.register_org(container, "Insure Co", "insurer", "uw@example.invalid")
    client_key = verifiers.issue_key(container, org.id, "client")
    assert client_key.client_id is not None
    wrong = client.post(
        "/api/v1/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client_key.client_id,
            "client_secret": "nope",
        },
    )
    assert (wrong.status_code, wrong.json()["code"]) == (401, "OAUTH_CLIENT_INVALID")
    basic = base64.b64encode(f"{client_key.client_id}:{client_key.secret}".encode()).decode()
    issued = client.post(
        "/api/v1/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    ).json()
    token = issued["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    answer = client.post("/api/v1/verifications", json={"code": "MC0:" + "0" * 24}, headers=headers)
    assert answer.json()["code"] == "CODE_UNKNOWN"  # authenticated, then refused
    clock.advance(seconds=issued["expires_in"] + 1)
    answer = client.post("/api/v1/verifications", json={"code": "MC0:x"}, headers=headers)
    assert answer.json()["code"] == "VERIFIER_AUTH_REQUIRED"

    api_key = verifiers.issue_key(container, org.id, "api_key")
    headers = {"Authorization": f"Bearer {api_key.secret}"}
    answer = client.post("/api/v1/verifications", json={"code": "MC0:x"}, headers=headers)
    assert answer.status_code == 400
    assert verifiers.revoke_key(container, api_key.id) is True
    answer = client.post("/api/v1/verifications", json={"code": "MC0:x"}, headers=headers)
    assert answer.json()["code"] == "VERIFIER_AUTH_REQUIRED"
    grant = client.post("/api/v1/oauth/token", data={"grant_type": "password"})
    assert grant.json()["code"] == "OAUTH_GRANT_UNSUPPORTED"


def test_staff_register_verifiers(client: TestClient) -> None:
    staff = {"Authorization": "Bearer integration-staff-token"}
    made = client.post(
        "/api/v1/verifiers",
        json={"name": "Bank A", "role": "bank", "contact": "kyc@example.invalid"},
        headers=staff,
    )
    assert made.status_code == 201
    org_id = made.json()["id"]
    bad = client.post(
        "/api/v1/verifiers", json={"name": "B", "role": "spy", "contact": "x"}, headers=staff
    )
    assert bad.json()["code"] == "VERIFIER_ROLE_UNKNOWN"
    key = client.post(f"/api/v1/verifiers/{org_id}/keys", json={}, headers=staff).json()
    assert key["api_key"].startswith(key["prefix"] + "_")
    listed = client.get("/api/v1/verifiers", headers=staff).json()["items"]
    assert listed[0]["keys"][0]["prefix"] == key["prefix"]
    assert key["api_key"] not in json.dumps(listed)
    gone = client.delete(f"/api/v1/verifiers/{org_id}/keys/{key['id']}", headers=staff)
    assert gone.json()["revoked"] is True
    assert client.get("/api/v1/verifiers").status_code == 401


def _code(client: TestClient, holder: HolderSetup) -> str:
    response = client.post(
        f"/api/v1/credentials/{holder.credential_id}/online-code", headers=holder.headers
    )
    return str(response.json()["code"])


def test_every_check_is_audited_and_listed_for_the_holder(
    client: TestClient,
    holder: HolderSetup,
    police: VerifierSetup,
    rental: VerifierSetup,
    container: Container,
) -> None:
    code = _code(client, holder)
    _check(client, rental, code=code)
    _check(client, police, code=code)  # refused: already used
    _check(client, rental, licence_number="110105199001051234", purpose="curious")
    checks = client.get("/api/v1/accounts/me/checks", headers=holder.headers).json()["items"]
    assert [(c["organisation"], c["outcome"]) for c in checks] == [
        ("police org", "CODE_ALREADY_USED"),
        ("rental org", "ok"),
    ]
    assert "points" not in checks[1]["fields_seen"] and "name" in checks[1]["fields_seen"]
    report = audit.verify(container)
    assert report.valid and report.checked == 3


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        ("UPDATE audit_log SET purpose = 'nothing to see' WHERE seq = 2", "AUDIT_ENTRY_ALTERED"),
        ("UPDATE audit_log SET outcome = 'ok' WHERE seq = 2", "AUDIT_ENTRY_ALTERED"),
        ("DELETE FROM audit_log WHERE seq = 2", "AUDIT_ENTRY_DELETED"),
        (
            "UPDATE audit_log SET seq = 102 WHERE seq = 2; "
            "UPDATE audit_log SET seq = 2 WHERE seq = 3; "
            "UPDATE audit_log SET seq = 3 WHERE seq = 102",
            "AUDIT_ENTRY_REORDERED",
        ),
    ],
)
def test_audit_tampering_is_detected_by_the_cli(
    client: TestClient,
    holder: HolderSetup,
    police: VerifierSetup,
    container: Container,
    monkeypatch: pytest.MonkeyPatch,
    tamper: str,
    problem: str,
) -> None:
    import typer

    from motorcred.entrypoints.cli import audit as audit_cli

    app = typer.Typer()
    audit_cli.register(app)
    app.command("noop")(lambda: None)  # a second command keeps "audit" a sub-command
    code = _code(client, holder)
    for _ in range(3):
        _check(client, police, code=code)
    _check(client, police, code="MC0:" + "0" * 24)
    settings = container.settings
    monkeypatch.setenv("MOTORCRED_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MOTORCRED_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("MOTORCRED_PROFILE", "demo")
    runner = CliRunner()
    result = runner.invoke(app, ["audit", "verify", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["checked"] == 4
    with container.engine.begin() as conn:
        for statement in tamper.split("; "):
            conn.execute(text(statement))
    result = runner.invoke(app, ["audit", "verify", "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["problem"]["code"] == problem


def test_staff_and_holder_tokens_are_not_verifiers(client: TestClient, holder: HolderSetup) -> None:
    for headers in (holder.headers, {"Authorization": "Bearer integration-staff-token"}):
        answer = client.post("/api/v1/verifications", json={"code": "MC0:x"}, headers=headers)
        assert (answer.status_code, answer.json()["code"]) == (403, "VERIFIER_ROLE_FORBIDDEN")
    answer = client.post(
        "/api/v1/verifications", json={"code": "MC0:x"}, headers={"Authorization": "Bearer junk"}
    )
    assert (answer.status_code, answer.json()["code"]) == (401, "VERIFIER_AUTH_REQUIRED")
