"""Vehicles, found by plate or VIN (neither is personal data, both are indexed)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, insert, select, update

from motorcred.adapters.db.records import Page, Vehicle, VehicleData
from motorcred.adapters.db.repositories.base import Repository, clamp_limit
from motorcred.adapters.db.tables import vehicles


class VehicleRepository(Repository):
    def _values(self, data: VehicleData) -> dict[str, Any]:
        return {
            "plate": data.plate,
            "plate_type": data.plate_type,
            "vin": data.vin,
            "owner_id": data.owner_id,
            "status": data.status,
            "use_character": data.use_character,
            "registration_date": data.registration_date,
            "inspection_valid_until": data.inspection_valid_until,
            "city_code": data.city_code,
            "state": data.state,
            "content_hash": self.content_hash("vehicle", data),
        }

    @staticmethod
    def _record(row: Row[Any]) -> Vehicle:
        data = VehicleData(
            plate=row.plate,
            plate_type=row.plate_type,
            vin=row.vin,
            owner_id=row.owner_id,
            status=row.status,
            use_character=row.use_character,
            registration_date=row.registration_date,
            inspection_valid_until=row.inspection_valid_until,
            city_code=row.city_code,
            state=dict(row.state or {}),
        )
        return Vehicle(row.id, data, row.version, row.created_at, row.updated_at)

    def _one(self, stmt: Any) -> Vehicle | None:
        row = self.connection.execute(stmt).first()
        return None if row is None else self._record(row)

    def add(self, data: VehicleData, *, now: datetime) -> int:
        return self.add_many([data], now=now)[0]

    def add_many(self, items: Sequence[VehicleData], *, now: datetime) -> list[int]:
        if not items:
            return []
        rows = [
            self._values(d) | {"version": 1, "created_at": now, "updated_at": now} for d in items
        ]
        stmt = insert(vehicles).returning(vehicles.c.id, sort_by_parameter_order=True)
        return [int(i) for i in self.connection.execute(stmt, rows).scalars()]

    def update(self, vehicle_id: int, data: VehicleData, *, now: datetime) -> None:
        values = self._values(data) | {"updated_at": now, "version": vehicles.c.version + 1}
        self.connection.execute(update(vehicles).where(vehicles.c.id == vehicle_id).values(values))

    def get(self, vehicle_id: int, *, for_update: bool = False) -> Vehicle | None:
        stmt = select(vehicles).where(vehicles.c.id == vehicle_id)
        return self._one(stmt.with_for_update() if for_update else stmt)

    def get_by_plate(self, plate: str, *, for_update: bool = False) -> Vehicle | None:
        stmt = select(vehicles).where(vehicles.c.plate == plate)
        return self._one(stmt.with_for_update() if for_update else stmt)

    def get_by_vin(self, vin: str, *, for_update: bool = False) -> Vehicle | None:
        stmt = select(vehicles).where(vehicles.c.vin == vin)
        return self._one(stmt.with_for_update() if for_update else stmt)

    def find_by_vins(self, vins: Iterable[str]) -> dict[str, tuple[int, bytes, str]]:
        """``{vin: (vehicle id, content hash, plate)}`` for those that exist (one query)."""
        wanted = set(vins)
        if not wanted:
            return {}
        stmt = select(vehicles.c.vin, vehicles.c.id, vehicles.c.content_hash, vehicles.c.plate)
        stmt = stmt.where(vehicles.c.vin.in_(wanted))
        return {r.vin: (r.id, r.content_hash, r.plate) for r in self.connection.execute(stmt)}

    def find_by_plates(self, plates: Iterable[str]) -> dict[str, str]:
        """``{plate: vin}`` for plates already taken (one query)."""
        wanted = set(plates)
        if not wanted:
            return {}
        stmt = select(vehicles.c.plate, vehicles.c.vin).where(vehicles.c.plate.in_(wanted))
        return {r.plate: r.vin for r in self.connection.execute(stmt)}

    def list(
        self, *, after: int | None = None, limit: int = 50, owner_id: int | None = None
    ) -> Page[Vehicle]:
        limit = clamp_limit(limit)
        stmt = select(vehicles).order_by(vehicles.c.id).limit(limit + 1)
        if after is not None:
            stmt = stmt.where(vehicles.c.id > after)
        if owner_id is not None:
            stmt = stmt.where(vehicles.c.owner_id == owner_id)
        rows = list(self.connection.execute(stmt))
        items = [self._record(r) for r in rows[:limit]]
        return Page(items, items[-1].id if len(rows) > limit else None)

    def count(self) -> int:
        return int(self.connection.execute(select(func.count()).select_from(vehicles)).scalar_one())
