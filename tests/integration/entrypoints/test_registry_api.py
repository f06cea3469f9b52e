"""Registry admin API through FastAPI's TestClient: staff-only, problem+json codes with
field pointers, create/read/patch, events, history, search, OpenAPI."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from motorcred.bootstrap import build_container
from motorcred.config import Settings
from motorcred.entrypoints.api.app import create_app

STAFF = {"Authorization": "Bearer integration-staff-token"}
ID_NUMBER = "11010519491231002X"
PERSON = {"id_number": ID_NUMBER, "name": "王小明", "phone": "13912345678", "city_code": "110100"}
VIN = "LSVAU218XN2183294"


@pytest.fixture
def client(clean_db: Engine, settings: Settings) -> Iterator[TestClient]:
    container = build_container(settings)
    with TestClient(create_app(settings, container=container)) as c:
        yield c
    container.close()


def licence_body(person_id: int, **changes: Any) -> dict[str, Any]:
    return {
        "person_id": person_id, "file_number": "110100000001", "classes": "C1E",
        "class_dates": {"E": "2015-03-02"}, "first_issue_date": "2010-05-01",
        "valid_from": "2022-05-01", "valid_until": None, "issuing_authority_code": "110100",
        "issuing_authority_name": "北京市公安局公安交通管理局",
    } | changes  # fmt: skip


def vehicle_body(**changes: Any) -> dict[str, Any]:
    return {
        "plate": "京A12345", "plate_type": "02", "vin": VIN, "engine_number": "EA211X01",
        "brand": "大众", "model": "朗逸", "vehicle_type": "K33", "use_character": "A",
        "owner_id_number": ID_NUMBER, "registration_date": "2022-03-01", "seats": 5,
    } | changes  # fmt: skip


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code, body
    return body


def test_staff_token_required(client: TestClient) -> None:
    problem(client.get("/api/v1/registry/persons/1"), 401, "AUTH_REQUIRED")
    bad = {"Authorization": "Bearer nope"}
    problem(client.post("/api/v1/registry/persons", json=PERSON, headers=bad), 403,
            "STAFF_ROLE_REQUIRED")  # fmt: skip


@pytest.mark.parametrize(
    ("path", "body", "code", "pointer"),
    [
        ("persons", PERSON | {"id_number": "110105194912310021"}, "ID_CHECK_DIGIT", "/id_number"),
        ("persons", PERSON | {"sex": "M"}, "ID_SEX_MISMATCH", "/sex"),
        ("vehicles", vehicle_body(vin="LSVAU2180N2183294"), "VIN_CHECK_DIGIT", "/vin"),
        ("vehicles", vehicle_body(plate="京I12345"), "PLATE_FORMAT", "/plate"),
        ("vehicles", vehicle_body(plate="粤BD12345"), "PLATE_TYPE_MISMATCH", "/plate"),
        ("vehicles", vehicle_body(vehicle_type="ZZZ"), "VEHICLE_TYPE_UNKNOWN", "/vehicle_type"),
    ],
)
def test_validation_failures_are_problems_with_codes_and_pointers(
    client: TestClient, path: str, body: dict[str, Any], code: str, pointer: str
) -> None:
    response = client.post(f"/api/v1/registry/{path}", json=body, headers=STAFF)
    detail = problem(response, 422, code)
    assert detail["details"]["pointer"] == pointer
    assert detail["detail"]


def test_licence_with_unknown_class_and_not_found_codes(client: TestClient) -> None:
    person = client.post("/api/v1/registry/persons", json=PERSON, headers=STAFF)
    assert person.status_code == 201, person.text
    pid = person.json()["id"]
    bad = client.post("/api/v1/registry/licences", json=licence_body(pid, classes="C1X"),
                      headers=STAFF)  # fmt: skip
    assert problem(bad, 422, "CLASS_UNKNOWN")["details"]["pointer"] == "/classes"
    problem(client.get("/api/v1/registry/persons/999999", headers=STAFF), 404, "PERSON_NOT_FOUND")
    problem(client.get("/api/v1/registry/licences/999999", headers=STAFF), 404,
            "LICENCE_NOT_FOUND")  # fmt: skip
    problem(client.get("/api/v1/registry/vehicles/999999", headers=STAFF), 404,
            "VEHICLE_NOT_FOUND")  # fmt: skip
    problem(client.post("/api/v1/registry/vehicles", json=vehicle_body(owner_id_number=
            "440102198001021230"), headers=STAFF), 404, "OWNER_NOT_FOUND")  # fmt: skip
    problem(client.post("/api/v1/registry/persons", json=PERSON | {"colour": "red"},
                        headers=STAFF), 422, "REQUEST_INVALID")  # fmt: skip


def test_full_round_trip(client: TestClient) -> None:
    created = client.post("/api/v1/registry/persons", json=PERSON, headers=STAFF)
    assert created.status_code == 201
    pid = created.json()["id"]
    again = client.post("/api/v1/registry/persons", json=PERSON, headers=STAFF)
    assert again.status_code == 200 and again.json()["id"] == pid
    problem(client.post("/api/v1/registry/persons", json=PERSON | {"name": "李四"},
                        headers=STAFF), 409, "PERSON_EXISTS")  # fmt: skip

    lic = client.post("/api/v1/registry/licences", json=licence_body(pid), headers=STAFF)
    assert lic.status_code == 201, lic.text
    licence = lic.json()
    assert licence["number"] == ID_NUMBER and licence["classes"] == "C1E"
    assert licence["class_grants"] == {"C1": "2010-05-01", "E": "2015-03-02"}
    assert licence["valid_until"] is None and licence["status"] == "A"

    veh = client.post("/api/v1/registry/vehicles", json=vehicle_body(), headers=STAFF)
    assert veh.status_code == 201, veh.text
    vid = veh.json()["id"]

    patched = client.patch(f"/api/v1/registry/persons/{pid}",
                           json={"address": "北京市朝阳区建国路88号", "expected_version": 1},
                           headers=STAFF)  # fmt: skip
    assert patched.status_code == 200 and patched.json()["version"] == 2
    problem(client.patch(f"/api/v1/registry/persons/{pid}",
                         json={"phone": "13800000000", "expected_version": 1}, headers=STAFF),
            409, "RECORD_CONFLICT")  # fmt: skip
    problem(client.patch(f"/api/v1/registry/persons/{pid}", json={"phone": "123"},
                         headers=STAFF), 422, "PHONE_FORMAT")  # fmt: skip

    events_url = f"/api/v1/registry/licences/{licence['id']}/events"
    violation = {"event_type": "violation", "payload": {"on": "2026-06-01", "points": 12}}
    keyed = STAFF | {"Idempotency-Key": "v-1"}
    event = client.post(events_url, json=violation, headers=keyed)
    assert event.status_code == 201, event.text
    assert event.json()["record"]["points"] == 12
    assert set(event.json()["record"]["status"]) >= {"B", "U"}
    retry = client.post(events_url, json=violation, headers=keyed)
    assert retry.status_code == 200 and retry.json()["replayed"] is True
    bad_event = client.post(f"/api/v1/registry/licences/{licence['id']}/events",
                            json={"event_type": "violation", "payload": {"on": "2026-03-02",
                                  "points": 40}}, headers=STAFF)  # fmt: skip
    assert problem(bad_event, 422, "POINTS_RANGE")["details"]["pointer"] == "/payload/points"
    unknown = client.post(f"/api/v1/registry/vehicles/{vid}/events",
                          json={"event_type": "teleported", "payload": {"on": "2026-03-02"}},
                          headers=STAFF)  # fmt: skip
    assert problem(unknown, 422, "EVENT_TYPE_UNKNOWN")["details"]["pointer"] == "/event_type"

    history = client.get(f"/api/v1/registry/licences/{licence['id']}/history", headers=STAFF)
    assert [e["event_type"] for e in history.json()["events"]] == ["violation"]

    found = client.post("/api/v1/registry/search", json={"plate": "京A12345"}, headers=STAFF)
    assert found.status_code == 200
    assert found.json()["person"]["id"] == pid
    assert [v["vin"] for v in found.json()["vehicles"]] == [VIN]
    problem(client.post("/api/v1/registry/search", json={"vin": "LSVAU218XN2183295"},
                        headers=STAFF), 404, "VEHICLE_NOT_FOUND")  # fmt: skip
    problem(client.post("/api/v1/registry/search", json={}, headers=STAFF), 422,
            "SEARCH_KEY_REQUIRED")  # fmt: skip


def test_openapi_renders_registry_paths(client: TestClient) -> None:
    spec = client.get("/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    for path in ("/api/v1/registry/persons", "/api/v1/registry/{kind}/{record_id}/events",
                 "/api/v1/registry/search", "/api/v1/registry/vehicles/{vehicle_id}"):  # fmt: skip
        assert path in paths
