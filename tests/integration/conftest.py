"""Integration fixtures: a migrated database (SQLite or PostgreSQL), a wired
container, an API client with staff credentials, and per-test cleanup."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, delete, text

from motorcred.adapters.db import migrate
from motorcred.adapters.db.engine import make_engine
from motorcred.adapters.db.tables import metadata
from motorcred.config import Settings

TEST_DATABASE_ENV = "MOTORCRED_TEST_DATABASE_URL"
STAFF_TOKEN = "integration-staff-token"


@pytest.fixture(scope="session")
def migrated_url(database_url: str) -> Iterator[str]:
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    engine.dispose()
    yield database_url


@pytest.fixture(scope="session")
def engine(migrated_url: str) -> Iterator[Engine]:
    eng = make_engine(migrated_url)
    yield eng
    eng.dispose()


def _wipe(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(delete(table))


@pytest.fixture
def clean_db(engine: Engine) -> Iterator[Engine]:
    """The migrated database, emptied before and after the test."""
    _wipe(engine)
    yield engine
    _wipe(engine)


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """A brand-new empty database of the kind under test (for migration tests)."""
    base = os.environ.get(TEST_DATABASE_ENV, "")
    if not base or base.startswith("sqlite"):
        yield f"sqlite:///{(tmp_path / 'fresh.db').as_posix()}"
        return
    from urllib.parse import quote

    schema = f"mc_fresh_{secrets.token_hex(6)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def settings(migrated_url: str, tmp_path: Path) -> Settings:
    return Settings(
        profile="test",
        database_url=migrated_url,
        data_dir=tmp_path / "var",
        staff_token=STAFF_TOKEN,
    )
