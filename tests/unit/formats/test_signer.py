"""The Signer port: prepare → sign → complete with a software key or an HSM-like signer."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding

from motorcred.errors import InvalidInput, MotorcredError
from motorcred.formats.cose import ALG_ES256, ALG_ES384, CoseSign1, prepare_sign1
from motorcred.formats.mdoc import MDL_DOCTYPE, MDL_NS, PreparedIssue, prepare_issue
from motorcred.formats.mdoc.verifier import verify_presentation
from motorcred.formats.signer import (
    DocumentSigner,
    SoftwareSigner,
    cose_signature_from_der,
    sign_prepared,
)
from motorcred.formats.status_list import (
    StatusList,
    build_status_list_token,
    decode_status_list_token,
)
from motorcred.formats.trust import TrustStore
from motorcred.formats.x509 import IssuerName, create_document_signer, create_iaca

T0 = datetime(2026, 1, 1, tzinfo=UTC)
NOW = datetime(2026, 6, 1, tzinfo=UTC)
IACA_KEY = ec.generate_private_key(ec.SECP256R1())
IACA = create_iaca(
    IACA_KEY,
    name=IssuerName("CN", "signer test IACA"),
    not_before=T0,
    not_after=T0 + timedelta(days=3650),
    serial_number=1,
    issuer_alt_name="https://iaca.example",
)


def make_ds(key: ec.EllipticCurvePrivateKey | Ed25519PrivateKey) -> bytes:
    cert = create_document_signer(
        key.public_key(),
        iaca_cert=IACA,
        iaca_key=IACA_KEY,
        common_name="signer test DS",
        not_before=T0,
        not_after=T0 + timedelta(days=365),
        serial_number=7,
    )
    return cert.public_bytes(Encoding.DER)


DS_KEY = ec.generate_private_key(ec.SECP256R1())
DS_DER = make_ds(DS_KEY)
DEVICE = ec.generate_private_key(ec.SECP256R1())
ELEMENTS = {
    MDL_NS: {
        "family_name": "Wang",
        "given_name": "Fang",
        "birth_date": date(1988, 2, 3),
        "issue_date": date(2026, 3, 1),
        "expiry_date": date(2032, 3, 1),
        "issuing_country": "CN",
        "issuing_authority": "Traffic Police",
        "document_number": "110101198802030021",
        "portrait": b"\xff\xd8\xff\xd9",
        "driving_privileges": [{"vehicle_category_code": "C1"}],
        "un_distinguishing_sign": "CHN",
    }
}


def prepare(signer: DocumentSigner) -> PreparedIssue:
    return prepare_issue(
        doctype=MDL_DOCTYPE,
        namespaces=ELEMENTS,
        device_key=DEVICE.public_key(),
        signed=NOW,
        valid_from=NOW,
        valid_until=NOW + timedelta(days=30),
        cert_chain=signer.certificate_chain,
        algorithm=signer.algorithm,
        random=os.urandom,
    )


class HsmLikeSigner:
    """Stands in for a PKCS#11 / cloud KMS signer: only a sign call, DER signatures out."""

    def __init__(self, key: ec.EllipticCurvePrivateKey, chain: tuple[bytes, ...]) -> None:
        self._device_key = key  # inside the "HSM"; the signer object never exposes it
        self.algorithm = ALG_ES256
        self.certificate_chain = chain
        self.key_id = "hsm-slot-3"
        self.calls = 0

    def _hsm_sign(self, data: bytes) -> bytes:
        self.calls += 1
        return self._device_key.sign(data, ec.ECDSA(hashes.SHA256()))

    def sign(self, data: bytes) -> bytes:
        return cose_signature_from_der(self.algorithm, self._hsm_sign(data))


def test_software_signer_issues_a_credential_that_verifies() -> None:
    signer = SoftwareSigner(DS_KEY, [DS_DER], key_id="ds-2026-01")
    assert signer.certificate_chain == (DS_DER,) and signer.key_id == "ds-2026-01"
    issued = sign_prepared(prepare(signer), signer)
    assert issued.issuer_auth.x5chain == [DS_DER]
    report = verify_presentation(issued.encode(), trust=TrustStore([IACA]), now=NOW)
    assert report.valid, report.to_json()["errors"]


def test_an_hsm_signer_slots_in_behind_the_port() -> None:
    signer = HsmLikeSigner(DS_KEY, (DS_DER,))
    issued = sign_prepared(prepare(signer), signer)
    assert signer.calls == 1
    report = verify_presentation(issued.encode(), trust=TrustStore([IACA]), now=NOW)
    assert report.valid, report.to_json()["errors"]


def test_status_list_tokens_sign_through_the_same_port() -> None:
    signer = SoftwareSigner(DS_KEY, [DS_DER], key_id="ds-2026-01")
    status = StatusList(64, bits=2)
    status.set(5, 1)
    token = build_status_list_token(
        status,
        uri="https://status.example/lists/1",
        issued_at=NOW,
        expires_at=NOW + timedelta(days=1),
        ttl=3600,
        signer=signer,
        cert_chain=signer.certificate_chain,
    )
    decoded = decode_status_list_token(token, now=NOW, verify_key=DS_KEY.public_key())
    assert decoded.key.x5chain == (DS_DER,)
    assert decoded.status(5) == "invalid" and decoded.status(4) == "valid"


