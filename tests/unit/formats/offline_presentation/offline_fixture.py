"""A complete offline setting for tests: PKI, trust list, offline credential, status list."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from motorcred.formats.cose import LocalSigner
from motorcred.formats.mdoc import CN_DL_NS, MDL_DOCTYPE, MDL_NS, IssuedDocument
from motorcred.formats.offline_presentation import (
    issue_offline_credential,
    offline_code,
    offline_elements,
    present_offline,
)
from motorcred.formats.status_list import StatusList, StatusReference, build_status_list_token
from motorcred.formats.trust_list import (
    TrustList,
    build_trust_list,
    certificate_kid,
    load_trust_list,
)
from motorcred.formats.x509 import IssuerName, create_document_signer, create_iaca

T0 = datetime(2026, 1, 1, tzinfo=UTC)
SIGNED = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
NOW = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)
STATUS_URI = "https://status.motorcred.example/dl/1"
STATUS_IDX = 42


@dataclass
class Pki:
    iaca_key: ec.EllipticCurvePrivateKey
    iaca: x509.Certificate
    ds_key: ec.EllipticCurvePrivateKey
    ds: x509.Certificate

    @property
    def kid(self) -> bytes:
        return certificate_kid(self.ds)

    @property
    def ds_der(self) -> bytes:
        return self.ds.public_bytes(Encoding.DER)


def make_pki(country: str = "CN", *, ds_days: int = 365) -> Pki:
    iaca_key = ec.generate_private_key(ec.SECP256R1())
    iaca = create_iaca(
        iaca_key,
        name=IssuerName(country, "offline test IACA", state="CN-BJ"),
        not_before=T0,
        not_after=T0 + timedelta(days=3650),
        serial_number=11,
        issuer_alt_name="https://iaca.example",
    )
    ds_key = ec.generate_private_key(ec.SECP256R1())
    ds = create_document_signer(
        ds_key.public_key(),
        iaca_cert=iaca,
        iaca_key=iaca_key,
        common_name="offline test DS",
        not_before=T0,
        not_after=T0 + timedelta(days=ds_days),
        serial_number=12,
    )
    return Pki(iaca_key, iaca, ds_key, ds)


def trust_list_bytes(
    pki: Pki,
    *,
    issued: datetime = SIGNED,
    next_update: datetime = NOW + timedelta(days=7),
    ds: list[x509.Certificate] | None = None,
    signer: tuple[ec.EllipticCurvePrivateKey, x509.Certificate] | None = None,
) -> bytes:
    key, cert = signer or (pki.iaca_key, pki.iaca)
    return build_trust_list(
        issuer="Traffic Administration test",
        seq=7,
        issued=issued,
        next_update=next_update,
        iaca=[pki.iaca],
        ds=[pki.ds] if ds is None else ds,
        signer=LocalSigner(key),
        signer_chain=[cert],
    )


def trust_list(pki: Pki, **kwargs: Any) -> TrustList:
    return load_trust_list(trust_list_bytes(pki, **kwargs))


def edl_elements() -> dict[str, dict[str, Any]]:
    """A full e-DL (second page and portrait included); the offline profile picks the front."""
    return {
        MDL_NS: {
            "family_name": "ZHANG",
            "given_name": "XIAOSAN",
            "sex": 1,
            "nationality": "CN",
            "birth_date": date(1990, 1, 1),
            "document_number": "110105199001011234",
            "issue_date": date(2020, 3, 1),
            "expiry_date": date(2026, 12, 31),
            "issuing_country": "CN",
            "issuing_authority": "北京市公安局公安交通管理局",
            "driving_privileges": [
                {
                    "vehicle_category_code": "C1",
                    "issue_date": date(2010, 5, 1),
                    "expiry_date": date(2026, 12, 31),
                },
                {"vehicle_category_code": "D", "issue_date": date(2015, 7, 1)},
            ],
            "portrait": b"\xff\xd8" + os.urandom(4000) + b"\xff\xd9",
            "resident_address": "1 Jianguo Road, Chaoyang, Beijing",
        },
        CN_DL_NS: {
            "licence_status": "A",
            "cumulative_points": 3,
            "first_issue_date": date(2010, 5, 1),
            "file_number": "110100123456",
            "permitted_classes": "C1D",
        },
    }


def issue_credential(
    pki: Pki,
    device_key: ec.EllipticCurvePrivateKey,
    *,
    elements: dict[str, dict[str, Any]] | None = None,
    valid_until: datetime = SIGNED + timedelta(days=300),
    status: StatusReference | None = StatusReference(STATUS_IDX, STATUS_URI),
    signer_key: ec.EllipticCurvePrivateKey | None = None,
    kid: bytes | None = None,
) -> IssuedDocument:
    chosen = elements if elements is not None else offline_elements(MDL_DOCTYPE, edl_elements())
    return issue_offline_credential(
        doctype=MDL_DOCTYPE,
        namespaces=chosen,
        device_key=device_key.public_key(),
        signed=SIGNED,
        valid_from=SIGNED,
        valid_until=valid_until,
        kid=kid or pki.kid,
        status=status,
        signer=LocalSigner(signer_key or pki.ds_key),
        random=os.urandom,
    )


def make_code(
    credential: IssuedDocument,
    device_key: ec.EllipticCurvePrivateKey,
    *,
    at: datetime = NOW - timedelta(seconds=20),
    nonce: bytes | None = None,
    disclose: dict[str, list[str]] | None = None,
) -> str:
    presentation = present_offline(
        credential,
        device_signer=LocalSigner(device_key),
        presented_at=at,
        nonce=nonce or os.urandom(16),
        disclose=disclose,
    )
    return offline_code(presentation)


def status_token(
    pki: Pki,
    status: int = 0,
    *,
    issued: datetime = NOW - timedelta(hours=2),
    ttl: int | None = 86400,
    expires: datetime | None = None,
    uri: str = STATUS_URI,
) -> bytes:
    lst = StatusList(1024, bits=2)
    lst.set(STATUS_IDX, status)
    return build_status_list_token(
        lst,
        uri=uri,
        issued_at=issued,
        expires_at=expires,
        ttl=ttl,
        signer=LocalSigner(pki.ds_key),
        kid=pki.kid,
    )
