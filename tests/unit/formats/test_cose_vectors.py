"""COSE_Sign1 / COSE_Mac0 against the cose-wg Examples (RFC 9052), see tests/vectors/cose."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from motorcred.errors import MalformedData, MotorcredError, VerificationFailed
from motorcred.formats.cose import (
    ALG_ES256,
    ALG_ES384,
    CoseMac0,
    CoseSign1,
    LocalSigner,
    sig_structure,
    sign1,
    verify_signature,
)

VECTORS = json.loads(
    (Path(__file__).parents[2] / "vectors" / "cose" / "cose_wg_examples.json").read_text()
)


def _b64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def _ec_private(jwk: dict[str, str]) -> ec.EllipticCurvePrivateKey:
    curve = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1()}[jwk["crv"]]
    return ec.derive_private_key(int.from_bytes(_b64(jwk["d"]), "big"), curve)


def _by_title(group: str, prefix: str) -> dict[str, Any]:
    return next(v for v in VECTORS[group] if v["title"].startswith(prefix))


@pytest.mark.parametrize(
    "vec", [v for v in VECTORS["sign1"] if v["expect"] == "pass"], ids=lambda v: v["title"][:14]
)
def test_sign1_pass_vectors_verify(vec: dict[str, Any]) -> None:
    key = _ec_private(vec["key"])
    msg = CoseSign1.decode(bytes.fromhex(vec["cbor_hex"]))
    aad = bytes.fromhex(vec["external_hex"])
    assert msg.payload == vec["plaintext"].encode()
    if vec["title"].startswith("sign-pass-01"):
        # Protected is an encoded empty map (h'A0'), signed as the zero-length bstr, and the
        # alg sits only in the unprotected header: valid COSE, refused by our allow-list.
        assert msg.protected == {}
        tbs = sig_structure(b"", msg.payload or b"", aad)
        assert tbs == bytes.fromhex(vec["to_be_signed_hex"])
        verify_signature(ALG_ES256, key.public_key(), tbs, msg.signature)
        with pytest.raises(VerificationFailed) as exc:
            msg.verify(key.public_key(), external_aad=aad)
        assert exc.value.code == "COSE_ALG_NOT_ALLOWED"
        return
    tbs = sig_structure(msg.protected_bytes, msg.payload or b"", aad)
    assert tbs == bytes.fromhex(vec["to_be_signed_hex"])
    msg.verify(key.public_key(), external_aad=aad)
    assert msg.kid is not None


@pytest.mark.parametrize(
    "vec", [v for v in VECTORS["sign1"] if v["expect"] == "fail"], ids=lambda v: v["title"][:14]
)
def test_sign1_fail_vectors_are_refused(vec: dict[str, Any]) -> None:
    key = _ec_private(vec["key"])
    with pytest.raises((MalformedData, VerificationFailed)):
        CoseSign1.decode(bytes.fromhex(vec["cbor_hex"])).verify(key.public_key())


def test_sign1_fail_codes() -> None:
    pub = _ec_private(_by_title("sign1", "sign-pass-02")["key"]).public_key()
    cases = {
        "sign-fail-01": "COSE_MALFORMED",  # tag 998 instead of 18
        "sign-fail-02": "COSE_SIGNATURE_INVALID",
        "sign-fail-03": "COSE_ALG_NOT_ALLOWED",
        "sign-fail-04": "COSE_ALG_NOT_ALLOWED",
        "sign-fail-06": "COSE_SIGNATURE_INVALID",
        "sign-fail-07": "COSE_SIGNATURE_INVALID",
    }
    for prefix, code in cases.items():
        vec = _by_title("sign1", prefix)
        with pytest.raises(MotorcredError) as exc:
            data = bytes.fromhex(vec["cbor_hex"])
            try:
                msg = CoseSign1.decode(data)
            except MalformedData as err:
                # the generic decoder refuses unknown tags before the COSE layer sees them
                assert err.code in ("COSE_MALFORMED",)
                raise
            msg.verify(pub)
        assert exc.value.code == code, prefix


def test_es384_vector_and_own_signature() -> None:
    vec = _by_title("sign1", "ECDSA-sig-02")
    key = _ec_private(vec["key"])
    msg = CoseSign1.decode(bytes.fromhex(vec["cbor_hex"]))
    assert msg.algorithm == ALG_ES384
    msg.verify(key.public_key())
    own = sign1(b"payload", LocalSigner(key))
    CoseSign1.decode(own.encode(tagged=True)).verify(key.public_key())


@pytest.mark.parametrize(
    "vec", [v for v in VECTORS["mac0"] if v["expect"] == "pass"], ids=lambda v: v["title"][:12]
)
def test_mac0_pass_vectors(vec: dict[str, Any]) -> None:
    msg = CoseMac0.decode(bytes.fromhex(vec["cbor_hex"]))
    aad = bytes.fromhex(vec["external_hex"])
    key = _b64(vec["key"]["k"])
    if msg.protected == {}:
        # mac-pass-02 puts alg in the unprotected header: refused by our allow-list
        with pytest.raises(VerificationFailed) as exc:
            msg.verify(key, external_aad=aad)
        assert exc.value.code == "COSE_ALG_NOT_ALLOWED"
        return
    msg.verify(key, external_aad=aad)


def test_mac0_fail_vector() -> None:
    vec = _by_title("mac0", "mac-fail-02")
    msg = CoseMac0.decode(bytes.fromhex(vec["cbor_hex"]))
    with pytest.raises(VerificationFailed) as exc:
        msg.verify(_b64(vec["key"]["k"]))
    assert exc.value.code == "COSE_MAC_INVALID"
