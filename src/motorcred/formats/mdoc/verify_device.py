"""mdoc device authentication (ISO/IEC 18013-5 §9.1.3) as the reader checks it.

The holder's device proves possession of the key the issuer bound into the MSO
(``deviceKeyInfo.deviceKey``) by authenticating DeviceAuthenticationBytes::

    #6.24(bstr .cbor ["DeviceAuthentication", SessionTranscript, DocType,
                      DeviceNameSpacesBytes])

either with a signature (deviceSignature, COSE_Sign1 with a detached payload)
or with a MAC (deviceMac, COSE_Mac0, HMAC-SHA256) keyed by EMacKey =
HKDF-SHA256(ECDH(reader ephemeral key, device key), salt =
SHA-256(SessionTranscriptBytes), info = "EMacKey", 32 bytes). The session
transcript binds the proof to this one session, so a replayed response fails.

The structure is assembled from the exact bytes received (the SessionTranscript
and DeviceNameSpacesBytes are spliced in, not re-encoded), so a reader that
encodes differently from the holder still computes the same bytes.
"""

from __future__ import annotations

import hashlib
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from motorcred.errors import MalformedData, VerificationFailed
from motorcred.formats.cbor import dumps, encoded24
from motorcred.formats.cose import PublicKey, public_key_from_cose_key
from motorcred.formats.mdoc.verify_parse import DeviceSignedPart

_ARRAY_OF_4 = b"\x84"
_CONTEXT = dumps("DeviceAuthentication")


def device_authentication_bytes(
    session_transcript: bytes, doctype: str, device_namespaces_tagged: bytes
) -> bytes:
    """DeviceAuthenticationBytes from the encoded SessionTranscript and DeviceNameSpacesBytes."""
    inner = _ARRAY_OF_4 + _CONTEXT + session_transcript + dumps(doctype) + device_namespaces_tagged
    return encoded24(inner)


def emac_key(
    reader_private_key: ec.EllipticCurvePrivateKey,
    device_public_key: ec.EllipticCurvePublicKey,
    session_transcript_bytes: bytes,
) -> bytes:
    """EMacKey (ISO 18013-5 §9.1.3.5) as the reader derives it."""
    if not isinstance(device_public_key, ec.EllipticCurvePublicKey) or not isinstance(
        device_public_key.curve, type(reader_private_key.curve)
    ):
        raise VerificationFailed(
            "MDOC_DEVICE_AUTH_FAILED", "the device key and the reader key are on different curves"
        )
    shared = reader_private_key.exchange(ec.ECDH(), device_public_key)
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=hashlib.sha256(session_transcript_bytes).digest(),
        info=b"EMacKey",
    ).derive(shared)


def device_key(cose_key: Any) -> PublicKey:
    try:
        return public_key_from_cose_key(cose_key)
    except MalformedData as exc:
        raise MalformedData("MDOC_MALFORMED", f"MSO deviceKey: {exc.message}") from None


def check_device_auth(
    part: DeviceSignedPart,
    *,
    doctype: str,
    device_public_key: PublicKey,
    session_transcript_bytes: bytes,
    session_transcript: bytes,
    reader_private_key: ec.EllipticCurvePrivateKey | None,
) -> None:
    """Verify deviceSignature or deviceMac; raises :class:`VerificationFailed` when it fails.

    Codes: ``COSE_ALG_NOT_ALLOWED`` (e.g. a MAC algorithm in a deviceSignature),
    ``MDOC_READER_KEY_REQUIRED`` (a deviceMac and no reader key to derive
    EMacKey), ``MDOC_DEVICE_AUTH_FAILED`` (wrong key, other session, tampering).
    """
    payload = device_authentication_bytes(session_transcript, doctype, part.namespaces_tagged)
    try:
        if part.signature is not None:
            if part.signature.payload is not None:
                raise VerificationFailed(
                    "MDOC_DEVICE_AUTH_FAILED", "deviceSignature must have a detached (nil) payload"
                )
            part.signature.algorithm  # noqa: B018 - allow-list check, raises COSE_ALG_NOT_ALLOWED
            part.signature.verify(device_public_key, detached_payload=payload)
            return
        assert part.mac is not None
        part.mac.algorithm  # noqa: B018 - allow-list check
        if reader_private_key is None:
            raise VerificationFailed(
                "MDOC_READER_KEY_REQUIRED",
                "the document authenticates with a deviceMac; the reader's ephemeral private "
                "key is needed to check it",
            )
        if not isinstance(device_public_key, ec.EllipticCurvePublicKey):
            raise VerificationFailed(
                "MDOC_DEVICE_AUTH_FAILED", "a deviceMac needs an EC device key (ECDH)"
            )
        if part.mac.payload is not None:
            raise VerificationFailed(
                "MDOC_DEVICE_AUTH_FAILED", "deviceMac must have a detached (nil) payload"
            )
        key = emac_key(reader_private_key, device_public_key, session_transcript_bytes)
        part.mac.verify(key, detached_payload=payload)
    except VerificationFailed as exc:
        if exc.code in ("COSE_ALG_NOT_ALLOWED", "MDOC_READER_KEY_REQUIRED"):
            raise
        if exc.code == "MDOC_DEVICE_AUTH_FAILED":
            raise
        raise VerificationFailed(
            "MDOC_DEVICE_AUTH_FAILED", f"device authentication does not verify ({exc.message})"
        ) from None
