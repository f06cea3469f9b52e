"""Fixtures for e-VRC issuance: the e-DL application fixtures (container with a moving
clock and a PKI, a bound holder) plus the holder's vehicle and someone else's."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "edl"))
from device_key_helper import DeviceKey
from edl_fixtures import (
    ID_NUMBER,
    NAME,
    PHONE,
    bind_and_register_device,
    signed_up_holder,
)
from evrc_fixtures import OTHER_ID, Holder, Registry, make_vehicle
from fastapi.testclient import TestClient
from signing_fixtures import Clock, Pki
from sqlalchemy import Engine

from motorcred.adapters.db.records import PersonData
from motorcred.adapters.notify.log import LogNotifier
from motorcred.bootstrap import Container, build_container
from motorcred.config import Settings
from motorcred.entrypoints.api.app import create_app
from motorcred.services.registry_mapping import vehicle_data


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def container(clean_db: Engine, settings: Settings, clock: Clock) -> Iterator[Container]:
    cheap = settings.model_copy(
        update={
            "argon2_memory_kib": 8192,
            "argon2_time_cost": 1,
            "status_list_size": 64,
            "public_base_url": "https://status.motorcred.invalid",
        }
    )
    built = build_container(cheap, clock=clock)
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def registry(container: Container) -> Registry:
    now = container.clock()
    with container.unit_of_work() as uow:
        owner_id = uow.persons.add(
            PersonData(
                id_number=ID_NUMBER,
                name=NAME,
                sex="F",
                birth_date=date(1949, 12, 31),
                phone=PHONE,
                city_code="110100",
            ),
            now=now,
        )
        other_id = uow.persons.add(
            PersonData(
                id_number=OTHER_ID,
                name="李四",
                sex="M",
                birth_date=date(1980, 1, 2),
                phone="13900000001",
                city_code="440100",
            ),
            now=now,
        )
        mine = make_vehicle()
        vehicle_id = uow.vehicles.add(vehicle_data(mine, owner_id, "110100"), now=now)
        theirs = make_vehicle(OTHER_ID, "粤A54321")
        others_vehicle_id = uow.vehicles.add(vehicle_data(theirs, other_id, "440100"), now=now)
        uow.commit()
    return Registry(owner_id, other_id, vehicle_id, mine, others_vehicle_id)


@pytest.fixture
def pki(container: Container) -> Pki:
    """An IACA and the current document-signer key in the container's keystore."""
    return Pki(container.keystore)


@pytest.fixture
def client(container: Container, pki: Pki) -> TestClient:
    app = create_app(container.settings, container=container)
    app.state.notifier = LogNotifier()
    return TestClient(app)


@pytest.fixture
def holder(client: TestClient, registry: Registry) -> Holder:
    """The owner, signed up and bound, with the device key the test holds."""
    auth = signed_up_holder(client)
    bind_and_register_device(client, auth)
    device = DeviceKey.generate()
    account_id = client.get("/api/v1/accounts/me", headers=auth).json()["id"]
    nonce = client.post("/api/v1/accounts/me/device/nonce", headers=auth).json()["nonce"]
    bound = client.post(
        "/api/v1/accounts/me/device",
        json={"jwk": device.jwk, "nonce": nonce, "signature": device.sign(nonce, account_id)},
        headers=auth,
    )
    assert bound.status_code == 200, bound.text
    return Holder(auth, device)
