"""Engines for the two supported databases: SQLite (embedded default) and PostgreSQL.

SQLite gets the pragmas a multi-threaded web server needs: WAL (readers don't
block the writer), enforced foreign keys (off by default in SQLite) and a busy
timeout so that concurrent writers wait instead of failing at once. PostgreSQL
always goes through psycopg 3; plain ``postgresql://`` URLs are rewritten to
``postgresql+psycopg://`` so operators can paste the URL their provider gives.
Query options in the URL (``options=-csearch_path=…``) are passed through to the
driver, which is how tests and multi-tenant deployments select a schema.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from motorcred.errors import ConfigurationError

SQLITE_BUSY_TIMEOUT_MS = 15_000


def normalise_url(url: str) -> URL:
    """Parse ``url`` and pin the driver: psycopg 3 for PostgreSQL, pysqlite for SQLite."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(
            "CONFIG_DATABASE_URL", f"cannot parse the database URL: {exc}"
        ) from exc
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed
    if backend == "sqlite":
        return parsed
    raise ConfigurationError(
        "CONFIG_DATABASE_URL",
        f"unsupported database {backend!r}: use sqlite:///PATH or postgresql://…",
    )


def is_sqlite(url: URL | str) -> bool:
    parsed = url if isinstance(url, URL) else make_url(url)
    return parsed.get_backend_name() == "sqlite"


def sqlite_path(url: URL | str) -> Path | None:
    """The database file of an SQLite URL (``None`` for in-memory or non-SQLite)."""
    parsed = url if isinstance(url, URL) else make_url(url)
    if not is_sqlite(parsed) or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    assert isinstance(dbapi_connection, sqlite3.Connection)
    # Take transaction control away from pysqlite: its implicit BEGIN is
    # deferred and would also wrap these pragmas (journal_mode cannot change
    # inside a transaction). SQLAlchemy's "begin" event emits our own BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # BEGIN IMMEDIATE takes the write lock up front, so two writers serialise on
    # the busy timeout instead of one failing later with "database is locked"
    # when it upgrades a read transaction.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine for ``url`` (SQLite file or PostgreSQL); connects lazily."""
    parsed = normalise_url(url)
    if is_sqlite(parsed):
        path = sqlite_path(parsed)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(parsed, echo=echo, pool_pre_ping=True)

