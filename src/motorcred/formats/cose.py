"""A thin COSE layer (RFC 9052/9053): COSE_Sign1, COSE_Mac0 and COSE_Key.

Written here rather than taken from a COSE library because mdoc needs only
these three structures, and a direct layer over ``cbor2`` + ``cryptography``
keeps the exact received bytes (protected header, payload) for verification
without re-encoding — the issue/verify speed budget depends on it.

Rules enforced (DESIGN rule 3): the algorithm must sit in the *protected*
header and be on an allow-list (no ``none``, no MAC where a signature is
expected and vice versa); critical headers naming labels we do not understand
are refused; the key must match the algorithm. Signing is prepare → sign →
complete so an HSM or remote signer can produce the signature.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cbor2 import CBORTag

from motorcred.errors import InvalidInput, MalformedData, VerificationFailed
from motorcred.formats.cbor import TAG_COSE_MAC0, TAG_COSE_SIGN1, dumps, dumps_simple, loads
from motorcred.formats.cose_keys import (
    ALG_EDDSA,
    ALG_ES256,
    ALG_ES384,
    ALG_HMAC256,
    MAC_ALGS,
    SIGNATURE_ALGS,
    LocalSigner,
    PrivateKey,
    PublicKey,
    Signer,
    algorithm_for_key,
    cose_key_from_public,
    public_key_from_cose_key,
    verify_signature,
)
from motorcred.formats.signer import sign_prepared

H_ALG = 1
H_CRIT = 2
H_CONTENT_TYPE = 3
H_KID = 4
H_IV = 5
H_PARTIAL_IV = 6
H_X5CHAIN = 33

#: Header labels this layer understands (a `crit` list may only name these).
UNDERSTOOD_LABELS: frozenset[int] = frozenset(
    {H_ALG, H_CRIT, H_CONTENT_TYPE, H_KID, H_IV, H_PARTIAL_IV, H_X5CHAIN}
)

# protected header bytes for the common case, so the hot path encodes nothing
_PROTECTED_CACHE = {alg: dumps({H_ALG: alg}) for alg in (*SIGNATURE_ALGS, *MAC_ALGS)}


def _bstr_head(n: int) -> bytes:
    if n < 24:
        return bytes((0x40 | n,))
    if n < 0x100:
        return bytes((0x58, n))
    if n < 0x10000:
        return b"\x59" + n.to_bytes(2, "big")
    if n < 0x100000000:
        return b"\x5a" + n.to_bytes(4, "big")
    return b"\x5b" + n.to_bytes(8, "big")


def _structure(context: bytes, protected: bytes, aad: bytes, payload: bytes) -> bytes:
    """Encode ``[context, bstr protected, bstr aad, bstr payload]`` without copying via cbor2.

    ``context`` is the already-encoded text string ("Signature1" / "MAC0").
    """
    return b"".join(
        (
            b"\x84",
            context,
            _bstr_head(len(protected)),
            protected,
            _bstr_head(len(aad)),
            aad,
            _bstr_head(len(payload)),
            payload,
        )
    )


_CTX_SIGNATURE1 = b"\x6aSignature1"
_CTX_MAC0 = b"\x64MAC0"


def sig_structure(protected: bytes, payload: bytes, external_aad: bytes = b"") -> bytes:
    """The Sig_structure for COSE_Sign1 (RFC 9052 §4.4): the bytes that are signed."""
    return _structure(_CTX_SIGNATURE1, protected, external_aad, payload)


def mac_structure(protected: bytes, payload: bytes, external_aad: bytes = b"") -> bytes:
    """The MAC_structure for COSE_Mac0 (RFC 9052 §6.3): the bytes that are MACed."""
    return _structure(_CTX_MAC0, protected, external_aad, payload)


# --------------------------------------------------------------------------- headers


#: The protected headers nearly every message carries (``{1: alg}``), decoded in advance:
#: those bytes can only mean that map, and decoding them costs more than a dict lookup.
_KNOWN_PROTECTED = {raw: alg for alg, raw in _PROTECTED_CACHE.items()}


def _decode_protected(raw: Any) -> dict[int, Any]:
    if not isinstance(raw, bytes):
        raise MalformedData("COSE_MALFORMED", "protected header must be a byte string")
    if not raw:
        return {}
    known = _KNOWN_PROTECTED.get(raw)
    if known is not None:
        return {H_ALG: known}
    try:
        value = loads(raw, max_size=64 * 1024, max_depth=8)
    except MalformedData as exc:
        raise MalformedData("COSE_MALFORMED", f"protected header: {exc.message}") from None
    if not isinstance(value, dict):
        raise MalformedData("COSE_MALFORMED", "protected header must encode a map")
    return value


def _check_headers(protected: Mapping[Any, Any], unprotected: Mapping[Any, Any]) -> None:
    for key in (*protected, *unprotected):
        if not isinstance(key, int | str) or isinstance(key, bool):
            raise MalformedData("COSE_MALFORMED", "header labels must be integers or text")
    both = protected.keys() & unprotected.keys()
    if both:
        raise MalformedData(
            "COSE_MALFORMED", f"header labels {sorted(map(str, both))} are both protected and not"
        )
    if H_CRIT in unprotected:
        raise MalformedData("COSE_MALFORMED", "the crit header must be protected")
    crit = protected.get(H_CRIT)
    if crit is not None:
        if not isinstance(crit, list) or not crit:
            raise MalformedData("COSE_MALFORMED", "crit must be a non-empty array of labels")
        unknown = [label for label in crit if label not in UNDERSTOOD_LABELS]
        if unknown:
            raise VerificationFailed(
                "COSE_CRIT_UNSUPPORTED", f"critical header labels not understood: {unknown!r}"
            )


def _checked_alg(
    protected: Mapping[Any, Any], unprotected: Mapping[Any, Any], allowed: frozenset[int]
) -> int:
    if H_ALG in unprotected:
        raise VerificationFailed(
            "COSE_ALG_NOT_ALLOWED", "the algorithm must be in the protected header"
        )
    alg = protected.get(H_ALG)
    if alg is None:
        raise VerificationFailed("COSE_ALG_NOT_ALLOWED", "no algorithm in the protected header")
    if not isinstance(alg, int) or isinstance(alg, bool) or alg not in allowed:
        raise VerificationFailed(
            "COSE_ALG_NOT_ALLOWED",
            f"algorithm {alg!r} is not allowed here",
            details={"alg": str(alg)},
        )
    return alg


def _x5chain(protected: Mapping[Any, Any], unprotected: Mapping[Any, Any]) -> list[bytes]:
    value = protected.get(H_X5CHAIN, unprotected.get(H_X5CHAIN))
    if value is None:
        return []
    if isinstance(value, bytes):
        return [value]
    if isinstance(value, list) and value and all(isinstance(c, bytes) for c in value):
        return list(value)
    raise MalformedData("COSE_MALFORMED", "x5chain must be a certificate or an array of them")


def _kid(protected: Mapping[Any, Any], unprotected: Mapping[Any, Any]) -> bytes | None:
    value = protected.get(H_KID, unprotected.get(H_KID))
    if value is None or isinstance(value, bytes):
        return value
    raise MalformedData("COSE_MALFORMED", "kid must be a byte string")


def _decode_array(obj: Any, tag: int, what: str) -> list[Any]:
    if isinstance(obj, bytes | bytearray | memoryview):
        try:
            obj = loads(bytes(obj))
        except MalformedData as exc:
            raise MalformedData("COSE_MALFORMED", f"{what}: {exc.message}") from None
    if isinstance(obj, CBORTag):
        if obj.tag != tag:
            raise MalformedData("COSE_MALFORMED", f"{what} has the wrong tag {obj.tag}")
        obj = obj.value
    if not isinstance(obj, list) or len(obj) != 4:
        raise MalformedData("COSE_MALFORMED", f"{what} must be an array of 4 elements")
    protected_raw, unprotected, payload, last = obj
    if not isinstance(unprotected, dict):
        raise MalformedData("COSE_MALFORMED", f"{what}: unprotected header must be a map")
    if payload is not None and not isinstance(payload, bytes):
        raise MalformedData("COSE_MALFORMED", f"{what}: payload must be a byte string or nil")
    if not isinstance(last, bytes):
        raise MalformedData("COSE_MALFORMED", f"{what}: signature/tag must be a byte string")
    protected = _decode_protected(protected_raw)
    _check_headers(protected, unprotected)
    return [protected_raw, protected, unprotected, payload, last]


def _protected_bytes(
    algorithm: int, extra: Mapping[int, Any] | None
) -> tuple[bytes, dict[int, Any]]:
    if not extra:
        return _PROTECTED_CACHE.get(algorithm) or dumps({H_ALG: algorithm}), {H_ALG: algorithm}
    header = {H_ALG: algorithm, **extra}
    return dumps(header), header


def _payload_for(attached: bytes | None, detached: bytes | None) -> bytes:
    if attached is not None:
        if detached is not None and detached != attached:
            raise VerificationFailed(
                "COSE_PAYLOAD_MISMATCH", "detached payload differs from the attached one"
            )
        return attached
    if detached is None:
        raise VerificationFailed(
            "COSE_PAYLOAD_MISSING", "payload is detached and none was supplied"
        )
    return detached


_TAG_SIGN1 = b"\xd2"  # tag 18
_NIL = b"\xf6"


def _encoded_message(
    protected: bytes, unprotected: Mapping[Any, Any], payload: bytes | None, last: bytes
) -> bytes:
    """``[bstr protected, unprotected, bstr / nil payload, bstr signature-or-tag]``, canonical."""
    return b"".join(
        (
            b"\x84",
            _bstr_head(len(protected)),
            protected,
            dumps_simple(dict(unprotected)),
            _NIL if payload is None else _bstr_head(len(payload)),
            b"" if payload is None else payload,
            _bstr_head(len(last)),
            last,
        )
    )


# --------------------------------------------------------------------------- COSE_Sign1


@dataclass(slots=True)
class CoseSign1:
    """A COSE_Sign1 message, keeping the received protected-header bytes."""

    protected_bytes: bytes
    protected: dict[int, Any]
    unprotected: dict[int, Any]
    payload: bytes | None
    signature: bytes

    def to_cbor(self) -> list[Any]:
        """The untagged CBOR array (as IssuerAuth and deviceSignature carry it)."""
        return [self.protected_bytes, self.unprotected, self.payload, self.signature]

    def encode(self, *, tagged: bool = False) -> bytes:
        """``dumps(self.to_cbor())`` (tag 18 around it if ``tagged``), assembled from the parts:
        the payload (the MSO) and signature are encoded once, not re-encoded in canonical mode."""
        body = _encoded_message(
            self.protected_bytes, self.unprotected, self.payload, self.signature
        )
        return _TAG_SIGN1 + body if tagged else body

    @classmethod
    def decode(cls, obj: bytes | list[Any] | CBORTag) -> CoseSign1:
        """Parse tag 18 or an untagged array; shape errors → ``COSE_MALFORMED``."""
        raw, protected, unprotected, payload, sig = _decode_array(obj, TAG_COSE_SIGN1, "COSE_Sign1")
        return cls(raw, protected, unprotected, payload, sig)

    @property
    def algorithm(self) -> int:
        return _checked_alg(self.protected, self.unprotected, SIGNATURE_ALGS)

    @property
    def kid(self) -> bytes | None:
        return _kid(self.protected, self.unprotected)

    @property
    def x5chain(self) -> list[bytes]:
        return _x5chain(self.protected, self.unprotected)

    def verify(
        self,
        public_key: Any,
        *,
        detached_payload: bytes | None = None,
        external_aad: bytes = b"",
        allowed: frozenset[int] = SIGNATURE_ALGS,
    ) -> None:
        """Verify the signature; raises :class:`VerificationFailed` on any failure."""
        alg = _checked_alg(self.protected, self.unprotected, allowed & SIGNATURE_ALGS)
        payload = _payload_for(self.payload, detached_payload)
        data = sig_structure(self.protected_bytes, payload, external_aad)
        verify_signature(alg, public_key, data, self.signature)


@dataclass(slots=True)
class PreparedSign1:
    """A COSE_Sign1 waiting for its signature over :attr:`to_be_signed`."""

    to_be_signed: bytes
    protected_bytes: bytes
    protected: dict[int, Any]
    unprotected: dict[int, Any]
    payload: bytes | None
    algorithm: int = field(default=ALG_ES256)

    def complete(self, signature: bytes) -> CoseSign1:
        if not isinstance(signature, bytes) or not signature:
            raise InvalidInput("COSE_SIGNATURE_EMPTY", "the signer returned no signature")
        return CoseSign1(
            self.protected_bytes, self.protected, self.unprotected, self.payload, signature
        )


def prepare_sign1(
    payload: bytes | None,
    *,
    algorithm: int,
    unprotected: Mapping[int, Any] | None = None,
    external_aad: bytes = b"",
    detached_payload: bytes | None = None,
    extra_protected: Mapping[int, Any] | None = None,
) -> PreparedSign1:
    """Build the Sig_structure to sign; ``payload=None`` with ``detached_payload`` detaches it."""
    if algorithm not in SIGNATURE_ALGS:
        raise InvalidInput("COSE_ALG_NOT_ALLOWED", f"algorithm {algorithm} cannot sign")
    if (payload is None) == (detached_payload is None):
        raise InvalidInput(
            "COSE_PAYLOAD_INVALID", "give exactly one of an attached or a detached payload"
        )
    protected_bytes, protected = _protected_bytes(algorithm, extra_protected)
    signed_payload = payload if payload is not None else detached_payload
    assert signed_payload is not None
    return PreparedSign1(
        to_be_signed=sig_structure(protected_bytes, signed_payload, external_aad),
        protected_bytes=protected_bytes,
        protected=protected,
        unprotected=dict(unprotected or {}),
        payload=payload,
        algorithm=algorithm,
    )


def sign1(
    payload: bytes,
    signer: Signer,
    *,
    unprotected: Mapping[int, Any] | None = None,
    detached: bool = False,
    external_aad: bytes = b"",
    extra_protected: Mapping[int, Any] | None = None,
) -> CoseSign1:
    """Prepare, sign and complete a COSE_Sign1 in one call."""
    prepared = prepare_sign1(
        None if detached else payload,
        algorithm=signer.algorithm,
        unprotected=unprotected,
        external_aad=external_aad,
        detached_payload=payload if detached else None,
        extra_protected=extra_protected,
    )
    return sign_prepared(prepared, signer)


# --------------------------------------------------------------------------- COSE_Mac0


@dataclass(slots=True)
class CoseMac0:
    """A COSE_Mac0 message (HMAC 256/256), as used for the mdoc deviceMac."""

    protected_bytes: bytes
    protected: dict[int, Any]
    unprotected: dict[int, Any]
    payload: bytes | None
    tag: bytes

    def to_cbor(self) -> list[Any]:
        return [self.protected_bytes, self.unprotected, self.payload, self.tag]

    def encode(self, *, tagged: bool = False) -> bytes:
        body = self.to_cbor()
        return dumps(CBORTag(TAG_COSE_MAC0, body) if tagged else body)

    @classmethod
    def decode(cls, obj: bytes | list[Any] | CBORTag) -> CoseMac0:
        raw, protected, unprotected, payload, tag = _decode_array(obj, TAG_COSE_MAC0, "COSE_Mac0")
        return cls(raw, protected, unprotected, payload, tag)

    @property
    def algorithm(self) -> int:
        return _checked_alg(self.protected, self.unprotected, MAC_ALGS)

    def verify(
        self, key: bytes, *, detached_payload: bytes | None = None, external_aad: bytes = b""
    ) -> None:
        """Recompute the MAC and compare in constant time."""
        self.algorithm  # noqa: B018 - checks the algorithm allow-list
        payload = _payload_for(self.payload, detached_payload)
        expected = _hmac256(key, mac_structure(self.protected_bytes, payload, external_aad))
        if not hmac.compare_digest(expected, self.tag):
            raise VerificationFailed("COSE_MAC_INVALID", "MAC does not verify")


def _hmac256(key: bytes, data: bytes) -> bytes:
    if not isinstance(key, bytes) or not key:
        raise InvalidInput("COSE_KEY_MALFORMED", "a MAC key must be non-empty bytes")
    return hmac.new(key, data, hashlib.sha256).digest()


def mac0(
    payload: bytes, key: bytes, *, detached: bool = False, external_aad: bytes = b""
) -> CoseMac0:
    """Create a COSE_Mac0 with HMAC 256/256 (protected ``{1: 5}``)."""
    protected_bytes = _PROTECTED_CACHE[ALG_HMAC256]
    tag = _hmac256(key, mac_structure(protected_bytes, payload, external_aad))
    return CoseMac0(protected_bytes, {H_ALG: ALG_HMAC256}, {}, None if detached else payload, tag)


__all__ = [
    "ALG_EDDSA",
    "ALG_ES256",
    "ALG_ES384",
    "ALG_HMAC256",
    "H_ALG",
    "H_CRIT",
    "H_KID",
    "H_X5CHAIN",
    "MAC_ALGS",
    "SIGNATURE_ALGS",
    "CoseMac0",
    "CoseSign1",
    "LocalSigner",
    "PreparedSign1",
    "PrivateKey",
    "PublicKey",
    "Signer",
    "algorithm_for_key",
    "cose_key_from_public",
    "mac0",
    "mac_structure",
    "prepare_sign1",
    "public_key_from_cose_key",
    "sig_structure",
    "sign1",
    "verify_signature",
]
