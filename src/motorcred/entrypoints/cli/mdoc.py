"""``motorcred mdoc``: issue, present and verify ISO/IEC 18013-5 mdocs from files.

The three commands follow a credential's life:

* ``issue`` signs the data elements of a JSON file into an mdoc with a
  document-signer key and writes it as a DeviceResponse (no device signature yet);
* ``present`` is the holder's side: it discloses chosen elements and signs
  DeviceAuthentication over a SessionTranscript with the device key;
* ``verify`` is the reader's side: every ISO 18013-5 check against the given
  trust anchors, at ``--at`` or now.

Options and the ``--json`` shapes are a stable interface (DESIGN.md).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer
from cryptography.hazmat.primitives.asymmetric import ec

from motorcred.entrypoints.cli import mdoc_render
from motorcred.entrypoints.cli.common import console, emit_json, handle_errors
from motorcred.entrypoints.cli.mdoc_inputs import (
    load_elements,
    load_issued,
    load_issuer,
    load_public_key,
    load_reader_key,
    load_session_transcript,
    load_signing_key,
    load_status_lists,
    load_trust,
)
from motorcred.entrypoints.cli.pki import (
    parse_time,
    private_key_pem,
    read_file,
    write_file,
)
from motorcred.errors import InvalidInput, UsageError
from motorcred.formats.cose import LocalSigner, cose_key_from_public
from motorcred.formats.mdoc import DeviceResponse, Document, IssuedDocument, issue, present
from motorcred.formats.mdoc.verifier import verify_presentation
from motorcred.formats.x509 import certificate_from_der, issuer_country

mdoc_app = typer.Typer(
    name="mdoc",
    help="Issue, present and verify ISO/IEC 18013-5 mdocs (mDL, mVRC).",
    no_args_is_help=True,
)

DEFAULT_VALIDITY = timedelta(days=365)
_JSON_HELP = "Print one JSON object."
_FORCE_HELP = "Overwrite existing output files."


def _iso(value: datetime) -> str:
    return value.isoformat()


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _device_key_path(output: Path) -> Path:
    return output.with_name(output.stem + ".device-key.pem")


def _status(uri: str | None, idx: int | None) -> dict[str, Any] | None:
    if uri is None and idx is None:
        return None
    if uri is None or idx is None:
        raise UsageError("MDOC_STATUS_INVALID", "give --status-uri and --status-idx together")
    return {"status_list": {"idx": idx, "uri": uri}}


# ------------------------------------------------------------------ issue


@handle_errors
def issue_command(
    doctype: Annotated[str, typer.Option("--doctype", help="docType, e.g. org.iso.18013.5.1.mDL.")],
    elements: Annotated[
        Path,
        typer.Option(
            "--elements",
            help='JSON {namespace: {element: value}}; dates "YYYY-MM-DD", bytes '
            '{"hex": …}, {"base64": …} or {"file": path}.',
        ),
    ],
    key: Annotated[Path, typer.Option("--key", help="Document-signer private key (PEM).")],
    cert: Annotated[
        Path, typer.Option("--cert", help="Document-signer certificate (PEM/DER; PEM chain ok).")
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the mdoc.")],
    device_key: Annotated[
        Path | None,
        typer.Option(
            "--device-key",
            help="Holder's device public key (PEM). Default: a new P-256 key is written "
            "next to the output as OUT.device-key.pem.",
        ),
    ] = None,
    valid_from: Annotated[
        str | None,
        typer.Option(
            "--valid-from",
            help="Start of validity, RFC 3339 (default now). An earlier start is also the "
            "signing time, as ISO 18013-5 needs signed ≤ validFrom.",
        ),
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
    """Sign data elements into an mdoc and write it as a DeviceResponse."""
    namespaces = load_elements(elements)
    material = load_issuer(key, cert)
    now = _now()
    start = parse_time(valid_from, "--valid-from") or now
    end = parse_time(valid_until, "--valid-until") or start + DEFAULT_VALIDITY
    signed = min(now, start)
    leaf = material.leaf
    if not leaf.not_valid_before_utc <= signed <= leaf.not_valid_after_utc:
        raise UsageError(
            "MDOC_SIGNED_OUTSIDE_CERT_VALIDITY",
            f"--cert {cert} is valid {_iso(leaf.not_valid_before_utc)} .. "
            f"{_iso(leaf.not_valid_after_utc)}; it cannot sign at {_iso(signed)}"
            + (" (a --valid-from in the past is also the signing time)" if signed < now else ""),
        )
    country = issuer_country(leaf)
    for ns_elements in namespaces.values():
        stated = ns_elements.get("issuing_country")
        if stated is not None and stated != country:
            raise UsageError(
                "MDOC_COUNTRY_MISMATCH",
                f"issuing_country {stated!r} differs from the DS certificate's issuer "
                f"country {country!r}; readers would refuse the credential",
            )
    new_device_key: ec.EllipticCurvePrivateKey | None = None
    key_path = _device_key_path(output)
    if device_key is not None:
        holder_key = load_public_key(device_key, "--device-key")
    else:
        new_device_key = ec.generate_private_key(ec.SECP256R1())
        holder_key = new_device_key.public_key()
    for path in (output, *([key_path] if new_device_key else [])):
        if path.exists() and not force:
            raise UsageError("FILE_EXISTS", f"{path} exists; pass --force to overwrite it")
        if not path.parent.is_dir():
            raise UsageError("FILE_UNWRITABLE", f"cannot write {path}: no directory {path.parent}")
    try:
        issued = issue(
            doctype=doctype,
            namespaces=namespaces,
            device_key=holder_key,
            signed=signed,
            valid_from=start,
            valid_until=end,
            status=_status(status_uri, status_idx),
            cert_chain=material.chain_der,
            signer=material.signer,
            random=os.urandom,
        )
    except InvalidInput as exc:
        raise UsageError(exc.code, exc.message, details=exc.details) from None
    data = DeviceResponse([Document(doctype, issued)]).encode()
    if new_device_key is not None:
        write_file(key_path, private_key_pem(new_device_key), private=True, force=force)
    write_file(output, data, force=force)
    _report_issue(issued, output, len(data), key_path if new_device_key else None, as_json)


def _report_issue(
    issued: IssuedDocument, output: Path, size: int, key_path: Path | None, as_json: bool
) -> None:
    validity = issued.mso.validity
    leaf_subject, serial = _signer_of(issued)
    times = {
        "signed": _iso(validity.signed),
        "validFrom": _iso(validity.valid_from),
        "validUntil": _iso(validity.valid_until),
    }
    info: dict[str, Any] = {
        "ok": True,
        "output": str(output),
        "bytes": size,
        "doctype": issued.doctype,
        "issuer": {"subject": leaf_subject, "serial": serial},
        "validity": times,
        "elements": {ns: [i.identifier for i in items] for ns, items in issued.namespaces.items()},
        "device_key_file": str(key_path) if key_path else None,
    }
    if as_json:
        emit_json(info)
        return
    count = sum(len(items) for items in issued.namespaces.values())
    console.print(f"[green]wrote[/] {output} ({size:,} bytes): {issued.doctype}")
    console.print(
        f"  {count} elements in {len(issued.namespaces)} namespace(s), signed by {leaf_subject}"
    )
    console.print(f"  valid {times['validFrom']} .. {times['validUntil']}")
    if key_path:
        console.print(f"  new device key {key_path} (mode 0600) — the holder presents with it")


def _signer_of(issued: IssuedDocument) -> tuple[str, str]:
    leaf = certificate_from_der(issued.issuer_auth.x5chain[0])
    return leaf.subject.rfc4514_string(), format(leaf.serial_number, "x")


# ------------------------------------------------------------------ present


def _selection(issued: IssuedDocument, disclose: list[str]) -> dict[str, list[str]] | None:
    if not disclose:
        return None
    wanted: dict[str, list[str]] = {}
    for entry in disclose:
        namespace, _, identifier = entry.rpartition("/")
        if not namespace or not identifier:
            raise UsageError(
                "MDOC_DISCLOSE_INVALID", f"--disclose {entry!r}: write NAMESPACE/ELEMENT"
            )
        if issued.item(namespace, identifier) is None:
            held = ", ".join(
                f"{ns}/{item.identifier}"
                for ns, items in issued.namespaces.items()
                for item in items
            )
            raise UsageError(
                "MDOC_DISCLOSE_UNKNOWN",
                f"--disclose {entry!r}: the credential holds no such element (it holds {held})",
            )
        wanted.setdefault(namespace, []).append(identifier)
    return wanted


@handle_errors
def present_command(
    issued_file: Annotated[
        Path,
        typer.Argument(
            metavar="ISSUED", help="The issued mdoc (DeviceResponse, Document or IssuerSigned)."
        ),
    ],
    device_key: Annotated[
        Path, typer.Option("--device-key", help="The holder's device private key (PEM).")
    ],
    session_transcript: Annotated[
        Path,
        typer.Option("--session-transcript", help="SessionTranscriptBytes (CBOR, tag-24 wrapped)."),
    ],
    output: Annotated[Path, typer.Option("-o", "--output", help="Where to write the response.")],
    disclose: Annotated[
        list[str] | None,
        typer.Option("--disclose", help="NAMESPACE/ELEMENT to disclose (repeatable; default all)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=_FORCE_HELP)] = False,
    as_json: Annotated[bool, typer.Option("--json", help=_JSON_HELP)] = False,
) -> None:
    """Disclose chosen elements with a deviceSignature over DeviceAuthentication."""
    issued = load_issued(issued_file)
    transcript = load_session_transcript(session_transcript)
    private = load_signing_key(device_key, "--device-key")
    if cose_key_from_public(private.public_key()) != cose_key_from_public(issued.mso.device_key):
        raise UsageError(
            "MDOC_DEVICE_KEY_MISMATCH",
            f"--device-key {device_key} is not the device key bound into this credential",
        )
    selection = _selection(issued, list(disclose or []))
    if output.exists() and not force:
        raise UsageError("FILE_EXISTS", f"{output} exists; pass --force to overwrite it")
    document = present(
        issued, device_signer=LocalSigner(private), session_transcript=transcript, request=selection
    )
    data = DeviceResponse([document]).encode()
    write_file(output, data, force=force)
    disclosed = {
        ns: [item.identifier for item in items]
        for ns, items in document.issuer_signed.namespaces.items()
    }
    if as_json:
        emit_json(
            {
                "ok": True,
                "output": str(output),
                "bytes": len(data),
                "doctype": issued.doctype,
                "disclosed": disclosed,
                "device_auth": "deviceSignature",
            }
        )
        return
    count = sum(len(ids) for ids in disclosed.values())
    console.print(f"[green]wrote[/] {output} ({len(data):,} bytes): {issued.doctype}")
    console.print(f"  discloses {count} element(s), device-signed for this session:")
    for ns, ids in disclosed.items():
        console.print(f"  [dim]{ns}[/] {', '.join(ids)}")


# ------------------------------------------------------------------ verify


@handle_errors
def verify_command(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="CBOR DeviceResponse, Document or IssuerSigned to verify."
        ),
    ],
    trust: Annotated[
        list[Path],
        typer.Option(
            "--trust", help="Trust anchor: IACA or DS certificate, PEM or DER (repeatable)."
        ),
    ],
    at: Annotated[
        str | None, typer.Option("--at", help="Verify as of this RFC 3339 time (default now).")
    ] = None,
    session_transcript: Annotated[
        Path | None,
        typer.Option(
            "--session-transcript",
            help="SessionTranscriptBytes (tag-24 wrapped); turns on device authentication.",
        ),
    ] = None,
    reader_key: Annotated[
        Path | None,
        typer.Option(
            "--reader-key",
            help='Reader ephemeral private key for a deviceMac: PEM, or JSON {"x","y","d"} hex.',
        ),
    ] = None,
    status_list: Annotated[
        list[Path] | None,
        typer.Option(
            "--status-list",
            help="Status List Token (CWT) to check revocation against (repeatable); its "
            "certificate must chain to a --trust anchor.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help=_JSON_HELP)] = False,
) -> None:
    """Run every ISO 18013-5 check; exit 0 when valid, 1 when not."""
    store = load_trust(trust)
    now = parse_time(at, "--at") or datetime.now(UTC)
    if reader_key is not None and session_transcript is None:
        raise UsageError(
            "MDOC_SESSION_TRANSCRIPT_REQUIRED",
            "--reader-key checks a deviceMac, which needs --session-transcript",
        )
    transcript = load_session_transcript(session_transcript) if session_transcript else None
    reader = load_reader_key(reader_key) if reader_key else None
    statuses = load_status_lists(status_list, store, now) if status_list else None
    data = read_file(file, "credential", limit=8 * 1024 * 1024)
    report = verify_presentation(
        data,
        trust=store,
        now=now,
        session_transcript_bytes=transcript,
        reader_private_key=reader,
        status=statuses,
    )
    if as_json:
        emit_json(report.to_json())
    else:
        mdoc_render.verification(console, report)
    if not report.valid:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    mdoc_app.command("issue")(issue_command)
    mdoc_app.command("present")(present_command)
    mdoc_app.command("verify")(verify_command)
    app.add_typer(mdoc_app, name="mdoc")
