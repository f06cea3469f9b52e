"""Recording registry events and reading a record's history.

An event is validated by the domain (``event_from_payload``), applied to the
current record with the domain fold (``apply``), and then stored together
with the derived record in one unit of work — so the history and the current
record never disagree. The record row is locked while this happens, and a
client that sends the version it read gets ``RECORD_CONFLICT`` instead of
silently building on a stale view.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any, Literal

from motorcred.adapters.db import records
from motorcred.adapters.db.uow import UnitOfWork
from motorcred.domain.event_base import Event
from motorcred.domain.events import apply, event_from_payload
from motorcred.domain.vehicle_events import OwnershipTransferred
from motorcred.errors import InvalidInput
from motorcred.services.registry_mapping import (
    StoredLicence,
    StoredPerson,
    StoredVehicle,
    licence_data,
    person_data,
    vehicle_data,
)
from motorcred.services.registry_store import Clock, RegistryStore, check_version

RecordKind = Literal["person", "licence", "vehicle"]
KINDS: tuple[RecordKind, ...] = ("person", "licence", "vehicle")
StoredRecord = StoredPerson | StoredLicence | StoredVehicle
VehicleEventHook = Callable[[UnitOfWork, int, Event], None]
"""Called with the vehicle id inside the unit of work that records a vehicle event
(the e-VRC follows the registry: ``services/evrc_registry.py``)."""
LicenceEventHook = Callable[[UnitOfWork, int, Event], None]
"""Called with the licence id inside the unit of work that records a licence event,
after the derived licence is written (the e-DL follows it: ``services/edl_registry.py``)."""


@dataclass(frozen=True)
class HistoryEntry:
    seq: int
    event_type: str
    on: date
    payload: dict[str, Any]
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class RecordedEvent:
    entry: HistoryEntry
    record: StoredRecord
    replayed: bool = False
    """True when the idempotency key matched an earlier, identical request."""


def _entry(event: records.Event) -> HistoryEntry:
    d = event.data
    on = d.payload.get("on")
    day = date.fromisoformat(on) if isinstance(on, str) else d.occurred_at.date()
    return HistoryEntry(event.seq, d.event_type, day, d.payload, event.recorded_at, d.recorded_by)


def check_kind(kind: str) -> RecordKind:
    for known in KINDS:
        if kind == known:
            return known
    raise InvalidInput(
        "RECORD_KIND_UNKNOWN",
        f"unknown record kind {kind!r} (person, licence or vehicle)",
        details={"field": "record_kind"},
    )


class RegistryEventService:
    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        clock: Clock,
        *,
        vehicle_hooks: Sequence[VehicleEventHook] = (),
        licence_hooks: Sequence[LicenceEventHook] = (),
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._vehicle_hooks = tuple(vehicle_hooks)
        self._licence_hooks = tuple(licence_hooks)

    def record(
        self,
        kind: str,
        record_id: int,
        event_type: str,
        payload: Mapping[str, Any],
        *,
        recorded_by: str,
        expected_version: int | None = None,
        idempotency_key: str | None = None,
    ) -> RecordedEvent:
        record_kind = check_kind(kind)
        event = event_from_payload(event_type, payload)
        if event.record_kind != record_kind:
            raise InvalidInput(
                "EVENT_NOT_APPLICABLE",
                f"{event_type} is a {event.record_kind} event, not a {record_kind} event",
                details={"field": "event_type", "reason": "wrong record kind"},
            )
        now = self._clock()
        if event.on > now.date():
            raise InvalidInput(
                "EVENT_IN_FUTURE",
                f"{event_type} is dated {event.on.isoformat()}, after today; "
                "record events once they have happened",
                details={"field": "on"},
            )
        scope = f"registry.{record_kind}.event"
        request = {"id": record_id, "type": event_type, "payload": event.to_payload()}
        with self._uow() as uow:
            store = RegistryStore(uow)
            replay = store.replay(scope, idempotency_key, request)
            if replay is not None:
                stored = uow.events.get(replay)
                assert stored is not None  # an idempotency result always names a stored event
                return RecordedEvent(_entry(stored), self._load(store, record_kind, record_id),
                                     replayed=True)  # fmt: skip
            current = self._load(store, record_kind, record_id, for_update=True)
            check_version(record_kind, current.version, expected_version)
            self._save(store, current, event, now)
            if record_kind == "vehicle":
                for hook in self._vehicle_hooks:
                    hook(uow, record_id, event)
            if record_kind == "licence":
                for hook in self._licence_hooks:
                    hook(uow, record_id, event)
            stored = uow.events.append(
                records.EventData(
                    record_kind=record_kind,
                    record_id=record_id,
                    event_type=event.event_type,
                    payload=event.to_payload(),
                    occurred_at=datetime.combine(event.on, time(), tzinfo=UTC),
                    recorded_by=recorded_by,
                ),
                now=now,
            )
            store.remember(scope, idempotency_key, request, stored.id, now=now)
            result = RecordedEvent(_entry(stored), self._load(store, record_kind, record_id))
            uow.commit()
        return result

    def history(self, kind: str, record_id: int) -> list[HistoryEntry]:
        record_kind = check_kind(kind)
        with self._uow() as uow:
            store = RegistryStore(uow)
            self._load(store, record_kind, record_id)  # NOT_FOUND for an unknown record
            return [_entry(e) for e in uow.events.history(record_kind, record_id)]

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _load(
        store: RegistryStore, kind: RecordKind, record_id: int, *, for_update: bool = False
    ) -> StoredRecord:
        if kind == "person":
            return store.person(record_id, for_update=for_update)
        if kind == "licence":
            return store.licence(record_id, for_update=for_update)
        return store.vehicle(record_id, for_update=for_update)

    @staticmethod
    def _save(store: RegistryStore, current: StoredRecord, event: Event, now: datetime) -> None:
        """Derive the record after ``event`` and write it (the version goes up by one)."""
        uow = store.uow
        if isinstance(current, StoredPerson):
            person = apply(current.person, event)
            uow.persons.update(current.id, person_data(person, current.city_code), now=now)
        elif isinstance(current, StoredLicence):
            licence = apply(current.licence, event)
            uow.licences.update(
                current.id, licence_data(licence, current.person_id, current.city_code), now=now
            )
        else:
            vehicle = apply(current.vehicle, event)
            owner_id = current.owner_id
            if isinstance(event, OwnershipTransferred):
                owner_id = store.owner(vehicle.owner_id_number, field="new_owner_id_number").id
            if vehicle.plate != current.vehicle.plate:
                store.ensure_plate_free(vehicle.plate, vehicle_id=current.id, field="new_plate")
            uow.vehicles.update(
                current.id, vehicle_data(vehicle, owner_id, current.city_code), now=now
            )
