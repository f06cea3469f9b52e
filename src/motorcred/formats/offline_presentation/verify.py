"""Verifying an ``MC1:`` code with no network: trust list, cached status lists and a clock.

:func:`verify_offline_code` never raises for a bad code; it reports every
failure with a stable code, and warnings for what it could not establish:

1. envelope (``CODE_PREFIX_UNKNOWN``, ``BASE45_INVALID``, ``CODE_MALFORMED``,
   ``CODE_TOO_LARGE``) and structure within bounds (``OFFLINE_MALFORMED``,
   ``OFFLINE_VERSION_UNSUPPORTED``);
2. the trust list is current (``TRUST_LIST_EXPIRED``, ``TRUST_LIST_NOT_YET_VALID``,
   ``TRUST_LIST_SIGNER_NOT_VALID``);
3. IssuerAuth algorithm allowed (``COSE_ALG_NOT_ALLOWED``), DS certificate found
   by kid (``OFFLINE_UNKNOWN_KID``), chained to an IACA of the list
   (``MDOC_UNTRUSTED_ISSUER``, ``MDOC_CERT_NOT_DS``) and valid
   (``MDOC_CERT_EXPIRED``, ``MDOC_CERT_NOT_YET_VALID``);
4. the issuer signature over the MSO rebuilt from the disclosed items
   (``OFFLINE_ISSUER_SIGNATURE_INVALID``: a value, salt, identifier, digest or
   the MSO was altered), the MSO well-formed (``MDOC_MSO_MALFORMED``) and signed
   inside the DS validity (``MDOC_SIGNED_OUTSIDE_CERT_VALIDITY``);
5. validity (``MDOC_SIGNED_IN_FUTURE``, ``MDOC_NOT_YET_VALID``, ``MDOC_EXPIRED``);
6. elements (``OFFLINE_PORTRAIT_NOT_ALLOWED``, ``MDOC_ELEMENT_TYPE``,
   ``MDOC_COUNTRY_MISMATCH``);
7. the device signature with the MSO device key (``OFFLINE_DEVICE_SIGNATURE_INVALID``);
8. freshness of the presentation time (``OFFLINE_CODE_STALE``,
   ``OFFLINE_CODE_FROM_FUTURE``); a code seen before within the window is a
   warning (``OFFLINE_CODE_REPLAYED``) when a replay log is given;
9. status from the cached list (``MDOC_STATUS_REVOKED``, ``MDOC_STATUS_SUSPENDED``);
   a stale copy is a warning (``OFFLINE_STATUS_STALE``, a failure with
   ``require_fresh_status``), no copy or no reference a warning
   (``OFFLINE_STATUS_UNKNOWN``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Literal, Protocol

from cryptography import x509
from cryptography.x509.oid import NameOID

from motorcred.errors import MotorcredError, VerificationFailed
from motorcred.formats.mdoc.mso import MobileSecurityObject
from motorcred.formats.mdoc.verify_elements import element_type_problem
from motorcred.formats.mdoc.verify_parse import json_value
from motorcred.formats.offline_code import decode_offline_code
from motorcred.formats.offline_presentation.credential import EXCLUDED_ELEMENTS
from motorcred.formats.offline_presentation.status_cache import StatusCache
from motorcred.formats.offline_presentation.wire import (
    MAX_PRESENTATION_BYTES,
    OfflinePresentation,
    device_authentication_bytes,
    disclosed_digest,
    element_digests,
    encode_mso,
    rebuild_mso_map,
)
from motorcred.formats.status_list import parse_status_claim
from motorcred.formats.trust import validity_failures
from motorcred.formats.trust_list import TrustList
from motorcred.formats.x509 import name_attribute

DEFAULT_MAX_AGE: Final = timedelta(minutes=5)
DEFAULT_CLOCK_SKEW: Final = timedelta(minutes=2)
DeviceAuth = Literal["ok", "failed", "not_checked"]


class ReplayLog(Protocol):
    """Remembers presentations seen recently (e.g. on one police terminal)."""

    def seen_before(self, key: bytes, *, presented_at: datetime, now: datetime) -> bool:
        """Record ``key``; True when it was already recorded (a replay)."""
        ...


class MemoryReplayLog:
    """A :class:`ReplayLog` in memory that forgets entries older than ``window``."""

    def __init__(self, window: timedelta = DEFAULT_MAX_AGE + DEFAULT_CLOCK_SKEW) -> None:
        self._window = window
        self._seen: dict[bytes, datetime] = {}

    def seen_before(self, key: bytes, *, presented_at: datetime, now: datetime) -> bool:
        horizon = now - self._window
        self._seen = {k: t for k, t in self._seen.items() if t >= horizon}
        if key in self._seen:
            return True
        self._seen[key] = presented_at
        return False


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(slots=True)
class OfflineResult:
    """What an offline check established; ``valid`` when no failure was found."""

    doctype: str | None = None
    kid: bytes | None = None
    issuer_subject: str | None = None
    issuer_serial: str | None = None
    signed: datetime | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    presented_at: datetime | None = None
    age_seconds: int | None = None
    elements: dict[str, dict[str, Any]] = field(default_factory=dict)
    device_auth: DeviceAuth = "not_checked"
    status: str = "unknown"
    status_issued_at: datetime | None = None
    status_stale: bool | None = None
    replayed: bool = False
    failures: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.failures

    def fail(self, code: str, message: str) -> None:
        self.failures.append(Finding(code, message))

    def fail_with(self, error: MotorcredError) -> None:
        self.fail(error.code, error.message)

    def warn(self, code: str, message: str) -> None:
        self.warnings.append(Finding(code, message))

    def to_json(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "valid": self.valid,
            "doctype": self.doctype,
            "issuer": {
                "subject": self.issuer_subject,
                "serial": self.issuer_serial,
                "kid": self.kid.hex() if self.kid else None,
            },
            "validity": {
                "signed": iso(self.signed),
                "validFrom": iso(self.valid_from),
                "validUntil": iso(self.valid_until),
            },
            "presented_at": iso(self.presented_at),
            "age_seconds": self.age_seconds,
            "elements": {
                ns: {ident: json_value(value) for ident, value in items.items()}
                for ns, items in self.elements.items()
            },
            "device_auth": self.device_auth,
            "status": self.status,
            "status_list": {"issued_at": iso(self.status_issued_at), "stale": self.status_stale},
            "replayed": self.replayed,
            "errors": [f.to_dict() for f in self.failures],
            "warnings": [f.to_dict() for f in self.warnings],
        }


def verify_offline_code(
    text: str,
    trust_list: TrustList,
    status_cache: StatusCache | None,
    now: datetime,
    *,
    max_age: timedelta = DEFAULT_MAX_AGE,
    clock_skew: timedelta = DEFAULT_CLOCK_SKEW,
    replay_log: ReplayLog | None = None,
    require_fresh_status: bool = False,
) -> OfflineResult:
    """Check an ``MC1:`` code at ``now`` against ``trust_list`` and ``status_cache``."""
    result = OfflineResult()
    problem = trust_list.time_problem(now)
    if problem is not None:
        result.fail_with(problem)
    try:
        data = decode_offline_code(text, max_decompressed=MAX_PRESENTATION_BYTES)
        presentation = OfflinePresentation.decode(data)
    except MotorcredError as exc:
        result.fail_with(exc)
        return result
    try:
        signed = _issuer_checks(presentation, result, trust_list, now)
    except MotorcredError as exc:
        result.fail_with(exc)
        return result
    if signed is None:
        return result
    mso, mso_bytes, ds, digests = signed
    _elements(presentation, ds, result)
    _device(presentation, mso, mso_bytes, digests, result)
    _freshness(presentation, result, now, max_age, clock_skew, replay_log)
    _status(mso, result, status_cache, now, require_fresh_status)
    return result


def _issuer_checks(
    p: OfflinePresentation, result: OfflineResult, trust_list: TrustList, now: datetime
) -> tuple[MobileSecurityObject, bytes, x509.Certificate, list[bytes]] | None:
    """Steps 3–5: the MSO, its bytes and the DS certificate, or None when nothing holds."""
    auth = p.issuer_auth
    auth.algorithm  # noqa: B018 - allow-list: raises COSE_ALG_NOT_ALLOWED
    kid = auth.kid
    result.kid = kid
    ds = trust_list.ds_for_kid(kid) if kid is not None else None
    if ds is None or kid is None:
        result.fail(
            "OFFLINE_UNKNOWN_KID",
            f"no document-signer certificate with kid {kid.hex() if kid else None} "
            "in the trust list (sync a newer one?)",
        )
        return None
    path = trust_list.store.trusted_path([trust_list.ds_der(kid)])
    result.issuer_subject, result.issuer_serial = trust_list.ds_names(kid)
    for failure in validity_failures(path, now):
        result.fail_with(failure)
    digests = element_digests(p.elements)
    mso_map = rebuild_mso_map(p.mso_rest, p.elements, digests)
    mso_bytes = encode_mso(mso_map)
    try:
        auth.verify(ds.public_key(), detached_payload=mso_bytes)
    except (VerificationFailed, MotorcredError) as exc:
        result.fail(
            "OFFLINE_ISSUER_SIGNATURE_INVALID",
            "the issuer signature does not cover the MSO rebuilt from the disclosed "
            f"elements: an element or the MSO was altered ({exc.message})",
        )
        return None
    # The signed bytes are the canonical encoding of mso_map, so parsing the map is
    # parsing what was signed (without decoding those bytes a second time).
    mso = MobileSecurityObject.from_cbor(mso_map)
    v = mso.validity
    result.doctype = mso.doctype
    result.signed, result.valid_from, result.valid_until = v.signed, v.valid_from, v.valid_until
    if not ds.not_valid_before_utc <= v.signed <= ds.not_valid_after_utc:
        result.fail(
            "MDOC_SIGNED_OUTSIDE_CERT_VALIDITY",
            f"the MSO was signed at {v.signed.isoformat()}, outside the DS certificate's validity",
        )
    if v.signed > now:
        result.fail("MDOC_SIGNED_IN_FUTURE", f"the MSO is signed in the future ({v.signed})")
    if now < v.valid_from:
        result.fail("MDOC_NOT_YET_VALID", f"the credential is valid only from {v.valid_from}")
    if now > v.valid_until:
        result.fail("MDOC_EXPIRED", f"the credential expired on {v.valid_until}")
    return mso, mso_bytes, ds, digests


def _elements(p: OfflinePresentation, ds: x509.Certificate, result: OfflineResult) -> None:
    country = None
    for element in p.elements:
        where = f"{element.namespace}/{element.identifier}"
        if element.identifier in EXCLUDED_ELEMENTS:
            result.fail(
                "OFFLINE_PORTRAIT_NOT_ALLOWED", f"{where} may not travel in an offline code"
            )
            continue
        problem = element_type_problem(
            result.doctype, element.namespace, element.identifier, element.value
        )
        if problem:
            result.fail("MDOC_ELEMENT_TYPE", f"{where}: {problem}")
            continue
        result.elements.setdefault(element.namespace, {})[element.identifier] = element.value
        if element.namespace.startswith("org.iso.") and element.identifier == "issuing_country":
            country = element.value
    if country is not None:
        _check_country(country, ds, result)


def _check_country(country: Any, ds: x509.Certificate, result: OfflineResult) -> None:
    issuer_country = name_attribute(ds.issuer, NameOID.COUNTRY_NAME)
    if country != issuer_country:
        result.fail(
            "MDOC_COUNTRY_MISMATCH",
            f"issuing_country {country!r} differs from the DS issuer country {issuer_country!r}",
        )


def _device(
    p: OfflinePresentation,
    mso: MobileSecurityObject,
    mso_bytes: bytes,
    digests: list[bytes],
    result: OfflineResult,
) -> None:
    payload = device_authentication_bytes(
        mso.doctype, p.presented_at, p.nonce, mso_bytes, disclosed_digest(p.elements, digests)
    )
    try:
        p.device_signature.verify(mso.device_key, detached_payload=payload)
    except MotorcredError as exc:
        result.device_auth = "failed"
        result.fail(
            "OFFLINE_DEVICE_SIGNATURE_INVALID",
            f"the device signature does not verify with the credential's device key "
            f"({exc.message})",
        )
        return
    result.device_auth = "ok"


def _freshness(
    p: OfflinePresentation,
    result: OfflineResult,
    now: datetime,
    max_age: timedelta,
    skew: timedelta,
    replay_log: ReplayLog | None,
) -> None:
    try:
        presented = datetime.fromtimestamp(p.presented_at, UTC)
    except (OverflowError, OSError, ValueError):
        result.fail("OFFLINE_MALFORMED", "presentedAt is out of range")
        return
    result.presented_at = presented
    age = now - presented
    result.age_seconds = int(age.total_seconds())
    if presented > now + skew:
        result.fail(
            "OFFLINE_CODE_FROM_FUTURE",
            f"the code is dated {presented.isoformat()}, ahead of the verifier's clock",
        )
    elif age > max_age:
        result.fail(
            "OFFLINE_CODE_STALE",
            f"the code was made {int(age.total_seconds())} s ago; codes are accepted for "
            f"{int(max_age.total_seconds())} s (ask the holder to refresh it)",
        )
    if replay_log is not None and result.device_auth == "ok":
        key = hashlib.sha256(p.device_signature.signature).digest()
        if replay_log.seen_before(key, presented_at=presented, now=now):
            result.replayed = True
            result.warn(
                "OFFLINE_CODE_REPLAYED", "this exact code was already presented within the window"
            )


def _status(
    mso: MobileSecurityObject,
    result: OfflineResult,
    cache: StatusCache | None,
    now: datetime,
    require_fresh: bool,
) -> None:
    try:
        reference = parse_status_claim(mso.status) if mso.status is not None else None
    except MotorcredError as exc:
        result.fail_with(exc)
        return
    if reference is None:
        result.warn("OFFLINE_STATUS_UNKNOWN", "the credential names no status list")
        return
    lookup = cache.lookup(reference.uri, reference.idx, now=now) if cache is not None else None
    if lookup is None:
        result.warn(
            "OFFLINE_STATUS_UNKNOWN", f"no cached status list for {reference.uri}; status unknown"
        )
        return
    result.status = lookup.word
    result.status_issued_at = lookup.issued_at
    result.status_stale = lookup.stale
    if lookup.word == "invalid":
        result.fail("MDOC_STATUS_REVOKED", "the issuer has revoked this credential")
    elif lookup.word == "suspended":
        result.fail("MDOC_STATUS_SUSPENDED", "the issuer has suspended this credential")
    if lookup.stale:
        message = (
            f"the cached status list dates from {lookup.issued_at.isoformat()} and was due for "
            f"refresh at {lookup.fresh_until.isoformat()}; its answer may be out of date"
        )
        if require_fresh:
            result.fail("OFFLINE_STATUS_STALE", message)
        else:
            result.warn("OFFLINE_STATUS_STALE", message)
