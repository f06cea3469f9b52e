"""The e-DL application flow end to end through the API, on SQLite and PostgreSQL:
sign-up → bind → device → apply → refusal for a suspended licence → photo on file
→ upload → review approve / reject / malicious → overdue report."""

from __future__ import annotations

from datetime import UTC, datetime

import portraits
from edl_fixtures import STAFF, Driver, b64, problem, selfie
from fastapi.testclient import TestClient
from signing_fixtures import Clock

from motorcred.bootstrap import Container

URL = "/api/v1/edl/applications"


def apply(client: TestClient, auth: dict[str, str], key: str, **body: str) -> object:
    return client.post(URL, json=body, headers={**auth, "Idempotency-Key": key})


def upload(client: TestClient, auth: dict[str, str], key: str, path: str = "camera") -> object:
    photo = portraits.encode(portraits.good(), quality=88)
    return apply(client, auth, key, photo_path=path, photo=b64(photo))


def claim(client: TestClient, reviewer: str = "reviewer-1") -> dict[str, object]:
    response = client.post("/api/v1/review/claim", json={"reviewer": reviewer}, headers=STAFF)
    assert response.status_code == 200, response.text
    return response.json()


def test_refusal_then_photo_on_file_then_review_paths(
    client: TestClient, container: Container, driver: Driver, holder: dict[str, str], clock: Clock
) -> None:
    # A suspended licence is refused with its own code, and the refusal is kept.
    driver.set_licence(container, status=frozenset({"D"}))
    refused = apply(client, holder, "apply-0001", photo_path="on_file", live_photo=b64(selfie()))
    body = problem(refused, 422, "LICENCE_SUSPENDED")
    [reason] = body["details"]["refusals"]
    assert reason["action"]["en"] and reason["message"]["zh"]
    refused_id = body["details"]["application_id"]
    shown = client.get(f"{URL}/{refused_id}", headers=holder).json()
    assert shown["state"] == "refused" and shown["refusals"][0]["code"] == "LICENCE_SUSPENDED"
    # The same key replays the same refusal, without a second record.
    again = apply(client, holder, "apply-0001", photo_path="on_file", live_photo=b64(selfie()))
    assert problem(again, 422, "LICENCE_SUSPENDED")["details"]["application_id"] == refused_id

    # Suspension over: the photo on file plus the real-person check issues at once.
    driver.set_licence(container, status=frozenset({"A"}))
    created = apply(client, holder, "apply-0002", photo_path="on_file", live_photo=b64(selfie()))
    assert created.status_code == 201, created.text
    issued = created.json()
    assert issued["state"] == "issued" and issued["credential_id"] is not None
    assert issued["identity_check"]["matched"] is True
    assert container.issuance.current_edl(driver.licence_id).id == issued["credential_id"]
    replay = apply(client, holder, "apply-0002", photo_path="on_file", live_photo=b64(selfie()))
    assert replay.status_code == 200 and replay.json()["id"] == issued["id"]
    reused = apply(client, holder, "apply-0002", photo_path="album", photo=b64(selfie()))
    problem(reused, 409, "IDEMPOTENCY_KEY_REUSED")

    # Upload path: pre-checked, queued with its SLA, one open application per licence.
    queued = upload(client, holder, "apply-0003")
    assert queued.status_code == 201, queued.text
    assert queued.json()["state"] == "in_review"
    # Submitted Monday 16:00 Beijing → due at the end of Tuesday, Beijing time.
    assert queued.json()["review_due_at"].startswith("2026-11-24T15:59:59")
    open_body = problem(upload(client, holder, "apply-0004"), 409, "APPLICATION_ALREADY_OPEN")
    assert open_body["details"]["application_id"] == queued.json()["id"]

    # Reviewer rejects with a reason the holder reads.
    item = claim(client)
    assert item["application_id"] == queued.json()["id"]
    photo = client.get(item["photo_url"], headers=STAFF)
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
    assert photo.content.startswith(b"\xff\xd8")
    rejected = client.post(
        f"/api/v1/review/items/{item['application_id']}/reject",
        json={"claim_token": item["claim_token"], "reason": "背景不是白色 / background not white"},
        headers=STAFF,
    )
    assert rejected.status_code == 200, rejected.text
    seen = client.get(f"{URL}/{item['application_id']}", headers=holder).json()
    assert seen["state"] == "rejected" and seen["reason"]["code"] == "PHOTO_REJECTED"
    assert seen["reason"]["reviewer_note"] == "背景不是白色 / background not white"
    assert client.post("/api/v1/review/claim", headers=STAFF).status_code == 204  # empty

    # A new upload, approved: a new credential supersedes the first one.
    second = upload(client, holder, "apply-0005", path="album").json()
    item = claim(client)
    approved = client.post(
        f"/api/v1/review/items/{item['application_id']}/approve",
        json={"claim_token": item["claim_token"]},
        headers=STAFF,
    )
    assert approved.status_code == 200, approved.text
    done = client.get(f"{URL}/{second['id']}", headers=holder).json()
    assert done["state"] == "issued" and done["credential_id"] != issued["credential_id"]
    assert container.issuance.current_edl(driver.licence_id).id == done["credential_id"]

    # A deliberately unacceptable photo: rejected, the e-licence stopped, no new application.
    third = upload(client, holder, "apply-0006").json()
    item = claim(client)
    flagged = client.post(
        f"/api/v1/review/items/{item['application_id']}/flag",
        json={"claim_token": item["claim_token"], "reason": "photo of a celebrity"},
        headers=STAFF,
    )
    assert flagged.status_code == 200, flagged.text
    seen = client.get(f"{URL}/{third['id']}", headers=holder).json()
    assert seen["state"] == "rejected" and seen["reason"]["code"] == "PHOTO_FLAGGED_MALICIOUS"
    assert _status_of_current(container, driver) == "suspended"
    problem(upload(client, holder, "apply-0007"), 422, "PHOTO_FLAGGED_MALICIOUS")
    cleared = client.post(f"/api/v1/review/flags/{driver.licence_id}/clear", headers=STAFF)
    assert cleared.status_code == 200
    assert _status_of_current(container, driver) == "valid"
    assert upload(client, holder, "apply-0008").json()["state"] == "in_review"

    mine = client.get(URL, headers=holder).json()["items"]
    assert [a["state"] for a in mine][:2] == ["in_review", "rejected"]

    # Overdue report: nothing overdue today; after the SLA the item shows up.
    report = client.get("/api/v1/review/overdue", headers=STAFF).json()
    assert report["waiting"] == 1 and report["overdue"] == 0
    clock.now = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # Wednesday 09:00 Beijing
    report = client.get("/api/v1/review/overdue", headers=STAFF).json()
    assert report["overdue"] == 1 and report["oldest_overdue"][0]["claimed_by"] is None
    assert report["oldest_due_at"].startswith("2026-11-24T15:59:59")


def _status_of_current(container: Container, driver: Driver) -> str:
    from motorcred.services.status_lists import STATUS_SUSPENDED, STATUS_VALID

    current = container.issuance.current_edl(driver.licence_id)
    with container.unit_of_work() as uow:
        value = uow.status_lists.entry_status(current.status_list_id, current.status_index)
    return {STATUS_VALID: "valid", STATUS_SUSPENDED: "suspended"}.get(value, str(value))
