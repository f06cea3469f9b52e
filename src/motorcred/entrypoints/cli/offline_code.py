"""``motorcred mdoc issue-offline`` / ``offline-code`` and ``motorcred pki trust-list``.

The three steps that put an offline check together from files:

* ``pki trust-list`` publishes the IACA and DS certificates as a signed trust
  list file, which verifiers sync and then use offline;
* ``mdoc issue-offline`` is the issuer's side: the compact offline credential
  (front-page elements, 16-byte salts, DS named by kid) for the holder's device key;
* ``mdoc offline-code`` is the holder's side: a device-signed ``MC1:`` code,
  optionally drawn as a QR image (version ≤ 25 at level M, or ``CODE_TOO_LONG``).

``motorcred verify-code`` (the verifier's side) lives in :mod:`.verify_code`.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from cryptography import x509

from motorcred.entrypoints.cli.common import console, emit_json, err_console, handle_errors
from motorcred.entrypoints.cli.mdoc_inputs import (
    load_elements,
    load_issued,
    load_issuer,
    load_public_key,
    load_signing_key,
    usage,
)
from motorcred.entrypoints.cli.pki import parse_time, read_file, write_file
from motorcred.errors import InvalidInput, MotorcredError, UsageError
from motorcred.formats.cose import LocalSigner, cose_key_from_public
from motorcred.formats.offline_presentation import (
    issue_offline_credential,
    offline_code,
    offline_elements,
    present_offline,
)
from motorcred.formats.offline_presentation.credential import OFFLINE_PROFILES
from motorcred.formats.status_list import StatusReference
from motorcred.formats.trust_list import build_trust_list, certificate_kid
from motorcred.formats.x509 import load_certificates

DEFAULT_VALIDITY = timedelta(days=365)
DEFAULT_LIST_VALIDITY_DAYS = 7
_JSON_HELP = "Print one JSON object."
_FORCE_HELP = "Overwrite existing output files."


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def load_certificate_files(paths: list[Path], option: str) -> list[x509.Certificate]:
    out: list[x509.Certificate] = []
    for path in paths:
        try:
            out.extend(load_certificates(read_file(path, option, limit=1024 * 1024)))
        except UsageError:
            raise
        except MotorcredError as exc:
            raise usage(option, path, exc) from None
    return out


# ------------------------------------------------------------------ pki trust-list


@handle_errors
def trust_list_command(
    iaca: Annotated[
        list[Path], typer.Option("--iaca", help="IACA certificate, PEM or DER (repeatable).")
    ],
    signer_key: Annotated[
        Path, typer.Option("--signer-key", help="Private key that signs the list (PEM).")
    ],
    signer_cert: Annotated[
        Path,
        typer.Option(
            "--signer-cert", help="Its certificate: an IACA of the list, or issued by one."
        ),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the list.")],
    ds: Annotated[
        list[Path] | None,
        typer.Option("--ds", help="Document-signer certificate(s), PEM bundle ok (repeatable)."),
    ] = None,
    issuer: Annotated[
        str, typer.Option("--issuer", help="Name of the publishing authority.")
    ] = "motorcred",
    seq: Annotated[
        int | None,
        typer.Option("--seq", min=0, help="List number (default: issue time in seconds)."),
    ] = None,
    issued: Annotated[
        str | None, typer.Option("--issued", help="Issue time, RFC 3339 (default now).")
    ] = None,
    valid_days: Annotated[
        int,
        typer.Option("--valid-days", min=1, help="Days until verifiers must sync a new list."),
    ] = DEFAULT_LIST_VALIDITY_DAYS,
    force: Annotated[bool, typer.Option("--force", help=_FORCE_HELP)] = False,
    as_json: Annotated[bool, typer.Option("--json", help=_JSON_HELP)] = False,
) -> None:
    """Publish IACA and DS certificates as a signed trust list for offline verifiers."""
    roots = load_certificate_files(iaca, "--iaca")
    signers = load_certificate_files(list(ds or []), "--ds")
    key = load_signing_key(signer_key, "--signer-key")
    chain = load_certificate_files([signer_cert], "--signer-cert")
    if chain[0].public_key() != key.public_key():
        raise UsageError(
            "KEY_CERT_MISMATCH", f"--signer-key {signer_key} does not belong to {signer_cert}"
        )
    start = parse_time(issued, "--issued") or _now()
    if output.exists() and not force:
        raise UsageError("FILE_EXISTS", f"{output} exists; pass --force to overwrite it")
    try:
        data = build_trust_list(
            issuer=issuer,
            seq=seq if seq is not None else int(start.timestamp()),
            issued=start,
            next_update=start + timedelta(days=valid_days),
            iaca=roots,
            ds=signers,
            signer=LocalSigner(key),
            signer_chain=chain,
        )
    except InvalidInput as exc:
        raise UsageError(exc.code, exc.message) from None
    write_file(output, data, force=force)
    kids = [
        {"kid": certificate_kid(c).hex(), "subject": c.subject.rfc4514_string()} for c in signers
    ]
    info: dict[str, Any] = {
        "ok": True,
        "output": str(output),
        "bytes": len(data),
        "issued": start.isoformat(),
        "next_update": (start + timedelta(days=valid_days)).isoformat(),
        "iaca": [c.subject.rfc4514_string() for c in roots],
        "ds": kids,
    }
    if as_json:
        emit_json(info)
        return
    signed_by = chain[0].subject.rfc4514_string()
    console.print(f"[green]wrote[/] {output} ({len(data):,} bytes), signed by {signed_by}")
    console.print(f"  {len(roots)} IACA, {len(signers)} DS; renew by {info['next_update']}")
    for entry in kids:
        console.print(f"  kid [cyan]{entry['kid']}[/] {entry['subject']}")


# ------------------------------------------------------------------ mdoc issue-offline


@handle_errors
def issue_offline_command(
    doctype: Annotated[str, typer.Option("--doctype", help="docType, e.g. org.iso.18013.5.1.mDL.")],
    elements: Annotated[
        Path, typer.Option("--elements", help="The credential's elements, JSON as for mdoc issue.")
    ],
    key: Annotated[Path, typer.Option("--key", help="Document-signer private key (PEM).")],
    cert: Annotated[Path, typer.Option("--cert", help="Document-signer certificate (PEM/DER).")],
    device_key: Annotated[
        Path, typer.Option("--device-key", help="The holder's device key (public or private PEM).")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the credential.")],
    valid_from: Annotated[
        str | None, typer.Option("--valid-from", help="Start of validity, RFC 3339 (default now).")
    ] = None,
    valid_until: Annotated[
        str | None,
        typer.Option("--valid-until", help="End of validity, RFC 3339 (default start + 365 days)."),
    ] = None,
    status_uri: Annotated[
        str | None, typer.Option("--status-uri", help="Token status list URI for the MSO.")
    ] = None,
    status_idx: Annotated[
        int | None, typer.Option("--status-idx", min=0, help="Index in that status list.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_FORCE_HELP)] = False,
    as_json: Annotated[bool, typer.Option("--json", help=_JSON_HELP)] = False,
) -> None:
    """Sign the compact offline credential (front-page elements) the holder makes codes from."""
    namespaces = load_elements(elements)
    material = load_issuer(key, cert)
    holder_key = load_public_key(device_key, "--device-key")
    if (status_uri is None) != (status_idx is None):
        raise UsageError("MDOC_STATUS_INVALID", "give --status-uri and --status-idx together")
    now = _now()
    start = parse_time(valid_from, "--valid-from") or now
    end = parse_time(valid_until, "--valid-until") or start + DEFAULT_VALIDITY
    if output.exists() and not force:
        raise UsageError("FILE_EXISTS", f"{output} exists; pass --force to overwrite it")
    try:
        chosen = (
            offline_elements(doctype, namespaces) if doctype in OFFLINE_PROFILES else namespaces
        )
        status = (
            StatusReference(status_idx, status_uri)
            if status_uri and status_idx is not None
            else None
        )
        credential = issue_offline_credential(
            doctype=doctype,
            namespaces=chosen,
            device_key=holder_key,
            signed=min(now, start),
            valid_from=start,
            valid_until=end,
            kid=certificate_kid(material.leaf),
            status=status,
            signer=material.signer,
            random=os.urandom,
        )
    except InvalidInput as exc:
        raise UsageError(exc.code, exc.message, details=exc.details) from None
    data = credential.encode()
    write_file(output, data, force=force)
    listed = {ns: [i.identifier for i in items] for ns, items in credential.namespaces.items()}
    if as_json:
        emit_json(
            {
                "ok": True,
                "output": str(output),
                "bytes": len(data),
                "doctype": doctype,
                "kid": certificate_kid(material.leaf).hex(),
                "elements": listed,
                "validity": {"validFrom": start.isoformat(), "validUntil": end.isoformat()},
            }
        )
        return
    console.print(f"[green]wrote[/] {output} ({len(data):,} bytes): offline {doctype}")
    for ns, ids in listed.items():
        console.print(f"  [dim]{ns}[/] {', '.join(ids)}")


# ------------------------------------------------------------------ mdoc offline-code


def _disclosure(entries: list[str]) -> dict[str, list[str]] | None:
    if not entries:
        return None
    wanted: dict[str, list[str]] = {}
    for entry in entries:
        namespace, _, identifier = entry.rpartition("/")
        if not namespace or not identifier:
            raise UsageError(
                "MDOC_DISCLOSE_INVALID", f"--disclose {entry!r}: write NAMESPACE/ELEMENT"
            )
        wanted.setdefault(namespace, []).append(identifier)
    return wanted


def _render(text: str, path: Path, force: bool) -> int:
    from motorcred.adapters.codes.render import qr_version, render_qr_png, render_qr_svg

    version = qr_version(text, "M")
    if path.suffix.lower() == ".svg":
        data = render_qr_svg(text, max_version=25, error="M").encode()
    else:
        data = render_qr_png(text, max_version=25, error="M")
    write_file(path, data, force=force)
    return version


@handle_errors
def offline_code_command(
    credential_file: Annotated[
        Path, typer.Argument(metavar="CREDENTIAL", help="The offline (or a standard) credential.")
    ],
    device_key: Annotated[
        Path, typer.Option("--device-key", help="The holder's device private key (PEM).")
    ],
    disclose: Annotated[
        list[str] | None,
        typer.Option(
            "--disclose", help="NAMESPACE/ELEMENT (repeatable; default all but portrait)."
        ),
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Presentation time, RFC 3339 (default now).")
    ] = None,
    qr_out: Annotated[
        Path | None, typer.Option("--qr-out", help="Also draw the QR code (.png or .svg).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_FORCE_HELP)] = False,
    as_json: Annotated[bool, typer.Option("--json", help=_JSON_HELP)] = False,
) -> None:
    """Make a device-signed MC1: offline code from a credential."""
    credential = load_issued(credential_file)
    private = load_signing_key(device_key, "--device-key")
    if cose_key_from_public(private.public_key()) != cose_key_from_public(
        credential.mso.device_key
    ):
        raise UsageError(
            "MDOC_DEVICE_KEY_MISMATCH",
            f"--device-key {device_key} is not the device key bound into this credential",
        )
    when = parse_time(at, "--at") or datetime.now(UTC)
    if qr_out is not None and qr_out.exists() and not force:
        raise UsageError("FILE_EXISTS", f"{qr_out} exists; pass --force to overwrite it")
    try:
        presentation = present_offline(
            credential,
            device_signer=LocalSigner(private),
            presented_at=when,
            nonce=os.urandom(16),
            disclose=_disclosure(list(disclose or [])),
        )
    except InvalidInput as exc:
        raise UsageError(exc.code, exc.message) from None
    text = offline_code(presentation)
    version = _render(text, qr_out, force) if qr_out is not None else None
    if as_json:
        info: dict[str, Any] = {
            "ok": True,
            "code": text,
            "length": len(text),
            "presented_at": datetime.fromtimestamp(presentation.presented_at, UTC).isoformat(),
            "disclosed": sorted(f"{e.namespace}/{e.identifier}" for e in presentation.elements),
            "qr_file": str(qr_out) if qr_out else None,
            "qr_version": version,
        }
        emit_json(info)
        return
    typer.echo(text)
    if qr_out is not None:
        err_console.print(
            f"[green]wrote[/] {qr_out} (QR version {version}, level M)", highlight=False
        )


def register(app: typer.Typer) -> None:
    """Adds the commands to the ``mdoc`` and ``pki`` groups (registered before) and the root."""
    from motorcred.entrypoints.cli.mdoc import mdoc_app
    from motorcred.entrypoints.cli.pki import pki_app
    from motorcred.entrypoints.cli.verify_code import verify_code_command

    pki_app.command("trust-list")(trust_list_command)
    mdoc_app.command("issue-offline")(issue_offline_command)
    mdoc_app.command("offline-code")(offline_code_command)
    app.command("verify-code")(verify_code_command)
