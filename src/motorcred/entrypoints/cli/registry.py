"""``motorcred registry``: import CSV files, show a person's records, record events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from motorcred.entrypoints.cli.common import console, emit_json, err_console, handle_errors
from motorcred.errors import UsageError
from motorcred.services.registry_csv import KINDS

if TYPE_CHECKING:
    from motorcred.bootstrap import Container
    from motorcred.services.registry import RegistryEntry

registry_app = typer.Typer(
    help="Keep the registry: import CSV files, look records up, record events.",
    no_args_is_help=True,
)


class Kind(StrEnum):
    person = "person"
    licence = "licence"
    vehicle = "vehicle"


JSON_OPTION = typer.Option(False, "--json", help="Print one JSON object instead of text.")
MAX_IMPORT_BYTES = 2 * 1024**3
REJECTIONS_SHOWN = 50


@contextmanager
def container() -> Iterator[Container]:
    """The wired services on the configured database (migrated first)."""
    from motorcred.bootstrap import build_container, upgrade_database
    from motorcred.config import Settings

    settings = Settings()
    settings.check_secure()
    upgrade_database(settings)
    built = build_container(settings)
    try:
        yield built
    finally:
        built.close()


@contextmanager
def progress_bar(description: str, total: int | None, *, quiet: bool) -> Iterator[Progress]:
    """A Rich progress bar on stderr (stdout stays clean for ``--json``)."""
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=quiet,
        transient=False,
    )
    with bar:
        bar.add_task(description, total=total)
        yield bar


def count_rows(path: Path) -> int:
    """Data lines in the file (also proves it is readable UTF-8 before anything is written)."""
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise UsageError("FILE_TOO_LARGE", f"{path} is larger than {MAX_IMPORT_BYTES} bytes")
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = sum(1 for _ in handle)
    except UnicodeDecodeError as exc:
        raise UsageError(
            "IMPORT_ENCODING", f"{path} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from exc
    except OSError as exc:
        raise UsageError("FILE_UNREADABLE", f"cannot read {path}: {exc}") from exc
    return max(lines - 1, 0)


def _columns(kind: str) -> str:
    required, known = KINDS[kind]
    return ", ".join(f"{c}*" if c in required else c for c in known)


IMPORT_HELP = f"""Import a drivers or vehicles CSV file into the registry.

The header line decides the kind of file (UTF-8, comma-separated, any column order).

drivers: {_columns("drivers")}

vehicles: {_columns("vehicles")}

* = required. In a drivers file, a row with a file_number also needs classes,
first_issue_date, valid_from and issuing_authority. Dates are YYYY-MM-DD; an empty
valid_until means long-term; classes are concatenated (C1D); class_dates reads
C1=2010-05-01 D=2015-03-02. A vehicle's owner must already be registered.

Good rows are kept; each rejected row is listed with its line number, code and
reason, and the command then exits 1. Importing the same file again changes nothing.
"""


@registry_app.command("import", help=IMPORT_HELP)
@handle_errors
def import_file(
    file: Annotated[Path, typer.Argument(help="CSV file (UTF-8) with a header line.")],
    as_json: bool = JSON_OPTION,
) -> None:
    total = count_rows(file)
    with container() as wired, progress_bar(f"Importing {file.name}", total, quiet=as_json) as bar:
        task = bar.task_ids[0]
        with file.open(encoding="utf-8-sig", newline="") as handle:
            report = wired.registry_import.import_csv(
                handle, progress=lambda n: bar.advance(task, n)
            )
    if as_json:
        emit_json({"ok": report.rejected_count == 0, "file": str(file)} | report.to_dict())
    else:
        console.print(
            f"[bold]{report.kind}[/]: {report.rows} rows — [green]{report.created} created[/], "
            f"{report.updated} updated, {report.unchanged} unchanged, "
            f"[{'red' if report.rejected_count else 'green'}]{report.rejected_count} rejected[/]"
        )
        if report.rejected:
            table = Table("line", "code", "reason", title="Rejected rows")
            for r in report.rejected[:REJECTIONS_SHOWN]:
                table.add_row(str(r.line), r.code, r.reason)
            console.print(table)
            if report.rejected_count > REJECTIONS_SHOWN:
                console.print(f"… and {report.rejected_count - REJECTIONS_SHOWN} more (--json)")
    if report.rejected_count:
        raise typer.Exit(1)


@registry_app.command("show")
@handle_errors
def show(
    id_number: str | None = typer.Option(None, "--id-number", help="Citizen ID number."),
    licence_number: str | None = typer.Option(None, "--licence-number", help="Licence number."),
    plate: str | None = typer.Option(None, "--plate", help="Plate number, e.g. 京A12345."),
    vin: str | None = typer.Option(None, "--vin", help="Vehicle identification number."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show a person with their licence and vehicles, found by exactly one key."""
    keys = {"id_number": id_number, "licence_number": licence_number, "plate": plate, "vin": vin}
    if sum(1 for v in keys.values() if v) != 1:
        raise UsageError(
            "SEARCH_KEY_REQUIRED",
            "give exactly one of --id-number, --licence-number, --plate, --vin",
        )
    with container() as wired:
        entry = wired.registry.find(**keys)
    if as_json:
        from motorcred.entrypoints.api.registry_models import EntryOut

        emit_json(EntryOut.of(entry).model_dump(mode="json"))
        return
    _print_entry(entry)


