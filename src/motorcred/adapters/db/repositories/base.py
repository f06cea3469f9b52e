"""What every repository shares: the connection, the PII cipher and blind index."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from motorcred.adapters.db.pii import BlindIndex, FieldCipher

# Hard ceiling on a page so a client cannot ask for a full-table scan.
MAX_PAGE = 500


def json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


def canonical_json(value: Any) -> str:
    """Deterministic JSON (sorted keys, no spaces): equal content, equal bytes."""
    return json.dumps(
        value, default=json_default, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def clamp_limit(limit: int) -> int:
    return max(1, min(limit, MAX_PAGE))


class Repository:
    def __init__(self, connection: Connection, cipher: FieldCipher, index: BlindIndex) -> None:
        self.connection = connection
        self.cipher = cipher
        self.index = index

    def content_hash(self, kind: str, data: Any) -> bytes:
        """Keyed digest of a record's full content, to spot identical re-writes cheaply.

        Keyed (HMAC) rather than a plain hash because the content includes
        personal data: an unkeyed digest could be brute-forced back to an ID number.
        """
        return self.index.mac(canonical_json(data).encode("utf-8"), kind=f"content:{kind}")

    @property
    def is_postgres(self) -> bool:
        return self.connection.dialect.name == "postgresql"
