"""Trust anchors and document-signer chain validation for mdoc verification.

A :class:`TrustStore` holds the anchors a verifier accepts: IACA roots (one per
issuer — national or per province, several may sit side by side) and, where a
deployment pins them, document-signer certificates trusted directly.

Validation is split in two because the parts change at different rates:

* :meth:`TrustStore.trusted_path` — structure, signatures and the Annex B
  profile. These depend only on the certificate bytes and the anchor set, so
  the result (success or the failure) is cached per store, keyed by the chain
  bytes. A verifier checking thousands of credentials from a handful of DS
  keys pays for the chain signature once per DS certificate.
* :func:`validity_failures` — every certificate of the path checked against
  ``now`` on every call, so a cached chain can never outlive its certificates.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding

from motorcred.errors import MalformedData, MotorcredError, UsageError, VerificationFailed
from motorcred.formats.x509 import (
    MDL_DS_EKU,
    certificate_from_der,
    issuer_country,
    issuer_state,
    load_certificates,
)

#: x5chain length we accept: Annex B paths are DS (+ IACA); a little slack for odd issuers.
MAX_CHAIN_LENGTH: Final = 4
DEFAULT_CACHE_SIZE: Final = 1024
_SHA256: Final = hashes.SHA256()
_DER: Final = Encoding.DER


@dataclass(frozen=True, slots=True)
class TrustedChain:
    """A DS certificate and the anchor that vouches for it (the anchor itself if ``direct``).

    The leaf's subject, serial and issuer ``C``/``ST`` are read once here: the
    store caches this object per DS certificate, and formatting an X.509 name
    costs more than a digest check, so a verifier must not redo it per credential.
    """

    leaf: x509.Certificate
    anchor: x509.Certificate
    direct: bool
    #: the leaf's subject (RFC 4514), serial (hex) and issuer C / ST
    subject: str = field(init=False, compare=False)
    serial: str = field(init=False, compare=False)
    issuer_country: str | None = field(init=False, compare=False)
    issuer_state: str | None = field(init=False, compare=False)

    def __post_init__(self) -> None:
        leaf = self.leaf
        object.__setattr__(self, "subject", leaf.subject.rfc4514_string())
        object.__setattr__(self, "serial", format(leaf.serial_number, "x"))
        object.__setattr__(self, "issuer_country", issuer_country(leaf))
        object.__setattr__(self, "issuer_state", issuer_state(leaf))

    @property
    def path(self) -> tuple[x509.Certificate, ...]:
        return (self.leaf,) if self.direct else (self.leaf, self.anchor)


def _ds_profile_problem(cert: x509.Certificate) -> str | None:
    """Why ``cert`` may not sign mdocs (Annex B.1.4), or None when it may."""
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return "the certificate has no keyUsage extension"
    if not usage.digital_signature:
        return "keyUsage lacks digitalSignature"
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return f"extendedKeyUsage {MDL_DS_EKU.dotted_string} (mdoc document signer) is missing"
    if MDL_DS_EKU not in eku:
        return f"extendedKeyUsage does not include {MDL_DS_EKU.dotted_string}"
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return None
    return "a CA certificate cannot sign mdocs" if constraints.ca else None


def _ca_problem(cert: x509.Certificate) -> str | None:
    try:
        constraints = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    except x509.ExtensionNotFound:
        return "the issuing anchor has no basicConstraints (not a CA)"
    if not constraints.ca:
        return "the issuing anchor is not a CA"
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return None
    return None if usage.key_cert_sign else "the issuing anchor's keyUsage lacks keyCertSign"


def _issued_by(leaf: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        leaf.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


class TrustStore:
    """The anchors a verifier accepts, with a bounded cache of chain results."""

    def __init__(
        self, anchors: Iterable[x509.Certificate], *, cache_size: int = DEFAULT_CACHE_SIZE
    ) -> None:
        unique: dict[bytes, x509.Certificate] = {}
        for cert in anchors:
            unique.setdefault(cert.fingerprint(_SHA256), cert)
        self._anchors = tuple(unique.values())
        self._by_der = {cert.public_bytes(_DER): cert for cert in self._anchors}
        self._by_subject: dict[bytes, list[x509.Certificate]] = {}
        for cert in self._anchors:
            self._by_subject.setdefault(cert.subject.public_bytes(), []).append(cert)
        self._fingerprint = hashlib.sha256(b"".join(sorted(unique))).digest()
        self._cache: OrderedDict[tuple[bytes, ...], TrustedChain | MotorcredError] = OrderedDict()
        self._cache_size = cache_size

    @classmethod
    def from_bytes(cls, blobs: Iterable[bytes]) -> TrustStore:
        """Build a store from PEM (bundles allowed) or DER certificate files' contents."""
        certs: list[x509.Certificate] = []
        for blob in blobs:
            certs.extend(load_certificates(blob))
        if not certs:
            raise UsageError("TRUST_EMPTY", "at least one trust anchor certificate is needed")
        return cls(certs)

    @property
    def anchors(self) -> tuple[x509.Certificate, ...]:
        return self._anchors

    @property
    def fingerprint(self) -> bytes:
        """SHA-256 over the sorted anchor fingerprints: identifies the anchor set."""
        return self._fingerprint

    def trusted_path(self, chain: Sequence[bytes]) -> TrustedChain:
        """Chain ``x5chain`` (leaf first, DER) to an anchor, checking signatures and profile.

        Raises ``MDOC_CERT_MALFORMED``/``MDOC_X5CHAIN_MISSING`` (MalformedData),
        ``MDOC_UNTRUSTED_ISSUER`` or ``MDOC_CERT_NOT_DS`` (VerificationFailed).
        Time is not looked at here; see :func:`validity_failures`.
        """
        key = tuple(bytes(c) for c in chain)
        cached = self._cache.get(key)
        if cached is None:
            try:
                cached = self._build_path(key)
            except (MalformedData, VerificationFailed) as exc:
                cached = exc
            self._cache[key] = cached
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        if isinstance(cached, MotorcredError):
            raise type(cached)(cached.code, cached.message, details=cached.details)
        return cached

    def _build_path(self, chain: tuple[bytes, ...]) -> TrustedChain:
        if not chain:
            raise MalformedData("MDOC_X5CHAIN_MISSING", "IssuerAuth carries no x5chain")
        if len(chain) > MAX_CHAIN_LENGTH:
            raise MalformedData(
                "MDOC_CERT_MALFORMED", f"x5chain holds more than {MAX_CHAIN_LENGTH} certificates"
            )
        certs = [certificate_from_der(der) for der in chain]
        leaf = certs[0]
        direct = self._by_der.get(chain[0])
        if direct is not None:
            anchor, is_direct = direct, True
        else:
            candidates = self._by_subject.get(leaf.issuer.public_bytes(), [])
            found = next((c for c in candidates if _issued_by(leaf, c)), None)
            if found is None:
                raise VerificationFailed(
                    "MDOC_UNTRUSTED_ISSUER",
                    f"the document signer {leaf.subject.rfc4514_string()!r} is not issued by "
                    "any trusted IACA and is not itself trusted",
                )
            problem = _ca_problem(found)
            if problem:
                raise VerificationFailed("MDOC_UNTRUSTED_ISSUER", problem)
            anchor, is_direct = found, False
        problem = _ds_profile_problem(leaf)
        if problem:
            raise VerificationFailed(
                "MDOC_CERT_NOT_DS", f"the certificate is not fit for document signing: {problem}"
            )
        return TrustedChain(leaf=leaf, anchor=anchor, direct=is_direct)


def validity_failures(path: TrustedChain, now: datetime) -> list[VerificationFailed]:
    """Each certificate of ``path`` checked at ``now`` (expired / not yet valid)."""
    failures: list[VerificationFailed] = []
    for cert in path.path:
        role = "document-signer" if cert is path.leaf else "IACA"
        start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
        if now < start:
            failures.append(
                VerificationFailed(
                    "MDOC_CERT_NOT_YET_VALID",
                    f"the {role} certificate is valid only from {start.isoformat()}",
                )
            )
        elif now > end:
            failures.append(
                VerificationFailed(
                    "MDOC_CERT_EXPIRED", f"the {role} certificate expired on {end.isoformat()}"
                )
            )
    return failures


def validate_chain(trust: TrustStore, chain: Sequence[bytes], *, now: datetime) -> TrustedChain:
    """Path, profile and validity at ``now`` in one call; raises the first failure."""
    path = trust.trusted_path(chain)
    failures = validity_failures(path, now)
    if failures:
        raise failures[0]
    return path
