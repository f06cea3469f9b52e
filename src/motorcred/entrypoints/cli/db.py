"""``motorcred db``: migrate the configured database up or down, show its revision."""

from __future__ import annotations

import typer

from motorcred.config import Settings
from motorcred.entrypoints.cli.common import console, emit_json, handle_errors

db_app = typer.Typer(
    help="Migrate the database (MOTORCRED_DATABASE_URL; default an SQLite file in the data dir).",
    no_args_is_help=True,
)

JSON_OPTION = typer.Option(False, "--json", help="Print one JSON object instead of text.")


def _redacted_url() -> str:
    from sqlalchemy.engine import make_url

    return make_url(Settings().resolved_database_url).render_as_string(hide_password=True)


@db_app.command("upgrade")
@handle_errors
def upgrade(
    revision: str = typer.Argument("head", help="Target revision (default: the newest)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Apply migrations up to REVISION (creates the SQLite file on first run)."""
    from motorcred.bootstrap import upgrade_database
    settings = Settings()
    upgrade_database(settings, revision)
    current = _current(settings)
    if as_json:
        emit_json({"ok": True, "revision": current})
    else:
        console.print(f"Database at revision [cyan]{current}[/] ({_redacted_url()})")


@db_app.command("downgrade")
@handle_errors
def downgrade(
    revision: str = typer.Argument(
        ..., help="Target revision, '-1' for one step back, or 'base' to drop every table."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Revert migrations down to REVISION. 'base' removes all registry tables and data."""
    from motorcred.adapters.db import migrate
    from motorcred.adapters.db.engine import make_engine
    settings = Settings()
    engine = make_engine(settings.resolved_database_url)
    try:
        migrate.downgrade(engine, revision)
        current = migrate.current_revision(engine)
    finally:
        engine.dispose()
    if as_json:
        emit_json({"ok": True, "revision": current})
    else:
        console.print(f"Database at revision [cyan]{current or 'base'}[/]")


def _current(settings: Settings) -> str | None:
    from motorcred.adapters.db import migrate
    from motorcred.adapters.db.engine import make_engine
    engine = make_engine(settings.resolved_database_url)
    try:
        return migrate.current_revision(engine)
    finally:
        engine.dispose()


@db_app.command("current")
@handle_errors
def current(as_json: bool = JSON_OPTION) -> None:
    """Show the database's revision and the newest one this version knows."""
    from motorcred.adapters.db import migrate
    revision = _current(Settings())
    head = migrate.head_revision()
    if as_json:
        emit_json({"revision": revision, "head": head, "up_to_date": revision == head})
        return
    state = "up to date" if revision == head else "needs `motorcred db upgrade`"
    console.print(f"revision [cyan]{revision or 'none'}[/], newest [cyan]{head}[/] — {state}")


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
