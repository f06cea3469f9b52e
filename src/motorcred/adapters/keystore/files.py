"""A file keystore: document-signer keys and certificates as PEM files in the data directory.

Layout (one directory per issuer — the national authority, or a province that
runs its own IACA)::

    <root>/<issuer>/iaca.pem               the issuer's IACA certificate (its key stays offline)
    <root>/<issuer>/ds/<key_id>.key.pem    a document-signer private key (PKCS#8, mode 0600)
    <root>/<issuer>/ds/<key_id>.cert.pem   its certificate, issued by the IACA
    <root>/<issuer>/current                the key_id that signs new credentials

Several DS keys may be active at once: during a rotation the new key is added,
then made ``current``; the old one stays until its certificate expires, so
credentials it signed keep verifying. Nothing is read when the keystore is
created (DESIGN rule 6); files are read on first use and re-read when they
change on disk. Every key handed out is checked against its certificate and
the certificate against the issuer's IACA, so a mismatched pair is refused when
it is loaded, not by readers later.

This adapter implements the :class:`~motorcred.formats.signer.DocumentSigner`
port with :class:`~motorcred.formats.signer.SoftwareSigner`; an HSM-backed
keystore would hand out signers with the same interface.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import NameOID

from motorcred.errors import (
    ConfigurationError,
    Conflict,
    InvalidInput,
    MalformedData,
    MotorcredError,
    NotFound,
)
from motorcred.formats.cose_keys import PrivateKey
from motorcred.formats.signer import SoftwareSigner
from motorcred.formats.trust import TrustStore, validity_failures
from motorcred.formats.x509 import load_certificate, name_attribute

KEYSTORE_DIR: Final = "keystore"
IACA_FILE: Final = "iaca.pem"
CURRENT_FILE: Final = "current"
DS_DIR: Final = "ds"
_KEY_SUFFIX: Final = ".key.pem"
_CERT_SUFFIX: Final = ".cert.pem"
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}\Z")
_MAX_FILE: Final = 64 * 1024


def _check_name(value: str, what: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value) or ".." in value:
        raise InvalidInput(
            "KEYSTORE_NAME_INVALID",
            f"{what} {value!r} must be 1–64 of a-z 0-9 . _ - (starting with a letter or digit)",
        )
    return value


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """A document-signer key of an issuer, as the keystore lists it (no key material)."""

    issuer: str
    key_id: str
    certificate: x509.Certificate
    current: bool

    @property
    def not_before(self) -> datetime:
        return self.certificate.not_valid_before_utc

    @property
    def not_after(self) -> datetime:
        return self.certificate.not_valid_after_utc

    def valid_at(self, now: datetime) -> bool:
        return self.not_before <= now <= self.not_after


class FileKeystore:
    """Document-signer keys for one or more issuers, kept as files under ``root``."""

    def __init__(self, root: Path) -> None:
        self._root = Path(root)
        # (path, mtime_ns, size) → parsed object; files are re-read when they change.
        self._certs: dict[Path, tuple[int, int, x509.Certificate]] = {}
        self._signers: dict[tuple[str, str], tuple[tuple[int, ...], SoftwareSigner]] = {}
        # One trust store per IACA, so a DS chain is validated once, not on every signature.
        self._trust: dict[bytes, TrustStore] = {}

    @classmethod
    def in_data_dir(cls, data_dir: Path) -> FileKeystore:
        """The keystore of a deployment: ``<data_dir>/keystore``."""
        return cls(Path(data_dir) / KEYSTORE_DIR)

    @property
    def root(self) -> Path:
        return self._root

    # ------------------------------------------------------------------ reading

    def issuers(self) -> list[str]:
        """Issuer ids that have an IACA certificate, sorted."""
        if not self._root.is_dir():
            return []
        return sorted(
            p.name
            for p in self._root.iterdir()
            if (p / IACA_FILE).is_file() and _NAME.match(p.name)
        )

    def iaca_certificate(self, issuer: str) -> x509.Certificate:
        path = self._issuer_dir(issuer) / IACA_FILE
        if not path.is_file():
            raise NotFound("KEYSTORE_ISSUER_UNKNOWN", f"no issuer {issuer!r} in the keystore")
        return self._certificate(path)

    def trust_anchors(self) -> list[x509.Certificate]:
        """Every issuer's IACA certificate: what a verifier of our credentials trusts."""
        return [self.iaca_certificate(issuer) for issuer in self.issuers()]

    def issuer_for_region(self, region: str) -> str:
        """The issuer whose IACA names ``region`` as its ``ST`` (e.g. ``CN-SC``)."""
        for issuer in self.issuers():
            state = name_attribute(
                self.iaca_certificate(issuer).subject, NameOID.STATE_OR_PROVINCE_NAME
            )
            if state == region:
                return issuer
        raise NotFound("KEYSTORE_ISSUER_UNKNOWN", f"no issuer in the keystore serves {region!r}")

    def current_key_id(self, issuer: str) -> str:
        path = self._issuer_dir(issuer) / CURRENT_FILE
        try:
            key_id = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            raise ConfigurationError(
                "KEYSTORE_NO_CURRENT_KEY", f"issuer {issuer!r} has no current document-signer key"
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigurationError("KEYSTORE_FILE_INVALID", f"{path}: {exc}") from None
        return _check_name(key_id, "current key id")

    def keys(self, issuer: str) -> list[KeyEntry]:
        """Every DS key of ``issuer`` (oldest certificate first), current one marked."""
        self.iaca_certificate(issuer)  # unknown issuer → KEYSTORE_ISSUER_UNKNOWN
        ds_dir = self._issuer_dir(issuer) / DS_DIR
        if not ds_dir.is_dir():
            return []
        try:
            current: str | None = self.current_key_id(issuer)
        except ConfigurationError:
            current = None
        entries = []
        for cert_path in ds_dir.glob(f"*{_CERT_SUFFIX}"):
            key_id = cert_path.name[: -len(_CERT_SUFFIX)]
            if not _NAME.match(key_id):
                continue
            entries.append(
                KeyEntry(issuer, key_id, self._certificate(cert_path), key_id == current)
            )
        return sorted(entries, key=lambda e: (e.not_before, e.key_id))

    def active_keys(self, issuer: str, now: datetime) -> list[KeyEntry]:
        """The DS keys whose certificates are valid at ``now`` (several during a rotation)."""
        return [entry for entry in self.keys(issuer) if entry.valid_at(now)]

    def signer(self, issuer: str, *, now: datetime, key_id: str | None = None) -> SoftwareSigner:
        """The signer for new credentials of ``issuer``: the current key unless ``key_id``.

        Refuses (``KEYSTORE_KEY_NOT_VALID``) a key whose certificate, or whose
        IACA, is not valid at ``now``: what it signed would fail every reader.
        """
        key_id = self.current_key_id(issuer) if key_id is None else _check_name(key_id, "key id")
        iaca = self.iaca_certificate(issuer)
        signer = self._load_signer(issuer, key_id, iaca)
        path = self._trust_store(iaca).trusted_path(signer.certificate_chain)
        problems = validity_failures(path, now)
        if problems:
            raise ConfigurationError(
                "KEYSTORE_KEY_NOT_VALID",
                f"document-signer key {issuer}/{key_id} cannot sign at {now.isoformat()}: "
                f"{problems[0].message}",
            )
        return signer

    # ------------------------------------------------------------------ writing

    def add_issuer(self, issuer: str, iaca: x509.Certificate) -> None:
        """Register an issuer with its IACA certificate (refuses to replace a different one)."""
        directory = self._issuer_dir(issuer)
        path = directory / IACA_FILE
        pem = iaca.public_bytes(serialization.Encoding.PEM)
        if path.exists():
            if self._certificate(path) == iaca:
                return
            raise Conflict("KEYSTORE_ISSUER_EXISTS", f"issuer {issuer!r} already has another IACA")
        (directory / DS_DIR).mkdir(parents=True, exist_ok=True)
        _write_new(path, pem, private=False)

    def add_document_signer(
        self,
        issuer: str,
        key_id: str,
        private_key: PrivateKey,
        certificate: x509.Certificate,
        *,
        make_current: bool = False,
    ) -> KeyEntry:
        """Store a new DS key and its certificate; the pair and the chain are checked first."""
        _check_name(key_id, "key id")
        iaca = self.iaca_certificate(issuer)
        der = certificate.public_bytes(serialization.Encoding.DER)
        SoftwareSigner(private_key, [der], key_id=key_id)  # key ↔ certificate
        try:
            TrustStore([iaca]).trusted_path([der])  # issued by this IACA, fit for signing
        except MotorcredError as exc:
            raise InvalidInput(
                "KEYSTORE_CERT_NOT_FROM_IACA",
                f"the certificate for {issuer}/{key_id} is not a DS certificate of the "
                f"issuer's IACA: {exc.message}",
            ) from None
        ds_dir = self._issuer_dir(issuer) / DS_DIR
        ds_dir.mkdir(parents=True, exist_ok=True)
        key_path, cert_path = ds_dir / f"{key_id}{_KEY_SUFFIX}", ds_dir / f"{key_id}{_CERT_SUFFIX}"
        if key_path.exists() or cert_path.exists():
            raise Conflict("KEYSTORE_KEY_EXISTS", f"key {issuer}/{key_id} already exists")
        key_pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # The key first, then the certificate: a key is listed (keys()) only once its
        # certificate exists, so a reader never sees half an entry.
        cert_pem = certificate.public_bytes(serialization.Encoding.PEM)
        _write_new(key_path, key_pem, private=True)
        try:
            _write_new(cert_path, cert_pem, private=False)
        except MotorcredError:
            key_path.unlink(missing_ok=True)  # no orphan key blocking a retry
            raise
        if make_current:
            self.make_current(issuer, key_id)
        return KeyEntry(issuer, key_id, certificate, make_current)

    def make_current(self, issuer: str, key_id: str) -> None:
        """Switch the key that signs new credentials (atomic: readers see old or new)."""
        _check_name(key_id, "key id")
        cert_path = self._issuer_dir(issuer) / DS_DIR / f"{key_id}{_CERT_SUFFIX}"
        if not cert_path.is_file():
            raise NotFound("KEYSTORE_KEY_UNKNOWN", f"no key {issuer}/{key_id} in the keystore")
        target = self._issuer_dir(issuer) / CURRENT_FILE
        temporary = target.with_name(f".{CURRENT_FILE}.{os.getpid()}.tmp")
        try:
            temporary.write_text(key_id + "\n", encoding="ascii")
            os.replace(temporary, target)
        except OSError as exc:
            raise ConfigurationError(
                "KEYSTORE_UNWRITABLE", f"cannot write {target}: {exc}"
            ) from None

    # ------------------------------------------------------------------ internals

    def _issuer_dir(self, issuer: str) -> Path:
        return self._root / _check_name(issuer, "issuer")

    def _trust_store(self, iaca: x509.Certificate) -> TrustStore:
        fingerprint = iaca.fingerprint(hashes.SHA256())
        store = self._trust.get(fingerprint)
        if store is None:
            store = self._trust[fingerprint] = TrustStore([iaca])
        return store

    def _certificate(self, path: Path) -> x509.Certificate:
        mtime, size = _stamp(path)
        cached = self._certs.get(path)
        if cached is not None and cached[:2] == (mtime, size):
            return cached[2]
        try:
            cert = load_certificate(_read(path))
        except MalformedData as exc:
            raise ConfigurationError("KEYSTORE_FILE_INVALID", f"{path}: {exc.message}") from None
        self._certs[path] = (mtime, size, cert)
        return cert

    def _load_signer(self, issuer: str, key_id: str, iaca: x509.Certificate) -> SoftwareSigner:
        ds_dir = self._issuer_dir(issuer) / DS_DIR
        key_path, cert_path = ds_dir / f"{key_id}{_KEY_SUFFIX}", ds_dir / f"{key_id}{_CERT_SUFFIX}"
        if not key_path.is_file() or not cert_path.is_file():
            raise NotFound("KEYSTORE_KEY_UNKNOWN", f"no key {issuer}/{key_id} in the keystore")
        stamp = (*_stamp(key_path), *_stamp(cert_path))
        cached = self._signers.get((issuer, key_id))
        if cached is not None and cached[0] == stamp:
            return cached[1]
        _refuse_open_permissions(key_path)
        certificate = self._certificate(cert_path)
        der = certificate.public_bytes(serialization.Encoding.DER)
        try:
            signer = SoftwareSigner(_private_key(key_path), [der], key_id=key_id)
        except InvalidInput as exc:
            raise ConfigurationError("KEYSTORE_KEY_MISMATCH", exc.message) from None
        self._signers[(issuer, key_id)] = (stamp, signer)
        return signer


def _stamp(path: Path) -> tuple[int, int]:
    try:
        info = path.stat()
    except OSError as exc:
        raise ConfigurationError("KEYSTORE_FILE_INVALID", f"cannot read {path}: {exc}") from None
    return info.st_mtime_ns, info.st_size


def _read(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigurationError("KEYSTORE_FILE_INVALID", f"cannot read {path}: {exc}") from None
    if len(data) > _MAX_FILE:
        raise ConfigurationError("KEYSTORE_FILE_INVALID", f"{path} is too large for a key file")
    return data


def _refuse_open_permissions(path: Path) -> None:
    """A private key others can read is as good as leaked: refuse to use it (POSIX only)."""
    if os.name != "posix":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigurationError(
            "KEYSTORE_KEY_INSECURE",
            f"{path} is readable by others (mode {mode:o}); chmod 600 it",
        )


def _private_key(path: Path) -> PrivateKey:
    try:
        key = serialization.load_pem_private_key(_read(path), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise ConfigurationError(
            "KEYSTORE_FILE_INVALID", f"{path}: not an unencrypted PEM private key ({exc})"
        ) from None
    if not isinstance(key, ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey):
        raise ConfigurationError("KEYSTORE_FILE_INVALID", f"{path}: only EC and Ed25519 keys")
    return key


def _write_new(path: Path, data: bytes, *, private: bool) -> None:
    """Create ``path`` exclusively; a private file is 0600 from its first byte."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except FileExistsError:
        raise Conflict("KEYSTORE_KEY_EXISTS", f"{path} already exists") from None
    except OSError as exc:
        raise ConfigurationError("KEYSTORE_UNWRITABLE", f"cannot write {path}: {exc}") from None
