"""``POST /api/v1/photos/precheck``: the holder app checks a photo before submitting it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from motorcred.adapters.photo.decode import DEFAULT_LIMITS
from motorcred.bootstrap import build_container
from motorcred.config import Settings
from motorcred.entrypoints.api.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "unit" / "adapters" / "photo"))
import portraits

PASSWORD = "correct horse battery"
URL = "/api/v1/photos/precheck"


@pytest.fixture
def client(clean_db: Engine, settings: Settings) -> Iterator[TestClient]:
    cheap = settings.model_copy(update={"argon2_memory_kib": 8192, "argon2_time_cost": 1})
    container = build_container(cheap)
    try:
        yield TestClient(create_app(cheap, container=container))
    finally:
        container.close()


@pytest.fixture
def auth(client: TestClient) -> dict[str, str]:
    login = {"login": "13800138000", "password": PASSWORD}
    assert client.post("/api/v1/accounts", json=login).status_code == 201
    session = client.post("/api/v1/sessions", json=login)
    assert session.status_code == 201, session.text
    return {"Authorization": f"Bearer {session.json()['token']}"}


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["code"] == code
    return body


def test_good_photo_passes(client: TestClient, auth: dict[str, str]) -> None:
    body = portraits.encode(portraits.good(), quality=90)
    response = client.post(URL, content=body, headers={**auth, "Content-Type": "image/jpeg"})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["passed"] is True
    assert result["rules_version"].startswith("photo-rules/")
    assert result["findings"] == []
    assert result["source"] == {"format": "jpeg", "width": 330, "height": 480}
    assert len(result["faces"]) == 1


def test_photo_breaking_rules_lists_every_finding(client: TestClient, auth: dict[str, str]) -> None:
    bad = portraits.on_background((60, 110, 200), offset_x=110)
    response = client.post(URL, content=portraits.encode(bad, "PNG"), headers=auth)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["passed"] is False
    codes = {f["code"] for f in result["findings"]}
    assert {"PHOTO_BACKGROUND_NOT_WHITE", "PHOTO_FACE_OFF_CENTRE"} <= codes
    finding = result["findings"][0]
    assert set(finding["message"]) == {"zh", "en"}


def test_undecodable_photos_are_problems(client: TestClient, auth: dict[str, str]) -> None:
    gif = portraits.encode(portraits.good(), "GIF")
    problem(client.post(URL, content=gif, headers=auth), 422, "PHOTO_TYPE_UNSUPPORTED")
    truncated = portraits.encode(portraits.good(), quality=90)[:2000]
    problem(client.post(URL, content=truncated, headers=auth), 400, "PHOTO_CORRUPT")
    problem(client.post(URL, content=b"", headers=auth), 400, "PHOTO_CORRUPT")


def test_oversized_body_is_refused_before_decoding(
    client: TestClient, auth: dict[str, str]
) -> None:
    huge = b"\xff\xd8\xff" + b"\x00" * DEFAULT_LIMITS.max_bytes
    problem(client.post(URL, content=huge, headers=auth), 422, "PHOTO_TOO_LARGE")


def test_login_is_required(client: TestClient) -> None:
    body = portraits.encode(portraits.good(), quality=90)
    problem(client.post(URL, content=body), 401, "HOLDER_AUTH_REQUIRED")


def test_openapi_documents_the_binary_body(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    content = spec["paths"][URL]["post"]["requestBody"]["content"]
    assert {"image/jpeg", "image/png", "image/heic"} <= set(content)
