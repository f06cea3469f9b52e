"""The signed trust list: IACA roots and document-signer certificates a verifier syncs.

Offline codes name their document-signer (DS) certificate by ``kid`` instead of
carrying it (a certificate is ~500 bytes, a third of a QR code), so a verifier
needs the DS certificates beforehand. The service publishes them with the IACA
roots as one signed document, which verifiers download when online and load
from a file when offline::

    COSE_Sign1 (tag 18)
      protected   {1: alg, 16: "application/motorcred-trust-list+cbor"}
      unprotected {33: x5chain of the signer (IACA itself, or a signer under an IACA)}
      payload     {"version": 1, "issuer": tstr, "seq": uint, "issued": tdate,
                   "nextUpdate": tdate, "iaca": [+ bstr DER], "ds": [* bstr DER]}

The ``kid`` of a DS certificate is the first 8 bytes of SHA-256 over its DER
(as the EU Digital COVID Certificate does), so it is derived, never stated, and
cannot disagree with the certificate. ``seq`` grows with each publication so a
verifier can refuse to go back to an older list.

Who may sign: with pinned anchors (IACA certificates the verifier got out of
band), the signer must be one of them or be issued by one, and only the list's
IACAs that are pinned become anchors — a list can deliver DS certificates and
their rotation, never a new root. Without, the signer must be an IACA of the
list or issued by one — the file is then only as trustworthy as the way it was
obtained, which the result says (``pinned=False``).

Pure: the time is a parameter (``now``) and the signer is the ``Signer`` port.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import Encoding

from motorcred.errors import InvalidInput, MalformedData, MotorcredError, VerificationFailed
from motorcred.formats.cbor import TAG_COSE_SIGN1, dumps, loads
from motorcred.formats.cose import H_X5CHAIN, CoseSign1, PreparedSign1, Signer, prepare_sign1
from motorcred.formats.trust import TrustStore
from motorcred.formats.x509 import certificate_from_der

H_TYP: Final = 16
TYP_TRUST_LIST: Final = "application/motorcred-trust-list+cbor"
TRUST_LIST_VERSION: Final = 1
KID_BYTES: Final = 8
MAX_TRUST_LIST_BYTES: Final = 4 * 1024 * 1024
MAX_CERTIFICATES: Final = 4096
_KEYS: Final = frozenset({"version", "issuer", "seq", "issued", "nextUpdate", "iaca", "ds"})


def certificate_kid(cert: x509.Certificate | bytes) -> bytes:
    """The ``kid`` that names a certificate: SHA-256 over its DER, first 8 bytes."""
    der = cert if isinstance(cert, bytes) else cert.public_bytes(Encoding.DER)
    return hashlib.sha256(der).digest()[:KID_BYTES]


def _der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(Encoding.DER)


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


@dataclass(frozen=True, slots=True)
class TrustList:
    """A verified trust list: the anchors for chain checks and the DS certificates by kid."""

    issuer: str
    seq: int
    issued: datetime
    next_update: datetime
    iaca: tuple[x509.Certificate, ...]
    ds: tuple[x509.Certificate, ...]
    signer: x509.Certificate
    pinned: bool
    store: TrustStore
    #: kid → (certificate, DER, subject, serial in hex), built once: verifiers look up per code.
    _by_kid: dict[bytes, tuple[x509.Certificate, bytes, str, str]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        for cert in self.ds:
            der = _der(cert)
            self._by_kid[certificate_kid(der)] = (
                cert,
                der,
                cert.subject.rfc4514_string(),
                format(cert.serial_number, "x"),
            )

    def ds_for_kid(self, kid: bytes) -> x509.Certificate | None:
        entry = self._by_kid.get(kid)
        return entry[0] if entry else None

    def ds_der(self, kid: bytes) -> bytes:
        """DER of the DS certificate named by ``kid`` (KeyError when not listed)."""
        return self._by_kid[kid][1]

    def ds_names(self, kid: bytes) -> tuple[str, str]:
        """(subject in RFC 4514 form, serial in hex) of the DS certificate named by ``kid``."""
        _, _, subject, serial = self._by_kid[kid]
        return subject, serial

    def time_problem(self, now: datetime) -> VerificationFailed | None:
        """``TRUST_LIST_EXPIRED`` after nextUpdate, ``TRUST_LIST_NOT_YET_VALID`` before issue,
        ``TRUST_LIST_SIGNER_NOT_VALID`` when signed outside the signer certificate's validity."""
        if now >= self.next_update:
            return VerificationFailed(
                "TRUST_LIST_EXPIRED",
                f"the trust list was due for renewal at {self.next_update.isoformat()}; "
                "sync a current one",
            )
        if now < self.issued:
            return VerificationFailed(
                "TRUST_LIST_NOT_YET_VALID",
                f"the trust list is issued at {self.issued.isoformat()}, after the check time",
            )
        if not self.signer.not_valid_before_utc <= self.issued <= self.signer.not_valid_after_utc:
            return VerificationFailed(
                "TRUST_LIST_SIGNER_NOT_VALID",
                "the trust list was signed outside its signer certificate's validity",
            )
        return None

    def describe(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "seq": self.seq,
            "issued": self.issued.isoformat(),
            "next_update": self.next_update.isoformat(),
            "signer": self.signer.subject.rfc4514_string(),
            "pinned": self.pinned,
            "iaca": len(self.iaca),
            "ds": [
                {
                    "kid": certificate_kid(c).hex(),
                    "subject": c.subject.rfc4514_string(),
                    "not_after": c.not_valid_after_utc.isoformat(),
                }
                for c in self.ds
            ],
        }


