"""``motorcred status-lists``: export the signed status lists as files.

``publish --out DIR`` writes every list's current Status List Token to
``DIR/<list id>.cwt`` — what a CDN serves as static files, and what a police
terminal's offline cache (``motorcred verify-code --status-cache DIR``) reads.
Files are replaced atomically, so a reader never sees half a token.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from motorcred.config import Settings
from motorcred.entrypoints.cli.common import console, emit_json, handle_errors
from motorcred.errors import UsageError

status_lists_app = typer.Typer(
    help="Signed status lists (valid / revoked / suspended) of issued credentials.",
    no_args_is_help=True,
)


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


@status_lists_app.command("publish")
@handle_errors
def publish(
    out: Annotated[
        Path, typer.Option("--out", help="Directory to write <list id>.cwt files into.")
    ],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of text.")
    ] = False,
) -> None:
    """Sign (or reuse the cached signature of) every status list and write them to --out."""
    from motorcred.bootstrap import build_container

    if out.exists() and not out.is_dir():
        raise UsageError("STATUS_LIST_OUT_INVALID", f"--out {out} is not a directory")
    container = build_container(Settings())
    try:
        published = container.status_lists.publish_all()
    finally:
        container.close()
    out.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    for item in published:
        path = out / f"{item.list_id}.cwt"
        try:
            _write_atomically(path, item.token)
        except OSError as exc:
            raise UsageError("STATUS_LIST_OUT_INVALID", f"cannot write {path}: {exc}") from None
        rows.append(
            {
                "id": item.list_id,
                "file": str(path),
                "bytes": len(item.token),
                "version": item.version,
                "etag": item.etag,
                "issued_at": item.issued_at.isoformat(),
                "expires_at": item.expires_at.isoformat(),
            }
        )
    if as_json:
        emit_json({"ok": True, "lists": rows})
        return
    table = Table("list", "file", "bytes", "version", "expires")
    for row in rows:
        table.add_row(*(str(row[key]) for key in ("id", "file", "bytes", "version", "expires_at")))
    console.print(table if rows else "no status lists yet (nothing has been issued)")


def register(app: typer.Typer) -> None:
    app.add_typer(status_lists_app, name="status-lists")