def test_eddsa_software_signer() -> None:
    key = Ed25519PrivateKey.generate()
    signer = SoftwareSigner(key, [make_ds(key)], key_id="ed")
    message = sign_prepared(prepare_sign1(b"x", algorithm=signer.algorithm), signer)
    CoseSign1.decode(message.encode()).verify(key.public_key())


def test_signer_must_match_the_prepared_algorithm() -> None:
    signer = SoftwareSigner(DS_KEY, [DS_DER], key_id="ds")
    prepared = prepare_sign1(b"x", algorithm=ALG_ES384)
    with pytest.raises(InvalidInput) as exc:
        sign_prepared(prepared, signer)
    assert exc.value.code == "SIGNER_ALG_MISMATCH"


def test_a_der_signature_from_a_remote_signer_is_caught() -> None:
    class DerSigner(HsmLikeSigner):
        def sign(self, data: bytes) -> bytes:
            return self._hsm_sign(data)  # forgot the DER → r||s conversion

    signer = DerSigner(DS_KEY, (DS_DER,))
    with pytest.raises(InvalidInput) as exc:
        sign_prepared(prepare(signer), signer)
    assert exc.value.code == "SIGNER_SIGNATURE_INVALID"


@pytest.mark.parametrize(
    ("chain", "code"),
    [
        ([], "SIGNER_CERT_MISSING"),
        ([b""], "SIGNER_CERT_MISSING"),
        ([b"not a certificate"], "SIGNER_CERT_MALFORMED"),
        ([make_ds(ec.generate_private_key(ec.SECP256R1()))], "SIGNER_CERT_MISMATCH"),
    ],
)
def test_software_signer_refuses_a_chain_that_is_not_its_own(chain: list[bytes], code: str) -> None:
    with pytest.raises(MotorcredError) as exc:
        SoftwareSigner(DS_KEY, chain, key_id="ds")
    assert exc.value.code == code


def test_key_id_required_and_never_printed_with_key_material() -> None:
    with pytest.raises(InvalidInput) as exc:
        SoftwareSigner(DS_KEY, [DS_DER], key_id="")
    assert exc.value.code == "SIGNER_KEY_ID_MISSING"
    signer = SoftwareSigner(DS_KEY, [DS_DER], key_id="ds-1")
    assert repr(signer) == "SoftwareSigner(key_id='ds-1', algorithm=-7)"
    assert isinstance(signer.certificate, x509.Certificate)


def test_cose_signature_from_der() -> None:
    der = DS_KEY.sign(b"data", ec.ECDSA(hashes.SHA256()))
    raw = cose_signature_from_der(ALG_ES256, der)
    assert len(raw) == 64
    for bad_alg, bad_der in ((-8, der), (ALG_ES256, b"\x30\x00"), (ALG_ES256, b"junk")):
        with pytest.raises(InvalidInput) as exc:
            cose_signature_from_der(bad_alg, bad_der)
        assert exc.value.code in ("SIGNER_ALG_MISMATCH", "SIGNER_SIGNATURE_INVALID")
    p384_der = ec.generate_private_key(ec.SECP384R1()).sign(b"d", ec.ECDSA(hashes.SHA384()))
    with pytest.raises(InvalidInput) as exc:
        cose_signature_from_der(ALG_ES256, p384_der)  # r, s too large for P-256
    assert exc.value.code == "SIGNER_SIGNATURE_INVALID"


def test_every_one_call_builder_checks_what_the_signer_returns() -> None:
    """sign1, mdoc issue and the Status List Token all go through sign_prepared."""
    from motorcred.formats.cose import sign1
    from motorcred.formats.mdoc import issue

    class DerSigner(HsmLikeSigner):
        def sign(self, data: bytes) -> bytes:
            return self._hsm_sign(data)

    signer = DerSigner(DS_KEY, (DS_DER,))
    calls = [
        lambda: sign1(b"x", signer),
        lambda: issue(
            doctype=MDL_DOCTYPE,
            namespaces=ELEMENTS,
            device_key=DEVICE.public_key(),
            signed=NOW,
            valid_from=NOW,
            valid_until=NOW + timedelta(days=30),
            cert_chain=signer.certificate_chain,
            signer=signer,
            random=os.urandom,
        ),
        lambda: build_status_list_token(
            StatusList(8),
            uri="https://status.example/1",
            issued_at=NOW,
            expires_at=None,
            ttl=None,
            signer=signer,
            kid=b"k",
        ),
    ]
    for call in calls:
        with pytest.raises(InvalidInput) as exc:
            call()
        assert exc.value.code == "SIGNER_SIGNATURE_INVALID"


def test_a_chain_of_two_travels_as_an_array_and_verifies() -> None:
    iaca_der = IACA.public_bytes(Encoding.DER)
    signer = SoftwareSigner(DS_KEY, [DS_DER, iaca_der], key_id="ds-with-root")
    issued = sign_prepared(prepare(signer), signer)
    assert issued.issuer_auth.unprotected[33] == [DS_DER, iaca_der]
    report = verify_presentation(issued.encode(), trust=TrustStore([IACA]), now=NOW)
    assert report.valid, report.to_json()["errors"]
