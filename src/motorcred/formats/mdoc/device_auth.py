"""Presentation: selective disclosure plus DeviceAuth (ISO 18013-5 §9.1.3).

DeviceAuthentication = ["DeviceAuthentication", SessionTranscript, DocType,
DeviceNameSpacesBytes]; the device signs (or MACs) ``#6.24(bstr .cbor
DeviceAuthentication)`` as a *detached* payload. The SessionTranscript is spliced
in as received (SessionTranscriptBytes' inner bytes) where we have them, so a
reader whose transcript encoding is not canonical still gets a matching MAC.

deviceMac key: EMacKey = HKDF-SHA256(IKM = ECDH(SDeviceKey.Priv, EReaderKey.Pub),
salt = SHA-256(SessionTranscriptBytes), info = "EMacKey", L = 32) (§9.1.3.5).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from motorcred.errors import InvalidInput, MalformedData
from motorcred.formats.cbor import dumps, encoded24, inner24, loads
from motorcred.formats.cose import Signer, mac0, sign1
from motorcred.formats.mdoc.device_response import DeviceSigned, Document
from motorcred.formats.mdoc.issuer_signed import IssuedDocument

_DEVICE_AUTH_HEAD = b"\x84" + dumps("DeviceAuthentication")
_EMPTY_DEVICE_NAMESPACES = dumps({})


def device_authentication_bytes_raw(
    session_transcript_encoded: bytes, doctype: str, device_namespaces_bytes: bytes
) -> bytes:
    """DeviceAuthenticationBytes with the SessionTranscript given as its exact encoding."""
    inner = b"".join(
        (
            _DEVICE_AUTH_HEAD,
            session_transcript_encoded,
            dumps(doctype),
            encoded24(device_namespaces_bytes),
        )
    )
    return encoded24(inner)


def device_authentication_bytes(
    session_transcript: Any, doctype: str, device_namespaces_bytes: bytes
) -> bytes:
    """``#6.24(bstr .cbor ["DeviceAuthentication", SessionTranscript, docType, #6.24(DNS)])``.

    ``session_transcript`` is the decoded SessionTranscript (re-encoded canonically).
    """
    return device_authentication_bytes_raw(
        dumps(session_transcript), doctype, device_namespaces_bytes
    )


def session_transcript_inner(session_transcript_bytes: bytes) -> bytes:
    """The SessionTranscript encoding inside SessionTranscriptBytes (``#6.24(bstr)``)."""
    try:
        inner = inner24(loads(session_transcript_bytes), what="SessionTranscriptBytes")
        loads(inner)  # must itself be well-formed CBOR
    except MalformedData as exc:
        raise MalformedData("MDOC_SESSION_TRANSCRIPT_MALFORMED", exc.message) from None
    return inner


def derive_emac_key(
    private_key: ec.EllipticCurvePrivateKey,
    public_key: ec.EllipticCurvePublicKey,
    session_transcript_bytes: bytes,
) -> bytes:
    """EMacKey for deviceMac, from either side's private key and the other's public key."""
    if not isinstance(private_key, ec.EllipticCurvePrivateKey) or not isinstance(
        public_key, ec.EllipticCurvePublicKey
    ):
        raise InvalidInput("MDOC_MAC_KEY_INVALID", "deviceMac needs EC keys for ECDH")
    if private_key.curve.name != public_key.curve.name:
        raise InvalidInput("MDOC_MAC_KEY_INVALID", "deviceMac keys are on different curves")
    shared = private_key.exchange(ec.ECDH(), public_key)
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=hashlib.sha256(session_transcript_bytes).digest(),
        info=b"EMacKey",
    ).derive(shared)


def select_items(
    issued: IssuedDocument, request: Mapping[str, Iterable[str]] | None
) -> IssuedDocument:
    """The issued document narrowed to the requested elements (``None`` = all)."""
    return issued.select(request)


def _device_namespaces(device_namespaces: Mapping[str, Mapping[str, Any]]) -> bytes:
    if not device_namespaces:
        return _EMPTY_DEVICE_NAMESPACES
    return dumps({ns: dict(elements) for ns, elements in device_namespaces.items()})


def present(
    issued: IssuedDocument,
    *,
    device_signer: Signer,
    session_transcript: Any,
    request: Mapping[str, Iterable[str]] | None = None,
    device_namespaces: Mapping[str, Mapping[str, Any]] | None = None,
) -> Document:
    """A Document disclosing the requested items, with a deviceSignature.

    ``session_transcript`` is the decoded SessionTranscript, or SessionTranscriptBytes
    (``bytes``, tag-24 wrapped, as in Annex D) whose inner encoding is used verbatim.
    """
    namespaces_bytes = _device_namespaces(device_namespaces or {})
    if isinstance(session_transcript, bytes):
        payload = device_authentication_bytes_raw(
            session_transcript_inner(session_transcript), issued.doctype, namespaces_bytes
        )
    else:
        payload = device_authentication_bytes(session_transcript, issued.doctype, namespaces_bytes)
    signature = sign1(payload, device_signer, detached=True)
    return Document(
        issued.doctype, select_items(issued, request), DeviceSigned(namespaces_bytes, signature)
    )


def present_mac(
    issued: IssuedDocument,
    *,
    device_private_key: ec.EllipticCurvePrivateKey,
    reader_public_key: ec.EllipticCurvePublicKey,
    session_transcript_bytes: bytes,
    request: Mapping[str, Iterable[str]] | None = None,
) -> Document:
    """A Document disclosing the requested items, with a deviceMac (HMAC 256/256)."""
    key = derive_emac_key(device_private_key, reader_public_key, session_transcript_bytes)
    payload = device_authentication_bytes_raw(
        session_transcript_inner(session_transcript_bytes),
        issued.doctype,
        _EMPTY_DEVICE_NAMESPACES,
    )
    tag = mac0(payload, key, detached=True)
    return Document(
        issued.doctype,
        select_items(issued, request),
        DeviceSigned(_EMPTY_DEVICE_NAMESPACES, tag),
    )
