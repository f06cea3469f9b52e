"""Driving licences. The licence number is an ID number, so it is sealed and indexed too."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, delete, func, insert, select, update

from motorcred.adapters.db.records import Licence, LicenceData, Page
from motorcred.adapters.db.repositories.base import Repository, clamp_limit
from motorcred.adapters.db.tables import licence_classes, licences

NUMBER_KIND = "licence_number"
_NUMBER_CTX = "licences.number"


class LicenceRepository(Repository):
    def number_index(self, number: str) -> bytes:
        return self.index.digest(number, kind=NUMBER_KIND)

    def _values(self, data: LicenceData) -> dict[str, Any]:
        return {
            "person_id": data.person_id,
            "number_index": self.number_index(data.number),
            "number_enc": self.cipher.encrypt(data.number, context=_NUMBER_CTX),
            "file_number": data.file_number,
            "classes": data.classes,
            "status": data.status,
            "points": data.points,
            "first_issue_date": data.first_issue_date,
            "valid_from": data.valid_from,
            "valid_until": data.valid_until,
            "issuing_authority": data.issuing_authority,
            "city_code": data.city_code,
            "state": data.state,
            "content_hash": self.content_hash("licence", data),
        }

    def _grants(self, licence_id: int, data: LicenceData) -> list[dict[str, Any]]:
        return [
            {"licence_id": licence_id, "class_code": code, "granted_on": granted}
            for code, granted in sorted(data.class_grants.items())
        ]

    def _record(self, row: Row[Any], grants: dict[str, date | None]) -> Licence:
        data = LicenceData(
            person_id=row.person_id,
            number=self.cipher.decrypt(row.number_enc, context=_NUMBER_CTX),
            file_number=row.file_number,
            classes=row.classes,
            status=row.status,
            points=row.points,
            first_issue_date=row.first_issue_date,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            issuing_authority=row.issuing_authority,
            city_code=row.city_code,
            class_grants=grants,
            state=dict(row.state or {}),
        )
        return Licence(row.id, data, row.version, row.created_at, row.updated_at)

    def _load_grants(self, ids: Sequence[int]) -> dict[int, dict[str, date | None]]:
        out: dict[int, dict[str, date | None]] = {i: {} for i in ids}
        if not ids:
            return out
        stmt = select(licence_classes).where(licence_classes.c.licence_id.in_(ids))
        for r in self.connection.execute(stmt):
            out[r.licence_id][r.class_code] = r.granted_on
        return out

    def _one(self, stmt: Any) -> Licence | None:
        row = self.connection.execute(stmt).first()
        if row is None:
            return None
        return self._record(row, self._load_grants([row.id])[row.id])

    def add(self, data: LicenceData, *, now: datetime) -> int:
        return self.add_many([data], now=now)[0]

    def add_many(self, items: Sequence[LicenceData], *, now: datetime) -> list[int]:
        if not items:
            return []
        rows = [
            self._values(d) | {"version": 1, "created_at": now, "updated_at": now} for d in items
        ]
        stmt = insert(licences).returning(licences.c.id, sort_by_parameter_order=True)
        ids = [int(i) for i in self.connection.execute(stmt, rows).scalars()]
        grants = [g for i, d in zip(ids, items, strict=True) for g in self._grants(i, d)]
        if grants:
            self.connection.execute(insert(licence_classes), grants)
        return ids

    def update(self, licence_id: int, data: LicenceData, *, now: datetime) -> None:
        values = self._values(data) | {"updated_at": now, "version": licences.c.version + 1}
        self.connection.execute(update(licences).where(licences.c.id == licence_id).values(values))
        self.connection.execute(
            delete(licence_classes).where(licence_classes.c.licence_id == licence_id)
        )
        grants = self._grants(licence_id, data)
        if grants:
            self.connection.execute(insert(licence_classes), grants)

    def get(self, licence_id: int, *, for_update: bool = False) -> Licence | None:
        stmt = select(licences).where(licences.c.id == licence_id)
        return self._one(stmt.with_for_update() if for_update else stmt)

    def get_by_number(self, number: str, *, for_update: bool = False) -> Licence | None:
        stmt = select(licences).where(licences.c.number_index == self.number_index(number))
        return self._one(stmt.with_for_update() if for_update else stmt)

    def get_by_person(self, person_id: int) -> Licence | None:
        return self._one(select(licences).where(licences.c.person_id == person_id))

    def get_by_file_number(self, file_number: str) -> Licence | None:
        return self._one(select(licences).where(licences.c.file_number == file_number))

    def find_by_numbers(self, numbers: Iterable[str]) -> dict[bytes, tuple[int, bytes]]:
        """``{number_index: (licence id, content hash)}`` for those that exist (one query)."""
        wanted = {self.number_index(n) for n in numbers}
        if not wanted:
            return {}
        stmt = select(licences.c.number_index, licences.c.id, licences.c.content_hash).where(
            licences.c.number_index.in_(wanted)
        )
        return {r.number_index: (r.id, r.content_hash) for r in self.connection.execute(stmt)}

    def list(
        self, *, after: int | None = None, limit: int = 50, status: str | None = None
    ) -> Page[Licence]:
        limit = clamp_limit(limit)
        stmt = select(licences).order_by(licences.c.id).limit(limit + 1)
        if after is not None:
            stmt = stmt.where(licences.c.id > after)
        if status is not None:
            stmt = stmt.where(licences.c.status == status)
        rows = list(self.connection.execute(stmt))[: limit + 1]
        grants = self._load_grants([r.id for r in rows[:limit]])
        items = [self._record(r, grants[r.id]) for r in rows[:limit]]
        return Page(items, items[-1].id if len(rows) > limit else None)

    def count(self) -> int:
        return int(self.connection.execute(select(func.count()).select_from(licences)).scalar_one())
