"""``motorcred pki``: create the IACA root and document-signer certificates (ISO 18013-5 Annex B).

The commands write keys and certificates as PEM. Private keys are written with
mode 0600 and never overwrite an existing file unless ``--force`` is given, so
a slip of the keyboard cannot destroy a signing key.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from motorcred.entrypoints.cli.common import console, emit_json, handle_errors
from motorcred.errors import InvalidInput, UsageError
from motorcred.formats.x509 import (
    IssuerName,
    SigningKey,
    certificate_pem,
    create_document_signer,
    create_iaca,
    load_certificate,
)

pki_app = typer.Typer(
    name="pki",
    help="Create IACA roots and document-signer certificates (ISO 18013-5 Annex B).",
    no_args_is_help=True,
)

_CURVES: dict[str, type[ec.EllipticCurve]] = {
    "P-256": ec.SECP256R1,
    "P-384": ec.SECP384R1,
    "P-521": ec.SECP521R1,
}


# ------------------------------------------------------------------ key and file helpers


def new_private_key(curve: str) -> SigningKey:
    """A fresh signing key: ``P-256`` (the usual mdoc curve), ``P-384``, ``P-521``, ``Ed25519``."""
    if curve == "Ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    if curve not in _CURVES:
        raise UsageError(
            "PKI_CURVE_UNSUPPORTED",
            f"unknown curve {curve!r}; use one of {', '.join([*_CURVES, 'Ed25519'])}",
        )
    return ec.generate_private_key(_CURVES[curve]())


def load_private_key(path: Path) -> SigningKey:
    """Read an unencrypted PEM (or DER) private key; ``KEY_UNREADABLE`` on anything else."""
    data = read_file(path, "key")
    try:
        if data.lstrip().startswith(b"-----BEGIN"):
            key = serialization.load_pem_private_key(data, password=None)
        else:
            key = serialization.load_der_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise UsageError(
            "KEY_UNREADABLE", f"{path}: not an unencrypted PEM/DER private key ({exc})"
        ) from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey):
        raise UsageError("KEY_UNSUPPORTED", f"{path}: only EC and Ed25519 keys are supported")
    return key


def read_file(path: Path, what: str, *, limit: int = 16 * 1024 * 1024) -> bytes:
    try:
        size = path.stat().st_size
        if size > limit:
            raise UsageError("FILE_TOO_LARGE", f"{what} file {path} is larger than {limit} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise UsageError("FILE_UNREADABLE", f"cannot read {what} file {path}: {exc}") from exc


def write_file(path: Path, data: bytes, *, private: bool = False, force: bool = False) -> None:
    """Write ``data``; private files get mode 0600 from creation on (no window at 0644)."""
    if path.exists() and not force:
        raise UsageError("FILE_EXISTS", f"{path} exists; pass --force to overwrite it")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    try:
        fd = os.open(path, flags, 0o600 if private else 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if private:
            os.chmod(path, 0o600)
    except OSError as exc:
        raise UsageError("FILE_UNWRITABLE", f"cannot write {path}: {exc}") from exc


def private_key_pem(key: SigningKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def parse_time(value: str | None, option: str) -> datetime | None:
    """An RFC 3339 time from the command line (``Z`` or an offset; a bare date = 00:00 UTC)."""
    if value is None:
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as exc:
        raise UsageError("TIME_INVALID", f"{option}: {value!r} is not an RFC 3339 time") from exc
    if parsed.tzinfo is None:
        if "T" in text or " " in text:
            raise UsageError("TIME_INVALID", f"{option}: give a time zone (Z or ±hh:mm)")
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _describe(cert: x509.Certificate) -> dict[str, Any]:
    return {
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "serial": format(cert.serial_number, "x"),
        "not_before": cert.not_valid_before_utc.isoformat(),
        "not_after": cert.not_valid_after_utc.isoformat(),
    }


def _now_second() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


# ------------------------------------------------------------------ commands


@handle_errors
def init_iaca(
    key_out: Annotated[
        Path, typer.Option("--key-out", help="Where to write the private key (PEM).")
    ],
    cert_out: Annotated[
        Path, typer.Option("--cert-out", help="Where to write the certificate (PEM).")
    ],
    country: str = typer.Option(..., "--country", help="ISO 3166-1 alpha-2 country, e.g. CN."),
    name: str = typer.Option(..., "--name", help="Common name of the IACA."),
    state: str | None = typer.Option(
        None, "--state", help="Province/region (ST) for a per-region issuer."
    ),
    organization: str | None = typer.Option(None, "--organization", help="Organisation (O)."),
    issuer_alt_name: str = typer.Option(
        ..., "--issuer-alt-name", help="Issuer contact: an https:// URI or an e-mail address."
    ),
    crl_uri: str | None = typer.Option(None, "--crl-uri", help="CRL distribution point URI."),
    days: int = typer.Option(3650, "--days", min=1, help="Validity in days."),
    not_before: str | None = typer.Option(
        None, "--not-before", help="Start of validity (RFC 3339; default now)."
    ),
    curve: str = typer.Option("P-256", "--curve", help="P-256, P-384, P-521 or Ed25519."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing output files."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Create a self-signed IACA root certificate and its private key."""
    try:
        issuer = IssuerName(country, name, state=state, organization=organization)
    except InvalidInput as exc:
        raise UsageError(exc.code, exc.message) from exc
    start = parse_time(not_before, "--not-before") or _now_second()
    key = new_private_key(curve)
    try:
        cert = create_iaca(
            key,
            name=issuer,
            not_before=start,
            not_after=start + timedelta(days=days),
            serial_number=x509.random_serial_number(),
            issuer_alt_name=issuer_alt_name,
            crl_uri=crl_uri,
        )
    except InvalidInput as exc:
        raise UsageError(exc.code, exc.message) from exc
    for path in (key_out, cert_out):
        if path.exists() and not force:
            raise UsageError("FILE_EXISTS", f"{path} exists; pass --force to overwrite it")
    write_file(key_out, private_key_pem(key), private=True, force=force)
    write_file(cert_out, certificate_pem(cert), force=force)
    _report(cert, key_out, cert_out, as_json)


