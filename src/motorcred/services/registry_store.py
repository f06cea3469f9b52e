"""Loading registry records inside a unit of work, as services need them.

Shared by the registry services: fetch a record or raise the stable
``*_NOT_FOUND`` error, check the version a client read, and remember or
replay the result of a command sent with an idempotency key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from motorcred.adapters.db.uow import UnitOfWork
from motorcred.errors import Conflict, NotFound
from motorcred.services.registry_mapping import (
    StoredLicence,
    StoredPerson,
    StoredVehicle,
    stored_licence,
    stored_person,
    stored_vehicle,
)

Clock = Callable[[], datetime]


def plate_taken(plate: str, field: str = "plate") -> Conflict:
    return Conflict(
        "PLATE_TAKEN", f"plate {plate} is registered to another vehicle", details={"field": field}
    )


def owner_not_found(field: str = "owner_id_number") -> NotFound:
    return NotFound(
        "OWNER_NOT_FOUND",
        "the owner's ID number is not in the registry; register the person first",
        details={"field": field},
    )


def check_version(kind: str, current: int, expected: int | None) -> None:
    """Optimistic concurrency: refuse a change based on an outdated read."""
    if expected is not None and expected != current:
        raise Conflict(
            "RECORD_CONFLICT",
            f"the {kind} changed since it was read (version {expected}, now {current}); "
            "read it again and retry",
            details={"expected_version": expected, "current_version": current},
        )


class RegistryStore:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def person(self, person_id: int, *, for_update: bool = False) -> StoredPerson:
        record = self.uow.persons.get(person_id, for_update=for_update)
        if record is None:
            raise NotFound("PERSON_NOT_FOUND", f"no person with id {person_id}")
        return stored_person(record)

    def owner(self, id_number: str, *, field: str = "owner_id_number") -> StoredPerson:
        record = self.uow.persons.get_by_id_number(id_number)
        if record is None:
            raise owner_not_found(field)
        return stored_person(record)

    def licence(self, licence_id: int, *, for_update: bool = False) -> StoredLicence:
        record = self.uow.licences.get(licence_id, for_update=for_update)
        if record is None:
            raise NotFound("LICENCE_NOT_FOUND", f"no licence with id {licence_id}")
        return stored_licence(record)

    def vehicle(self, vehicle_id: int, *, for_update: bool = False) -> StoredVehicle:
        record = self.uow.vehicles.get(vehicle_id, for_update=for_update)
        if record is None:
            raise NotFound("VEHICLE_NOT_FOUND", f"no vehicle with id {vehicle_id}")
        return stored_vehicle(record, self.owner_id_number(record.data.owner_id))

    def owner_id_number(self, owner_id: int | None) -> str:
        if owner_id is None:
            raise NotFound("OWNER_NOT_FOUND", "the vehicle has no registered owner")
        return self.person(owner_id).person.id_number

    # ------------------------------------------------------------------ uniqueness

    def ensure_file_number_free(self, file_number: str, *, licence_id: int | None) -> None:
        """Refuse a file number held by a licence other than ``licence_id``."""
        holder = self.uow.licences.get_by_file_number(file_number)
        if holder is not None and holder.id != licence_id:
            raise Conflict(
                "FILE_NUMBER_TAKEN",
                f"file number {file_number} belongs to another licence",
                details={"field": "file_number"},
            )

    def ensure_plate_free(
        self, plate: str, *, vehicle_id: int | None, field: str = "plate"
    ) -> None:
        """Refuse a plate registered to a vehicle other than ``vehicle_id``."""
        holder = self.uow.vehicles.get_by_plate(plate)
        if holder is not None and holder.id != vehicle_id:
            raise plate_taken(plate, field)

    def ensure_no_events(self, kind: str, record_id: int) -> None:
        """Refuse to overwrite a record that events have changed (the import's rows).

        An import row replaces the record wholesale; after an event the history
        explains the record, and overwriting it would silently undo that event.
        """
        if self.uow.events.last_seq(kind, record_id):
            raise Conflict(
                "IMPORT_RECORD_HAS_EVENTS",
                f"the {kind} has changed through events since it was imported; "
                "record further changes as events instead of re-importing it",
                details={"record_kind": kind, "record_id": record_id},
            )

    # ------------------------------------------------------------------ idempotency

    def replay(self, scope: str, key: str | None, request: Any) -> int | None:
        """The record id a previous command with ``key`` produced, if any.

        The same key with a different request is a client error, not a retry.
        """
        if key is None:
            return None
        found = self.uow.idempotency.get(scope, key)
        if found is None:
            return None
        request_hash, result = found
        if request_hash != self.uow.idempotency.request_hash(request):
            raise Conflict(
                "IDEMPOTENCY_KEY_REUSED",
                "this idempotency key was already used for a different request",
                details={"scope": scope},
            )
        return int(result["id"])

    def remember(
        self, scope: str, key: str | None, request: Any, record_id: int, *, now: datetime
    ) -> None:
        if key is None:
            return
        request_hash = self.uow.idempotency.request_hash(request)
        self.uow.idempotency.put(scope, key, request_hash, {"id": record_id}, now=now)
