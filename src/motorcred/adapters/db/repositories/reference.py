"""Cities (rollout calendar) and idempotency keys."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update

from motorcred.adapters.db.records import City
from motorcred.adapters.db.repositories.base import Repository
from motorcred.adapters.db.tables import cities, idempotency_keys


class CityRepository(Repository):
    def get(self, code: str) -> City | None:
        row = self.connection.execute(select(cities).where(cities.c.code == code)).first()
        if row is None:
            return None
        return City(row.code, row.name, row.province, row.edl_from, row.evrc_from)

    def all(self) -> list[City]:
        rows = self.connection.execute(select(cities).order_by(cities.c.code))
        return [City(r.code, r.name, r.province, r.edl_from, r.evrc_from) for r in rows]

    def upsert_many(self, items: Sequence[City], *, now: datetime) -> int:
        """Insert new cities and update changed ones; returns how many rows changed."""
        existing = {c.code: c for c in self.all()}
        changed = 0
        for city in items:
            values = {
                "name": city.name,
                "province": city.province,
                "edl_from": city.edl_from,
                "evrc_from": city.evrc_from,
                "updated_at": now,
            }
            old = existing.get(city.code)
            if old is None:
                self.connection.execute(insert(cities).values(code=city.code, **values))
                changed += 1
            elif old != city:
                self.connection.execute(
                    update(cities).where(cities.c.code == city.code).values(**values)
                )
                changed += 1
        return changed


class IdempotencyRepository(Repository):
    """Results of commands that carried a client-supplied idempotency key.

    A retry with the same key and the same request gets the stored result; the
    same key with a different request is a client bug and is refused.
    """

    def request_hash(self, request: Any) -> bytes:
        return self.content_hash("idempotency-request", request)

    def get(self, scope: str, key: str) -> tuple[bytes, dict[str, Any]] | None:
        stmt = select(idempotency_keys.c.request_hash, idempotency_keys.c.result).where(
            idempotency_keys.c.scope == scope, idempotency_keys.c.key == key
        )
        row = self.connection.execute(stmt).first()
        return None if row is None else (row.request_hash, dict(row.result))

    def put(
        self, scope: str, key: str, request_hash: bytes, result: dict[str, Any], *, now: datetime
    ) -> None:
        self.connection.execute(
            insert(idempotency_keys).values(
                scope=scope, key=key, request_hash=request_hash, result=result, created_at=now
            )
        )

    def purge_before(self, cutoff: datetime) -> int:
        result = self.connection.execute(
            delete(idempotency_keys).where(idempotency_keys.c.created_at < cutoff)
        )
        return int(result.rowcount or 0)
