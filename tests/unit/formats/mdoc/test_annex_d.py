"""Conformance: the ISO/IEC 18013-5 Annex D DeviceResponse through our verifier.

The vector (tests/vectors/iso18013-5-annex-d, see PROVENANCE.md) is one mDL with
six disclosed elements and a deviceMac keyed by ECDH between the static device
key and the reader's ephemeral key. Its DS certificate is valid 2020-10-01 ..
2021-10-01, so it verifies inside that window and must fail on validity today.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from motorcred.formats.mdoc.verifier import VerificationReport, verify_presentation
from motorcred.formats.trust import TrustStore

VECTORS = Path(__file__).resolve().parents[3] / "vectors" / "iso18013-5-annex-d"
NS = "org.iso.18013.5.1"
INSIDE_VALIDITY = datetime(2021, 1, 1, tzinfo=UTC)
TODAY = datetime(2026, 11, 23, tzinfo=UTC)


def _bytes(name: str) -> bytes:
    return (VECTORS / name).read_bytes()


def _key(role: str) -> ec.EllipticCurvePrivateKey:
    keys: dict[str, Any] = json.loads((VECTORS / "keys.json").read_text())
    return ec.derive_private_key(int(keys[role]["d"], 16), ec.SECP256R1())


def _trust(name: str = "iaca_root.der") -> TrustStore:
    return TrustStore([x509.load_der_x509_certificate(_bytes(name))])


def verify(now: datetime = INSIDE_VALIDITY, **kwargs: Any) -> VerificationReport:
    kwargs.setdefault("trust", _trust())
    kwargs.setdefault("session_transcript_bytes", _bytes("session_transcript_bytes.cbor"))
    kwargs.setdefault("reader_private_key", _key("ephemeral_reader_key"))
    return verify_presentation(_bytes("device_response.cbor"), now=now, **kwargs)


def codes(report: VerificationReport) -> list[str]:
    return [f.code for f in report.errors]


def test_annex_d_verifies_with_its_iaca_inside_the_certificate_validity() -> None:
    report = verify()
    assert report.valid, codes(report)
    (doc,) = report.documents
    assert doc.doctype == "org.iso.18013.5.1.mDL"
    assert doc.device_auth == "ok"
    assert doc.issuer_subject == "C=US,CN=utopia ds"
    assert doc.signed == datetime(2020, 10, 1, 13, 30, 2, tzinfo=UTC)
    assert doc.valid_from == doc.signed
    assert doc.valid_until == datetime(2021, 10, 1, 13, 30, 2, tzinfo=UTC)


def test_annex_d_element_values_are_the_published_ones() -> None:
    elements = verify().documents[0].elements
    assert list(elements) == [NS]
    assert elements[NS] == {
        "family_name": "Doe",
        "issue_date": date(2019, 10, 20),
        "expiry_date": date(2024, 10, 20),
        "document_number": "123456789",
        "portrait": _bytes("portrait.jpg"),
        "driving_privileges": [
            {
                "vehicle_category_code": "A",
                "issue_date": date(2018, 8, 9),
                "expiry_date": date(2024, 10, 20),
            },
            {
                "vehicle_category_code": "B",
                "issue_date": date(2017, 2, 23),
                "expiry_date": date(2024, 10, 20),
            },
        ],
    }


def test_annex_d_fails_on_validity_at_todays_date() -> None:
    report = verify(now=TODAY)
    assert not report.valid
    assert codes(report) == ["MDOC_CERT_EXPIRED", "MDOC_EXPIRED"]
    # Everything else still holds: signature, digests and the deviceMac.
    assert report.documents[0].device_auth == "ok"
    assert len(report.documents[0].elements[NS]) == 6


def test_annex_d_fails_before_the_certificate_validity() -> None:
    report = verify(now=datetime(2020, 9, 1, tzinfo=UTC))
    assert "MDOC_CERT_NOT_YET_VALID" in codes(report)
    assert "MDOC_SIGNED_IN_FUTURE" in codes(report)


def test_annex_d_device_mac_needs_the_right_reader_key() -> None:
    assert codes(verify(reader_private_key=None)) == ["MDOC_READER_KEY_REQUIRED"]
    # The device's ephemeral key is not the reader's: the EMacKey differs.
    report = verify(reader_private_key=_key("ephemeral_device_key"))
    assert codes(report) == ["MDOC_DEVICE_AUTH_FAILED"]
    assert report.documents[0].device_auth == "failed"


def test_annex_d_is_bound_to_its_session_transcript() -> None:
    transcript = bytearray(_bytes("session_transcript_bytes.cbor"))
    transcript[-1] ^= 0x01  # last byte of the NFC handover select message
    assert codes(verify(session_transcript_bytes=bytes(transcript))) == ["MDOC_DEVICE_AUTH_FAILED"]


def test_annex_d_trust_anchors() -> None:
    # The DS certificate itself may be pinned as the anchor.
    assert verify(trust=_trust("ds_cert.der")).valid
    # The reader-auth root is not an IACA for this issuer.
    assert codes(verify(trust=_trust("reader_root.der"))) == ["MDOC_UNTRUSTED_ISSUER"]


def test_annex_d_without_session_checks_issuer_data_only() -> None:
    report = verify(session_transcript_bytes=None, reader_private_key=None)
    assert report.valid
    assert report.documents[0].device_auth == "not_checked"
