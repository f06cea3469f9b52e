"""Helpers for the signing-service tests: a clock, a PKI in the keystore, a licence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from motorcred.adapters.keystore import FileKeystore
from motorcred.domain.licence import DrivingLicence
from motorcred.domain.person import Person
from motorcred.formats.x509 import IssuerName, create_document_signer, create_iaca
from motorcred.services.issuance import LicenceSubject

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ISSUER = "cn"
# A tiny JPEG header is enough: the portrait element only has to be bytes.
PORTRAIT = bytes.fromhex("ffd8ffe000104a46494600010101004800480000ffd9")


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Pki:
    """An IACA (national issuer, C=CN) and its current document-signer key."""

    def __init__(self, keystore: FileKeystore) -> None:
        start = datetime(2026, 1, 1, tzinfo=UTC)
        self.iaca_key = ec.generate_private_key(ec.SECP256R1())
        self.iaca = create_iaca(
            self.iaca_key,
            name=IssuerName("CN", "motorcred test IACA"),
            not_before=start,
            not_after=start + timedelta(days=3650),
            serial_number=1,
            issuer_alt_name="https://iaca.motorcred.invalid",
        )
        self.ds_key = ec.generate_private_key(ec.SECP256R1())
        self.ds: x509.Certificate = create_document_signer(
            self.ds_key.public_key(),
            iaca_cert=self.iaca,
            iaca_key=self.iaca_key,
            common_name="motorcred test DS",
            not_before=start,
            not_after=start + timedelta(days=730),
            serial_number=2,
        )
        keystore.add_issuer(ISSUER, self.iaca)
        keystore.add_document_signer(ISSUER, "ds1", self.ds_key, self.ds, make_current=True)


def make_subject(
    licence_id: int = 1,
    *,
    name: str = "欧阳小明",
    valid_until: date | None = date(2032, 5, 1),
    classes: str = "C1",
) -> LicenceSubject:
    person = Person.create(
        id_number="11010519491231002X", name=name, address="北京市西城区复兴门内大街 1 号"
    )
    licence = DrivingLicence.create(
        number=person.id_number,
        file_number="110100123456",
        class_grants={code: date(2014, 5, 1) for code in classes.split(",")},
        first_issue_date=date(2014, 5, 1),
        valid_from=date(2026, 5, 1),
        valid_until=valid_until,
        validity_years=None if valid_until is None else 6,
        issuing_authority_code="110000",
        issuing_authority_name="北京市公安局公安交通管理局",
    )
    return LicenceSubject(licence_id, licence, person, PORTRAIT)


def device_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())
