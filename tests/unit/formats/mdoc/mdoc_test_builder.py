"""A small, fully controllable mdoc builder for verifier tests.

It builds the ISO 18013-5 structures directly from the CBOR and COSE layers so
that tests can produce every kind of broken credential (wrong docType in the
MSO, HMAC in IssuerAuth, tampered values…) that a correct issuer never emits.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from cbor2 import CBORTag
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding

from motorcred.formats.cbor import dumps, encoded24
from motorcred.formats.cose import (
    H_X5CHAIN,
    LocalSigner,
    cose_key_from_public,
    mac0,
    sign1,
)
from motorcred.formats.mdoc.verify_device import device_authentication_bytes, emac_key
from motorcred.formats.trust import TrustStore
from motorcred.formats.x509 import IssuerName, create_document_signer, create_iaca

MDL = "org.iso.18013.5.1.mDL"
NS = "org.iso.18013.5.1"
T0 = datetime(2026, 1, 1, tzinfo=UTC)
SIGNED = datetime(2026, 3, 1, 8, 0, 0, tzinfo=UTC)
NOW = datetime(2026, 6, 1, tzinfo=UTC)


@dataclass
class Pki:
    iaca_key: ec.EllipticCurvePrivateKey
    iaca: x509.Certificate
    ds_key: ec.EllipticCurvePrivateKey
    ds: x509.Certificate

    @property
    def ds_der(self) -> bytes:
        return self.ds.public_bytes(Encoding.DER)

    def trust(self) -> TrustStore:
        return TrustStore([self.iaca])


def make_pki(country: str = "CN", state: str | None = None) -> Pki:
    iaca_key = ec.generate_private_key(ec.SECP256R1())
    iaca = create_iaca(
        iaca_key,
        name=IssuerName(country, "test IACA", state=state),
        not_before=T0,
        not_after=T0 + timedelta(days=3650),
        serial_number=1,
        issuer_alt_name="https://iaca.example",
    )
    ds_key = ec.generate_private_key(ec.SECP256R1())
    ds = create_document_signer(
        ds_key.public_key(),
        iaca_cert=iaca,
        iaca_key=iaca_key,
        common_name="test DS",
        not_before=T0,
        not_after=T0 + timedelta(days=365),
        serial_number=2,
    )
    return Pki(iaca_key, iaca, ds_key, ds)


def default_elements() -> dict[str, dict[str, Any]]:
    from datetime import date

    return {
        NS: {
            "family_name": "Zhang",
            "given_name": "Wei",
            "birth_date": date(1990, 5, 17),
            "issue_date": date(2026, 3, 1),
            "expiry_date": date(2032, 3, 1),
            "issuing_country": "CN",
            "document_number": "110101199005170012",
            "driving_privileges": [{"vehicle_category_code": "C1"}],
        }
    }


@dataclass
class Built:
    """An issued document: IssuerSigned pieces kept editable for tampering."""

    doctype: str
    items: dict[str, list[bytes]]  # inner IssuerSignedItem bytes per namespace
    issuer_auth: list[Any]
    device_key: ec.EllipticCurvePrivateKey
    mso: dict[str, Any] = field(default_factory=dict)

    def issuer_signed(self) -> dict[str, Any]:
        return {
            "nameSpaces": {ns: [CBORTag(24, b) for b in items] for ns, items in self.items.items()},
            "issuerAuth": self.issuer_auth,
        }


def issue(
    pki: Pki,
    *,
    elements: dict[str, dict[str, Any]] | None = None,
    doctype: str = MDL,
    mso_doctype: str | None = None,
    signed: datetime = SIGNED,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    status: dict[str, Any] | None = None,
    device_key: ec.EllipticCurvePrivateKey | None = None,
    digest_algorithm: str = "SHA-256",
    signer_key: ec.EllipticCurvePrivateKey | None = None,
    x5chain: list[bytes] | None = None,
) -> Built:
    elements = elements if elements is not None else default_elements()
    device_key = device_key or ec.generate_private_key(ec.SECP256R1())
    items: dict[str, list[bytes]] = {}
    digests: dict[str, dict[int, bytes]] = {}
    hasher = {"SHA-256": hashlib.sha256, "SHA-384": hashlib.sha384}.get(
        digest_algorithm, hashlib.sha256
    )
    digest_id = 0
    for ns, values in elements.items():
        for ident, value in values.items():
            inner = dumps(
                {
                    "digestID": digest_id,
                    "random": os.urandom(16),
                    "elementIdentifier": ident,
                    "elementValue": value,
                }
            )
            items.setdefault(ns, []).append(inner)
            digests.setdefault(ns, {})[digest_id] = hasher(encoded24(inner)).digest()
            digest_id += 1
    validity: dict[str, Any] = {
        "signed": signed,
        "validFrom": valid_from or signed,
        "validUntil": valid_until or signed + timedelta(days=365),
    }
    mso: dict[str, Any] = {
        "version": "1.0",
        "digestAlgorithm": digest_algorithm,
        "valueDigests": digests,
        "deviceKeyInfo": {"deviceKey": cose_key_from_public(device_key.public_key())},
        "docType": mso_doctype or doctype,
        "validityInfo": validity,
    }
    if status is not None:
        mso["status"] = status
    payload = dumps(CBORTag(24, dumps(mso)))
    chain = x5chain if x5chain is not None else [pki.ds_der]
    message = sign1(
        payload,
        LocalSigner(signer_key or pki.ds_key),
        unprotected={H_X5CHAIN: chain[0] if len(chain) == 1 else chain},
    )
    return Built(doctype, items, message.to_cbor(), device_key, mso)


def transcript(label: bytes = b"session-1") -> tuple[bytes, bytes]:
    """(SessionTranscriptBytes, inner SessionTranscript encoding) for a made-up session."""
    inner = dumps([CBORTag(24, dumps({0: "1.0", 99: label})), CBORTag(24, dumps({1: 2})), None])
    return encoded24(inner), inner


def device_signed_sig(
    built: Built, session: tuple[bytes, bytes], *, key: ec.EllipticCurvePrivateKey | None = None
) -> dict[str, Any]:
    ns_inner = dumps({})
    payload = device_authentication_bytes(session[1], built.doctype, encoded24(ns_inner))
    sig = sign1(payload, LocalSigner(key or built.device_key), detached=True)
    return {"nameSpaces": CBORTag(24, ns_inner), "deviceAuth": {"deviceSignature": sig.to_cbor()}}


def device_signed_mac(
    built: Built, session: tuple[bytes, bytes], reader_public: ec.EllipticCurvePublicKey
) -> dict[str, Any]:
    ns_inner = dumps({})
    payload = device_authentication_bytes(session[1], built.doctype, encoded24(ns_inner))
    # The device side: ECDH(device private, reader public) equals the reader's derivation.
    shared_key = _device_emac(built.device_key, reader_public, session[0])
    tag = mac0(payload, shared_key, detached=True)
    return {"nameSpaces": CBORTag(24, ns_inner), "deviceAuth": {"deviceMac": tag.to_cbor()}}


def _device_emac(
    device_private: ec.EllipticCurvePrivateKey,
    reader_public: ec.EllipticCurvePublicKey,
    session_transcript_bytes: bytes,
) -> bytes:
    # ECDH is symmetric: swap roles through emac_key's (private, public) signature.
    return emac_key(device_private, reader_public, session_transcript_bytes)


def response(*documents: dict[str, Any], status: int = 0) -> bytes:
    return dumps({"version": "1.0", "documents": list(documents), "status": status})


def document(built: Built, device_signed: dict[str, Any] | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {"docType": built.doctype, "issuerSigned": built.issuer_signed()}
    if device_signed is not None:
        doc["deviceSigned"] = device_signed
    return doc
