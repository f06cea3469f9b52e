"""Registry use cases: create, read, correct and search persons, licences, vehicles.

Each public method is one command with its own unit of work. Creating a
record that already exists with the same content returns it unchanged (a
retried request is harmless); with different content it is a conflict. A
client may also send an idempotency key: the first result is remembered and a
retry with the same key and request returns the same record.

Corrections (``update_*``) change descriptive fields only; anything the law
changes by an act — points, status, classes, validity, ownership — changes
through an event (:mod:`motorcred.services.registry_events`), so the history
explains the current record. Updates take the version the client read and
refuse with ``RECORD_CONFLICT`` when someone else changed the record since.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Generic, TypeVar

from motorcred.adapters.db.uow import UnitOfWork
from motorcred.domain.citizen_id import normalise_citizen_id
from motorcred.domain.licence import DrivingLicence
from motorcred.domain.person import Person
from motorcred.domain.plates import normalise_plate
from motorcred.domain.vehicle import Vehicle
from motorcred.domain.vin import normalise_vin
from motorcred.errors import Conflict, InvalidInput, NotFound
from motorcred.services.registry_mapping import (
    StoredLicence,
    StoredPerson,
    StoredVehicle,
    licence_data,
    licence_fields,
    person_data,
    stored_licence,
    stored_person,
    stored_vehicle,
    vehicle_data,
)
from motorcred.services.registry_store import Clock, RegistryStore, check_version

T = TypeVar("T")

PERSON_CORRECTABLE = frozenset({"name", "nationality", "address", "phone", "city_code"})
LICENCE_CORRECTABLE = frozenset(
    {"file_number", "issuing_authority_code", "issuing_authority_name", "city_code"}
)
VEHICLE_CORRECTABLE = frozenset(
    {
        "engine_number", "brand", "model", "vehicle_type", "seats", "gross_mass_kg",
        "kerb_mass_kg", "rated_load_kg", "van", "city_code",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Created(Generic[T]):
    record: T
    created: bool
    """False when an identical record already existed (the request was a repeat)."""


@dataclass(frozen=True)
class RegistryEntry:
    """Everything the registry holds about one person (``registry show``)."""

    person: StoredPerson
    licence: StoredLicence | None
    vehicles: list[StoredVehicle]


class RegistryService:
    def __init__(self, unit_of_work: Callable[[], UnitOfWork], clock: Clock) -> None:
        self._uow = unit_of_work
        self._clock = clock

    # ------------------------------------------------------------------ persons

    def create_person(
        self,
        person: Person,
        *,
        city_code: str | None = None,
        idempotency_key: str | None = None,
    ) -> Created[StoredPerson]:
        request = {"person": asdict(person), "city_code": city_code}
        with self._uow() as uow:
            store = RegistryStore(uow)
            replay = store.replay("registry.person.create", idempotency_key, request)
            if replay is not None:
                return Created(store.person(replay), created=False)
            existing = uow.persons.get_by_id_number(person.id_number)
            data = person_data(person, city_code)
            if existing is not None:
                if existing.data != data:
                    raise Conflict(
                        "PERSON_EXISTS",
                        "a person with this ID number is already registered with other details",
                        details={"person_id": existing.id},
                    )
                return Created(stored_person(existing), created=False)
            now = self._clock()
            person_id = uow.persons.add(data, now=now)
            store.remember("registry.person.create", idempotency_key, request, person_id, now=now)
            result = store.person(person_id)
            uow.commit()
        return Created(result, created=True)

    def get_person(self, person_id: int) -> StoredPerson:
        with self._uow() as uow:
            return RegistryStore(uow).person(person_id)

    def update_person(
        self, person_id: int, changes: Mapping[str, Any], *, expected_version: int | None = None
    ) -> StoredPerson:
        _only(changes, PERSON_CORRECTABLE)
        with self._uow() as uow:
            current = RegistryStore(uow).person(person_id, for_update=True)
            check_version("person", current.version, expected_version)
            fields = asdict(current.person) | {k: v for k, v in changes.items() if k != "city_code"}
            updated = Person.create(**fields)
            city = changes.get("city_code", current.city_code)
            data = person_data(updated, city)
            if data == person_data(current.person, current.city_code):
                return current
            uow.persons.update(person_id, data, now=self._clock())
            result = RegistryStore(uow).person(person_id)
            uow.commit()
        return result

    # ------------------------------------------------------------------ licences

    def create_licence(
        self,
        person_id: int,
        licence: DrivingLicence,
        *,
        city_code: str | None = None,
        idempotency_key: str | None = None,
    ) -> Created[StoredLicence]:
        request = {
            "person_id": person_id,
            "licence": licence_fingerprint(licence),
            "city": city_code,
        }
        with self._uow() as uow:
            store = RegistryStore(uow)
            replay = store.replay("registry.licence.create", idempotency_key, request)
            if replay is not None:
                return Created(store.licence(replay), created=False)
            holder = store.person(person_id)
            if holder.person.id_number != licence.number:
                raise InvalidInput(
                    "LICENCE_NUMBER_MISMATCH",
                    "a licence number is its holder's ID number",
                    details={"field": "number"},
                )
            data = licence_data(licence, person_id, city_code)
            existing = uow.licences.get_by_person(person_id)
            if existing is not None:
                if existing.data != data:
                    raise Conflict(
                        "LICENCE_EXISTS",
                        "this person already holds a licence; change it through events",
                        details={"licence_id": existing.id},
                    )
                return Created(stored_licence(existing), created=False)
            store.ensure_file_number_free(licence.file_number, licence_id=None)
            now = self._clock()
            licence_id = uow.licences.add(data, now=now)
            store.remember("registry.licence.create", idempotency_key, request, licence_id, now=now)
            result = store.licence(licence_id)
            uow.commit()
        return Created(result, created=True)

    def get_licence(self, licence_id: int) -> StoredLicence:
        with self._uow() as uow:
            return RegistryStore(uow).licence(licence_id)

    def update_licence(
        self, licence_id: int, changes: Mapping[str, Any], *, expected_version: int | None = None
    ) -> StoredLicence:
        _only(changes, LICENCE_CORRECTABLE)
        with self._uow() as uow:
            store = RegistryStore(uow)
            current = store.licence(licence_id, for_update=True)
            check_version("licence", current.version, expected_version)
            fields = licence_fields(licence_data(current.licence, current.person_id, None))
            fields |= {k: v for k, v in changes.items() if k != "city_code"}
            updated = DrivingLicence.create(**fields)
            city = changes.get("city_code", current.city_code)
            data = licence_data(updated, current.person_id, city)
            if data == licence_data(current.licence, current.person_id, current.city_code):
                return current
            store.ensure_file_number_free(updated.file_number, licence_id=licence_id)
            uow.licences.update(licence_id, data, now=self._clock())
            result = store.licence(licence_id)
            uow.commit()
        return result

    # ------------------------------------------------------------------ vehicles

    def create_vehicle(
        self,
        vehicle: Vehicle,
        *,
        city_code: str | None = None,
        idempotency_key: str | None = None,
    ) -> Created[StoredVehicle]:
        request = {"vehicle": asdict(vehicle), "city_code": city_code}
        with self._uow() as uow:
            store = RegistryStore(uow)
            replay = store.replay("registry.vehicle.create", idempotency_key, request)
            if replay is not None:
                return Created(store.vehicle(replay), created=False)
            owner = store.owner(vehicle.owner_id_number)
            data = vehicle_data(vehicle, owner.id, city_code)
            existing = uow.vehicles.get_by_vin(vehicle.vin)
            if existing is not None:
                if existing.data != data:
                    raise Conflict(
                        "VEHICLE_EXISTS",
                        "a vehicle with this VIN is already registered with other details",
                        details={"vehicle_id": existing.id, "field": "vin"},
                    )
                return Created(stored_vehicle(existing, owner.person.id_number), created=False)
            store.ensure_plate_free(vehicle.plate, vehicle_id=None)
            now = self._clock()
            vehicle_id = uow.vehicles.add(data, now=now)
            store.remember("registry.vehicle.create", idempotency_key, request, vehicle_id, now=now)
            result = store.vehicle(vehicle_id)
            uow.commit()
        return Created(result, created=True)

    def get_vehicle(self, vehicle_id: int) -> StoredVehicle:
        with self._uow() as uow:
            return RegistryStore(uow).vehicle(vehicle_id)

    def update_vehicle(
        self, vehicle_id: int, changes: Mapping[str, Any], *, expected_version: int | None = None
    ) -> StoredVehicle:
        _only(changes, VEHICLE_CORRECTABLE)
        with self._uow() as uow:
            store = RegistryStore(uow)
            current = store.vehicle(vehicle_id, for_update=True)
            check_version("vehicle", current.version, expected_version)
            fields = asdict(current.vehicle) | {
                k: v for k, v in changes.items() if k != "city_code"
            }
            updated = Vehicle.create(**fields)
            city = changes.get("city_code", current.city_code)
            data = vehicle_data(updated, current.owner_id, city)
            if data == vehicle_data(current.vehicle, current.owner_id, current.city_code):
                return current
            uow.vehicles.update(vehicle_id, data, now=self._clock())
            result = store.vehicle(vehicle_id)
            uow.commit()
        return result

    # ------------------------------------------------------------------ search

    def find(
        self,
        *,
        id_number: str | None = None,
        licence_number: str | None = None,
        plate: str | None = None,
        vin: str | None = None,
    ) -> RegistryEntry:
        """The person (with licence and vehicles) found by exactly one key."""
        given = {
            k: v
            for k, v in {
                "id_number": id_number, "licence_number": licence_number,
                "plate": plate, "vin": vin,
            }.items()
            if v
        }  # fmt: skip
        if len(given) != 1:
            raise InvalidInput(
                "SEARCH_KEY_REQUIRED",
                "search by exactly one of id_number, licence_number, plate, vin",
                details={"given": sorted(given)},
            )
        with self._uow() as uow:
            store = RegistryStore(uow)
            person_id = self._person_id_for(uow, given)
            person = store.person(person_id)
            licence_record = uow.licences.get_by_person(person_id)
            licence = None if licence_record is None else stored_licence(licence_record)
            owned = uow.vehicles.list(owner_id=person_id, limit=100).items
            vehicles = [stored_vehicle(v, person.person.id_number) for v in owned]
        return RegistryEntry(person, licence, vehicles)

    @staticmethod
    def _person_id_for(uow: UnitOfWork, given: Mapping[str, str]) -> int:
        key, value = next(iter(given.items()))
        person_id: int | None = None
        if key == "id_number":
            found = uow.persons.get_by_id_number(normalise_citizen_id(value))
            person_id = None if found is None else found.id
        elif key == "licence_number":
            licence = uow.licences.get_by_number(normalise_citizen_id(value))
            person_id = None if licence is None else licence.data.person_id
        else:
            vehicle = (
                uow.vehicles.get_by_plate(normalise_plate(value))
                if key == "plate"
                else uow.vehicles.get_by_vin(normalise_vin(value))
            )
            person_id = None if vehicle is None else vehicle.data.owner_id
        if person_id is None:
            code = {"id_number": "PERSON", "licence_number": "LICENCE"}.get(key, "VEHICLE")
            raise NotFound(f"{code}_NOT_FOUND", f"no registry record for {key} {value!r}")
        return person_id


def licence_fingerprint(licence: DrivingLicence) -> dict[str, Any]:
    """A licence's content as JSON-ready values (for idempotency request hashes)."""
    return licence_data(licence, 0, None).state | {
        "number": licence.number,
        "file_number": licence.file_number,
        "classes": {c: d.isoformat() for c, d in licence.class_grants.items()},
        "status": licence.status_text,
        "points": licence.points,
        "dates": [licence.first_issue_date, licence.valid_from, licence.valid_until],
    }


def _only(changes: Mapping[str, Any], allowed: frozenset[str]) -> None:
    extra = sorted(set(changes) - allowed)
    if extra:
        raise InvalidInput(
            "FIELD_NOT_CORRECTABLE",
            f"{', '.join(extra)} cannot be corrected directly; record an event instead",
            details={"field": extra[0], "correctable": sorted(allowed)},
        )
