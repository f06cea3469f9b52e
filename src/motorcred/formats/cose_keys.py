"""COSE algorithms, keys and signers: the key-handling half of the COSE layer.

:mod:`motorcred.formats.cose` builds and parses the message structures and
re-exports everything here. Kept apart so each module stays small.

ECDSA signatures travel in COSE as fixed-size r‖s (RFC 9053 §2.1), while
``cryptography`` speaks DER, hence the conversions below.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from motorcred.errors import InvalidInput, MalformedData, VerificationFailed

ALG_ES256 = -7
ALG_ES384 = -35
ALG_EDDSA = -8
ALG_HMAC256 = 5

SIGNATURE_ALGS: frozenset[int] = frozenset({ALG_ES256, ALG_ES384, ALG_EDDSA})
MAC_ALGS: frozenset[int] = frozenset({ALG_HMAC256})

PublicKey = ec.EllipticCurvePublicKey | Ed25519PublicKey
PrivateKey = ec.EllipticCurvePrivateKey | Ed25519PrivateKey

# ECDSA: (curve class, hash, coordinate size in bytes)
_EC_PARAMS: dict[int, tuple[type[ec.EllipticCurve], hashes.HashAlgorithm, int]] = {
    ALG_ES256: (ec.SECP256R1, hashes.SHA256(), 32),
    ALG_ES384: (ec.SECP384R1, hashes.SHA384(), 48),
}
_ALG_NAMES = {ALG_ES256: "ES256", ALG_ES384: "ES384", ALG_EDDSA: "EdDSA"}


# --------------------------------------------------------------------------- signers


class Signer(Protocol):
    """The signing port: a local key, an HSM or a remote signing service."""

    algorithm: int

    def sign(self, data: bytes) -> bytes:
        """Return the raw COSE signature over ``data`` (r‖s for ECDSA)."""
        ...


def algorithm_for_key(key: PrivateKey | PublicKey) -> int:
    """The COSE signature algorithm that goes with a key."""
    if isinstance(key, Ed25519PrivateKey | Ed25519PublicKey):
        return ALG_EDDSA
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        if isinstance(key.curve, ec.SECP256R1):
            return ALG_ES256
        if isinstance(key.curve, ec.SECP384R1):
            return ALG_ES384
    raise InvalidInput("COSE_KEY_UNSUPPORTED", "only P-256, P-384 and Ed25519 keys are supported")


class LocalSigner:
    """A :class:`Signer` over an in-process ``cryptography`` private key."""

    def __init__(self, private_key: PrivateKey) -> None:
        self.algorithm = algorithm_for_key(private_key)
        self._key = private_key
        if isinstance(private_key, ec.EllipticCurvePrivateKey):
            _, hash_alg, size = _EC_PARAMS[self.algorithm]
            self._ecdsa: ec.ECDSA | None = ec.ECDSA(hash_alg)
            self._size = size
        else:
            self._ecdsa = None
            self._size = 32

    def sign(self, data: bytes) -> bytes:
        key = self._key
        if isinstance(key, ec.EllipticCurvePrivateKey):
            assert self._ecdsa is not None
            r, s = decode_dss_signature(key.sign(data, self._ecdsa))
            return r.to_bytes(self._size, "big") + s.to_bytes(self._size, "big")
        return key.sign(data)


def verify_signature(alg: int, public_key: Any, data: bytes, signature: bytes) -> None:
    """Check a raw COSE signature; key/algorithm mismatch and bad signatures are refused."""
    if alg == ALG_EDDSA:
        if not isinstance(public_key, Ed25519PublicKey):
            raise VerificationFailed("COSE_KEY_MISMATCH", "EdDSA needs an Ed25519 public key")
        try:
            public_key.verify(signature, data)
        except InvalidSignature:
            raise VerificationFailed(
                "COSE_SIGNATURE_INVALID", "signature does not verify"
            ) from None
        return
    curve, hash_alg, size = _EC_PARAMS[alg]
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
        public_key.curve, curve
    ):
        raise VerificationFailed(
            "COSE_KEY_MISMATCH", f"{_ALG_NAMES[alg]} needs an EC public key on {curve.name}"
        )
    if len(signature) != 2 * size:
        raise VerificationFailed(
            "COSE_SIGNATURE_INVALID", f"{_ALG_NAMES[alg]} signature must be {2 * size} bytes"
        )
    der = encode_dss_signature(
        int.from_bytes(signature[:size], "big"), int.from_bytes(signature[size:], "big")
    )
    try:
        public_key.verify(der, data, ec.ECDSA(hash_alg))
    except InvalidSignature:
        raise VerificationFailed("COSE_SIGNATURE_INVALID", "signature does not verify") from None


# --------------------------------------------------------------------------- COSE_Key

_KTY_OKP, _KTY_EC2 = 1, 2
_CRV_P256, _CRV_P384, _CRV_ED25519 = 1, 2, 6
_EC_CURVES: dict[int, tuple[ec.EllipticCurve, int]] = {
    _CRV_P256: (ec.SECP256R1(), 32),
    _CRV_P384: (ec.SECP384R1(), 48),
}


def cose_key_from_public(public_key: PublicKey) -> dict[int, Any]:
    """A COSE_Key map (EC2 with x and y, or OKP Ed25519) for a public key."""
    if isinstance(public_key, Ed25519PublicKey):
        raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
        return {1: _KTY_OKP, -1: _CRV_ED25519, -2: raw}
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        for crv, (curve, size) in _EC_CURVES.items():
            if isinstance(public_key.curve, type(curve)):
                nums = public_key.public_numbers()
                return {
                    1: _KTY_EC2,
                    -1: crv,
                    -2: nums.x.to_bytes(size, "big"),
                    -3: nums.y.to_bytes(size, "big"),
                }
    raise InvalidInput("COSE_KEY_UNSUPPORTED", "only P-256, P-384 and Ed25519 keys are supported")


def public_key_from_cose_key(obj: Any) -> PublicKey:
    """Parse a COSE_Key map (EC2 P-256/P-384 incl. compressed y, OKP Ed25519)."""
    if not isinstance(obj, Mapping):
        raise MalformedData("COSE_KEY_MALFORMED", "a COSE_Key must be a map")
    kty, crv, x = obj.get(1), obj.get(-1), obj.get(-2)
    if kty == _KTY_OKP and crv == _CRV_ED25519:
        if not isinstance(x, bytes) or len(x) != 32:
            raise MalformedData("COSE_KEY_MALFORMED", "Ed25519 key needs a 32-byte x")
        return Ed25519PublicKey.from_public_bytes(x)
    if kty != _KTY_EC2 or isinstance(crv, bool) or crv not in _EC_CURVES:
        raise MalformedData(
            "COSE_KEY_MALFORMED", f"unsupported COSE_Key type/curve {kty!r}/{crv!r}"
        )
    curve, size = _EC_CURVES[crv]
    y = obj.get(-3)
    if not isinstance(x, bytes) or len(x) != size:
        raise MalformedData("COSE_KEY_MALFORMED", f"EC2 key needs a {size}-byte x")
    if isinstance(y, bool):
        point = bytes((0x03 if y else 0x02,)) + x
    elif isinstance(y, bytes) and len(y) == size:
        point = b"\x04" + x + y
    else:
        raise MalformedData("COSE_KEY_MALFORMED", f"EC2 key needs a {size}-byte y")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(curve, point)
    except ValueError:
        raise MalformedData("COSE_KEY_MALFORMED", "EC2 key is not a point on its curve") from None
