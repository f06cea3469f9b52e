"""Shared inputs of the mdoc benchmarks: a 22-element mDL with a 10 kB portrait and its PKI.

Keys are derived from fixed scalars so every run signs with the same keys; the
certificates (an IACA root with basicConstraints CA and a document-signer
certificate whose issuer carries ``C=CN`` and ``ST``) are valid around the
moment the benchmark runs, because pymdoccbor checks them against the wall clock.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from motorcred.formats.x509 import IssuerName, create_document_signer, create_iaca

DOCTYPE = "org.iso.18013.5.1.mDL"
NAMESPACE = "org.iso.18013.5.1"
PORTRAIT_BYTES = 10 * 1024


def _key(label: str) -> ec.EllipticCurvePrivateKey:
    scalar = int.from_bytes(hashlib.sha256(label.encode()).digest(), "big")
    return ec.derive_private_key(scalar % (2**255) + 1, ec.SECP256R1())


def portrait(size: int = PORTRAIT_BYTES, seed: int = 7) -> bytes:
    """A JPEG-framed blob of ``size`` bytes (SOI … EOI); incompressible like a real photo."""
    body = random.Random(seed).randbytes(size - 4)
    return b"\xff\xd8" + body + b"\xff\xd9"


def elements() -> dict[str, Any]:
    """The 22 mDL data elements, as plain Python values (dates as ``date``)."""
    return {
        "family_name": "ZHANG",
        "given_name": "XIAOSAN",
        "birth_date": date(1990, 1, 1),
        "issue_date": date(2024, 3, 1),
        "expiry_date": date(2030, 3, 1),
        "issuing_country": "CN",
        "issuing_authority": "北京市公安局公安交通管理局",
        "issuing_jurisdiction": "CN-BJ",
        "document_number": "110105199001011234",
        "portrait": portrait(),
        "driving_privileges": [
            {
                "vehicle_category_code": "C1",
                "issue_date": date(2010, 5, 1),
                "expiry_date": date(2030, 3, 1),
            }
        ],
        "un_distinguishing_sign": "CHN",
        "administrative_number": "110100123456",
        "sex": 1,
        "height": 175,
        "weight": 70,
        "birth_place": "Beijing",
        "resident_address": "1 Jianguo Road, Chaoyang, Beijing",
        "age_in_years": 36,
        "age_birth_year": 1990,
        "age_over_18": True,
        "nationality": "CN",
    }


@dataclass(frozen=True)
class Pki:
    iaca_key: ec.EllipticCurvePrivateKey
    iaca_cert: x509.Certificate
    ds_key: ec.EllipticCurvePrivateKey
    ds_cert: x509.Certificate
    device_key: ec.EllipticCurvePrivateKey


def make_pki(now: datetime | None = None) -> Pki:
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    iaca_key, ds_key, device_key = _key("bench-iaca"), _key("bench-ds"), _key("bench-device")
    # The product's own Annex B profile, so the bench measures what issuance really signs with.
    iaca_cert = create_iaca(
        iaca_key,
        name=IssuerName(
            "CN", "motorcred bench IACA", state="CN-BJ", organization="Traffic Administration"
        ),
        not_before=now - timedelta(days=30),
        not_after=now + timedelta(days=3650),
        serial_number=0x1ACA,
        issuer_alt_name="https://bench.motorcred.invalid",
    )
    ds_cert = create_document_signer(
        ds_key.public_key(),
        iaca_cert=iaca_cert,
        iaca_key=iaca_key,
        common_name="motorcred bench DS",
        not_before=now - timedelta(days=1),
        not_after=now + timedelta(days=365),
        serial_number=0xD5,
    )
    return Pki(iaca_key, iaca_cert, ds_key, ds_cert, device_key)
