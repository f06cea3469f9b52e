"""Filling a registry with the demo population (``motorcred demo seed``, ``serve``).

The generated rows go through the CSV import path, so demo records are
validated and stored exactly like imported ones, and seeding twice with the
same seed changes nothing. The city rollout calendar shipped with the package
(``data/cities.json``) is loaded into the cities table alongside.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from motorcred.adapters.db import records
from motorcred.adapters.db.uow import UnitOfWork
from motorcred.adapters.rollout_data import load_bundled_calendar
from motorcred.errors import UsageError
from motorcred.services.demo_data import generate
from motorcred.services.registry_import import ImportReport, Progress, RegistryImportService
from motorcred.services.registry_store import Clock

MAX_DEMO_DRIVERS = 1_000_000


@dataclass(frozen=True)
class DemoSeedReport:
    seed: int
    drivers: ImportReport
    vehicles: ImportReport
    cities_changed: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "cities_changed": self.cities_changed,
            "drivers": self.drivers.to_dict(),
            "vehicles": self.vehicles.to_dict(),
        }


class DemoSeedService:
    def __init__(self, unit_of_work: Callable[[], UnitOfWork], clock: Clock) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._import = RegistryImportService(unit_of_work, clock)

    def is_empty(self) -> bool:
        with self._uow() as uow:
            return uow.persons.count() == 0

    def seed(
        self,
        drivers: int,
        seed: int,
        *,
        on_total: Callable[[int], None] | None = None,
        progress: Progress | None = None,
    ) -> DemoSeedReport:
        """Generate and import ``drivers`` people (with licences and vehicles) for ``seed``.

        ``on_total`` learns how many rows will be imported; ``progress`` is called
        as they are (drivers, then vehicles).
        """
        if not 0 < drivers <= MAX_DEMO_DRIVERS:
            raise UsageError("DEMO_SIZE", f"--drivers must be between 1 and {MAX_DEMO_DRIVERS:,}")
        demo = generate(drivers, seed)
        if on_total is not None:
            on_total(len(demo.drivers) + len(demo.vehicles))
        people = self._import.import_rows(
            "drivers", enumerate(demo.drivers, start=2), progress=progress
        )
        vehicles = self._import.import_rows(
            "vehicles", enumerate(demo.vehicles, start=2), progress=progress
        )
        return DemoSeedReport(seed, people, vehicles, self.load_cities())

    def load_cities(self) -> int:
        """Load the bundled rollout calendar into the cities table; returns rows changed."""
        calendar = load_bundled_calendar()
        cities = [
            records.City(c.code, c.name, c.province, c.edl_from, c.evrc_from)
            for c in calendar.cities.values()
        ]
        with self._uow() as uow:
            changed = uow.cities.upsert_many(cities, now=self._clock())
            uow.commit()
        return changed
