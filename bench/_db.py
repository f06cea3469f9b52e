"""A throw-away database for the benchmarks: a temporary SQLite file or a PostgreSQL schema."""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text


@contextmanager
def temporary_database(url: str | None) -> Iterator[str]:
    """Yield a database URL that is gone afterwards.

    No URL (or an SQLite one) gives a file in a temporary directory; a PostgreSQL
    URL gets a schema of its own, selected through ``search_path`` and dropped at the end.
    """
    if not url or url.startswith("sqlite"):
        with tempfile.TemporaryDirectory() as directory:
            yield url or f"sqlite:///{Path(directory) / 'bench.db'}"
        return
    schema = f"bench_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
