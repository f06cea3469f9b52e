"""Human-readable output of ``motorcred mdoc`` (the ``--json`` forms are built in ``mdoc``)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from motorcred.formats.mdoc.verifier import DocumentResult, VerificationReport
from motorcred.formats.mdoc.verify_parse import json_value

_SHORT = 60


def short_value(value: Any) -> str:
    """One table cell: bytes by size (and kind), dates in ISO form, structures as compact JSON."""
    if isinstance(value, bytes):
        kind = "JPEG, " if value.startswith(b"\xff\xd8") else ""
        return f"<{kind}{len(value):,} bytes>"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return str(value)
    text = json.dumps(json_value(value), ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= 4 * _SHORT else text[: 4 * _SHORT] + "…"


def elements_table(title: str, namespaces: dict[str, dict[str, Any]]) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    table.add_column("namespace", style="dim")
    table.add_column("element", style="cyan")
    table.add_column("value", overflow="fold")
    for namespace, elements in namespaces.items():
        for identifier, value in elements.items():
            table.add_row(namespace, identifier, short_value(value))
    return table


def _when(value: datetime | None) -> str:
    return value.isoformat().replace("+00:00", "Z") if value else "?"


def _document(console: Console, number: int, doc: DocumentResult) -> None:
    mark = "[bold green]✓ valid[/]" if doc.valid else "[bold red]✗ invalid[/]"
    console.print(f"\n[bold]Document {number}[/] {doc.doctype or '(unknown docType)'} — {mark}")
    rows = Table.grid(padding=(0, 2))
    rows.add_column(style="dim")
    rows.add_column()
    rows.add_row("issuer", doc.issuer_subject or "(not established)")
    if doc.issuer_serial:
        rows.add_row("DS serial", doc.issuer_serial)
    rows.add_row("signed", _when(doc.signed))
    rows.add_row("valid", f"{_when(doc.valid_from)} .. {_when(doc.valid_until)}")
    device = {"ok": "[green]ok[/]", "failed": "[red]failed[/]"}.get(
        doc.device_auth, "[yellow]not checked[/] (no --session-transcript)"
    )
    rows.add_row("device auth", device)
    rows.add_row("status", doc.status if doc.status != "unknown" else "unknown (not checked)")
    console.print(rows)
    if doc.elements:
        console.print(elements_table("verified elements", doc.elements))
    else:
        console.print("[dim]no element passed its digest check[/]")


def verification(console: Console, report: VerificationReport) -> None:
    if report.valid:
        console.print(Text("VALID", style="bold white on green"), "every check passed")
    else:
        console.print(Text("INVALID", style="bold white on red"), "see the failures below")
    for number, doc in enumerate(report.documents, 1):
        _document(console, number, doc)
    errors = report.errors
    if errors:
        console.print()
        table = Table(title="failures", title_justify="left")
        table.add_column("code", style="red")
        table.add_column("message", overflow="fold")
        for failure in errors:
            table.add_row(failure.code, failure.message)
        console.print(table)
