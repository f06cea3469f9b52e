"""e-VRC through the API on the database under test: the owner gets a verifiable
org.iso.7367.1.mVRC bound to the phone's key; refusals, warnings and idempotency."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from device_key_helper import DeviceKey
from edl_fixtures import problem, signed_up_holder
from evrc_fixtures import URL, Holder, Registry, apply, verify
from fastapi.testclient import TestClient
from signing_fixtures import Clock, Pki

from motorcred.bootstrap import Container
from motorcred.formats.mdoc.doctypes import CN_VRC_NS, MVRC_DOCTYPE, MVRC_NS


def test_owner_gets_a_verifiable_evrc_bound_to_the_device_key(
    client: TestClient, container: Container, pki: Pki, clock: Clock, holder: Holder
) -> None:
    answer = apply(client, holder)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["plate"] == "京A12345" and body["warnings"] == []
    credential = body["credential"]
    assert credential["kind"] == "evrc" and credential["state"] == "active"
    report = verify(container, pki, clock, credential, holder)
    assert report.valid, report.to_json()
    (doc,) = report.documents
    assert doc.doctype == MVRC_DOCTYPE
    assert doc.device_auth == "ok" and doc.status == "valid"
    assert doc.elements[MVRC_NS]["registration_number"] == "京A12345"
    assert doc.elements[MVRC_NS]["vehicle_identification_number"] == "UU6JA69691D713820"
    cn = doc.elements[CN_VRC_NS]
    assert cn["plate_number"] == "京A12345" and cn["use_character"] == "A"
    assert cn["vehicle_status"] == "A"
    assert doc.elements[MVRC_NS]["issuing_authority_unicode"].startswith("北京市")


def test_another_device_cannot_present_it(
    client: TestClient, container: Container, pki: Pki, clock: Clock, holder: Holder
) -> None:
    credential = apply(client, holder).json()["credential"]
    thief = Holder(holder.auth, DeviceKey.generate())
    report = verify(container, pki, clock, credential, thief)
    assert not report.valid
    assert report.documents[0].device_auth == "failed"


def test_a_retry_answers_the_same_credential_and_a_reused_key_conflicts(
    client: TestClient, holder: Holder, registry: Registry
) -> None:
    first = apply(client, holder)
    assert first.status_code == 201, first.text
    again = apply(client, holder, plate="京A12345")
    assert again.status_code == 200, again.text
    assert again.json()["credential"]["id"] == first.json()["credential"]["id"]
    by_id = apply(client, holder, vehicle_id=registry.vehicle_id)
    assert by_id.json()["credential"]["id"] == first.json()["credential"]["id"]
    problem(
        apply(client, holder, vehicle_id=registry.others_vehicle_id), 409, "IDEMPOTENCY_KEY_REUSED"
    )


def test_a_new_application_supersedes_the_previous_evrc(
    client: TestClient, holder: Holder, container: Container, pki: Pki, clock: Clock
) -> None:
    first = apply(client, holder).json()["credential"]
    clock.advance(minutes=5)
    second = apply(client, holder, key="evrc-key-0002").json()["credential"]
    assert second["id"] != first["id"] and second["superseded_id"] == first["id"]
    old = verify(container, pki, clock, first, holder)
    assert old.documents[0].status == "invalid"
    assert "MDOC_STATUS_REVOKED" in {f.code for f in old.errors}
    assert verify(container, pki, clock, second, holder).valid


def test_the_holder_lists_the_credential(client: TestClient, holder: Holder) -> None:
    issued = apply(client, holder).json()["credential"]
    listed = client.get("/api/v1/evrc/credentials", headers=holder.auth)
    assert listed.status_code == 200, listed.text
    (item,) = [i for i in listed.json()["items"] if i["kind"] == "evrc"]
    assert item["id"] == issued["id"] and item["doctype"] == MVRC_DOCTYPE
    assert item["document"] == issued["document"]


def test_someone_elses_vehicle_is_refused_without_its_status(
    client: TestClient, holder: Holder, registry: Registry, container: Container
) -> None:
    body = problem(apply(client, holder, plate="粤A54321"), 422, "VEHICLE_NOT_OWNED")
    assert [r["code"] for r in body["details"]["refusals"]] == ["VEHICLE_NOT_OWNED"]
    problem(
        apply(client, holder, key="evrc-key-0002", vehicle_id=registry.others_vehicle_id),
        422,
        "VEHICLE_NOT_OWNED",
    )


@pytest.mark.parametrize(
    ("status", "code"),
    [("C", "VEHICLE_STOLEN"), ("K", "VEHICLE_SEALED"), ("P", "VEHICLE_SCRAPPED")],
)
def test_a_blocked_vehicle_is_refused_and_nothing_is_issued(
    client: TestClient,
    holder: Holder,
    registry: Registry,
    container: Container,
    status: str,
    code: str,
) -> None:
    registry.set_vehicle(container, replace(registry.vehicle, status=frozenset({status})))
    body = problem(apply(client, holder), 422, code)
    codes = [r["code"] for r in body["details"]["refusals"]]
    assert codes == [code]
    assert all(r["action"]["en"] for r in body["details"]["refusals"])
    listed = client.get("/api/v1/evrc/credentials", headers=holder.auth).json()["items"]
    assert [i for i in listed if i["kind"] == "evrc"] == []


def test_an_overdue_inspection_is_shown_not_refused(
    client: TestClient, holder: Holder, registry: Registry, container: Container
) -> None:
    registry.set_vehicle(
        container, replace(registry.vehicle, inspection_valid_until=date(2026, 5, 31))
    )
    answer = apply(client, holder)
    assert answer.status_code == 201, answer.text
    (warning,) = answer.json()["warnings"]
    assert warning["code"] == "VEHICLE_INSPECTION_OVERDUE"
    assert warning["details"] == {"inspection_valid_until": "2026-05-31"}


def test_a_city_not_yet_enabled_is_refused_with_its_start_date(
    client: TestClient, holder: Holder, clock: Clock
) -> None:
    clock.now = datetime(2022, 6, 30, 8, 0, tzinfo=UTC)
    body = problem(apply(client, holder), 422, "EVRC_NOT_AVAILABLE_IN_CITY")
    (refusal,) = body["details"]["refusals"]
    assert refusal["details"] == {"city": "110100", "starts_on": "2022-07-01"}


def test_an_unbound_account_and_a_missing_vehicle_are_refused(
    client: TestClient, holder: Holder, registry: Registry
) -> None:
    stranger = signed_up_holder(client, login="13800138001")
    problem(
        client.post(
            URL, json={"plate": "京A12345"}, headers={**stranger, "Idempotency-Key": "k" * 8}
        ),
        422,
        "ACCOUNT_NOT_BOUND",
    )
    problem(apply(client, holder, plate="京B99999"), 404, "VEHICLE_NOT_FOUND")
    problem(apply(client, holder, vehicle_id=999999), 404, "VEHICLE_NOT_FOUND")
    problem(
        apply(client, holder, plate="京A12345", vehicle_id=registry.vehicle_id),
        422,
        "VEHICLE_REFERENCE_REQUIRED",
    )
    problem(apply(client, holder, plate="not a plate"), 422, "PLATE_FORMAT")
    no_key = client.post(URL, json={"plate": "京A12345"}, headers=holder.auth)
    problem(no_key, 422, "IDEMPOTENCY_KEY_REQUIRED")
