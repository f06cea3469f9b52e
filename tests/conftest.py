"""Shared test fixtures.

The suite runs once per database: SQLite by default, PostgreSQL when
``MOTORCRED_TEST_DATABASE_URL`` names one (``.ci/run`` does both). On
PostgreSQL every run gets a fresh schema (selected through ``search_path``)
that is dropped at the end, so runs never see each other's rows.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

TEST_DATABASE_ENV = "MOTORCRED_TEST_DATABASE_URL"


def _postgres_schema_url(base_url: str, schema: str) -> str:
    sep = "&" if "?" in base_url else "?"
    return f"{base_url}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database for this test run (not yet migrated)."""
    base = os.environ.get(TEST_DATABASE_ENV, "")
    if not base or base.startswith("sqlite"):
        path: Path = tmp_path_factory.mktemp("db") / "motorcred-test.db"
        yield f"sqlite:///{path.as_posix()}"
        return
    schema = f"mc_test_{secrets.token_hex(6)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _postgres_schema_url(base, schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_kind(database_url: str) -> str:
    return "postgresql" if database_url.startswith("postgresql") else "sqlite"
