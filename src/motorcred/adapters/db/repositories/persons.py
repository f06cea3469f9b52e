"""Persons: every personal field sealed, found by the blind index of the ID number."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, func, insert, select, update

from motorcred.adapters.db.records import Page, Person, PersonData
from motorcred.adapters.db.repositories.base import Repository, clamp_limit
from motorcred.adapters.db.tables import persons

ID_KIND = "id_number"


def _ctx(column: str) -> str:
    return f"persons.{column}"


class PersonRepository(Repository):
    def id_index(self, id_number: str) -> bytes:
        return self.index.digest(id_number, kind=ID_KIND)

    def _values(self, data: PersonData) -> dict[str, Any]:
        c = self.cipher
        return {
            "id_number_index": self.id_index(data.id_number),
            "id_number_enc": c.encrypt(data.id_number, context=_ctx("id_number")),
            "name_enc": c.encrypt(data.name, context=_ctx("name")),
            "birth_date_enc": c.encrypt(data.birth_date.isoformat(), context=_ctx("birth_date")),
            "phone_enc": c.encrypt_optional(data.phone, context=_ctx("phone")),
            "address_enc": c.encrypt_optional(data.address, context=_ctx("address")),
            "sex": data.sex,
            "nationality": data.nationality,
            "city_code": data.city_code,
            "content_hash": self.content_hash("person", data),
        }

    def _record(self, row: Row[Any]) -> Person:
        c = self.cipher
        birth = c.decrypt(row.birth_date_enc, context=_ctx("birth_date"))
        data = PersonData(
            id_number=c.decrypt(row.id_number_enc, context=_ctx("id_number")),
            name=c.decrypt(row.name_enc, context=_ctx("name")),
            birth_date=date.fromisoformat(birth),
            phone=c.decrypt_optional(row.phone_enc, context=_ctx("phone")),
            address=c.decrypt_optional(row.address_enc, context=_ctx("address")),
            sex=row.sex,
            nationality=row.nationality,
            city_code=row.city_code,
        )
        return Person(row.id, data, row.version, row.created_at, row.updated_at)

    def add(self, data: PersonData, *, now: datetime) -> int:
        values = self._values(data) | {"version": 1, "created_at": now, "updated_at": now}
        result = self.connection.execute(insert(persons).returning(persons.c.id), values)
        return int(result.scalar_one())

    def add_many(self, items: Sequence[PersonData], *, now: datetime) -> list[int]:
        """Insert a batch in one round trip; ids come back in the order of ``items``."""
        if not items:
            return []
        rows = [
            self._values(d) | {"version": 1, "created_at": now, "updated_at": now} for d in items
        ]
        stmt = insert(persons).returning(persons.c.id, sort_by_parameter_order=True)
        return [int(i) for i in self.connection.execute(stmt, rows).scalars()]

    def update(self, person_id: int, data: PersonData, *, now: datetime) -> None:
        values = self._values(data) | {"updated_at": now, "version": persons.c.version + 1}
        self.connection.execute(update(persons).where(persons.c.id == person_id).values(values))

    def get(self, person_id: int, *, for_update: bool = False) -> Person | None:
        stmt = select(persons).where(persons.c.id == person_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = self.connection.execute(stmt).first()
        return None if row is None else self._record(row)

    def get_by_id_number(self, id_number: str, *, for_update: bool = False) -> Person | None:
        stmt = select(persons).where(persons.c.id_number_index == self.id_index(id_number))
        if for_update:
            stmt = stmt.with_for_update()
        row = self.connection.execute(stmt).first()
        return None if row is None else self._record(row)

    def find_by_id_numbers(self, id_numbers: Iterable[str]) -> dict[bytes, tuple[int, bytes]]:
        """``{id_index: (person id, content hash)}`` for those that exist (one query)."""
        wanted = {self.id_index(n) for n in id_numbers}
        if not wanted:
            return {}
        stmt = select(persons.c.id_number_index, persons.c.id, persons.c.content_hash).where(
            persons.c.id_number_index.in_(wanted)
        )
        return {r.id_number_index: (r.id, r.content_hash) for r in self.connection.execute(stmt)}

    def is_unchanged(self, person_id: int, data: PersonData) -> bool:
        stmt = select(persons.c.content_hash).where(persons.c.id == person_id)
        stored = self.connection.execute(stmt).scalar_one_or_none()
        return stored == self.content_hash("person", data)

    def list(self, *, after: int | None = None, limit: int = 50) -> Page[Person]:
        """Keyset pagination by id: constant cost per page however deep."""
        limit = clamp_limit(limit)
        stmt = select(persons).order_by(persons.c.id).limit(limit + 1)
        if after is not None:
            stmt = stmt.where(persons.c.id > after)
        rows = list(self.connection.execute(stmt))
        items = [self._record(r) for r in rows[:limit]]
        return Page(items, items[-1].id if len(rows) > limit else None)

    def count(self) -> int:
        return int(self.connection.execute(select(func.count()).select_from(persons)).scalar_one())
