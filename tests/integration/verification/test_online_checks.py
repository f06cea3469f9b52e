"""Online codes and checks through the API: single use, expiry, masking per role, status."""

from __future__ import annotations

import base64

from fastapi.testclient import TestClient
from verification_fixtures import (
    ADDRESS,
    ID_NUMBER,
    PORTRAIT,
    Clock,
    HolderSetup,
    VerifierSetup,
    add_verifier,
)

from motorcred.adapters.codes.read import read_code
from motorcred.bootstrap import Container


def _code(client: TestClient, holder: HolderSetup) -> dict[str, str]:
    response = client.post(
        f"/api/v1/credentials/{holder.credential_id}/online-code", headers=holder.headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, str] = response.json()
    return body


def _check(client: TestClient, verifier: VerifierSetup, **body: object) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = client.post("/api/v1/verifications", json=body, headers=verifier.headers)
    return response.status_code, response.json()


def test_code_is_random_single_use_and_rendered(
    client: TestClient, holder: HolderSetup, police: VerifierSetup
) -> None:
    first, second = _code(client, holder), _code(client, holder)
    assert first["code"].startswith("MC0:") and first["code"] != second["code"]
    assert read_code(base64.b64decode(first["qr_png_base64"])) == first["code"]
    assert first["qr_svg"].lstrip().startswith("<?xml") and "<svg" in first["barcode_svg"]

    status, body = _check(client, police, code=first["code"])
    assert status == 200, body
    assert body["status"] == "valid"
    status, body = _check(client, police, code=first["code"])
    assert (status, body["code"]) == (409, "CODE_ALREADY_USED")
    assert "fields" not in body


def test_code_expires_after_the_ttl(
    client: TestClient, holder: HolderSetup, police: VerifierSetup, clock: Clock
) -> None:
    code = _code(client, holder)["code"]
    clock.advance(seconds=61)
    status, body = _check(client, police, code=code)
    assert (status, body["code"]) == (422, "CODE_EXPIRED")


def test_unknown_and_malformed_codes(client: TestClient, police: VerifierSetup) -> None:
    status, body = _check(client, police, code="MC0:" + "0" * 24)
    assert status == 404 and body["code"] == "CODE_UNKNOWN"
    status, body = _check(client, police, code="not a code")
    assert status == 400 and body["code"] == "CODE_UNKNOWN_FORMAT"


def test_holder_cannot_make_codes_for_someone_elses_credential(
    client: TestClient, holder: HolderSetup, container: Container
) -> None:
    from verification_fixtures import add_holder

    other = add_holder(
        container, id_number="11010519491231002X", login="13900139000", application_id="app-2"
    )
    response = client.post(
        f"/api/v1/credentials/{holder.credential_id}/online-code", headers=other.headers
    )
    assert response.status_code == 404 and response.json()["code"] == "CREDENTIAL_UNKNOWN"


def test_rental_sees_the_masked_view(
    client: TestClient, holder: HolderSetup, rental: VerifierSetup
) -> None:
    status, body = _check(client, rental, code=_code(client, holder)["code"])
    assert status == 200, body
    fields = body["fields"]
    assert fields["name"] == "张*三"
    assert fields["licence_number"] == "110105********1234"
    assert fields["address"] == "北京市朝阳区"
    assert "points" not in fields and "portrait" not in fields and "birth_date" not in fields
    assert body["fields_seen"] == sorted(fields)


def test_police_see_portrait_and_points(
    client: TestClient, holder: HolderSetup, police: VerifierSetup
) -> None:
    status, body = _check(client, police, code=_code(client, holder)["code"])
    assert status == 200
    fields = body["fields"]
    assert fields["name"] == "张小三" and fields["licence_number"] == ID_NUMBER
    assert fields["points"] == 3 and fields["address"] == ADDRESS
    assert base64.b64decode(fields["portrait"]) == PORTRAIT
    assert {"portrait", "points"} <= set(body["fields_seen"])


def test_live_status_follows_suspension_and_revocation(
    client: TestClient, holder: HolderSetup, police: VerifierSetup, container: Container
) -> None:
    container.issuance.suspend(holder.licence_id)
    status, body = _check(client, police, code=_code(client, holder)["code"])
    assert (status, body["status"], body["fields"]["status"]) == (200, "suspended", "suspended")
    code = _code(client, holder)["code"]  # shown before the revocation
    container.issuance.revoke(holder.licence_id)
    status, body = _check(client, police, code=code)
    assert (status, body["status"]) == (200, "revoked")


def test_expired_credential_reports_expired(
    client: TestClient,
    holder: HolderSetup,
    police: VerifierSetup,
    clock: Clock,
    container: Container,
) -> None:
    from verification_fixtures import PASSWORD

    from motorcred.services import accounts

    # A credential is valid for at most a year: 400 days on it has expired.
    clock.advance(days=400)
    holder.token = accounts.log_in(container, "13800138000", PASSWORD).token
    status, body = _check(client, police, code=_code(client, holder)["code"])
    assert (status, body["status"]) == (200, "expired")


def test_police_lookup_needs_a_purpose_and_police(
    client: TestClient, holder: HolderSetup, police: VerifierSetup, rental: VerifierSetup
) -> None:
    status, body = _check(client, police, licence_number=ID_NUMBER)
    assert (status, body["code"]) == (422, "LOOKUP_PURPOSE_REQUIRED")
    status, body = _check(client, rental, licence_number=ID_NUMBER, purpose="rental check")
    assert (status, body["code"]) == (403, "LOOKUP_FORBIDDEN")
    assert "fields" not in body
    status, body = _check(client, police, licence_number=ID_NUMBER, purpose="roadside stop")
    assert status == 200 and body["fields"]["points"] == 3 and body["purpose"] == "roadside stop"
    status, body = _check(client, police, licence_number="110105199001059999", purpose="stop")
    assert (status, body["code"]) == (404, "LICENCE_NOT_FOUND")


def test_request_must_name_one_subject(client: TestClient, police: VerifierSetup) -> None:
    status, body = _check(client, police)
    assert (status, body["code"]) == (400, "VERIFICATION_REQUEST_INVALID")
    status, body = _check(client, police, code="MC0:x", consent_id=1)
    assert (status, body["code"]) == (400, "VERIFICATION_REQUEST_INVALID")


def test_every_role_sees_exactly_its_policy(
    client: TestClient, holder: HolderSetup, container: Container
) -> None:
    from motorcred.domain.masking import EDL_POLICY, VERIFIER_ROLES, Access

    for role in VERIFIER_ROLES:
        verifier = add_verifier(container, role, name=f"{role} policy org")
        status, body = _check(client, verifier, code=_code(client, holder)["code"])
        assert status == 200
        expected = {
            f
            for f, row in EDL_POLICY.items()
            if row[role] is not Access.HIDDEN and f not in ("records",)
        }
        assert set(body["fields"]) == expected, role
