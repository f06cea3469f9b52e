"""``motorcred review``: the photo review queue from the command line."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from motorcred.entrypoints.cli.common import console, emit_json, handle_errors

review_app = typer.Typer(
    help="The staff photo review queue (e-DL applications).", no_args_is_help=True
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")]


@review_app.command("overdue")
@handle_errors
def overdue(
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=500, help="Oldest items listed.")
    ] = 10,
    as_json: JsonFlag = False,
) -> None:
    """Reviews past their SLA (end of the next working day): counts and the oldest items."""
    from motorcred.entrypoints.cli.registry import container
    from motorcred.services.edl_wiring import photo_review_service

    with container() as built:
        report = photo_review_service(built).overdue(limit=limit)
    if as_json:
        emit_json({"ok": True, **report.to_dict()})
        return
    console.print(
        f"waiting [bold]{report.waiting}[/] · claimed {report.claimed} · "
        f"overdue [bold {'red' if report.overdue else 'green'}]{report.overdue}[/]"
    )
    if report.oldest_due_at is not None:
        console.print(f"oldest due {report.oldest_due_at:%Y-%m-%d %H:%M} UTC")
    if report.oldest_overdue:
        table = Table("application", "due (UTC)", "submitted (UTC)", "claimed by")
        for item in report.oldest_overdue:
            table.add_row(
                str(item["application_id"]),
                str(item["due_at"])[:16],
                str(item["submitted_at"])[:16],
                item["claimed_by"] or "—",
            )
        console.print(table)


@review_app.command("generate-pending")
@handle_errors
def generate_pending_command(
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="Most handled.")] = 100,
    as_json: JsonFlag = False,
) -> None:
    """Issue the e-licences of approved applications whose generation did not finish."""
    from motorcred.entrypoints.cli.registry import container
    from motorcred.services.edl_generation import IssuanceGenerator, generate_pending

    with container() as built:
        handed = generate_pending(built, IssuanceGenerator(built), limit=limit)
    if as_json:
        emit_json({"ok": True, "handed_to_generation": handed})
    else:
        console.print(f"handed [bold]{handed}[/] approved application(s) to generation")


def register(app: typer.Typer) -> None:
    app.add_typer(review_app, name="review")
