"""The mdoc verifier: a positive path and a negative test for every check it makes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from cbor2 import CBORTag
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from mdoc_test_builder import (
    MDL,
    NOW,
    NS,
    SIGNED,
    Built,
    device_signed_mac,
    device_signed_sig,
    document,
    issue,
    make_pki,
    response,
    transcript,
)

from motorcred.formats.cbor import dumps, loads
from motorcred.formats.cose import H_ALG, mac0
from motorcred.formats.mdoc.verifier import VerificationReport, verify_presentation
from motorcred.formats.mdoc.verify_status import StatusListProvider
from motorcred.formats.status_list import StatusList
from motorcred.formats.trust import TrustStore

PKI = make_pki()
SESSION = transcript()


def run(data: bytes, **kwargs: Any) -> VerificationReport:
    kwargs.setdefault("trust", PKI.trust())
    kwargs.setdefault("now", NOW)
    return verify_presentation(data, **kwargs)


def codes(report: VerificationReport) -> list[str]:
    return [f.code for f in report.errors]


def signed_response(built: Built | None = None, **kwargs: Any) -> bytes:
    built = built or issue(PKI, **kwargs)
    return response(document(built, device_signed_sig(built, SESSION)))


def test_valid_device_response_with_device_signature() -> None:
    report = run(signed_response(), session_transcript_bytes=SESSION[0])
    assert report.valid, codes(report)
    doc = report.documents[0]
    assert doc.doctype == MDL and doc.device_auth == "ok" and doc.status == "unknown"
    assert doc.elements[NS]["family_name"] == "Zhang"
    assert doc.elements[NS]["birth_date"] == date(1990, 5, 17)
    assert doc.issuer_subject == "CN=test DS,C=CN"
    out = report.to_json()
    assert out["valid"] is True and out["errors"] == []
    assert out["documents"][0]["validity"]["signed"] == SIGNED.isoformat()
    assert out["documents"][0]["elements"][NS]["birth_date"] == "1990-05-17"


def test_document_and_issuer_signed_inputs_are_accepted() -> None:
    built = issue(PKI)
    assert run(dumps(document(built))).valid
    report = run(dumps(built.issuer_signed()))
    assert report.valid and report.documents[0].doctype == MDL
    assert report.documents[0].device_auth == "not_checked"


def test_device_mac_with_reader_key() -> None:
    reader = ec.generate_private_key(ec.SECP256R1())
    built = issue(PKI)
    data = response(document(built, device_signed_mac(built, SESSION, reader.public_key())))
    report = run(data, session_transcript_bytes=SESSION[0], reader_private_key=reader)
    assert report.valid, codes(report)
    assert codes(run(data, session_transcript_bytes=SESSION[0])) == ["MDOC_READER_KEY_REQUIRED"]
    other = ec.generate_private_key(ec.SECP256R1())
    bad = run(data, session_transcript_bytes=SESSION[0], reader_private_key=other)
    assert codes(bad) == ["MDOC_DEVICE_AUTH_FAILED"]
    assert bad.documents[0].device_auth == "failed"


# ------------------------------------------------------------------ negative: one per check


@pytest.mark.parametrize(
    "data",
    [b"", b"\xff", dumps([1, 2]), dumps({"foo": 1}), dumps({"version": "1.0", "documents": 7})],
)
def test_malformed_input_is_reported(data: bytes) -> None:
    report = run(data)
    assert not report.valid
    assert codes(report) == ["MDOC_MALFORMED"]


def test_empty_response_and_error_status() -> None:
    assert codes(run(response())) == ["MDOC_NO_DOCUMENTS"]
    built = issue(PKI)
    assert "MDOC_RESPONSE_STATUS" in codes(run(response(document(built), status=10)))


def test_tampered_element_value() -> None:
    built = issue(PKI)
    item = loads(built.items[NS][0])
    item["elementValue"] = "Li"
    built.items[NS][0] = dumps(item)
    report = run(dumps(document(built)))
    assert codes(report) == ["MDOC_DIGEST_MISMATCH"]
    assert "family_name" not in report.documents[0].elements[NS]


def test_element_without_digest() -> None:
    built = issue(PKI)
    item = loads(built.items[NS][0])
    item["digestID"] = 999
    built.items[NS][0] = dumps(item)
    assert codes(run(dumps(document(built)))) == ["MDOC_DIGEST_MISSING"]


def test_tampered_mso() -> None:
    built = issue(PKI)
    protected, unprotected, payload, sig = built.issuer_auth
    mso = loads(loads(payload).value)
    mso["validityInfo"]["validUntil"] = SIGNED + timedelta(days=9999)
    built.issuer_auth = [protected, unprotected, dumps(CBORTag(24, dumps(mso))), sig]
    assert codes(run(dumps(document(built)))) == ["MDOC_ISSUER_SIGNATURE_INVALID"]


def test_signature_by_another_key() -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    assert codes(run(dumps(document(issue(PKI, signer_key=other))))) == [
        "MDOC_ISSUER_SIGNATURE_INVALID"
    ]


def test_wrong_doctype() -> None:
    built = issue(PKI, mso_doctype="org.iso.7367.1.mVRC")
    assert codes(run(dumps(document(built)))) == ["MDOC_DOCTYPE_MISMATCH"]
    assert codes(run(dumps(document(issue(PKI))), expected_doctype="org.iso.7367.1.mVRC")) == [
        "MDOC_DOCTYPE_MISMATCH"
    ]


def test_expired_and_not_yet_valid_document() -> None:
    data = dumps(document(issue(PKI, valid_until=SIGNED + timedelta(days=30))))
    assert codes(run(data)) == ["MDOC_EXPIRED"]
    data = dumps(document(issue(PKI, valid_from=NOW + timedelta(days=1))))
    assert codes(run(data)) == ["MDOC_NOT_YET_VALID"]


def test_signed_in_future() -> None:
    data = dumps(document(issue(PKI, signed=NOW + timedelta(hours=1))))
    assert "MDOC_SIGNED_IN_FUTURE" in codes(run(data))


def test_inconsistent_validity_info() -> None:
    data = dumps(document(issue(PKI, valid_from=SIGNED - timedelta(days=1))))
    assert codes(run(data)) == ["MDOC_VALIDITY_INCONSISTENT"]


def test_certificate_expired_and_not_yet_valid() -> None:
    data = dumps(document(issue(PKI)))
    late = PKI.ds.not_valid_after_utc + timedelta(days=1)
    assert "MDOC_CERT_EXPIRED" in codes(run(data, now=late))
    early = PKI.ds.not_valid_before_utc - timedelta(days=1)
    assert "MDOC_CERT_NOT_YET_VALID" in codes(run(data, now=early))


def test_signed_outside_certificate_validity() -> None:
    signed = PKI.ds.not_valid_after_utc + timedelta(days=1)
    data = dumps(document(issue(PKI, signed=signed)))
    assert "MDOC_SIGNED_OUTSIDE_CERT_VALIDITY" in codes(run(data, now=signed))


def test_unknown_trust_anchor() -> None:
    data = dumps(document(issue(PKI)))
    assert codes(run(data, trust=make_pki().trust())) == ["MDOC_UNTRUSTED_ISSUER"]
    # The DS certificate itself may be the anchor.
    assert run(data, trust=TrustStore([PKI.ds])).valid


def test_certificate_not_for_document_signing() -> None:
    # The IACA itself is used as signer and trusted directly: no DS EKU.
    iaca_der = PKI.iaca.public_bytes(Encoding.DER)
    data = dumps(document(issue(PKI, signer_key=PKI.iaca_key, x5chain=[iaca_der])))
    trust = TrustStore([PKI.iaca])
    assert codes(run(data, trust=trust)) == ["MDOC_CERT_NOT_DS"]


def test_missing_x5chain() -> None:
    built = issue(PKI)
    built.issuer_auth[1] = {}
    assert codes(run(dumps(document(built)))) == ["MDOC_X5CHAIN_MISSING"]


def test_alg_confusion_hmac_in_issuer_auth() -> None:
    """An IssuerAuth "signed" with HMAC keyed by the public DS certificate must be refused."""
    built = issue(PKI)
    payload = built.issuer_auth[2]
    forged = mac0(payload, PKI.ds_der)  # protected {1: 5}
    built.issuer_auth = [forged.protected_bytes, built.issuer_auth[1], payload, forged.tag]
    assert codes(run(dumps(document(built)))) == ["COSE_ALG_NOT_ALLOWED"]
    built.issuer_auth[0] = dumps({H_ALG: -257})
    assert codes(run(dumps(document(built)))) == ["COSE_ALG_NOT_ALLOWED"]


def test_alg_confusion_hmac_in_device_signature() -> None:
    built = issue(PKI)
    signed = device_signed_sig(built, SESSION)
    sig = signed["deviceAuth"]["deviceSignature"]
    signed["deviceAuth"]["deviceSignature"] = [dumps({H_ALG: 5}), {}, None, sig[3]]
    data = response(document(built, signed))
    assert codes(run(data, session_transcript_bytes=SESSION[0])) == ["COSE_ALG_NOT_ALLOWED"]


def test_wrong_device_key() -> None:
    built = issue(PKI)
    signed = device_signed_sig(built, SESSION, key=ec.generate_private_key(ec.SECP256R1()))
    report = run(response(document(built, signed)), session_transcript_bytes=SESSION[0])
    assert codes(report) == ["MDOC_DEVICE_AUTH_FAILED"]


def test_replayed_session_transcript() -> None:
    data = signed_response()
    report = run(data, session_transcript_bytes=transcript(b"another session")[0])
    assert codes(report) == ["MDOC_DEVICE_AUTH_FAILED"]


def test_device_auth_missing_when_session_given() -> None:
    data = dumps(document(issue(PKI)))
    report = run(data, session_transcript_bytes=SESSION[0])
    assert codes(report) == ["MDOC_DEVICE_AUTH_MISSING"]


def test_bad_session_transcript_is_reported() -> None:
    report = run(signed_response(), session_transcript_bytes=b"\x01")
    assert codes(report) == ["MDOC_SESSION_TRANSCRIPT_MALFORMED"]


def _status_lists() -> StatusListProvider:
    lst = StatusList(16, bits=2)
    lst.set(3, 1)
    lst.set(4, 2)
    return StatusListProvider({"https://status.example/1": lst})


@pytest.mark.parametrize(
    ("idx", "word", "expected"),
    [
        (0, "valid", []),
        (3, "invalid", ["MDOC_STATUS_REVOKED"]),
        (4, "suspended", ["MDOC_STATUS_SUSPENDED"]),
        (99, "unknown", []),
    ],
)
def test_status_from_status_list(idx: int, word: str, expected: list[str]) -> None:
    status = {"status_list": {"idx": idx, "uri": "https://status.example/1"}}
    data = dumps(document(issue(PKI, status=status)))
    report = run(data, status=_status_lists())
    assert codes(report) == expected
    assert report.documents[0].status == word
    # Without a provider the status is not checked.
    assert run(data).documents[0].status == "unknown"


def test_status_provider_error_is_reported() -> None:
    class Broken:
        def status_of(self, uri: str, idx: int, *, now: Any) -> str:
            from motorcred.errors import NotFound

            raise NotFound("STATUS_LIST_NOT_FOUND", "no list")

    status = {"status_list": {"idx": 0, "uri": "https://status.example/1"}}
    report = run(dumps(document(issue(PKI, status=status))), status=Broken())
    assert codes(report) == ["MDOC_STATUS_UNAVAILABLE"]


def test_element_type_checked() -> None:
    data = dumps(document(issue(PKI, elements={NS: {"birth_date": "1990-05-17"}})))
    assert codes(run(data)) == ["MDOC_ELEMENT_TYPE"]
    data = dumps(document(issue(PKI, elements={NS: {"age_over_18": "yes"}})))
    assert codes(run(data)) == ["MDOC_ELEMENT_TYPE"]


def test_issuing_country_must_match_ds_issuer() -> None:
    data = dumps(document(issue(PKI, elements={NS: {"issuing_country": "US"}})))
    assert codes(run(data)) == ["MDOC_COUNTRY_MISMATCH"]


def test_issuing_jurisdiction_must_match_ds_issuer_state() -> None:
    regional = make_pki(state="CN-SC")
    good = dumps(document(issue(regional, elements={NS: {"issuing_jurisdiction": "CN-SC"}})))
    assert run(good, trust=regional.trust()).valid
    bad = dumps(document(issue(regional, elements={NS: {"issuing_jurisdiction": "CN-BJ"}})))
    assert codes(run(bad, trust=regional.trust())) == ["MDOC_JURISDICTION_MISMATCH"]


def test_unknown_digest_algorithm() -> None:
    data = dumps(document(issue(PKI, digest_algorithm="MD5")))
    assert codes(run(data)) == ["MDOC_DIGEST_ALG_NOT_ALLOWED"]


def test_several_failures_are_all_reported() -> None:
    built = issue(PKI, valid_until=SIGNED + timedelta(days=1), mso_doctype="x.y")
    item = loads(built.items[NS][1])
    item["elementValue"] = "X"
    built.items[NS][1] = dumps(item)
    assert set(codes(run(dumps(document(built))))) == {
        "MDOC_EXPIRED",
        "MDOC_DOCTYPE_MISMATCH",
        "MDOC_DIGEST_MISMATCH",
    }


def test_rotation_two_ds_keys_in_one_response() -> None:
    from motorcred.formats.x509 import create_document_signer

    key2 = ec.generate_private_key(ec.SECP256R1())
    ds2 = create_document_signer(
        key2.public_key(),
        iaca_cert=PKI.iaca,
        iaca_key=PKI.iaca_key,
        common_name="test DS 2",
        not_before=PKI.ds.not_valid_before_utc,
        not_after=PKI.ds.not_valid_after_utc,
        serial_number=3,
    )
    first = issue(PKI)
    second = issue(PKI, signer_key=key2, x5chain=[ds2.public_bytes(Encoding.DER)])
    report = run(response(document(first), document(second)))
    assert report.valid and len(report.documents) == 2
    assert {d.issuer_subject for d in report.documents} == {"CN=test DS,C=CN", "CN=test DS 2,C=CN"}
