"""``motorcred notify``: deliver the notification outbox (binding codes, reminders)."""

from __future__ import annotations

import typer

from motorcred.config import Settings
from motorcred.entrypoints.cli.common import console, emit_json, handle_errors

notify_app = typer.Typer(
    help="Deliver queued notifications through the configured notifier (MOTORCRED_NOTIFIER).",
    no_args_is_help=True,
)


@notify_app.command("dispatch")
@handle_errors
def dispatch(
    limit: int = typer.Option(100, "--limit", min=1, max=500, help="Most messages to send."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of text."),
) -> None:
    """Send the messages that are due; failures are retried later with back-off."""
    from motorcred.bootstrap import build_container
    from motorcred.services.notifications import dispatch_outbox

    container = build_container(Settings())
    try:
        report = dispatch_outbox(container, limit=limit)
    finally:
        container.close()
    if as_json:
        emit_json(
            {"ok": True, "sent": report.sent, "retrying": report.retrying, "failed": report.failed}
        )
    else:
        console.print(
            f"sent [green]{report.sent}[/], will retry [yellow]{report.retrying}[/], "
            f"gave up [red]{report.failed}[/]"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(notify_app, name="notify")
