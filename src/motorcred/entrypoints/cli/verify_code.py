"""``motorcred verify-code``: check an ``MC1:`` offline code with no network.

What the verifier needs was synced beforehand: the signed trust list file
(``motorcred pki trust-list``) and, optionally, a directory of cached Status
List Tokens. The code comes as text, from stdin (``-``) or as a photo or
screenshot of the QR code (``--image``, read with zxing-cpp).

Exit codes (DESIGN.md): 0 valid, 1 invalid (every failure listed with its code),
2 usage error — including a trust list file that is unreadable, tampered with or
signed by an untrusted key, since that is the verifier's own configuration.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Final

import typer
from rich.table import Table

from motorcred.entrypoints.cli.common import console, emit_json, handle_errors
from motorcred.entrypoints.cli.mdoc_inputs import usage
from motorcred.entrypoints.cli.offline_code import load_certificate_files
from motorcred.entrypoints.cli.pki import parse_time, read_file
from motorcred.errors import MotorcredError, UsageError
from motorcred.formats.offline_presentation import (
    DEFAULT_MAX_AGE,
    OfflineResult,
    StatusCache,
    verify_offline_code,
)
from motorcred.formats.offline_presentation.verify import Finding
from motorcred.formats.trust_list import MAX_TRUST_LIST_BYTES, TrustList, load_trust_list

MAX_CACHE_FILES: Final = 4096
MAX_TOKEN_FILE: Final = 16 * 1024 * 1024
MAX_CODE_TEXT: Final = 8 * 1024


def _code_text(code: str | None, image: Path | None) -> str:
    if (code is None) == (image is None):
        raise UsageError("CODE_MISSING", "give the code text (or - for stdin) or --image, not both")
    if image is not None:
        from motorcred.adapters.codes.read import read_code

        return read_code(read_file(image, "--image", limit=32 * 1024 * 1024))
    assert code is not None
    text = sys.stdin.read(MAX_CODE_TEXT + 1) if code == "-" else code
    if len(text) > MAX_CODE_TEXT:
        raise UsageError("CODE_TOO_LARGE", f"a code is at most {MAX_CODE_TEXT} characters")
    return text


def _trust_list(path: Path, anchors: list[Path]) -> TrustList:
    pinned = load_certificate_files(anchors, "--trust-anchor")
    data = read_file(path, "--trust-list", limit=MAX_TRUST_LIST_BYTES)
    try:
        return load_trust_list(data, anchors=pinned)
    except MotorcredError as exc:
        raise usage("--trust-list", path, exc) from None


def _status_cache(
    directory: Path | None, trust_list: TrustList, now: datetime
) -> tuple[StatusCache | None, list[dict[str, str]]]:
    if directory is None:
        return None, []
    if not directory.is_dir():
        raise UsageError(
            "STATUS_CACHE_UNREADABLE", f"--status-cache {directory} is not a directory"
        )
    files = sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))
    if len(files) > MAX_CACHE_FILES:
        raise UsageError(
            "STATUS_CACHE_UNREADABLE", f"--status-cache holds more than {MAX_CACHE_FILES} files"
        )
    named = {path.name: read_file(path, "status list", limit=MAX_TOKEN_FILE) for path in files}
    cache, problems = StatusCache.load_named(named, trust_list=trust_list, now=now)
    rejected = [{"file": name, **error.to_dict()} for name, error in problems.items()]
    return cache, rejected


@handle_errors
def verify_code_command(
    code: Annotated[
        str | None,
        typer.Argument(metavar="CODE", help="The MC1: text, or - to read it from stdin."),
    ] = None,
    trust_list: Annotated[
        Path | None,
        typer.Option("--trust-list", help="Signed trust list file (motorcred pki trust-list)."),
    ] = None,
    trust_anchor: Annotated[
        list[Path] | None,
        typer.Option(
            "--trust-anchor",
            help="Accept only a trust list signed by this certificate or one it issued "
            "(repeatable).",
        ),
    ] = None,
    status_cache: Annotated[
        Path | None,
        typer.Option("--status-cache", help="Directory of cached Status List Tokens (CWT)."),
    ] = None,
    image: Annotated[
        Path | None, typer.Option("--image", help="Photo or screenshot of the QR code.")
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="Verify as of this RFC 3339 time (default now).")
    ] = None,
    max_age: Annotated[
        int,
        typer.Option("--max-age", min=1, help="Seconds a code stays acceptable after it is made."),
    ] = int(DEFAULT_MAX_AGE.total_seconds()),
    require_fresh_status: Annotated[
        bool,
        typer.Option(
            "--require-fresh-status", help="Fail (not just warn) when the status list is stale."
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Verify an MC1: offline code against a trust list and cached status lists."""
    if trust_list is None:
        raise UsageError("TRUST_LIST_REQUIRED", "give --trust-list FILE")
    now = parse_time(at, "--at") or datetime.now(UTC)
    text = _code_text(code, image)
    listed = _trust_list(trust_list, list(trust_anchor or []))
    cache, rejected = _status_cache(status_cache, listed, now)
    result = verify_offline_code(
        text,
        listed,
        cache,
        now,
        max_age=timedelta(seconds=max_age),
        require_fresh_status=require_fresh_status,
    )
    out = result.to_json()
    out["trust_list"] = {
        "issuer": listed.issuer,
        "seq": listed.seq,
        "next_update": listed.next_update.isoformat(),
        "pinned": listed.pinned,
    }
    out["status_cache"] = {"lists": len(cache) if cache else 0, "rejected": rejected}
    if as_json:
        emit_json(out)
    else:
        _print(result, out)
    if not result.valid:
        raise typer.Exit(1)


def _print(result: OfflineResult, out: dict[str, Any]) -> None:
    verdict = "[bold green]VALID[/]" if result.valid else "[bold red]INVALID[/]"
    console.print(f"{verdict} {result.doctype or 'offline code'}")
    if result.issuer_subject:
        console.print(f"  signed by {result.issuer_subject} (kid {out['issuer']['kid']})")
    if result.presented_at:
        console.print(f"  shown at {out['presented_at']} ({result.age_seconds} s ago)")
    stale = " [yellow](stale list)[/]" if result.status_stale else ""
    console.print(f"  status {result.status}{stale}, device signature {result.device_auth}")
    if result.elements:
        table = Table(show_header=True, header_style="bold")
        table.add_column("namespace", style="dim")
        table.add_column("element")
        table.add_column("value")
        for ns, values in out["elements"].items():
            for ident, value in values.items():
                table.add_row(ns, ident, str(value))
        console.print(table)
    _findings("red", "error", result.failures)
    _findings("yellow", "warning", result.warnings)


def _findings(colour: str, label: str, findings: list[Finding]) -> None:
    for finding in findings:
        console.print(f"[{colour}]{label}[/] [cyan]{finding.code}[/]: {finding.message}")
