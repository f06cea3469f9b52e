"""``motorcred calendar``: the working-day calendar behind review deadlines."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from motorcred.domain.working_days import WorkingDayCalendar
from motorcred.entrypoints.cli.common import console, emit_json, handle_errors
from motorcred.errors import UsageError

calendar_app = typer.Typer(
    help="Working days, public holidays and make-up working days (调休) used for deadlines.",
    no_args_is_help=True,
)

HolidayFiles = Annotated[
    list[Path] | None,
    typer.Option(
        "--holidays",
        help="Extra schedule file (same JSON layout as the shipped one), layered on top; "
        "repeatable.",
    ),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")]


def _calendar(files: list[Path] | None) -> WorkingDayCalendar:
    from motorcred.adapters.working_day_calendar import load_calendar

    return load_calendar(files or [])


@calendar_app.command("due")
@handle_errors
def due(
    submitted_at: Annotated[
        str, typer.Argument(help="Submission time, RFC 3339 with offset (2026-09-30T18:00+08:00).")
    ],
    working_days: Annotated[
        int, typer.Option("--working-days", min=1, max=30, help="Working days allowed.")
    ] = 1,
    holidays: HolidayFiles = None,
    as_json: JsonFlag = False,
) -> None:
    """When a review submitted at SUBMITTED_AT is due: end of the next working day."""
    try:
        moment = datetime.fromisoformat(submitted_at)
    except ValueError as exc:
        raise UsageError("TIME_INVALID", f"{submitted_at!r} is not an RFC 3339 time") from exc
    calendar = _calendar(holidays)
    deadline = calendar.review_due(moment, working_days)
    if as_json:
        emit_json(
            {
                "ok": True,
                "submitted_at": moment.isoformat(),
                "due": deadline.isoformat(timespec="seconds"),
                "working_days": working_days,
                "covered_years": sorted(calendar.covered_years),
            }
        )
    else:
        console.print(f"due by [bold]{deadline:%Y-%m-%d %H:%M:%S} (Asia/Shanghai)[/]")


@calendar_app.command("show")
@handle_errors
def show(
    year: Annotated[int, typer.Argument(min=1900, max=2999, help="Year to list.")],
    holidays: HolidayFiles = None,
    as_json: JsonFlag = False,
) -> None:
    """List YEAR's public holidays and make-up working days."""
    calendar = _calendar(holidays)
    if year not in calendar.covered_years:
        raise UsageError(
            "WORKING_DAY_CALENDAR_NOT_COVERED",
            f"no schedule for {year}; covered: {sorted(calendar.covered_years)}",
        )
    days_off = sorted((d, n) for d, n in calendar.holidays.items() if d.year == year)
    make_up = sorted((d, n) for d, n in calendar.make_up_working_days.items() if d.year == year)
    if as_json:
        emit_json(
            {
                "ok": True,
                "year": year,
                "holidays": [{"date": d.isoformat(), "name": n} for d, n in days_off],
                "make_up_working_days": [{"date": d.isoformat(), "for": n} for d, n in make_up],
            }
        )
        return
    table = Table(title=f"{year}: holidays and make-up working days")
    table.add_column("date")
    table.add_column("weekday")
    table.add_column("kind")
    table.add_column("name")
    rows: list[tuple[date, str, str]] = [(d, "holiday", n) for d, n in days_off]
    rows += [(d, "working day (调休)", n) for d, n in make_up]
    for d, kind, name in sorted(rows):
        table.add_row(d.isoformat(), f"{d:%a}", kind, name)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(calendar_app, name="calendar")