# --------------------------------------------------------------------------- publishing


def trust_list_payload(
    *,
    issuer: str,
    seq: int,
    issued: datetime,
    next_update: datetime,
    iaca: Sequence[x509.Certificate],
    ds: Sequence[x509.Certificate],
) -> bytes:
    """The checked payload: every DS must be issued by one of the IACAs listed."""
    if not isinstance(issuer, str) or not issuer:
        raise InvalidInput("TRUST_LIST_INVALID", "issuer must be a non-empty string")
    if type(seq) is not int or seq < 0:
        raise InvalidInput("TRUST_LIST_INVALID", "seq must be a non-negative integer")
    if not iaca:
        raise InvalidInput("TRUST_LIST_INVALID", "a trust list needs at least one IACA")
    if next_update <= issued:
        raise InvalidInput("TRUST_LIST_INVALID", "nextUpdate must lie after the issue time")
    for cert in ds:
        if not any(_issued_by(cert, root) for root in iaca):
            raise InvalidInput(
                "TRUST_LIST_DS_UNANCHORED",
                f"DS {cert.subject.rfc4514_string()!r} is not issued by any IACA of the list",
            )
    kids = [certificate_kid(c) for c in ds]
    if len(set(kids)) != len(kids):
        raise InvalidInput("TRUST_LIST_INVALID", "a DS certificate is listed twice")
    return dumps(
        {
            "version": TRUST_LIST_VERSION,
            "issuer": issuer,
            "seq": seq,
            "issued": issued,
            "nextUpdate": next_update,
            "iaca": [_der(c) for c in iaca],
            "ds": [_der(c) for c in ds],
        }
    )


def prepare_trust_list(
    payload: bytes, *, algorithm: int, signer_chain: Sequence[x509.Certificate]
) -> PreparedSign1:
    """Everything but the signature (sign ``.to_be_signed`` with the signer's key)."""
    if not signer_chain:
        raise InvalidInput("TRUST_LIST_INVALID", "the signer's certificate is needed")
    chain = [_der(c) for c in signer_chain]
    return prepare_sign1(
        payload,
        algorithm=algorithm,
        unprotected={H_X5CHAIN: chain[0] if len(chain) == 1 else chain},
        extra_protected={H_TYP: TYP_TRUST_LIST},
    )


def complete_trust_list(prepared: PreparedSign1, signature: bytes) -> bytes:
    return prepared.complete(signature).encode(tagged=True)


def build_trust_list(
    *,
    issuer: str,
    seq: int,
    issued: datetime,
    next_update: datetime,
    iaca: Sequence[x509.Certificate],
    ds: Sequence[x509.Certificate],
    signer: Signer,
    signer_chain: Sequence[x509.Certificate],
) -> bytes:
    """Payload, prepare, sign and complete in one call; returns the file's bytes."""
    payload = trust_list_payload(
        issuer=issuer, seq=seq, issued=issued, next_update=next_update, iaca=iaca, ds=ds
    )
    prepared = prepare_trust_list(payload, algorithm=signer.algorithm, signer_chain=signer_chain)
    return complete_trust_list(prepared, signer.sign(prepared.to_be_signed))


# --------------------------------------------------------------------------- loading


def _malformed(message: str) -> MalformedData:
    return MalformedData("TRUST_LIST_MALFORMED", f"trust list: {message}")


def _certs(value: Any, what: str, *, min_items: int) -> tuple[x509.Certificate, ...]:
    if not isinstance(value, list) or not min_items <= len(value) <= MAX_CERTIFICATES:
        raise _malformed(f"{what} must be an array of DER certificates")
    out = []
    for der in value:
        if not isinstance(der, bytes):
            raise _malformed(f"{what} must hold byte strings")
        try:
            out.append(certificate_from_der(der))
        except MalformedData as exc:
            raise _malformed(f"{what}: {exc.message}") from None
    return tuple(out)


