"""Root of the ``motorcred`` command: each sub-command group lives in its own module."""

from __future__ import annotations

import typer

from motorcred import __version__

app = typer.Typer(
    name="motorcred",
    help="Issue and verify electronic driving licences and vehicle registrations (ISO 18013-5).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"motorcred {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Issue and verify electronic driving licences and vehicle registrations (ISO 18013-5)."""


def _register() -> None:
    # Imported here, not at module top, so `motorcred --version` stays fast and
    # nothing heavier than Typer loads before a command is chosen.
    from motorcred.entrypoints.cli import commands

    commands.register(app)


def run() -> None:
    """Console-script entry point."""
    _register()
    app()
