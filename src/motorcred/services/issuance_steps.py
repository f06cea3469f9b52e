"""The pieces of issuance (e-DL and e-VRC): requests, the signing step, the shapes returned.

:mod:`motorcred.services.issuance` drives them (reserve → sign → store); this
module holds what does not touch a transaction, so the service stays readable.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from motorcred.adapters.db.repositories.credentials import CredentialRow
from motorcred.domain.licence import DrivingLicence
from motorcred.domain.person import Person
from motorcred.domain.vehicle import Vehicle
from motorcred.formats.device_proof import public_key_from_cose_bytes
from motorcred.formats.mdoc.doctypes import MDL_DOCTYPE, MVRC_DOCTYPE
from motorcred.formats.mdoc.issuance import issue
from motorcred.formats.offline_presentation import issue_offline_credential, offline_elements
from motorcred.formats.signer import DocumentSigner
from motorcred.formats.status_list import StatusReference
from motorcred.formats.trust_list import certificate_kid
from motorcred.services.credential_elements import Namespaces, edl_elements, evrc_elements


@dataclass(frozen=True)
class LicenceSubject:
    """What an e-DL is made from: the registry licence, its holder, and the portrait."""

    licence_id: int
    licence: DrivingLicence
    person: Person
    portrait: bytes
    records: Sequence[Mapping[str, Any]] = ()


@dataclass(frozen=True)
class EdlRequest:
    """One e-DL to issue; ``application_id`` makes the request idempotent."""

    account_id: int | None
    subject: LicenceSubject
    device_key: ec.EllipticCurvePublicKey
    application_id: str

    @property
    def key(self) -> str:
        return f"edl:{self.application_id}"

    @property
    def subject_id(self) -> int:
        return self.subject.licence_id


@dataclass(frozen=True)
class VehicleSubject:
    """What an e-VRC is made from: the registry vehicle, its owner, the issuing office."""

    vehicle_id: int
    vehicle: Vehicle
    owner: Person
    issuing_authority: str


@dataclass(frozen=True)
class EvrcRequest:
    """One e-VRC to issue; ``application_id`` makes the request idempotent."""

    account_id: int | None
    subject: VehicleSubject
    device_key: ec.EllipticCurvePublicKey
    application_id: str

    @property
    def key(self) -> str:
        return f"evrc:{self.application_id}"

    @property
    def subject_id(self) -> int:
        return self.subject.vehicle_id


@dataclass(frozen=True)
class SignedDocument:
    """A signed, not yet stored document of a pending credential."""

    key: str
    credential_id: int
    document: bytes
    signer_key_id: str
    issued_at: datetime
    valid_until: datetime
    offline_document: bytes | None = None
    """The compact offline credential signed beside an e-DL (IssuerSigned CBOR)."""


@dataclass(frozen=True)
class IssuedCredential:
    id: int
    kind: str
    state: str
    document: bytes
    """IssuerSigned CBOR (what the holder app stores and presents)."""
    status_list_id: int
    status_index: int
    issued_at: datetime
    valid_until: datetime
    superseded_id: int | None = None
    """The credential this one replaced, if any."""
    offline_document: bytes | None = None
    """The compact offline credential (IssuerSigned CBOR) the holder app builds ``MC1:``
    codes from; e-DLs only."""


def issued(row: CredentialRow, superseded_id: int | None) -> IssuedCredential:
    assert row.document is not None
    assert row.issued_at is not None
    assert row.valid_until is not None
    return IssuedCredential(
        row.id,
        row.kind,
        row.state,
        row.document,
        row.status_list_id,
        row.status_index,
        row.issued_at,
        row.valid_until,
        superseded_id,
        row.offline_document,
    )


def sign_edl(
    request: EdlRequest,
    reserved: CredentialRow,
    *,
    signer: DocumentSigner,
    status_uri: str,
    now: datetime,
    valid_until: datetime,
) -> SignedDocument:
    """Build and sign the e-DL of a reserved credential (its index, its device key)."""
    subject = request.subject
    namespaces = edl_elements(
        subject.licence,
        subject.person,
        portrait=subject.portrait,
        generated_at=now,
        records=subject.records,
    )
    signed = _sign(
        request.key, reserved, MDL_DOCTYPE, namespaces, signer, status_uri, now, valid_until
    )
    # The compact offline credential: same elements (front page), device key, validity
    # and status entry, signed by the same DS key in the same step.
    offline = issue_offline_credential(
        doctype=MDL_DOCTYPE,
        namespaces=offline_elements(MDL_DOCTYPE, namespaces),
        device_key=public_key_from_cose_bytes(reserved.device_key),
        signed=now,
        valid_from=now,
        valid_until=valid_until,
        kid=certificate_kid(signer.certificate_chain[0]),
        signer=signer,
        random=secrets.token_bytes,
        status=StatusReference(reserved.status_index, status_uri),
    )
    return replace(signed, offline_document=offline.encode())


def sign_evrc(
    request: EvrcRequest,
    reserved: CredentialRow,
    *,
    signer: DocumentSigner,
    status_uri: str,
    now: datetime,
    valid_until: datetime,
) -> SignedDocument:
    """Build and sign the e-VRC of a reserved credential (its index, its device key)."""
    subject = request.subject
    namespaces = evrc_elements(
        subject.vehicle,
        subject.owner,
        issuing_authority=subject.issuing_authority,
        generated_at=now,
    )
    return _sign(
        request.key, reserved, MVRC_DOCTYPE, namespaces, signer, status_uri, now, valid_until
    )


def _sign(
    key: str,
    reserved: CredentialRow,
    doctype: str,
    namespaces: Namespaces,
    signer: DocumentSigner,
    status_uri: str,
    now: datetime,
    valid_until: datetime,
) -> SignedDocument:
    document = issue(
        doctype=doctype,
        namespaces=namespaces,
        device_key=public_key_from_cose_bytes(reserved.device_key),
        signed=now,
        valid_from=now,
        valid_until=valid_until,
        status={"status_list": {"idx": reserved.status_index, "uri": status_uri}},
        cert_chain=signer.certificate_chain,
        signer=signer,
        random=secrets.token_bytes,
    ).encode()
    return SignedDocument(key, reserved.id, document, signer.key_id, now, valid_until)
