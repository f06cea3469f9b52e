"""Alembic environment, driven programmatically by :mod:`motorcred.adapters.db.migrate`.

No ``alembic.ini`` is needed at run time: the caller passes an open connection
in ``config.attributes["connection"]``, so the engine (SQLite pragmas, the
PostgreSQL ``search_path`` from the URL options) is exactly the application's.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from motorcred.adapters.db.tables import metadata

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError("motorcred migrations run through motorcred.adapters.db.migrate")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things in place; batch mode rebuilds tables.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise RuntimeError("offline (SQL script) migrations are not supported")
run_migrations_online()
