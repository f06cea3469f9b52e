"""Device proof of possession: the signed structure, key forms, thumbprints, refusals."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from hypothesis import given
from hypothesis import strategies as st

from motorcred.errors import InvalidInput, MotorcredError, VerificationFailed
from motorcred.formats import cbor
from motorcred.formats.device_proof import (
    PROOF_CONTEXT,
    b64url_decode,
    b64url_encode,
    cose_key_bytes,
    jwk_thumbprint,
    public_jwk,
    public_key_from_cose_bytes,
    public_key_from_jwk,
    to_be_signed,
    verify_proof,
)

# A fixed key so the JWK and thumbprint below are known answers.
PRIVATE = ec.derive_private_key(0xC0FFEE, ec.SECP256R1())
PUBLIC = PRIVATE.public_key()
NONCE = bytes(range(32))


def sign(data: bytes, key: ec.EllipticCurvePrivateKey = PRIVATE) -> bytes:
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def test_the_signed_structure() -> None:
    assert cbor.loads(to_be_signed(NONCE, 42, "device-binding")) == [
        PROOF_CONTEXT,
        NONCE,
        42,
        "device-binding",
    ]
    # Deterministic: the app and the server build the same bytes.
    assert to_be_signed(NONCE, 42, "device-binding") == to_be_signed(NONCE, 42, "device-binding")


def test_a_valid_proof_verifies() -> None:
    signature = sign(to_be_signed(NONCE, 42, "device-binding"))
    verify_proof(PUBLIC, nonce=NONCE, account_id=42, purpose="device-binding", signature=signature)


@pytest.mark.parametrize(
    ("nonce", "account_id", "purpose"),
    [(NONCE[::-1], 42, "device-binding"), (NONCE, 43, "device-binding"), (NONCE, 42, "other")],
)
def test_a_proof_for_anything_else_is_refused(nonce: bytes, account_id: int, purpose: str) -> None:
    signature = sign(to_be_signed(NONCE, 42, "device-binding"))
    with pytest.raises(VerificationFailed) as info:
        verify_proof(
            PUBLIC, nonce=nonce, account_id=account_id, purpose=purpose, signature=signature
        )
    assert info.value.code == "DEVICE_PROOF_INVALID"


def test_a_signature_by_another_key_or_of_the_wrong_form_is_refused() -> None:
    data = to_be_signed(NONCE, 42, "device-binding")
    other = ec.generate_private_key(ec.SECP256R1())
    der = PRIVATE.sign(data, ec.ECDSA(hashes.SHA256()))
    for signature in (sign(data, other), der, b"", b"\x00" * 64):
        with pytest.raises(VerificationFailed) as info:
            verify_proof(
                PUBLIC, nonce=NONCE, account_id=42, purpose="device-binding", signature=signature
            )
        assert info.value.code == "DEVICE_PROOF_INVALID"


def test_jwk_and_cose_key_round_trip() -> None:
    jwk = public_jwk(PUBLIC)
    assert set(jwk) == {"kty", "crv", "x", "y"}
    assert public_key_from_jwk(jwk).public_numbers() == PUBLIC.public_numbers()
    encoded = cose_key_bytes(PUBLIC)
    assert cbor.loads(encoded)[1] == 2 and cbor.loads(encoded)[-1] == 1  # EC2, P-256
    assert public_key_from_cose_bytes(encoded).public_numbers() == PUBLIC.public_numbers()


def test_thumbprint_follows_rfc_7638() -> None:
    jwk = public_jwk(PUBLIC)
    members = f'{{"crv":"P-256","kty":"EC","x":"{jwk["x"]}","y":"{jwk["y"]}"}}'
    expected = base64.urlsafe_b64encode(hashlib.sha256(members.encode()).digest()).rstrip(b"=")
    assert jwk_thumbprint(PUBLIC) == expected.decode()
    assert len(jwk_thumbprint(PUBLIC)) == 43


@pytest.mark.parametrize(
    "change",
    [
        {"d": "AAAA"},
        {"crv": "P-384"},
        {"kty": "RSA"},
        {"x": b64url_encode(b"\x01" * 31)},
        {"y": b64url_encode(b"\x01" * 32)},  # not on the curve
        {"x": "not base64!"},
    ],
)
def test_bad_jwks_are_refused(change: dict[str, str]) -> None:
    jwk = {**public_jwk(PUBLIC), **change}
    with pytest.raises(InvalidInput) as info:
        public_key_from_jwk(jwk)
    assert info.value.code in {"DEVICE_KEY_INVALID", "BASE64URL_INVALID"}


def test_bad_cose_keys_are_refused() -> None:
    p384 = ec.generate_private_key(ec.SECP384R1()).public_key()
    for encoded in (cose_key_bytes(p384), b"\xa0", b"\xff\x00", b"\x00" * 300):
        with pytest.raises(InvalidInput) as info:
            public_key_from_cose_bytes(encoded)
        assert info.value.code == "DEVICE_KEY_INVALID"


@given(st.dictionaries(st.sampled_from(["kty", "crv", "x", "y", "d"]), st.text(max_size=60)))
def test_arbitrary_jwks_never_crash(jwk: dict[str, str]) -> None:
    try:
        public_key_from_jwk(jwk)
    except MotorcredError as exc:
        assert exc.code in {"DEVICE_KEY_INVALID", "BASE64URL_INVALID"}


@given(st.binary(max_size=300))
def test_arbitrary_cose_bytes_never_crash(encoded: bytes) -> None:
    try:
        public_key_from_cose_bytes(encoded)
    except MotorcredError as exc:
        assert exc.code == "DEVICE_KEY_INVALID"


@given(st.binary(max_size=64))
def test_base64url_round_trip(raw: bytes) -> None:
    assert b64url_decode(b64url_encode(raw), what="x") == raw


@given(st.text(max_size=40))
def test_arbitrary_base64url_text_never_crashes(text: str) -> None:
    try:
        b64url_decode(text, what="x")
    except InvalidInput as exc:
        assert exc.code == "BASE64URL_INVALID"
