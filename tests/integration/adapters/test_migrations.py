"""Migrations up and down on the database under test; migrated schema == table metadata."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from motorcred.adapters.db import migrate
from motorcred.adapters.db.engine import make_engine
from motorcred.adapters.db.tables import metadata
from motorcred.errors import InvalidInput

TABLES = {
    "persons", "licences", "licence_classes", "vehicles", "registry_events", "cities",
    "idempotency_keys",
}


def test_upgrade_downgrade_upgrade(fresh_database_url: str) -> None:
    engine = make_engine(fresh_database_url)
    try:
        assert migrate.current_revision(engine) is None
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        assert set(inspect(engine).get_table_names()) >= TABLES

        migrate.downgrade(engine, "base")
        assert migrate.current_revision(engine) is None
        assert not TABLES & set(inspect(engine).get_table_names())

        migrate.upgrade(engine)
        migrate.upgrade(engine)  # idempotent at head
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def test_migrated_schema_matches_metadata(fresh_database_url: str) -> None:
    engine = make_engine(fresh_database_url)
    try:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_unknown_revision_is_refused(fresh_database_url: str) -> None:
    engine = make_engine(fresh_database_url)
    try:
        with pytest.raises(InvalidInput) as info:
            migrate.downgrade(engine, "nope")
        assert info.value.code == "DB_REVISION_UNKNOWN"
    finally:
        engine.dispose()
