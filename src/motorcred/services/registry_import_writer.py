"""Writing a batch of imported rows inside one unit of work: insert, update or skip.

Rows are matched to stored records by natural key (ID number; VIN) with one
lookup per batch, and compared by the keyed content hash the repositories
store, so an unchanged row costs no decryption and no write — which is what
makes a re-import a cheap no-op. Clashes with other records (a file number or
plate in use, an unknown owner) raise the same stable errors as the admin API,
and a record that events have changed since is not overwritten; the import then
retries the batch row by row to pin the refusal on its row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from motorcred.adapters.db.uow import UnitOfWork
from motorcred.services.registry_csv import DriverRow, VehicleRow
from motorcred.services.registry_mapping import licence_data, person_data, vehicle_data
from motorcred.services.registry_store import RegistryStore, owner_not_found, plate_taken

Outcome = Literal["created", "updated", "unchanged"]

# The content-hash kinds the repositories store with each row.
_PERSON, _LICENCE, _VEHICLE = "person", "licence", "vehicle"


def _merge(person: Outcome, licence: Outcome) -> Outcome:
    """A row is created when its person is new, unchanged when nothing was written."""
    if person == "created":
        return "created"
    return "unchanged" if person == licence == "unchanged" else "updated"


def write_drivers(uow: UnitOfWork, rows: Sequence[DriverRow], now: datetime) -> list[Outcome]:
    ids = [r.person.id_number for r in rows]
    people = uow.persons.find_by_id_numbers(ids)
    licences = uow.licences.find_by_numbers(ids)
    store = RegistryStore(uow)
    outcomes: list[Outcome] = []
    for row in rows:
        data = person_data(row.person, row.city_code)
        found = people.get(uow.persons.id_index(row.person.id_number))
        person: Outcome
        if found is None:
            person_id, person = uow.persons.add(data, now=now), "created"
        else:
            person_id, stored_hash = found
            person = "unchanged"
            if stored_hash != uow.persons.content_hash(_PERSON, data):
                store.ensure_no_events("person", person_id)
                uow.persons.update(person_id, data, now=now)
                person = "updated"
        if row.licence is None:
            outcomes.append(person)
            continue
        licence = licence_data(row.licence, person_id, row.city_code)
        stored = licences.get(uow.licences.number_index(row.licence.number))
        if stored is not None and stored[1] == uow.licences.content_hash(_LICENCE, licence):
            outcomes.append(person)
            continue
        licence_id = None if stored is None else stored[0]
        store.ensure_file_number_free(licence.file_number, licence_id=licence_id)
        if licence_id is None:
            uow.licences.add(licence, now=now)
            outcomes.append(_merge(person, "created"))
        else:
            store.ensure_no_events("licence", licence_id)
            uow.licences.update(licence_id, licence, now=now)
            outcomes.append(_merge(person, "updated"))
    return outcomes


def write_vehicles(uow: UnitOfWork, rows: Sequence[VehicleRow], now: datetime) -> list[Outcome]:
    owners = uow.persons.find_by_id_numbers(r.vehicle.owner_id_number for r in rows)
    vehicles = uow.vehicles.find_by_vins(r.vehicle.vin for r in rows)
    plates = uow.vehicles.find_by_plates(r.vehicle.plate for r in rows)
    store = RegistryStore(uow)
    outcomes: list[Outcome] = []
    for row in rows:
        vehicle = row.vehicle
        owner = owners.get(uow.persons.id_index(vehicle.owner_id_number))
        if owner is None:
            raise owner_not_found()
        data = vehicle_data(vehicle, owner[0], row.city_code)
        holder_vin = plates.get(vehicle.plate)
        if holder_vin is not None and holder_vin != vehicle.vin:
            raise plate_taken(vehicle.plate)
        found = vehicles.get(vehicle.vin)
        if found is None:
            uow.vehicles.add(data, now=now)
            outcomes.append("created")
        elif found[1] == uow.vehicles.content_hash(_VEHICLE, data):
            outcomes.append("unchanged")
        else:
            store.ensure_no_events("vehicle", found[0])
            uow.vehicles.update(found[0], data, now=now)
            outcomes.append("updated")
    return outcomes
