"""Registry events: the one way records change, and the fold that derives them.

The current licence, vehicle or person record is ``replay(initial, events)``:
a pure fold of :func:`apply` over the stored events in order. Events serialise
to JSON-ready payloads (``to_payload``) and back (:func:`event_from_payload`),
so the event store keeps ``event_type`` + payload and can rebuild any record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final, TypeVar, overload

from motorcred.domain.event_base import Event, RecordKind
from motorcred.domain.licence import DrivingLicence
from motorcred.domain.licence_events import (
    BASIC_LICENCE_EVENTS,
    AccidentProcessed,
    AccidentRecorded,
    ClassAdded,
    ClassRemoved,
    FinePaid,
    LicenceEvent,
    MedicalExamSubmitted,
    PhotoReplaced,
    PointsCleared,
    Renewed,
    TransferredIn,
    ViolationRecorded,
)
from motorcred.domain.licence_sanctions import (
    SANCTION_EVENTS,
    CancellationLifted,
    Cancelled,
    Detained,
    DetentionLifted,
    RevocationLifted,
    Revoked,
    StatusMarked,
    StopLifted,
    Stopped,
    Suspended,
    SuspensionLifted,
    WithdrawalLifted,
    Withdrawn,
)
from motorcred.domain.person import Person
from motorcred.domain.person_events import (
    PERSON_EVENTS,
    AddressChanged,
    PersonEvent,
    PhoneChanged,
)
from motorcred.domain.vehicle import Vehicle
from motorcred.domain.vehicle_events import (
    VEHICLE_EVENTS,
    Deregistered,
    InspectionOverdue,
    InspectionPassed,
    Mortgaged,
    MortgageReleased,
    OwnershipTransferred,
    PlateChanged,
    UseCharacterChanged,
    VehicleEvent,
    VehicleStatusMarked,
)
from motorcred.errors import InvalidInput

__all__ = [
    "EVENT_TYPES",
    "AccidentProcessed",
    "AccidentRecorded",
    "AddressChanged",
    "CancellationLifted",
    "Cancelled",
    "ClassAdded",
    "ClassRemoved",
    "Deregistered",
    "Detained",
    "DetentionLifted",
    "Event",
    "FinePaid",
    "InspectionOverdue",
    "InspectionPassed",
    "LicenceEvent",
    "MedicalExamSubmitted",
    "MortgageReleased",
    "Mortgaged",
    "OwnershipTransferred",
    "PersonEvent",
    "PhoneChanged",
    "PhotoReplaced",
    "PlateChanged",
    "PointsCleared",
    "Renewed",
    "RevocationLifted",
    "Revoked",
    "StatusMarked",
    "StopLifted",
    "Stopped",
    "Suspended",
    "SuspensionLifted",
    "TransferredIn",
    "UseCharacterChanged",
    "VehicleEvent",
    "VehicleStatusMarked",
    "ViolationRecorded",
    "WithdrawalLifted",
    "Withdrawn",
    "apply",
    "event_from_payload",
    "event_types_for",
    "replay",
]

Record = TypeVar("Record", DrivingLicence, Vehicle, Person)

EVENT_TYPES: Final[Mapping[str, type[Event]]] = {
    cls.event_type: cls
    for cls in (*BASIC_LICENCE_EVENTS, *SANCTION_EVENTS, *VEHICLE_EVENTS, *PERSON_EVENTS)
}
_KIND_OF_RECORD: Final[dict[type, RecordKind]] = {
    DrivingLicence: "licence",
    Vehicle: "vehicle",
    Person: "person",
}


def event_from_payload(event_type: str, payload: Mapping[str, Any]) -> Event:
    """Rebuild (and re-validate) a stored event; ``EVENT_TYPE_UNKNOWN`` for a foreign type."""
    cls = EVENT_TYPES.get(event_type)
    if cls is None:
        raise InvalidInput(
            "EVENT_TYPE_UNKNOWN",
            f"unknown registry event type {event_type!r}",
            details={"field": "event_type", "value": event_type},
        )
    if not isinstance(payload, Mapping):
        raise InvalidInput(
            "EVENT_PAYLOAD", "an event payload is a JSON object", details={"field": "payload"}
        )
    return cls.from_payload(dict(payload))


def event_types_for(kind: RecordKind) -> list[str]:
    return sorted(t for t, cls in EVENT_TYPES.items() if cls.record_kind == kind)


@overload
def apply(record: DrivingLicence, event: Event) -> DrivingLicence: ...
@overload
def apply(record: Vehicle, event: Event) -> Vehicle: ...
@overload
def apply(record: Person, event: Event) -> Person: ...
def apply(record: DrivingLicence | Vehicle | Person, event: Event) -> Any:
    """The record after ``event``; ``EVENT_NOT_APPLICABLE`` if it does not fit the record."""
    kind = _KIND_OF_RECORD[type(record)]
    if event.record_kind != kind:
        raise InvalidInput(
            "EVENT_NOT_APPLICABLE",
            f"{event.event_type} is a {event.record_kind} event and cannot change a {kind}",
            details={"event_type": event.event_type, "reason": "wrong record kind"},
        )
    if isinstance(record, DrivingLicence) and isinstance(event, LicenceEvent):
        return event.apply_to(record)
    if isinstance(record, Vehicle) and isinstance(event, VehicleEvent):
        return event.apply_to(record)
    if isinstance(record, Person) and isinstance(event, PersonEvent):
        return event.apply_to(record)
    raise AssertionError(f"no handler for {type(event).__name__}")  # every kind is covered


def replay(initial: Record, events: Iterable[Event]) -> Record:
    """Fold the events over the initial record, in the order given (the store's order)."""
    record = initial
    for event in events:
        record = apply(record, event)
    return record
