"""Run Alembic migrations from code (``motorcred db upgrade``, ``motorcred serve``).

The scripts live inside the package (``adapters/db/migrations``), and the
Alembic configuration is built here, so an installed wheel can migrate its
database without an ``alembic.ini`` or a source checkout.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine

from motorcred.errors import InvalidInput

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS_DIR.as_posix())
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def _known_revision(revision: str) -> None:
    if revision in ("head", "base") or revision.startswith(("+", "-")):
        return
    script = ScriptDirectory.from_config(_config())
    unknown = InvalidInput("DB_REVISION_UNKNOWN", f"unknown migration revision {revision!r}")
    try:
        found = script.get_revision(revision)
    except CommandError as exc:
        raise unknown from exc
    if found is None:
        raise unknown


def _run(engine: Engine, action: str, revision: str) -> None:
    _known_revision(revision)
    cfg = _config()
    with engine.connect() as connection:
        cfg.attributes["connection"] = connection
        try:
            if action == "upgrade":
                command.upgrade(cfg, revision)
            else:
                command.downgrade(cfg, revision)
        except CommandError as exc:
            raise InvalidInput("DB_MIGRATION_FAILED", f"{action} to {revision!r}: {exc}") from exc
        connection.commit()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate forward to ``revision`` (default: the newest)."""
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate back to ``revision`` (``base`` removes every table)."""
    _run(engine, "downgrade", revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, ``None`` when it was never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
