"""Repositories: one per aggregate, executing on the unit of work's connection.

They translate between records (:mod:`motorcred.adapters.db.records`, personal
data in clear) and rows (personal data sealed), and never commit.
"""

from motorcred.adapters.db.repositories.events import EventRepository
from motorcred.adapters.db.repositories.licences import LicenceRepository
from motorcred.adapters.db.repositories.persons import PersonRepository
from motorcred.adapters.db.repositories.reference import CityRepository, IdempotencyRepository
from motorcred.adapters.db.repositories.vehicles import VehicleRepository

__all__ = [
    "CityRepository",
    "EventRepository",
    "IdempotencyRepository",
    "LicenceRepository",
    "PersonRepository",
    "VehicleRepository",
]
