"""``motorcred keys``: the document-signer keys in the keystore (``<data dir>/keystore``).

Key rotation as an administrator runs it::

    motorcred pki issue-ds --iaca-cert cn.pem --iaca-key cn.key --name "DS 2026-07" \\
        --key-out ds-2026-07.key --cert-out ds-2026-07.pem
    motorcred keys add cn ds-2026-07 --key ds-2026-07.key --cert ds-2026-07.pem
    motorcred keys use cn ds-2026-07      # new credentials are signed with it from now on
    motorcred keys list

The previous key stays in the keystore (and valid) so what it signed keeps
verifying. ``keys use`` loads and checks the key — it matches its certificate,
the certificate chains to the issuer's IACA and is valid now — before switching.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from motorcred.adapters.keystore import FileKeystore, KeyEntry
from motorcred.config import Settings
from motorcred.entrypoints.cli.common import console, emit_json, handle_errors
from motorcred.entrypoints.cli.pki import load_private_key, parse_time, read_file
from motorcred.errors import UsageError
from motorcred.formats.x509 import load_certificate

keys_app = typer.Typer(
    name="keys",
    help="Document-signer keys in the keystore: list, add, make current (rotation).",
    no_args_is_help=True,
)

JSON_OPTION = typer.Option(False, "--json", help="Print one JSON object.")
Issuer = Annotated[str, typer.Argument(help="Issuer id in the keystore, e.g. cn or cn-sc.")]
KeyId = Annotated[str, typer.Argument(help="Key id, e.g. ds-2026-07.")]


def _keystore() -> FileKeystore:
    return FileKeystore.in_data_dir(Settings().data_dir)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _entry(entry: KeyEntry, now: datetime) -> dict[str, Any]:
    cert = entry.certificate
    return {
        "key_id": entry.key_id,
        "current": entry.current,
        "active": entry.valid_at(now),
        "subject": cert.subject.rfc4514_string(),
        "serial": format(cert.serial_number, "x"),
        "not_before": entry.not_before.isoformat(),
        "not_after": entry.not_after.isoformat(),
    }


def _issuer(keystore: FileKeystore, issuer: str, now: datetime) -> dict[str, Any]:
    iaca: x509.Certificate = keystore.iaca_certificate(issuer)
    return {
        "issuer": issuer,
        "iaca": {
            "subject": iaca.subject.rfc4514_string(),
            "not_after": iaca.not_valid_after_utc.isoformat(),
        },
        "keys": [_entry(e, now) for e in keystore.keys(issuer)],
    }


@handle_errors
def list_keys(
    issuer: str | None = typer.Option(None, "--issuer", help="Only this issuer."),
    at: str | None = typer.Option(None, "--at", help="Judge 'active' at this RFC 3339 time."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List issuers and their document-signer keys (current and active ones marked)."""
    keystore = _keystore()
    now = parse_time(at, "--at") or _now()
    issuers = [issuer] if issuer else keystore.issuers()
    report = [_issuer(keystore, name, now) for name in issuers]
    if as_json:
        emit_json({"ok": True, "keystore": str(keystore.root), "issuers": report})
        return
    if not report:
        console.print(f"no issuers in {keystore.root}")
    for item in report:
        console.print(f"[bold]{item['issuer']}[/]  IACA {item['iaca']['subject']}")
        for key in item["keys"]:
            marks = ("[green]current[/] " if key["current"] else "") + (
                "active" if key["active"] else "[dim]inactive[/]"
            )
            console.print(
                f"  {key['key_id']:<24} {key['not_before']} .. {key['not_after']}  {marks}"
            )


@handle_errors
def add_issuer(
    issuer: Issuer,
    iaca: Annotated[Path, typer.Option("--iaca", help="The issuer's IACA certificate.")],
    as_json: bool = JSON_OPTION,
) -> None:
    """Register an issuer with its IACA certificate (the IACA private key stays offline)."""
    keystore = _keystore()
    certificate = load_certificate(read_file(iaca, "certificate"))
    keystore.add_issuer(issuer, certificate)
    if as_json:
        emit_json({"ok": True, "issuer": issuer, "iaca": certificate.subject.rfc4514_string()})
    else:
        console.print(f"[green]issuer[/] {issuer}: {certificate.subject.rfc4514_string()}")


@handle_errors
def add_key(
    issuer: Issuer,
    key_id: KeyId,
    key: Annotated[Path, typer.Option("--key", help="DS private key (PEM).")],
    cert: Annotated[Path, typer.Option("--cert", help="DS certificate (PEM or DER).")],
    current: bool = typer.Option(False, "--current", help="Also make it the current key."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Add a document-signer key and certificate (issued by the issuer's IACA)."""
    keystore = _keystore()
    private_key = load_private_key(key)
    if not isinstance(private_key, ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey):
        raise UsageError("KEY_UNSUPPORTED", f"{key}: a DS key must be EC (P-256/P-384) or Ed25519")
    certificate = load_certificate(read_file(cert, "certificate"))
    entry = keystore.add_document_signer(issuer, key_id, private_key, certificate)
    if current:
        keystore.signer(issuer, now=_now(), key_id=key_id)  # can it sign now? then switch
        keystore.make_current(issuer, key_id)
        entry = KeyEntry(entry.issuer, entry.key_id, entry.certificate, True)
    _done(entry, as_json, "added")


@handle_errors
def use_key(
    issuer: Issuer,
    key_id: KeyId,
    as_json: bool = JSON_OPTION,
) -> None:
    """Make KEY_ID the key that signs new credentials of ISSUER (checked before switching)."""
    keystore = _keystore()
    keystore.signer(issuer, now=_now(), key_id=key_id)
    keystore.make_current(issuer, key_id)
    entry = next(e for e in keystore.keys(issuer) if e.key_id == key_id)
    _done(entry, as_json, "current")


def _done(entry: KeyEntry, as_json: bool, verb: str) -> None:
    info = {"issuer": entry.issuer} | _entry(entry, _now())
    if as_json:
        emit_json({"ok": True, **info})
        return
    console.print(
        f"[green]{verb}[/] {entry.issuer}/{entry.key_id} "
        f"({info['subject']}, valid {info['not_before']} .. {info['not_after']})"
    )


def register(app: typer.Typer) -> None:
    keys_app.command("list")(list_keys)
    keys_app.command("add-issuer")(add_issuer)
    keys_app.command("add")(add_key)
    keys_app.command("use")(use_key)
    app.add_typer(keys_app, name="keys")