@handle_errors
def issue_ds(
    key_out: Annotated[Path, typer.Option("--key-out", help="Where to write the DS private key.")],
    cert_out: Annotated[
        Path, typer.Option("--cert-out", help="Where to write the DS certificate.")
    ],
    iaca_cert: Annotated[Path, typer.Option("--iaca-cert", help="IACA certificate (PEM or DER).")],
    iaca_key: Annotated[Path, typer.Option("--iaca-key", help="IACA private key (PEM).")],
    name: str = typer.Option(..., "--name", help="Common name of the document signer."),
    days: int = typer.Option(365, "--days", min=1, help="Validity in days."),
    not_before: str | None = typer.Option(
        None, "--not-before", help="Start of validity (RFC 3339; default now)."
    ),
    crl_uri: str | None = typer.Option(None, "--crl-uri", help="CRL distribution point URI."),
    curve: str = typer.Option("P-256", "--curve", help="P-256, P-384, P-521 or Ed25519."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing output files."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Issue a document-signer certificate under an IACA (several may be active: rotation)."""
    ca_cert = load_certificate(read_file(iaca_cert, "certificate"))
    ca_key = load_private_key(iaca_key)
    start = parse_time(not_before, "--not-before") or _now_second()
    end = start + timedelta(days=days)
    if end > ca_cert.not_valid_after_utc:
        end = ca_cert.not_valid_after_utc  # never outlive the IACA; readers would refuse it
    for path in (key_out, cert_out):
        if path.exists() and not force:
            raise UsageError("FILE_EXISTS", f"{path} exists; pass --force to overwrite it")
    key = new_private_key(curve)
    try:
        cert = create_document_signer(
            key.public_key(),
            iaca_cert=ca_cert,
            iaca_key=ca_key,
            common_name=name,
            not_before=start,
            not_after=end,
            serial_number=x509.random_serial_number(),
            crl_uri=crl_uri,
        )
    except InvalidInput as exc:
        raise UsageError(exc.code, exc.message) from exc
    write_file(key_out, private_key_pem(key), private=True, force=force)
    write_file(cert_out, certificate_pem(cert), force=force)
    _report(cert, key_out, cert_out, as_json)


def _report(cert: x509.Certificate, key_out: Path, cert_out: Path, as_json: bool) -> None:
    info = _describe(cert) | {"key_file": str(key_out), "cert_file": str(cert_out)}
    if as_json:
        emit_json(info)
        return
    console.print(f"[green]wrote[/] {cert_out} ({info['subject']}, serial {info['serial']})")
    console.print(f"  valid {info['not_before']} .. {info['not_after']}")
    console.print(f"  private key {key_out} (mode 0600)")


def register(app: typer.Typer) -> None:
    pki_app.command("init-iaca")(init_iaca)
    pki_app.command("issue-ds")(issue_ds)
    app.add_typer(pki_app, name="pki")
