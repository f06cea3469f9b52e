"""Helpers for the verification tests: a registry licence, a bound holder with an issued
e-DL, verifier organisations of every role, and an API client on the database under test."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from motorcred.adapters.db.records import LicenceData, PersonData
from motorcred.bootstrap import Container, build_container
from motorcred.config import Settings
from motorcred.domain.licence import DrivingLicence
from motorcred.domain.person import Person
from motorcred.entrypoints.api.app import create_app
from motorcred.formats.x509 import IssuerName, create_document_signer, create_iaca
from motorcred.services import accounts, verifiers
from motorcred.services.issuance import LicenceSubject

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ID_NUMBER = "110105199001051234"
NAME = "张小三"
ADDRESS = "北京市朝阳区建国路88号"
PASSWORD = "correct horse battery"
PORTRAIT = bytes.fromhex("ffd8ffe000104a46494600010101004800480000ffd9")


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def container(clean_db: Engine, settings: Settings, clock: Clock) -> Iterator[Container]:
    cheap = settings.model_copy(
        update={"argon2_memory_kib": 8192, "argon2_time_cost": 1, "status_list_size": 64}
    )
    built = build_container(cheap, clock=clock)
    yield built
    built.close()


def _install_pki(container: Container) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    iaca_key = ec.generate_private_key(ec.SECP256R1())
    iaca = create_iaca(
        iaca_key,
        name=IssuerName("CN", "motorcred test IACA"),
        not_before=start,
        not_after=start + timedelta(days=3650),
        serial_number=1,
        issuer_alt_name="https://iaca.motorcred.invalid",
    )
    ds_key = ec.generate_private_key(ec.SECP256R1())
    ds = create_document_signer(
        ds_key.public_key(),
        iaca_cert=iaca,
        iaca_key=iaca_key,
        common_name="motorcred test DS",
        not_before=start,
        not_after=start + timedelta(days=730),
        serial_number=2,
    )
    container.keystore.add_issuer("cn", iaca)
    container.keystore.add_document_signer("cn", "ds1", ds_key, ds, make_current=True)


@dataclass
class HolderSetup:
    account_id: int
    token: str
    licence_id: int
    credential_id: int

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def add_holder(
    container: Container,
    *,
    id_number: str = ID_NUMBER,
    name: str = NAME,
    login: str = "13800138000",
    points: int = 3,
    application_id: str = "app-1",
) -> HolderSetup:
    """A registry person and licence, a bound account and an issued e-DL."""
    now = container.clock()
    person = Person.create(id_number=id_number, name=name, address=ADDRESS)
    licence = DrivingLicence.create(
        number=id_number,
        file_number="1101" + "".join(c for c in id_number if c.isdigit())[-8:],
        class_grants={"C1": date(2014, 5, 1)},
        first_issue_date=date(2014, 5, 1),
        valid_from=date(2026, 5, 1),
        valid_until=date(2032, 5, 1),
        validity_years=6,
        points=points,
        issuing_authority_code="110000",
        issuing_authority_name="北京市公安局公安交通管理局",
    )
    with container.unit_of_work() as uow:
        person_id = uow.persons.add(
            PersonData(
                id_number=id_number,
                name=name,
                sex=person.sex,
                birth_date=person.birth_date,
                address=ADDRESS,
            ),
            now=now,
        )
        licence_id = uow.licences.add(
            LicenceData(
                person_id=person_id,
                number=id_number,
                file_number=licence.file_number,
                classes="C1",
                status="A",
                points=points,
                first_issue_date=licence.first_issue_date,
                valid_from=licence.valid_from,
                valid_until=licence.valid_until,
                issuing_authority="北京市公安局公安交通管理局",
                class_grants={"C1": date(2014, 5, 1)},
            ),
            now=now,
        )
        uow.commit()
    view = accounts.sign_up(container, login, PASSWORD)
    with container.unit_of_work() as uow:
        uow.accounts.bind_person(view.id, person_id, now=now)
        uow.commit()
    session = accounts.log_in(container, login, PASSWORD)
    if not container.keystore.issuers():
        _install_pki(container)
    issued = container.issuance.issue_edl(
        account_id=view.id,
        subject=LicenceSubject(licence_id, licence, person, PORTRAIT),
        device_key=ec.generate_private_key(ec.SECP256R1()).public_key(),
        application_id=application_id,
    )
    return HolderSetup(view.id, session.token, licence_id, issued.id)


@pytest.fixture
def holder(container: Container) -> HolderSetup:
    return add_holder(container)


@dataclass
class VerifierSetup:
    org_id: int
    role: str
    api_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


def add_verifier(container: Container, role: str, name: str | None = None) -> VerifierSetup:
    org = verifiers.register_org(container, name or f"{role} org", role, "ops@example.invalid")
    key = verifiers.issue_key(container, org.id, "api_key")
    return VerifierSetup(org.id, role, key.secret)


@pytest.fixture
def police(container: Container) -> VerifierSetup:
    return add_verifier(container, "police")


@pytest.fixture
def rental(container: Container) -> VerifierSetup:
    return add_verifier(container, "rental")


@pytest.fixture
def client(container: Container) -> TestClient:
    return TestClient(create_app(container.settings, container=container))
