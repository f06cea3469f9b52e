"""Writing one imported row inside the import's unit of work: insert, update or skip.

A row is matched to the stored record by natural key (ID number; VIN) and
written only when its content differs, which is what makes a re-import a
no-op. Clashes with other records (a file number or plate in use) raise the
same stable errors as the admin API.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from motorcred.adapters.db.uow import UnitOfWork
from motorcred.errors import Conflict, NotFound
from motorcred.services.registry_csv import DriverRow, VehicleRow
from motorcred.services.registry_mapping import licence_data, person_data, vehicle_data

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
    if stored is None or stored.data.file_number != licence.file_number:
        holder = uow.licences.get_by_file_number(licence.file_number)
        if holder is not None and (stored is None or holder.id != stored.id):
            raise Conflict(
                "FILE_NUMBER_TAKEN",
                f"file number {licence.file_number} belongs to another licence",
                details={"field": "file_number"},
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
    owner = uow.persons.get_by_id_number(vehicle.owner_id_number)
    if owner is None:
        raise NotFound(
            "OWNER_NOT_FOUND",
            "the owner's ID number is not in the registry; import the drivers file first",
            details={"field": "owner_id_number"},
        )
    data = vehicle_data(vehicle, owner.id, row.city_code)
    plate_holder = uow.vehicles.get_by_plate(vehicle.plate)
    if plate_holder is not None and plate_holder.data.vin != vehicle.vin:
        raise Conflict(
            "PLATE_TAKEN",
            f"plate {vehicle.plate} is registered to another vehicle",
            details={"field": "plate"},
        )
    existing = plate_holder if plate_holder is not None else uow.vehicles.get_by_vin(vehicle.vin)
    if existing is None:
        uow.vehicles.add(data, now=now)
        return "created"
    if existing.data == data:
        return "unchanged"
    uow.vehicles.update(existing.id, data, now=now)
    return "updated"
