"""The CBOR structure an ``MC1:`` code carries, and the bytes each signature covers.

::

    OfflinePresentation = [
      1,                                  ; format version
      IssuerAuth,                         ; COSE_Sign1 [protected, {4: kid}, nil, signature]
      MsoRest,                            ; the MSO without the disclosed elements' digests
      { + ns => [+ [digestID, random, elementIdentifier, elementValue]] },
                                          ; ns / identifier: text, or a uint from ALIASES
      [presentedAt, nonce, DeviceSignature]   ; uint seconds, bstr, COSE_Sign1 (nil payload)
    ]

**Digest elision.** The verifier rebuilds each disclosed IssuerSignedItem
(canonical CBOR, exactly as the issuer encoded it), computes its digest, puts
it back into ``MsoRest.valueDigests`` at ``(ns, digestID)`` and re-encodes the
MSO; IssuerAuth is checked over that rebuilt MSO as its detached payload. So
only the digests of *undisclosed* elements travel (32 bytes saved per disclosed
element) and the issuer signature still covers every disclosed value: change
one byte of a value, a salt, an identifier or a digest ID and the rebuilt MSO
no longer matches the signature. This relies on canonical (deterministic) CBOR,
which the issuer emits (:mod:`motorcred.formats.cbor`) and the holder checks
before presenting.

**Aliases.** Namespaces and element identifiers of the e-DL front page may be
written as small integers from a fixed table (:data:`NAMESPACE_ALIASES`,
:data:`ELEMENT_ALIASES`), as the EU DCC does with its claim keys; the verifier
maps them back before rebuilding the items, so the signed data is unchanged.
The tables are part of format version 1: entries are only ever appended.

**Device authentication.** The device signs, with the key bound in the MSO,
``["MC1DeviceAuthentication", docType, presentedAt, nonce, msoDigest,
disclosedDigest]`` where ``msoDigest`` is SHA-256 over the MSO bytes and
``disclosedDigest`` SHA-256 over the canonical map ``{ns: {digestID: digest}}``
of the disclosed items. A copied code thus cannot be re-dated, re-nonced,
moved to another MSO or stripped of elements.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from cbor2 import CBORTag

from motorcred.errors import MalformedData, MotorcredError
from motorcred.formats.cbor import TAG_DATE, TAG_ENCODED_CBOR, TAG_FULL_DATE, dumps, loads
from motorcred.formats.cose import CoseSign1
from motorcred.formats.mdoc.doctypes import CN_DL_NS, CN_VRC_NS, MDL_NS, MVRC_NS
from motorcred.formats.mdoc.items import MIN_SALT_BYTES, IssuerSignedItem, make_item

PRESENTATION_VERSION: Final = 1
DEVICE_AUTH_CONTEXT: Final = "MC1DeviceAuthentication"
#: Far above what a QR code of version 25 can carry once inflated; bounds the decoder.
MAX_PRESENTATION_BYTES: Final = 16 * 1024
MAX_DEPTH: Final = 12
MAX_ELEMENTS: Final = 64
MIN_NONCE_BYTES: Final = 8
MAX_NONCE_BYTES: Final = 32
MAX_KID_BYTES: Final = 32
ALLOWED_TAGS: Final = frozenset({TAG_DATE, TAG_FULL_DATE})

#: Wire aliases of format version 1 (append only; a number never changes meaning).
NAMESPACE_ALIASES: Final[tuple[str, ...]] = (MDL_NS, CN_DL_NS, MVRC_NS, CN_VRC_NS)
ELEMENT_ALIASES: Final[tuple[str, ...]] = (
    "family_name",
    "given_name",
    "sex",
    "nationality",
    "birth_date",
    "document_number",
    "issue_date",
    "expiry_date",
    "issuing_country",
    "issuing_authority",
    "driving_privileges",
    "permitted_classes",
    "licence_status",
    "cumulative_points",
    "first_issue_date",
    "file_number",
    "generated_at",
    "probation_until",
)
_NS_CODES: Final = {name: code for code, name in enumerate(NAMESPACE_ALIASES)}
_ELEMENT_CODES: Final = {name: code for code, name in enumerate(ELEMENT_ALIASES)}


def _unalias(value: Any, table: tuple[str, ...], what: str) -> str:
    if isinstance(value, str) and value:
        return value
    if type(value) is int and 0 <= value < len(table):
        return table[value]
    raise malformed(f"{what} must be text or a known alias, not {value!r}")


def malformed(message: str) -> MalformedData:
    return MalformedData("OFFLINE_MALFORMED", f"offline presentation: {message}")


@dataclass(frozen=True, slots=True)
class DisclosedElement:
    """One disclosed element with what its IssuerSignedItem is rebuilt from."""

    namespace: str
    digest_id: int
    salt: bytes
    identifier: str
    value: Any

    def item(self) -> IssuerSignedItem:
        return make_item(self.digest_id, self.salt, self.identifier, self.value)

    def to_cbor(self) -> list[Any]:
        identifier: str | int = _ELEMENT_CODES.get(self.identifier, self.identifier)
        return [self.digest_id, self.salt, identifier, self.value]


@dataclass(frozen=True, slots=True)
class OfflinePresentation:
    issuer_auth: CoseSign1
    mso_rest: dict[str, Any]
    elements: tuple[DisclosedElement, ...]
    presented_at: int
    nonce: bytes
    device_signature: CoseSign1

    def to_cbor(self) -> list[Any]:
        grouped: dict[str | int, list[list[Any]]] = {}
        for element in self.elements:
            namespace = _NS_CODES.get(element.namespace, element.namespace)
            grouped.setdefault(namespace, []).append(element.to_cbor())
        return [
            PRESENTATION_VERSION,
            self.issuer_auth.to_cbor(),
            self.mso_rest,
            grouped,
            [self.presented_at, self.nonce, self.device_signature.to_cbor()],
        ]

    def encode(self) -> bytes:
        return dumps(self.to_cbor())

    @classmethod
    def decode(cls, data: bytes) -> OfflinePresentation:
        """Parse strictly; every shape problem is ``OFFLINE_MALFORMED``."""
        try:
            top = loads(
                data,
                max_size=MAX_PRESENTATION_BYTES,
                max_depth=MAX_DEPTH,
                allowed_tags=ALLOWED_TAGS,
            )
        except MalformedData as exc:
            raise malformed(exc.message) from None
        if not isinstance(top, list) or not top:
            raise malformed("must be a CBOR array")
        if top[0] != PRESENTATION_VERSION or isinstance(top[0], bool):
            raise MalformedData(
                "OFFLINE_VERSION_UNSUPPORTED",
                f"offline presentation version {top[0]!r} is not supported",
            )
        if len(top) != 5:
            raise malformed("must hold 5 parts")
        _, auth_raw, mso_rest, elements_raw, device_raw = top
        issuer_auth = _sign1(auth_raw, "IssuerAuth")
        kid = issuer_auth.kid
        if kid is None or not 1 <= len(kid) <= MAX_KID_BYTES:
            raise malformed("IssuerAuth must name its certificate by kid")
        if not isinstance(mso_rest, dict) or not isinstance(mso_rest.get("valueDigests"), dict):
            raise malformed("the MSO part must be a map holding valueDigests")
        for namespace, digests in mso_rest["valueDigests"].items():
            if not isinstance(namespace, str) or not isinstance(digests, dict) or not digests:
                raise malformed("valueDigests must map namespaces to non-empty digest maps")
        elements = _elements(elements_raw)
        if not isinstance(device_raw, list) or len(device_raw) != 3:
            raise malformed("the device part must be [presentedAt, nonce, signature]")
        presented_at, nonce, signature_raw = device_raw
        if type(presented_at) is not int or presented_at < 0:
            raise malformed("presentedAt must be an unsigned integer (seconds)")
        if not isinstance(nonce, bytes) or not MIN_NONCE_BYTES <= len(nonce) <= MAX_NONCE_BYTES:
            raise malformed(f"nonce must be {MIN_NONCE_BYTES}..{MAX_NONCE_BYTES} bytes")
        device_signature = _sign1(signature_raw, "DeviceSignature")
        return cls(issuer_auth, mso_rest, elements, presented_at, nonce, device_signature)


def _sign1(raw: Any, what: str) -> CoseSign1:
    if not isinstance(raw, list):
        raise malformed(f"{what} must be an untagged COSE_Sign1")
    try:
        message = CoseSign1.decode(raw)
    except MotorcredError as exc:
        raise malformed(f"{what}: {exc.message}") from None
    if message.payload is not None:
        raise malformed(f"{what} must have a detached (nil) payload")
    return message


def _elements(raw: Any) -> tuple[DisclosedElement, ...]:
    if not isinstance(raw, dict) or not raw:
        raise malformed("the disclosed elements must be a non-empty map of namespaces")
    out: list[DisclosedElement] = []
    seen_ids: set[tuple[str, int]] = set()
    seen_names: set[tuple[str, str]] = set()
    for ns_key, entries in raw.items():
        namespace = _unalias(ns_key, NAMESPACE_ALIASES, "a namespace")
        if not isinstance(entries, list) or not entries:
            raise malformed(f"{namespace} must hold a non-empty array of elements")
        for entry in entries:
            if not isinstance(entry, list) or len(entry) != 4:
                raise malformed("an element must be [digestID, random, identifier, value]")
            digest_id, salt, identifier_key, value = entry
            identifier = _unalias(identifier_key, ELEMENT_ALIASES, "elementIdentifier")
            if type(digest_id) is not int or digest_id < 0:
                raise malformed("digestID must be an unsigned integer")
            if not isinstance(salt, bytes) or len(salt) < MIN_SALT_BYTES:
                raise malformed(f"random must be at least {MIN_SALT_BYTES} bytes")
            if (namespace, digest_id) in seen_ids or (namespace, identifier) in seen_names:
                raise malformed(f"{namespace}/{identifier} is disclosed twice")
            seen_ids.add((namespace, digest_id))
            seen_names.add((namespace, identifier))
            out.append(DisclosedElement(namespace, digest_id, salt, identifier, value))
            if len(out) > MAX_ELEMENTS:
                raise malformed(f"more than {MAX_ELEMENTS} elements")
    return tuple(out)


# --------------------------------------------------------------------------- MSO elision


def elide_digests(mso: Mapping[str, Any], disclosed: Iterable[tuple[str, int]]) -> dict[str, Any]:
    """The MSO map without the digests of ``disclosed`` ``(namespace, digestID)`` pairs."""
    drop = set(disclosed)
    digests: dict[str, dict[int, bytes]] = {}
    for namespace, by_id in mso["valueDigests"].items():
        kept = {i: d for i, d in by_id.items() if (namespace, i) not in drop}
        if kept:
            digests[namespace] = kept
    return {**mso, "valueDigests": digests}


def element_digests(elements: Iterable[DisclosedElement]) -> list[bytes]:
    """SHA-256 over each rebuilt IssuerSignedItemBytes, in order (computed once per check)."""
    return [element.item().digest() for element in elements]


def rebuild_mso_map(
    mso_rest: Mapping[str, Any],
    elements: Sequence[DisclosedElement],
    digests: Sequence[bytes] | None = None,
) -> dict[str, Any]:
    """The MSO map with the disclosed digests put back into ``valueDigests``."""
    if digests is None:
        digests = element_digests(elements)
    table = {ns: dict(by_id) for ns, by_id in mso_rest["valueDigests"].items()}
    for element, digest in zip(elements, digests, strict=True):
        by_id = table.setdefault(element.namespace, {})
        if element.digest_id in by_id:
            raise malformed(
                f"{element.namespace}/{element.identifier} is disclosed and its digest "
                "is carried as well"
            )
        by_id[element.digest_id] = digest
    return {**mso_rest, "valueDigests": table}


def encode_mso(mso: Mapping[str, Any]) -> bytes:
    """MobileSecurityObjectBytes (``#6.24(bstr .cbor MSO)``): the IssuerAuth payload."""
    try:
        return dumps(CBORTag(TAG_ENCODED_CBOR, dumps(mso)))
    except MotorcredError as exc:
        raise malformed(f"the MSO cannot be rebuilt: {exc.message}") from None


def rebuild_mso(
    mso_rest: Mapping[str, Any],
    elements: Sequence[DisclosedElement],
    digests: Sequence[bytes] | None = None,
) -> bytes:
    """MobileSecurityObjectBytes with the disclosed digests put back (the IssuerAuth payload)."""
    return encode_mso(rebuild_mso_map(mso_rest, elements, digests))


def disclosed_digest(
    elements: Sequence[DisclosedElement], digests: Sequence[bytes] | None = None
) -> bytes:
    """SHA-256 over the canonical ``{ns: {digestID: item digest}}`` of the disclosed items."""
    if digests is None:
        digests = element_digests(elements)
    table: dict[str, dict[int, bytes]] = {}
    for element, digest in zip(elements, digests, strict=True):
        table.setdefault(element.namespace, {})[element.digest_id] = digest
    return hashlib.sha256(dumps(table)).digest()


def device_authentication_bytes(
    doctype: str, presented_at: int, nonce: bytes, mso_bytes: bytes, items_digest: bytes
) -> bytes:
    """What the device signs (detached payload of DeviceSignature)."""
    return dumps(
        [
            DEVICE_AUTH_CONTEXT,
            doctype,
            presented_at,
            nonce,
            hashlib.sha256(mso_bytes).digest(),
            items_digest,
        ]
    )