def _signer_anchor(
    signer: x509.Certificate, candidates: Sequence[x509.Certificate]
) -> x509.Certificate | None:
    signer_der = _der(signer)
    for anchor in candidates:
        if _der(anchor) == signer_der or _issued_by(signer, anchor):
            return anchor
    return None


def _decode(data: bytes) -> tuple[CoseSign1, dict[str, Any]]:
    try:
        obj = loads(
            data,
            max_size=MAX_TRUST_LIST_BYTES,
            max_depth=8,
            allowed_tags=frozenset({TAG_COSE_SIGN1}),
        )
        message = CoseSign1.decode(obj)
        message.algorithm  # noqa: B018 - the algorithm allow-list
        if message.protected.get(H_TYP) != TYP_TRUST_LIST:
            raise _malformed(f"protected header typ (16) must be {TYP_TRUST_LIST!r}")
        if message.payload is None:
            raise _malformed("the payload is missing")
        body = loads(message.payload, max_size=MAX_TRUST_LIST_BYTES, max_depth=4)
    except MalformedData as exc:
        if exc.code == "TRUST_LIST_MALFORMED":
            raise
        raise _malformed(exc.message) from None
    except VerificationFailed as exc:
        raise VerificationFailed("TRUST_LIST_SIGNATURE_INVALID", exc.message) from None
    if not isinstance(body, dict) or body.keys() != _KEYS:
        raise _malformed(f"the payload must be a map of {sorted(_KEYS)}")
    if body["version"] != TRUST_LIST_VERSION:
        raise _malformed(f"version {body['version']!r} is not supported")
    return message, body


def load_trust_list(data: bytes, *, anchors: Sequence[x509.Certificate] = ()) -> TrustList:
    """Verify and read a trust list file.

    Raises ``TRUST_LIST_MALFORMED``, ``TRUST_LIST_UNTRUSTED_SIGNER`` (the signer
    chains to no pinned anchor, or with none pinned to no IACA of the list) or
    ``TRUST_LIST_SIGNATURE_INVALID``. Time is not looked at here: see
    :meth:`TrustList.time_problem`, which the verifier reports as a failure.
    """
    message, body = _decode(data)
    issuer, seq, issued, next_update = (
        body["issuer"],
        body["seq"],
        body["issued"],
        body["nextUpdate"],
    )
    if not isinstance(issuer, str) or type(seq) is not int or seq < 0:
        raise _malformed("issuer must be text and seq an unsigned integer")
    if not isinstance(issued, datetime) or not isinstance(next_update, datetime):
        raise _malformed("issued and nextUpdate must be tdates")
    iaca = _certs(body["iaca"], "iaca", min_items=1)
    ds = _certs(body["ds"], "ds", min_items=0)
    try:
        chain = message.x5chain
        signer = certificate_from_der(chain[0]) if chain else None
    except MalformedData as exc:
        raise _malformed(f"x5chain: {exc.message}") from None
    if signer is None:
        raise _malformed("the signer's certificate (x5chain) is missing")
    anchor = _signer_anchor(signer, anchors if anchors else iaca)
    if anchor is None:
        where = "any pinned trust anchor" if anchors else "any IACA of the list"
        raise VerificationFailed(
            "TRUST_LIST_UNTRUSTED_SIGNER",
            f"the trust list signer {signer.subject.rfc4514_string()!r} is not issued by {where}",
        )
    try:
        message.verify(signer.public_key())
    except (VerificationFailed, InvalidInput) as exc:
        raise VerificationFailed(
            "TRUST_LIST_SIGNATURE_INVALID", f"the trust list signature: {exc.message}"
        ) from None
    if anchors:
        # Pinned: the list may deliver DS certificates, never a new root of trust.
        pinned_der = {_der(a) for a in anchors}
        iaca = tuple(c for c in iaca if _der(c) in pinned_der)
        if not iaca:
            raise VerificationFailed(
                "TRUST_LIST_UNTRUSTED_SIGNER", "none of the list's IACAs is a pinned trust anchor"
            )
    try:
        store = TrustStore(iaca)
    except MotorcredError as exc:  # pragma: no cover - TrustStore only fails when empty
        raise _malformed(exc.message) from None
    return TrustList(
        issuer=issuer,
        seq=seq,
        issued=issued,
        next_update=next_update,
        iaca=iaca,
        ds=ds,
        signer=signer,
        pinned=bool(anchors),
        store=store,
    )
