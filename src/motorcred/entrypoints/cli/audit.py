"""``motorcred audit verify``: check the hash chain of the audit log of checks."""

from __future__ import annotations

import typer

from motorcred.entrypoints.cli.common import console, emit_json, handle_errors

audit_app = typer.Typer(help="The audit log of credential checks.", no_args_is_help=True)

JSON_OPTION = typer.Option(False, "--json", help="Print one JSON object instead of text.")


@audit_app.command("verify")
@handle_errors
def verify(as_json: bool = JSON_OPTION) -> None:
    """Walk the log in storage order; exit 1 at the first edited, deleted or reordered entry."""
    from motorcred.entrypoints.cli.registry import container
    from motorcred.services import audit

    with container() as wired:
        report = audit.verify(wired)
    problem = None if report.problem is None else report.problem.to_dict()
    if as_json:
        emit_json(
            {
                "ok": report.valid,
                "checked": report.checked,
                "head": report.head.hex(),
                "problem": problem,
            }
        )
    elif report.problem is None:
        console.print(f"[green]Audit log intact[/]: {report.checked} entries checked")
    else:
        console.print(
            f"[bold red]Audit log tampered[/] [cyan]{report.problem.code}[/]: "
            f"{report.problem.message} (after {report.checked} good entries)"
        )
    if not report.valid:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