def _print_entry(entry: RegistryEntry) -> None:
    from motorcred.domain.codes import LICENCE_STATUS, VEHICLE_STATUS

    p = entry.person.person
    console.print(
        f"[bold]{p.name}[/] {p.id_number} · {p.sex} · born {p.birth_date} · {p.nationality}"
        f"\n  {p.address or '—'} · {p.phone or '—'}  [dim](person {entry.person.id})[/]"
    )
    if entry.licence is None:
        console.print("  no driving licence")
    else:
        lic = entry.licence.licence
        until = lic.valid_until.isoformat() if lic.valid_until else "长期 long-term"
        status = "、".join(LICENCE_STATUS.texts(lic.status))
        console.print(
            f"  licence [cyan]{lic.classes_text}[/] file {lic.file_number} · valid {lic.valid_from}"
            f" – {until} · status {lic.status_text} {status} · {lic.points} points"
            f"\n  {lic.issuing_authority_name}  [dim](licence {entry.licence.id})[/]"
        )
    for stored in entry.vehicles:
        v = stored.vehicle
        status = "、".join(VEHICLE_STATUS.texts(v.status))
        console.print(
            f"  vehicle [cyan]{v.plate}[/] ({v.plate_type}) {v.brand} {v.model} VIN {v.vin} · "
            f"inspection until {v.inspection_valid_until or '—'} · {v.status_text} {status}"
            f"{' · mortgaged' if v.mortgaged else ''}  [dim](vehicle {stored.id})[/]"
        )


def _parse_value(text: str) -> Any:
    """``--set points=3`` gives 3, ``fine_paid=false`` gives False, anything else a string."""
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, bool | int | float) or value is None else text


@registry_app.command("add-event")
@handle_errors
def add_event(
    kind: Annotated[Kind, typer.Argument(help="The kind of record.")],
    record_id: Annotated[int, typer.Argument(help="The record's id (see `registry show`).")],
    event_type: Annotated[str, typer.Argument(help="violation, suspended, renewed, mortgaged…")],
    fields: Annotated[
        list[str] | None,
        typer.Option("--set", help="An event field as name=value (repeatable): --set points=3."),
    ] = None,
    on: str | None = typer.Option(None, "--on", help="Date it happened (default today)."),
    expected_version: int | None = typer.Option(
        None, "--expected-version", help="Refuse if the record changed since this version."
    ),
    idempotency_key: str | None = typer.Option(
        None, "--idempotency-key", help="Makes a retried command record the event only once."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record an event that changes a record: `add-event licence 7 violation --set points=3`."""
    payload: dict[str, Any] = {}
    for item in fields or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise UsageError("EVENT_FIELD_SYNTAX", f"--set {item!r}: write name=value")
        payload[name.strip()] = _parse_value(value.strip())
    try:
        payload["on"] = date.fromisoformat(on).isoformat() if on else None
    except ValueError:
        raise UsageError("DATE_FORMAT", f"--on {on!r} is not a date (YYYY-MM-DD)") from None
    with container() as wired:
        if payload["on"] is None:
            payload["on"] = wired.clock().date().isoformat()
        recorded = wired.registry_events.record(
            kind.value, record_id, event_type, payload, recorded_by="cli",
            expected_version=expected_version, idempotency_key=idempotency_key,
        )  # fmt: skip
    if as_json:
        from motorcred.entrypoints.api.registry_models import RecordedEventOut

        emit_json(RecordedEventOut.of(recorded).model_dump(mode="json"))
        return
    entry = recorded.entry
    console.print(
        f"[green]recorded[/] {entry.event_type} #{entry.seq} on {entry.on} for {kind} {record_id}"
        f" (now version {recorded.record.version})"
        + (" — already recorded earlier with this key" if recorded.replayed else "")
    )


@registry_app.command("history")
@handle_errors
def history(
    kind: Annotated[Kind, typer.Argument(help="The kind of record.")],
    record_id: Annotated[int, typer.Argument(help="The record's id.")],
    as_json: bool = JSON_OPTION,
) -> None:
    """List a record's events, oldest first."""
    with container() as wired:
        entries = wired.registry_events.history(kind.value, record_id)
    if as_json:
        from motorcred.entrypoints.api.registry_models import HistoryEntryOut

        events = [HistoryEntryOut.of(e).model_dump(mode="json") for e in entries]
        emit_json({"record_kind": kind.value, "record_id": record_id, "events": events})
        return
    table = Table("#", "on", "event", "details", "by", title=f"{kind} {record_id}")
    for e in entries:
        details = ", ".join(f"{k}={v}" for k, v in e.payload.items() if k != "on")
        table.add_row(str(e.seq), e.on.isoformat(), e.event_type, details, e.recorded_by)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(registry_app, name="registry")
