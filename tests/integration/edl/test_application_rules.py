"""Who may apply and what each path checks: account binding, device key, rollout,
real-person check, photo pre-check, idempotent replays, lost generation."""

from __future__ import annotations

from datetime import date

import portraits
import pytest
from edl_fixtures import (
    Driver,
    b64,
    bind,
    problem,
    register_device,
    selfie,
    signed_up_holder,
    someone_else,
)
from fastapi.testclient import TestClient

from motorcred.bootstrap import Container
from motorcred.domain.rollout import City
from motorcred.errors import Refused
from motorcred.services.edl_applications import ApplyRequest, EdlApplicationService
from motorcred.services.edl_wiring import (
    build_identity_verifier,
    review_calendar,
    rollout_calendar,
)

URL = "/api/v1/edl/applications"


def post(client: TestClient, auth: dict[str, str], key: str, **body: str) -> object:
    return client.post(URL, json=body, headers={**auth, "Idempotency-Key": key})


def test_unbound_account_and_missing_device_are_refused(client: TestClient, driver: Driver) -> None:
    auth = signed_up_holder(client, "13700137000")
    body = {"photo_path": "on_file", "live_photo": b64(selfie())}
    problem(post(client, auth, "k-unbound-1", **body), 422, "ACCOUNT_NOT_BOUND")
    missing_key = client.post(URL, json=body, headers=auth)
    problem(missing_key, 422, "IDEMPOTENCY_KEY_REQUIRED")
    problem(client.post(URL, json=body), 401, "HOLDER_AUTH_REQUIRED")


def test_a_device_key_is_needed_and_a_licence_on_record(
    client: TestClient, container: Container, driver: Driver
) -> None:
    auth = signed_up_holder(client, "13700137001")
    bind(client, auth)
    body = {"photo_path": "on_file", "live_photo": b64(selfie())}
    problem(post(client, auth, "k-nodev-001", **body), 422, "DEVICE_NOT_BOUND")
    register_device(client, auth)
    with container.unit_of_work() as uow:
        from sqlalchemy import delete

        from motorcred.adapters.db.tables import licence_classes, licences

        uow.connection.execute(
            delete(licence_classes).where(licence_classes.c.licence_id == driver.licence_id)
        )
        uow.connection.execute(delete(licences).where(licences.c.id == driver.licence_id))
        uow.commit()
    problem(post(client, auth, "k-nolic-001", **body), 422, "LICENCE_NOT_FOUND")


def test_bad_requests(client: TestClient, holder: dict[str, str]) -> None:
    problem(post(client, holder, "short", photo_path="on_file"), 422, "IDEMPOTENCY_KEY_INVALID")
    problem(post(client, holder, "k-bad-0001", photo_path="fax"), 422, "PHOTO_PATH_UNKNOWN")
    problem(post(client, holder, "k-bad-0002", photo_path="on_file"), 422, "LIVE_PHOTO_REQUIRED")
    problem(post(client, holder, "k-bad-0003", photo_path="camera"), 422, "PHOTO_REQUIRED")
    problem(
        post(client, holder, "k-bad-0004", photo_path="album", photo="***"),
        422,
        "PHOTO_ENCODING_INVALID",
    )


def test_a_photo_failing_the_precheck_lists_every_finding(
    client: TestClient, holder: dict[str, str]
) -> None:
    bad = portraits.encode(portraits.on_background((60, 110, 200), offset_x=110), quality=90)
    body = problem(
        post(client, holder, "k-pre-0001", photo_path="camera", photo=b64(bad)),
        422,
        "PHOTO_PRECHECK_FAILED",
    )
    codes = {f["code"] for f in body["details"]["findings"]}
    assert len(codes) >= 2 and all(c.startswith("PHOTO_") for c in codes)
    assert client.get(URL, headers=holder).json()["items"] == []  # nothing queued


def test_failed_real_person_check_is_a_recorded_refusal(
    client: TestClient, holder: dict[str, str]
) -> None:
    live = b64(someone_else())
    body = problem(
        post(client, holder, "k-idc-0001", photo_path="on_file", live_photo=live),
        422,
        "IDENTITY_CHECK_FAILED",
    )
    shown = client.get(f"{URL}/{body['details']['application_id']}", headers=holder).json()
    assert shown["state"] == "refused" and shown["identity_check"]["matched"] is False
    again = post(client, holder, "k-idc-0001", photo_path="on_file", live_photo=live)
    assert problem(again, 422, "IDENTITY_CHECK_FAILED")["details"] == body["details"]


def test_no_photo_on_file_sends_the_holder_to_the_upload_path(
    client: TestClient, container: Container, driver: Driver, holder: dict[str, str]
) -> None:
    driver.set_licence(container, photo_ref="not-a-stored-photo")
    response = post(client, holder, "k-nof-0001", photo_path="on_file", live_photo=b64(selfie()))
    problem(response, 422, "PHOTO_ON_FILE_MISSING")


def test_city_not_yet_enabled_names_its_start_date(
    container: Container, driver: Driver, holder: dict[str, str], client: TestClient
) -> None:
    later = rollout_calendar().with_cities(
        [City("110100", "北京市", "北京市", date(2027, 3, 1), date(2022, 7, 1))]
    )
    service = EdlApplicationService(
        container,
        verifier=build_identity_verifier(container.settings),
        rollout=later,
        working_days=review_calendar(),
    )
    account_id = client.get("/api/v1/accounts/me", headers=holder).json()["id"]
    driver.set_licence(container, status=frozenset({"U", "S"}))
    with pytest.raises(Refused) as info:
        service.apply(
            account_id,
            ApplyRequest("k-roll-0001", "on_file", live_photo=selfie()),
        )
    codes = [r["code"] for r in info.value.details["refusals"]]
    assert codes == ["EDL_NOT_AVAILABLE_IN_CITY", "LICENCE_REVIEW_OVERDUE", "LICENCE_DETAINED"]
    assert info.value.details["refusals"][0]["details"]["starts_on"] == "2027-03-01"
    assert info.value.code == "EDL_NOT_AVAILABLE_IN_CITY"


def test_production_refuses_the_local_comparison(container: Container) -> None:
    from motorcred.errors import ConfigurationError

    production = container.settings.model_copy(update={"profile": "production"})
    with pytest.raises(ConfigurationError) as info:
        build_identity_verifier(production)
    assert info.value.code == "CONFIG_IDENTITY_LOCAL"
    http = production.model_copy(
        update={"identity_verifier": "http", "identity_http_url": "https://verify.invalid/x"}
    )
    assert build_identity_verifier(http).name == "http"
