"""The holder's side: turn a stored credential into a device-signed ``MC1:`` code.

The wallet keeps the compact offline credential (:mod:`.credential`); a
standard credential works the same way when it is small enough, since the
``kid`` replaces its x5chain in the *unprotected* header the issuer signature
does not cover. Signing is prepare → sign → complete, so the device key can
stay in a secure element.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from motorcred.errors import InvalidInput
from motorcred.formats.cbor import loads, unwrap24
from motorcred.formats.cose import (
    ALG_ES256,
    H_KID,
    CoseSign1,
    PreparedSign1,
    Signer,
    prepare_sign1,
)
from motorcred.formats.mdoc.issuer_signed import IssuedDocument
from motorcred.formats.offline_code import encode_offline_code
from motorcred.formats.offline_presentation.credential import EXCLUDED_ELEMENTS
from motorcred.formats.offline_presentation.wire import (
    MAX_NONCE_BYTES,
    MIN_NONCE_BYTES,
    DisclosedElement,
    OfflinePresentation,
    device_authentication_bytes,
    disclosed_digest,
    elide_digests,
    rebuild_mso,
)
from motorcred.formats.trust_list import certificate_kid


@dataclass(frozen=True, slots=True)
class PreparedOfflinePresentation:
    """A presentation waiting for the device signature over :attr:`to_be_signed`."""

    sign1: PreparedSign1
    issuer_auth: CoseSign1
    mso_rest: dict[str, object]
    elements: tuple[DisclosedElement, ...]
    presented_at: int
    nonce: bytes

    @property
    def to_be_signed(self) -> bytes:
        return self.sign1.to_be_signed

    def complete(self, signature: bytes) -> OfflinePresentation:
        return OfflinePresentation(
            self.issuer_auth,
            dict(self.mso_rest),
            self.elements,
            self.presented_at,
            self.nonce,
            self.sign1.complete(signature),
        )


def _issuer_auth_with_kid(credential: IssuedDocument) -> CoseSign1:
    auth = credential.issuer_auth
    kid = auth.kid
    if kid is None:
        chain = auth.x5chain
        if not chain:
            raise InvalidInput(
                "OFFLINE_CREDENTIAL_INVALID", "IssuerAuth names no certificate (no kid, no x5chain)"
            )
        kid = certificate_kid(chain[0])
    # The unprotected header is not signed: swapping x5chain for kid keeps the signature.
    return CoseSign1(auth.protected_bytes, auth.protected, {H_KID: kid}, None, auth.signature)


def _chosen(
    credential: IssuedDocument, disclose: Mapping[str, Iterable[str]] | None
) -> tuple[DisclosedElement, ...]:
    wanted = (
        {ns: [i.identifier for i in items] for ns, items in credential.namespaces.items()}
        if disclose is None
        else {ns: list(ids) for ns, ids in disclose.items()}
    )
    out: list[DisclosedElement] = []
    for namespace, identifiers in wanted.items():
        for identifier in identifiers:
            if identifier in EXCLUDED_ELEMENTS:
                if disclose is None:
                    continue  # "everything" never includes the portrait
                raise InvalidInput(
                    "OFFLINE_PORTRAIT_NOT_ALLOWED", f"{identifier} is never put in an offline code"
                )
            item = credential.item(namespace, identifier)
            if item is None:
                raise InvalidInput(
                    "OFFLINE_ELEMENT_NOT_HELD",
                    f"the credential holds no {namespace}/{identifier}",
                )
            out.append(
                DisclosedElement(namespace, item.digest_id, item.random, identifier, item.value)
            )
    if not out:
        raise InvalidInput("OFFLINE_NOTHING_DISCLOSED", "an offline code must disclose something")
    return tuple(out)


def prepare_offline_presentation(
    credential: IssuedDocument,
    *,
    presented_at: datetime,
    nonce: bytes,
    disclose: Mapping[str, Iterable[str]] | None = None,
    algorithm: int = ALG_ES256,
) -> PreparedOfflinePresentation:
    """Select the elements (all but the portrait by default) and build what the device signs.

    Raises ``OFFLINE_CREDENTIAL_NOT_CANONICAL`` when the verifier could not
    rebuild the signed MSO from the code (an issuer that does not encode
    canonically), so a code that can never verify is not shown.
    """
    if presented_at.utcoffset() is None:
        raise InvalidInput("OFFLINE_TIME_INVALID", "presented_at must be time-zone aware")
    if not isinstance(nonce, bytes) or not MIN_NONCE_BYTES <= len(nonce) <= MAX_NONCE_BYTES:
        raise InvalidInput(
            "OFFLINE_NONCE_INVALID", f"nonce must be {MIN_NONCE_BYTES}..{MAX_NONCE_BYTES} bytes"
        )
    issuer_auth = _issuer_auth_with_kid(credential)
    elements = _chosen(credential, disclose)
    payload = credential.issuer_auth.payload
    assert payload is not None  # IssuedDocument.from_cbor refuses a detached MSO
    mso = unwrap24(loads(payload), what="MobileSecurityObjectBytes")
    rest = elide_digests(mso, [(e.namespace, e.digest_id) for e in elements])
    if rebuild_mso(rest, elements) != payload:
        raise InvalidInput(
            "OFFLINE_CREDENTIAL_NOT_CANONICAL",
            "the credential's MSO is not canonical CBOR; it cannot travel in an offline code",
        )
    seconds = int(presented_at.timestamp())
    to_sign = device_authentication_bytes(
        credential.doctype, seconds, nonce, payload, disclosed_digest(elements)
    )
    sign1 = prepare_sign1(None, algorithm=algorithm, detached_payload=to_sign)
    return PreparedOfflinePresentation(sign1, issuer_auth, rest, elements, seconds, nonce)


def present_offline(
    credential: IssuedDocument,
    *,
    device_signer: Signer,
    presented_at: datetime,
    nonce: bytes,
    disclose: Mapping[str, Iterable[str]] | None = None,
) -> OfflinePresentation:
    """Prepare, sign with the device key and complete in one call."""
    prepared = prepare_offline_presentation(
        credential,
        presented_at=presented_at,
        nonce=nonce,
        disclose=disclose,
        algorithm=device_signer.algorithm,
    )
    return prepared.complete(device_signer.sign(prepared.to_be_signed))


def offline_code(presentation: OfflinePresentation) -> str:
    """The ``MC1:`` text of a presentation (what the QR code carries)."""
    return encode_offline_code(presentation.encode())
