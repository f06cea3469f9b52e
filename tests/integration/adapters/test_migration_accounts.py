"""Migration 0002 (holder accounts) goes up from 0001 and back down to it on both databases."""

from __future__ import annotations

from sqlalchemy import inspect

from motorcred.adapters.db import migrate
from motorcred.adapters.db.engine import make_engine

ACCOUNT_TABLES = {
    "accounts",
    "account_sessions",
    "binding_challenges",
    "devices",
    "device_nonces",
    "notification_outbox",
}


def test_accounts_migration_up_and_down(fresh_database_url: str) -> None:
    engine = make_engine(fresh_database_url)
    try:
        migrate.upgrade(engine, "0001_registry")
        assert not ACCOUNT_TABLES & set(inspect(engine).get_table_names())

        migrate.upgrade(engine, "0002_accounts")
        assert migrate.current_revision(engine) == "0002_accounts"
        tables = set(inspect(engine).get_table_names())
        assert tables >= ACCOUNT_TABLES
        assert "persons" in tables

        migrate.downgrade(engine, "0001_registry")
        assert migrate.current_revision(engine) == "0001_registry"
        tables = set(inspect(engine).get_table_names())
        assert not ACCOUNT_TABLES & tables
        assert "persons" in tables  # the registry is untouched

        migrate.upgrade(engine, "0002_accounts")
        assert set(inspect(engine).get_table_names()) >= ACCOUNT_TABLES
    finally:
        engine.dispose()
