"""Helpers for the e-DL application tests: a container with a clock the test moves, a PKI in
the keystore (so approval issues a real mdoc), a registry driver with a photo on file,
and a holder who is signed up, bound and has a device key — all through the API."""

from __future__ import annotations

import base64
import importlib.util
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from fastapi.testclient import TestClient
from PIL import Image

from motorcred.bootstrap import Container
from motorcred.domain.licence import DrivingLicence
from motorcred.services.registry_mapping import licence_data

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parents[1] / "signing"))
sys.path.insert(0, str(HERE.parents[2] / "unit" / "adapters" / "photo"))
import portraits  # noqa: E402
from device_key_helper import DeviceKey  # noqa: E402

PASSWORD = "correct horse battery"
ID_NUMBER = "11010519491231002X"
NAME = "王小明"
PHONE = "13912345678"
ON_FILE = portraits.encode(portraits.good(), quality=90)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def someone_else() -> bytes:
    """A live photo of another person: face 0 of scikit-image's LFW sample (in the wheel)."""
    spec = importlib.util.find_spec("skimage")
    assert spec is not None and spec.submodule_search_locations
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "lfw_subset.npy"
    face = Image.fromarray((np.load(path)[0] * 255).astype("uint8"))
    face = face.resize((150, 150), Image.Resampling.BICUBIC).convert("RGB")
    canvas = Image.new("RGB", (portraits.WIDTH, portraits.HEIGHT), portraits.BACKGROUND)
    canvas.paste(face, (90, 200))
    return portraits.encode(canvas, quality=90)


def selfie() -> bytes:
    """The holder's live photo: the same face, framed a little differently."""
    return portraits.encode(portraits.on_background(offset_x=15, scale=1.45), quality=80)


@dataclass
class Driver:
    person_id: int
    licence_id: int
    licence: DrivingLicence

    def set_licence(self, container: Container, **changes: Any) -> None:
        self.licence = replace(self.licence, **changes)
        with container.unit_of_work() as uow:
            uow.licences.update(
                self.licence_id,
                licence_data(self.licence, self.person_id, "110100"),
                now=container.clock(),
            )
            uow.commit()


def problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code, body
    return body


def signed_up_holder(client: TestClient, login: str = "13800138000") -> dict[str, str]:
    """Sign up and log in; returns the bearer header."""
    assert client.post("/api/v1/accounts", json={"login": login, "password": PASSWORD}).is_success
    session = client.post("/api/v1/sessions", json={"login": login, "password": PASSWORD})
    return {"Authorization": f"Bearer {session.json()['token']}"}


def bind_and_register_device(client: TestClient, auth: dict[str, str]) -> None:
    bind(client, auth)
    register_device(client, auth)


def bind(client: TestClient, auth: dict[str, str]) -> None:
    """Bind the account to the registry person (code sent to the phone on record)."""
    notifier = client.app.state.notifier  # type: ignore[attr-defined]
    started = client.post(
        "/api/v1/accounts/me/binding", json={"id_number": ID_NUMBER, "name": NAME}, headers=auth
    )
    assert started.status_code == 202, started.text
    found = re.search(r"\b(\d{6})\b", notifier.sent[-1].body)
    assert found
    confirmed = client.post(
        "/api/v1/accounts/me/binding/confirm", json={"code": found.group(1)}, headers=auth
    )
    assert confirmed.status_code == 200, confirmed.text


def register_device(client: TestClient, auth: dict[str, str]) -> None:
    """Register a new P-256 device key by signing a server nonce."""
    account_id = client.get("/api/v1/accounts/me", headers=auth).json()["id"]
    key = DeviceKey.generate()
    nonce = client.post("/api/v1/accounts/me/device/nonce", headers=auth).json()["nonce"]
    bound = client.post(
        "/api/v1/accounts/me/device",
        json={"jwk": key.jwk, "nonce": nonce, "signature": key.sign(nonce, account_id)},
        headers=auth,
    )
    assert bound.status_code == 200, bound.text


STAFF = {"Authorization": "Bearer integration-staff-token"}
