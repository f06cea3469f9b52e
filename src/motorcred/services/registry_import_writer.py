"""Writing one imported row inside the import's unit of work: insert, update or skip.

A row is matched to the stored record by natural key (ID number; VIN) and
written only when its content differs, which is what makes a re-import a
no-op. Clashes with other records (a file number or plate in use, an unknown
owner) raise the same stable errors as the admin API.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from motorcred.adapters.db.uow import UnitOfWork
from motorcred.services.registry_csv import DriverRow, VehicleRow
from motorcred.services.registry_mapping import licence_data, person_data, vehicle_data
from motorcred.services.registry_store import RegistryStore

Outcome = Literal["created", "updated", "unchanged"]


def _merge(person: Outcome, licence: Outcome) -> Outcome:
    """A row is created when its person is new, unchanged when nothing was written."""
    if person == "created":
        return "created"
    return "unchanged" if person == licence == "unchanged" else "updated"


def write_driver(uow: UnitOfWork, row: DriverRow, now: datetime) -> Outcome:
    data = person_data(row.person, row.city_code)
    existing = uow.persons.get_by_id_number(row.person.id_number)
    outcome: Outcome
    if existing is None:
        person_id, outcome = uow.persons.add(data, now=now), "created"
    else:
        person_id = existing.id
        outcome = "unchanged" if existing.data == data else "updated"
        if outcome == "updated":
            uow.persons.update(person_id, data, now=now)
    if row.licence is None:
        return outcome
    licence = licence_data(row.licence, person_id, row.city_code)
    stored = uow.licences.get_by_person(person_id)
    RegistryStore(uow).ensure_file_number_free(
        licence.file_number, licence_id=None if stored is None else stored.id
    )
    if stored is None:
        uow.licences.add(licence, now=now)
        return _merge(outcome, "created")
    if stored.data == licence:
        return outcome
    uow.licences.update(stored.id, licence, now=now)
    return _merge(outcome, "updated")


def write_vehicle(uow: UnitOfWork, row: VehicleRow, now: datetime) -> Outcome:
    vehicle = row.vehicle
    store = RegistryStore(uow)
    owner = store.owner(vehicle.owner_id_number)
    data = vehicle_data(vehicle, owner.id, row.city_code)
    existing = uow.vehicles.get_by_vin(vehicle.vin)
    store.ensure_plate_free(vehicle.plate, vehicle_id=None if existing is None else existing.id)
    if existing is None:
        uow.vehicles.add(data, now=now)
        return "created"
    if existing.data == data:
        return "unchanged"
    uow.vehicles.update(existing.id, data, now=now)
    return "updated"
