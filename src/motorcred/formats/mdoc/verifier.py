"""The mdoc verifier: every check ISO/IEC 18013-5 asks of a reader, each with its own code.

:func:`verify_presentation` takes a DeviceResponse, a single Document or a bare
IssuerSigned from any issuer and reports, per document, every failure it can
find — it never raises for an invalid credential, and malformed input is a
reported failure (``MDOC_MALFORMED``) too. The checks, in order:

1. well-formed and within limits (``MDOC_MALFORMED``, ``MDOC_NO_DOCUMENTS``);
2. IssuerAuth algorithm on the allow-list (``COSE_ALG_NOT_ALLOWED``: no HMAC, no ``none``);
3. x5chain to a trust anchor (``MDOC_UNTRUSTED_ISSUER``), DS fit for signing
   (``MDOC_CERT_NOT_DS``), certificates valid at ``now`` (``MDOC_CERT_EXPIRED`` /
   ``MDOC_CERT_NOT_YET_VALID``), MSO signed inside the DS validity;
4. IssuerAuth signature (``MDOC_ISSUER_SIGNATURE_INVALID``);
5. docType consistent (``MDOC_DOCTYPE_MISMATCH``);
6. validityInfo (``MDOC_SIGNED_IN_FUTURE``, ``MDOC_NOT_YET_VALID``, ``MDOC_EXPIRED``);
7. every disclosed element's digest present and matching (``MDOC_DIGEST_MISSING``,
   ``MDOC_DIGEST_MISMATCH``), element types (``MDOC_ELEMENT_TYPE``), issuing
   country/jurisdiction equal to the DS issuer's ``C``/``ST``;
8. device authentication when a SessionTranscript is given (``MDOC_DEVICE_AUTH_*``);
9. status from a status list when a provider is given (``MDOC_STATUS_REVOKED`` /
   ``MDOC_STATUS_SUSPENDED``).

Chain validation is cached in the :class:`TrustStore` (per DS certificate and
anchor set); validity at ``now`` is checked on every call.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

from cryptography.hazmat.primitives.asymmetric import ec

from motorcred.errors import MalformedData, MotorcredError, VerificationFailed
from motorcred.formats.mdoc.verify_device import check_device_auth, device_key
from motorcred.formats.mdoc.verify_elements import element_type_problem
from motorcred.formats.mdoc.verify_parse import (
    DisclosedItem,
    ParsedDocument,
    ParsedMso,
    json_value,
    parse_document,
    parse_input,
    parse_issuer_signed,
    parse_mso,
    session_transcript_parts,
)
from motorcred.formats.mdoc.verify_status import StatusProvider
from motorcred.formats.status_list import parse_status_claim
from motorcred.formats.trust import TrustedChain, TrustStore, validity_failures

_DIGESTS: Final[dict[str, Callable[[bytes], Any]]] = {
    "SHA-256": hashlib.sha256,
    "SHA-384": hashlib.sha384,
    "SHA-512": hashlib.sha512,
}
DeviceAuthResult = Literal["ok", "failed", "not_checked"]
_ISSUER_NAME_ELEMENTS: Final = frozenset({"issuing_country", "issuing_jurisdiction"})


@dataclass(frozen=True, slots=True)
class Failure:
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(slots=True)
class DocumentResult:
    """What the verifier established about one document."""

    doctype: str | None = None
    issuer_subject: str | None = None
    issuer_serial: str | None = None
    signed: datetime | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    #: Only elements whose digest matched the signed MSO.
    elements: dict[str, dict[str, Any]] = field(default_factory=dict)
    device_auth: DeviceAuthResult = "not_checked"
    status: str = "unknown"
    failures: list[Failure] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.failures

    def fail(self, code: str, message: str) -> None:
        self.failures.append(Failure(code, message))

    def fail_with(self, error: MotorcredError) -> None:
        self.fail(error.code, error.message)

    def to_json(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "doctype": self.doctype,
            "issuer": {"subject": self.issuer_subject, "serial": self.issuer_serial},
            "validity": {
                "signed": iso(self.signed),
                "validFrom": iso(self.valid_from),
                "validUntil": iso(self.valid_until),
            },
            "elements": {
                ns: {ident: json_value(value) for ident, value in items.items()}
                for ns, items in self.elements.items()
            },
            "device_auth": self.device_auth,
            "status": self.status,
        }


@dataclass(slots=True)
class VerificationReport:
    documents: list[DocumentResult] = field(default_factory=list)
    #: Failures of the response as a whole (not decodable, no documents…).
    response_failures: list[Failure] = field(default_factory=list)

    @property
    def errors(self) -> list[Failure]:
        out = list(self.response_failures)
        for doc in self.documents:
            out.extend(doc.failures)
        return out

    @property
    def valid(self) -> bool:
        return bool(self.documents) and not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "documents": [doc.to_json() for doc in self.documents],
            "errors": [f.to_dict() for f in self.errors],
        }


def verify_presentation(
    data: bytes,
    *,
    trust: TrustStore,
    now: datetime,
    session_transcript_bytes: bytes | None = None,
    reader_private_key: ec.EllipticCurvePrivateKey | None = None,
    status: StatusProvider | None = None,
    expected_doctype: str | None = None,
) -> VerificationReport:
    """Verify a DeviceResponse, Document or IssuerSigned at ``now``; never raises for bad input.

    ``session_transcript_bytes`` (SessionTranscriptBytes, tag-24 wrapped) turns
    on device authentication; ``reader_private_key`` is needed for a deviceMac.
    """
    report = VerificationReport()
    transcript: tuple[bytes, bytes] | None = None
    try:
        if session_transcript_bytes is not None:
            transcript = session_transcript_parts(session_transcript_bytes)
        parsed = parse_input(data)
    except MotorcredError as exc:
        report.response_failures.append(Failure(exc.code, exc.message))
        return report
    if parsed.response_status not in (None, 0):
        report.response_failures.append(
            Failure("MDOC_RESPONSE_STATUS", f"DeviceResponse status is {parsed.response_status}")
        )
    if not parsed.documents:
        report.response_failures.append(Failure("MDOC_NO_DOCUMENTS", "no document was returned"))
    for raw in parsed.documents:
        result = DocumentResult()
        report.documents.append(result)
        try:
            doc = (
                parse_issuer_signed(raw, None)
                if parsed.kind == "IssuerSigned"
                else parse_document(raw)
            )
            _verify_document(
                doc,
                result,
                trust=trust,
                now=now,
                transcript=transcript,
                reader_private_key=reader_private_key,
                status=status,
                expected_doctype=expected_doctype,
            )
        except MotorcredError as exc:
            result.fail_with(exc)
    return report


def _verify_document(
    doc: ParsedDocument,
    result: DocumentResult,
    *,
    trust: TrustStore,
    now: datetime,
    transcript: tuple[bytes, bytes] | None,
    reader_private_key: ec.EllipticCurvePrivateKey | None,
    status: StatusProvider | None,
    expected_doctype: str | None,
) -> None:
    result.doctype = doc.doctype
    auth = doc.issuer_auth
    try:
        auth.algorithm  # noqa: B018 - allow-list: signature algorithms only
    except VerificationFailed as exc:
        result.fail_with(exc)
        return  # nothing signed by an unacceptable algorithm is worth reading further
    mso = parse_mso(auth.payload)
    result.doctype = doc.doctype or mso.doctype
    result.signed = mso.validity.signed
    result.valid_from = mso.validity.valid_from
    result.valid_until = mso.validity.valid_until

    chain = _check_chain(auth.x5chain, result, trust=trust, now=now, signed=mso.validity.signed)
    if chain is not None:
        try:
            auth.verify(chain.leaf.public_key())
        except VerificationFailed as exc:
            code = "COSE_ALG_NOT_ALLOWED" if exc.code == "COSE_ALG_NOT_ALLOWED" else None
            result.fail(
                code or "MDOC_ISSUER_SIGNATURE_INVALID",
                f"the IssuerAuth signature does not verify with the DS key ({exc.message})",
            )
    _check_doctype(doc, mso, result, expected_doctype)
    _check_validity(mso, result, now)
    _check_items(doc.items, mso, result, chain)
    _check_device(doc, mso, result, transcript, reader_private_key)
    _check_status(mso, result, status, now)


def _check_chain(
    x5chain: list[bytes],
    result: DocumentResult,
    *,
    trust: TrustStore,
    now: datetime,
    signed: datetime,
) -> TrustedChain | None:
    try:
        chain = trust.trusted_path(x5chain)
    except MalformedData as exc:
        result.fail(exc.code, exc.message)
        return None
    except VerificationFailed as exc:
        result.fail_with(exc)
        return None
    leaf = chain.leaf
    result.issuer_subject = chain.subject
    result.issuer_serial = chain.serial
    for failure in validity_failures(chain, now):
        result.fail_with(failure)
    if not leaf.not_valid_before_utc <= signed <= leaf.not_valid_after_utc:
        result.fail(
            "MDOC_SIGNED_OUTSIDE_CERT_VALIDITY",
            f"the MSO was signed at {signed.isoformat()}, outside the DS certificate's validity",
        )
    return chain


def _check_doctype(
    doc: ParsedDocument, mso: ParsedMso, result: DocumentResult, expected: str | None
) -> None:
    if doc.doctype is not None and doc.doctype != mso.doctype:
        result.fail(
            "MDOC_DOCTYPE_MISMATCH",
            f"the document says {doc.doctype!r} but the signed MSO says {mso.doctype!r}",
        )
    if expected is not None and mso.doctype != expected:
        result.fail("MDOC_DOCTYPE_MISMATCH", f"expected {expected!r}, got {mso.doctype!r}")


def _check_validity(mso: ParsedMso, result: DocumentResult, now: datetime) -> None:
    v = mso.validity
    if v.valid_until < v.valid_from or v.valid_from < v.signed:
        result.fail(
            "MDOC_VALIDITY_INCONSISTENT",
            "validityInfo must satisfy signed ≤ validFrom ≤ validUntil",
        )
    if v.signed > now:
        result.fail("MDOC_SIGNED_IN_FUTURE", f"the MSO is signed in the future ({v.signed})")
    if now < v.valid_from:
        result.fail("MDOC_NOT_YET_VALID", f"the document is valid only from {v.valid_from}")
    if now > v.valid_until:
        result.fail("MDOC_EXPIRED", f"the document expired on {v.valid_until}")


def _check_items(
    items: list[DisclosedItem],
    mso: ParsedMso,
    result: DocumentResult,
    chain: TrustedChain | None,
) -> None:
    hasher = _DIGESTS.get(mso.digest_algorithm)
    if hasher is None:
        result.fail(
            "MDOC_DIGEST_ALG_NOT_ALLOWED", f"digest algorithm {mso.digest_algorithm!r} not allowed"
        )
        return
    seen: set[tuple[str, int]] = set()
    signed_digests = mso.value_digests
    no_digests: dict[int, bytes] = {}
    elements = result.elements
    doctype = result.doctype
    for item in items:
        namespace, digest_id = item.namespace, item.digest_id
        key = (namespace, digest_id)
        if key in seen:
            result.fail("MDOC_MALFORMED", f"digestID {digest_id} disclosed twice ({_where(item)})")
            continue
        seen.add(key)
        expected = signed_digests.get(namespace, no_digests).get(digest_id)
        if expected is None:
            result.fail("MDOC_DIGEST_MISSING", f"no digest in the MSO for {_where(item)}")
            continue
        if hasher(item.tagged_bytes).digest() != expected:
            result.fail("MDOC_DIGEST_MISMATCH", f"{_where(item)} does not match its signed digest")
            continue
        problem = element_type_problem(doctype, namespace, item.identifier, item.value)
        if problem:
            result.fail("MDOC_ELEMENT_TYPE", f"{_where(item)}: {problem}")
            continue
        ns_elements = elements.get(namespace)
        if ns_elements is None:
            ns_elements = elements[namespace] = {}
        ns_elements[item.identifier] = item.value
        if chain is not None and item.identifier in _ISSUER_NAME_ELEMENTS:
            _check_issuer_name(item, chain, result)


def _where(item: DisclosedItem) -> str:
    """How a failure names an element (formatted only when something fails)."""
    return f"{item.namespace}/{item.identifier}"


def _check_issuer_name(item: DisclosedItem, chain: TrustedChain, result: DocumentResult) -> None:
    """``issuing_country``/``issuing_jurisdiction`` must equal the DS issuer ``C``/``ST``."""
    if not item.namespace.startswith("org.iso."):
        return
    if item.identifier == "issuing_country":
        country = chain.issuer_country
        if item.value != country:
            result.fail(
                "MDOC_COUNTRY_MISMATCH",
                f"issuing_country {item.value!r} differs from the DS issuer country {country!r}",
            )
    elif item.identifier == "issuing_jurisdiction":
        state = chain.issuer_state
        if state is not None and item.value != state:
            result.fail(
                "MDOC_JURISDICTION_MISMATCH",
                f"issuing_jurisdiction {item.value!r} differs from the DS issuer ST {state!r}",
            )


def _check_device(
    doc: ParsedDocument,
    mso: ParsedMso,
    result: DocumentResult,
    transcript: tuple[bytes, bytes] | None,
    reader_private_key: ec.EllipticCurvePrivateKey | None,
) -> None:
    if transcript is None:
        return  # no session: the caller checks issuer data only ("not_checked")
    if doc.device_signed is None:
        result.device_auth = "failed"
        result.fail("MDOC_DEVICE_AUTH_MISSING", "the document carries no device authentication")
        return
    try:
        check_device_auth(
            doc.device_signed,
            doctype=result.doctype or mso.doctype,
            device_public_key=device_key(mso.device_key),
            session_transcript_bytes=transcript[0],
            session_transcript=transcript[1],
            reader_private_key=reader_private_key,
        )
    except MotorcredError as exc:
        result.device_auth = "failed"
        result.fail_with(exc)
        return
    result.device_auth = "ok"


def _check_status(
    mso: ParsedMso, result: DocumentResult, status: StatusProvider | None, now: datetime
) -> None:
    if mso.status is None or status is None:
        return
    try:
        reference = parse_status_claim(mso.status)
        if reference is None:
            return
        word = status.status_of(reference.uri, reference.idx, now=now)
    except MotorcredError as exc:
        result.fail("MDOC_STATUS_UNAVAILABLE", f"status could not be read: {exc.message}")
        return
    result.status = word if word in ("valid", "invalid", "suspended") else "unknown"
    if word == "invalid":
        result.fail("MDOC_STATUS_REVOKED", "the issuer has revoked this credential")
    elif word == "suspended":
        result.fail("MDOC_STATUS_SUSPENDED", "the issuer has suspended this credential")
