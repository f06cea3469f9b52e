"""Publishing the signed trust list that offline verifiers sync (``GET /api/v1/trust-list``).

The list holds every issuer's IACA certificate and every document-signer
certificate that has not expired, so a code signed by a key that was rotated
out yesterday still verifies offline. It is signed with the current
document-signer key of the first issuer that has one — a certificate issued by
an IACA of the list, which :func:`~motorcred.formats.trust_list.load_trust_list`
accepts — so the IACA keys stay offline.

Signing happens once per change: the published bytes are kept in memory until
the certificate set changes or half of the list's validity has passed, so the
``ETag`` is stable between changes and a busy endpoint answers most requests
with 304 or cached bytes. (Each API replica signs its own copy; they differ
only in the signature and issue time.)
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Protocol

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from motorcred.errors import ConfigurationError, MotorcredError
from motorcred.formats.signer import DocumentSigner
from motorcred.formats.trust_list import build_trust_list
from motorcred.formats.x509 import certificate_from_der

DEFAULT_VALIDITY: Final = timedelta(days=1)
PUBLISHER: Final = "motorcred"


class CertificateEntry(Protocol):
    @property
    def certificate(self) -> x509.Certificate: ...


class TrustSource(Protocol):
    """What the publisher needs from the keystore (``adapters.keystore.FileKeystore``)."""

    def issuers(self) -> list[str]: ...

    def iaca_certificate(self, issuer: str) -> x509.Certificate: ...

    def keys(self, issuer: str) -> Sequence[CertificateEntry]: ...

    def signer(self, issuer: str, *, now: datetime) -> DocumentSigner: ...


@dataclass(frozen=True, slots=True)
class PublishedTrustList:
    data: bytes
    etag: str
    issued: datetime
    next_update: datetime

    def max_age(self, now: datetime) -> int:
        """Seconds a client may cache it: until half-way to nextUpdate, at least 60."""
        remaining = (self.next_update - now) / 2
        return max(60, int(remaining.total_seconds()))


class TrustListService:
    """Builds, signs and caches the trust list; one instance per process."""

    def __init__(
        self,
        keystore: TrustSource,
        clock: Callable[[], datetime],
        *,
        validity: timedelta = DEFAULT_VALIDITY,
    ) -> None:
        self._keystore = keystore
        self._clock = clock
        self._validity = validity
        self._lock = threading.Lock()
        self._cached: tuple[bytes, PublishedTrustList] | None = None

    def publish(self) -> PublishedTrustList:
        now = self._clock().replace(microsecond=0)
        iaca, ds = self._certificates(now)
        fingerprint = hashlib.sha256(
            b"".join(sorted(c.public_bytes(Encoding.DER) for c in (*iaca, *ds)))
        ).digest()
        with self._lock:
            cached = self._cached
            if cached is not None and cached[0] == fingerprint:
                published = cached[1]
                if now < published.issued + (published.next_update - published.issued) / 2:
                    return published
            published = self._sign(iaca, ds, now)
            self._cached = (fingerprint, published)
            return published

    def _certificates(self, now: datetime) -> tuple[list[x509.Certificate], list[x509.Certificate]]:
        iaca: list[x509.Certificate] = []
        ds: list[x509.Certificate] = []
        for issuer in self._keystore.issuers():
            iaca.append(self._keystore.iaca_certificate(issuer))
            ds.extend(
                entry.certificate
                for entry in self._keystore.keys(issuer)
                if entry.certificate.not_valid_after_utc > now
            )
        if not iaca:
            raise ConfigurationError(
                "TRUST_LIST_NO_ISSUER", "the keystore holds no IACA certificate to publish"
            )
        return iaca, ds

    def _signer(self, now: datetime) -> DocumentSigner:
        problems: list[str] = []
        for issuer in self._keystore.issuers():
            try:
                return self._keystore.signer(issuer, now=now)
            except MotorcredError as exc:
                problems.append(f"{issuer}: {exc.message}")
        raise ConfigurationError(
            "TRUST_LIST_NO_SIGNER",
            "no issuer has a current document-signer key to sign the trust list"
            + (f" ({'; '.join(problems)})" if problems else ""),
        )

    def _sign(
        self, iaca: list[x509.Certificate], ds: list[x509.Certificate], now: datetime
    ) -> PublishedTrustList:
        signer = self._signer(now)
        chain = [certificate_from_der(der) for der in signer.certificate_chain]
        next_update = now + self._validity
        data = build_trust_list(
            issuer=PUBLISHER,
            seq=int(now.timestamp()),
            issued=now,
            next_update=next_update,
            iaca=iaca,
            ds=ds,
            signer=signer,
            signer_chain=chain,
        )
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        return PublishedTrustList(data, etag, now, next_update)
