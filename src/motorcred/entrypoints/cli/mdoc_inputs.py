"""Reading what ``motorcred mdoc`` commands are given: keys, certificates, credentials, JSON.

Everything here is about files a user names on the command line, so every
failure is a :class:`UsageError` (exit 2) naming the option and the file —
never a traceback. What a *credential* fails (bad signature, expired…) is not
decided here but by the verifier, and exits 1.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.serialization import Encoding

from motorcred.entrypoints.cli.pki import load_private_key, read_file
from motorcred.errors import MotorcredError, UsageError
from motorcred.formats.cbor import loads
from motorcred.formats.cose import LocalSigner, PrivateKey, PublicKey
from motorcred.formats.mdoc import DeviceResponse, Document, IssuedDocument
from motorcred.formats.mdoc.json_elements import elements_from_json
from motorcred.formats.mdoc.verify_parse import session_transcript_parts
from motorcred.formats.mdoc.verify_status import StatusListProvider
from motorcred.formats.status_list import StatusList, TokenKeyInfo, decode_status_list_token
from motorcred.formats.trust import TrustStore, validate_chain
from motorcred.formats.x509 import load_certificates, public_key_of

#: A portrait or signature image referenced from the elements JSON.
MAX_ELEMENT_FILE: Final = 512 * 1024
MAX_JSON_FILE: Final = 4 * 1024 * 1024
MAX_CREDENTIAL_FILE: Final = 8 * 1024 * 1024
_COSE_CURVES: Final = frozenset({"secp256r1", "secp384r1"})


def usage(option: str, path: Path, error: MotorcredError) -> UsageError:
    """Re-raise a decoding error about a command-line file as a usage error (exit 2)."""
    return UsageError(error.code, f"{option} {path}: {error.message}")


def load_trust(paths: list[Path]) -> TrustStore:
    """Trust anchors from PEM (bundles allowed) or DER certificate files."""
    if not paths:
        raise UsageError("TRUST_EMPTY", "give at least one --trust certificate (IACA or DS)")
    blobs = []
    for path in paths:
        data = read_file(path, "--trust certificate", limit=1024 * 1024)
        try:
            load_certificates(data)
        except MotorcredError as exc:
            raise usage("--trust", path, exc) from None
        blobs.append(data)
    return TrustStore.from_bytes(blobs)


def _hex_scalar(obj: dict[str, Any], name: str, path: Path) -> int:
    value = obj.get(name)
    if not isinstance(value, str):
        raise UsageError("KEY_UNREADABLE", f"--reader-key {path}: {name!r} must be a hex string")
    try:
        return int(value, 16)
    except ValueError:
        raise UsageError("KEY_UNREADABLE", f"--reader-key {path}: {name!r} is not hex") from None


def load_reader_key(path: Path) -> ec.EllipticCurvePrivateKey:
    """The reader's ephemeral P-256 private key: PEM/DER, or JSON ``{"x", "y", "d"}`` in hex."""
    data = read_file(path, "--reader-key", limit=64 * 1024)
    if data.lstrip().startswith(b"{"):
        try:
            obj = json.loads(data)
        except ValueError as exc:
            raise UsageError("KEY_UNREADABLE", f"--reader-key {path}: bad JSON ({exc})") from None
        if not isinstance(obj, dict):
            raise UsageError("KEY_UNREADABLE", f"--reader-key {path}: expected {{x, y, d}}")
        try:
            key = ec.derive_private_key(_hex_scalar(obj, "d", path), ec.SECP256R1())
        except ValueError:
            raise UsageError(
                "KEY_UNREADABLE", f"--reader-key {path}: d is not a P-256 private scalar"
            ) from None
        numbers = key.public_key().public_numbers()
        if ("x" in obj or "y" in obj) and (
            _hex_scalar(obj, "x", path) != numbers.x or _hex_scalar(obj, "y", path) != numbers.y
        ):
            raise UsageError(
                "KEY_UNREADABLE", f"--reader-key {path}: x/y do not belong to the private key d"
            )
        return key
    loaded = load_private_key(path)
    if not isinstance(loaded, ec.EllipticCurvePrivateKey):
        raise UsageError("KEY_UNSUPPORTED", f"--reader-key {path}: deviceMac needs an EC key")
    return loaded


def load_public_key(path: Path, option: str) -> PublicKey:
    """A public key from a PEM/DER public key, a private key (its public half) or a certificate."""
    data = read_file(path, option, limit=64 * 1024)
    loaders = (
        serialization.load_pem_public_key,
        serialization.load_der_public_key,
    )
    for loader in loaders:
        try:
            key: Any = loader(data)
            break
        except (ValueError, TypeError):
            continue
    else:
        try:
            key = load_private_key(path).public_key()
        except UsageError:
            try:
                key = load_certificates(data)[0].public_key()
            except MotorcredError:
                raise UsageError(
                    "KEY_UNREADABLE",
                    f"{option} {path}: not a PEM/DER public key, private key or certificate",
                ) from None
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name in _COSE_CURVES:
        return key
    if isinstance(key, ed25519.Ed25519PublicKey):
        return key
    raise UsageError("KEY_UNSUPPORTED", f"{option} {path}: use a P-256, P-384 or Ed25519 key")


