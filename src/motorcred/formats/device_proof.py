"""Proof of possession of a holder's device key (P-256, ES256).

The holder app generates a P-256 key pair in its secure storage, asks the
server for a nonce and signs this structure with the private key::

    DeviceProof = [
        "MotorcredDeviceProof",   ; context, so the signature means nothing elsewhere
        nonce : bstr,             ; the server's single-use nonce (raw bytes)
        account_id : uint,        ; the account the key is bound to
        purpose : tstr            ; what the proof is for, e.g. "device-binding"
    ]
    ToBeSigned = deterministic CBOR encoding of DeviceProof

The signature is ES256 in its fixed-size form (r‖s, 64 bytes, as in JOSE and
COSE). Binding the account id and purpose means a proof captured for one
account or one purpose cannot be replayed for another; the nonce makes it
single use. The public key travels as a JWK (RFC 7517) or a COSE_Key (RFC 9052);
it is stored as a COSE_Key because that is what the MSO's deviceKeyInfo carries.

Pure: no clock, no randomness, no storage.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from motorcred.errors import InvalidInput, MalformedData, MotorcredError, VerificationFailed
from motorcred.formats import cbor
from motorcred.formats.cose_keys import (
    ALG_ES256,
    cose_key_from_public,
    public_key_from_cose_key,
    verify_signature,
)

PROOF_CONTEXT = "MotorcredDeviceProof"
SIGNATURE_BYTES = 64
_COORD_BYTES = 32
_MAX_COSE_KEY_BYTES = 256


def to_be_signed(nonce: bytes, account_id: int, purpose: str) -> bytes:
    """The exact bytes the device signs."""
    return cbor.dumps([PROOF_CONTEXT, nonce, account_id, purpose])


def b64url_decode(value: str, *, what: str) -> bytes:
    """Base64url with or without padding; anything else is refused."""
    if not isinstance(value, str) or not value.isascii():
        raise InvalidInput("BASE64URL_INVALID", f"{what} must be base64url text")
    padded = value + "=" * (-len(value) % 4)
    try:
        return base64.urlsafe_b64decode(padded.encode("ascii"))
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput("BASE64URL_INVALID", f"{what} is not valid base64url") from exc


def b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _key_invalid(message: str) -> InvalidInput:
    return InvalidInput("DEVICE_KEY_INVALID", message)


def public_key_from_jwk(jwk: Mapping[str, Any]) -> ec.EllipticCurvePublicKey:
    """A P-256 public key from a JWK; a JWK that carries the private part is refused."""
    if "d" in jwk:
        raise _key_invalid("send the public key only: the JWK carries a private key ('d')")
    if jwk.get("kty") != "EC" or jwk.get("crv") != "P-256":
        raise _key_invalid("the device key must be an EC P-256 key (kty EC, crv P-256)")
    x = b64url_decode(jwk.get("x", ""), what="JWK x")
    y = b64url_decode(jwk.get("y", ""), what="JWK y")
    if len(x) != _COORD_BYTES or len(y) != _COORD_BYTES:
        raise _key_invalid("JWK x and y must be 32 bytes each")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b"\x04" + x + y)
    except ValueError:
        raise _key_invalid("the JWK is not a point on P-256") from None


def public_key_from_cose_bytes(encoded: bytes) -> ec.EllipticCurvePublicKey:
    """A P-256 public key from an encoded COSE_Key."""
    if len(encoded) > _MAX_COSE_KEY_BYTES:
        raise _key_invalid("the COSE_Key is too long")
    try:
        key = public_key_from_cose_key(cbor.loads(encoded))
    except (MalformedData, InvalidInput) as exc:
        raise _key_invalid(f"the COSE_Key cannot be read: {exc.message}") from exc
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise _key_invalid("the device key must be an EC P-256 key")
    return key


def cose_key_bytes(public_key: ec.EllipticCurvePublicKey) -> bytes:
    """The COSE_Key encoding stored for the device (and placed in deviceKeyInfo)."""
    return cbor.dumps(cose_key_from_public(public_key))


def public_jwk(public_key: ec.EllipticCurvePublicKey) -> dict[str, str]:
    nums = public_key.public_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "x": b64url_encode(nums.x.to_bytes(_COORD_BYTES, "big")),
        "y": b64url_encode(nums.y.to_bytes(_COORD_BYTES, "big")),
    }


def jwk_thumbprint(public_key: ec.EllipticCurvePublicKey) -> str:
    """RFC 7638 thumbprint (SHA-256, base64url): a stable, public name for the key."""
    jwk = public_jwk(public_key)
    canonical = json.dumps(
        {k: jwk[k] for k in ("crv", "kty", "x", "y")}, separators=(",", ":"), sort_keys=True
    )
    return b64url_encode(hashlib.sha256(canonical.encode("ascii")).digest())


def verify_proof(
    public_key: ec.EllipticCurvePublicKey,
    *,
    nonce: bytes,
    account_id: int,
    purpose: str,
    signature: bytes,
) -> None:
    """Check the device's ES256 signature over :func:`to_be_signed`."""
    if len(signature) != SIGNATURE_BYTES:
        raise VerificationFailed(
            "DEVICE_PROOF_INVALID",
            f"the proof must be an ES256 signature of {SIGNATURE_BYTES} bytes (r‖s)",
        )
    try:
        verify_signature(ALG_ES256, public_key, to_be_signed(nonce, account_id, purpose), signature)
    except MotorcredError as exc:
        raise VerificationFailed(
            "DEVICE_PROOF_INVALID",
            "the signature does not prove possession of the device key for this nonce",
        ) from exc
