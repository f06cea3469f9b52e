"""Fixtures for e-DL applications: a container with a clock the test moves, a PKI in
the keystore (so approval issues a real mdoc), a registry driver with a photo on file,
and a holder who is signed up, bound and has a device key — all through the API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from edl_fixtures import (
    ID_NUMBER,
    NAME,
    ON_FILE,
    PHONE,
    Driver,
    bind_and_register_device,
    signed_up_holder,
)
from fastapi.testclient import TestClient
from signing_fixtures import Clock, Pki  # importable once edl_fixtures set the path
from sqlalchemy import Engine

from motorcred.adapters.db.records import PersonData
from motorcred.adapters.db.repositories.applications import PhotoRepository
from motorcred.adapters.notify.log import LogNotifier
from motorcred.bootstrap import Container, build_container
from motorcred.config import Settings
from motorcred.domain.licence import DrivingLicence
from motorcred.entrypoints.api.app import create_app
from motorcred.services.registry_mapping import licence_data


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
    Pki(built.keystore)
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def driver(container: Container) -> Driver:
    now = container.clock()
    with container.unit_of_work() as uow:
        photo_ref = PhotoRepository(uow.connection, container.cipher, container.blind_index).put(
            ON_FILE, now=now
        )
        person_id = uow.persons.add(
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
        licence = DrivingLicence.create(
            number=ID_NUMBER,
            file_number="110100000001",
            class_grants={"C1": date(2016, 5, 1)},
            first_issue_date=date(2016, 5, 1),
            valid_from=date(2022, 5, 1),
            valid_until=date(2032, 5, 1),
            validity_years=10,
            issuing_authority_code="110000",
            issuing_authority_name="北京市公安局公安交通管理局",
            medical_exam_due=date(2032, 5, 1),
            photo_ref=photo_ref,
        )
        licence_id = uow.licences.add(licence_data(licence, person_id, "110100"), now=now)
        uow.commit()
    return Driver(person_id, licence_id, licence)


@pytest.fixture
def client(container: Container) -> TestClient:
    app = create_app(container.settings, container=container)
    app.state.notifier = LogNotifier()
    return TestClient(app)


@pytest.fixture
def holder(client: TestClient, driver: Driver) -> dict[str, str]:
    """A holder bound to ``driver`` with an active device key."""
    auth = signed_up_holder(client)
    bind_and_register_device(client, auth)
    return auth