@dataclass(frozen=True, slots=True)
class IssuerMaterial:
    signer: LocalSigner
    chain: list[x509.Certificate]

    @property
    def leaf(self) -> x509.Certificate:
        return self.chain[0]

    @property
    def chain_der(self) -> list[bytes]:
        return [cert.public_bytes(Encoding.DER) for cert in self.chain]


def load_signing_key(path: Path, option: str) -> PrivateKey:
    """A P-256/P-384 or Ed25519 private key (PEM/DER, unencrypted) for COSE signing."""
    key = load_private_key(path)
    if isinstance(key, ed25519.Ed25519PrivateKey) or (
        isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name in _COSE_CURVES
    ):
        return key
    raise UsageError("KEY_UNSUPPORTED", f"{option} {path}: use a P-256, P-384 or Ed25519 key")


def load_issuer(key_path: Path, cert_path: Path) -> IssuerMaterial:
    """The document-signer key and its certificate (or a PEM chain, DS first)."""
    key = load_signing_key(key_path, "--key")
    try:
        chain = load_certificates(read_file(cert_path, "--cert", limit=1024 * 1024))
    except MotorcredError as exc:
        if isinstance(exc, UsageError):
            raise
        raise usage("--cert", cert_path, exc) from None
    if not chain:
        raise UsageError("PKI_CERT_MALFORMED", f"--cert {cert_path}: no certificate found")
    if chain[0].public_key() != key.public_key():
        raise UsageError(
            "KEY_CERT_MISMATCH",
            f"--key {key_path} is not the private key of the certificate in {cert_path}",
        )
    try:
        signer = LocalSigner(key)
    except MotorcredError as exc:
        raise usage("--key", key_path, exc) from None
    return IssuerMaterial(signer, chain)


def load_elements(path: Path) -> dict[str, dict[str, Any]]:
    """The ``--elements`` JSON, typed; ``{"file": …}`` references resolve next to it."""
    raw = read_file(path, "--elements", limit=MAX_JSON_FILE)
    try:
        obj = json.loads(raw)
    except ValueError as exc:
        raise UsageError(
            "MDOC_ELEMENTS_JSON", f"--elements {path}: not valid JSON ({exc})"
        ) from None
    base = path.parent

    def load_file(reference: str) -> bytes:
        target = Path(reference)
        return read_file(
            target if target.is_absolute() else base / target, "element", limit=MAX_ELEMENT_FILE
        )

    try:
        return elements_from_json(obj, load_file=load_file)
    except UsageError:
        raise
    except MotorcredError as exc:
        raise usage("--elements", path, exc) from None


def load_issued(path: Path) -> IssuedDocument:
    """The credential to present: an issued DeviceResponse (one document) or its parts."""
    data = read_file(path, "credential", limit=MAX_CREDENTIAL_FILE)
    try:
        top = loads(data, max_size=MAX_CREDENTIAL_FILE)
        if isinstance(top, dict) and "issuerAuth" in top:
            return IssuedDocument.from_cbor(top)
        if isinstance(top, dict) and "docType" in top:
            return Document.from_cbor(top).issuer_signed
        documents = DeviceResponse.from_cbor(top).documents
    except MotorcredError as exc:
        raise UsageError(exc.code, f"{path}: not an mdoc credential ({exc.message})") from None
    if len(documents) != 1:
        raise UsageError(
            "MDOC_PRESENT_ONE_DOCUMENT",
            f"{path} holds {len(documents)} documents; present takes exactly one",
        )
    return documents[0].issuer_signed


def load_session_transcript(path: Path) -> bytes:
    """SessionTranscriptBytes (tag-24 wrapped, as in Annex D) or a bare SessionTranscript array."""
    data = read_file(path, "--session-transcript", limit=64 * 1024)
    try:
        tagged, _ = session_transcript_parts(data)
    except MotorcredError as exc:
        raise usage("--session-transcript", path, exc) from None
    return tagged


def load_status_lists(paths: list[Path], store: TrustStore, now: datetime) -> StatusListProvider:
    """Status List Tokens (CWT) from files, each verified at ``now``.

    A token's signing certificate (its x5chain) must chain to one of the ``--trust``
    anchors, as a document signer's does; tokens identified by ``kid`` alone cannot
    be checked from the command line.
    """

    def resolve(info: TokenKeyInfo) -> PublicKey:
        if not info.x5chain:
            raise UsageError(
                "STATUS_LIST_KEY_UNKNOWN",
                "the Status List Token names its key by kid only; give one with an x5chain",
            )
        key = public_key_of(validate_chain(store, list(info.x5chain), now=now).leaf)
        if not isinstance(key, ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey):
            raise UsageError("KEY_UNSUPPORTED", "the status list signer's key is not supported")
        return key

    lists: dict[str, StatusList] = {}
    for path in paths:
        data = read_file(path, "--status-list", limit=MAX_CREDENTIAL_FILE)
        try:
            token = decode_status_list_token(data, now=now, trust=resolve)
        except MotorcredError as exc:
            raise usage("--status-list", path, exc) from None
        lists[token.uri] = token.status_list
    return StatusListProvider(lists)
