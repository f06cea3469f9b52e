"""Events that change a vehicle record."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar, Final, Literal

from motorcred.domain.citizen_id import parse_citizen_id
from motorcred.domain.codes import VEHICLE_STATUS, use_character
from motorcred.domain.event_base import Event, RecordKind, check_text, invalid_field, not_applicable
from motorcred.domain.inspection import next_inspection
from motorcred.domain.plates import validate_plate
from motorcred.domain.vehicle import Vehicle

TRANSFER_BLOCKING: Final = frozenset("CEGHJKLMNOPQ")
"""Stolen, deregistered, unprocessed violation, customs, suspect, sealed, detained,
hit-and-run, locked, scrapped, inspection overdue: no transfer until resolved."""
MARKER_CODES: Final = frozenset("BCDGHIJKLNOP")
"""Vehicle statuses set and cleared by marking; A, E, M and Q follow their own events."""
DeregistrationReason = Literal["scrapped", "lost", "exported", "returned", "other"]


@dataclass(frozen=True)
class VehicleEvent(Event):
    record_kind: ClassVar[RecordKind] = "vehicle"

    def apply_to(self, vehicle: Vehicle) -> Vehicle:
        if vehicle.is_deregistered:
            not_applicable(self, "the vehicle is deregistered", status=vehicle.status_text)
        if self.on < vehicle.registration_date:
            not_applicable(self, "the event predates the registration")
        return self.change(vehicle)

    def change(self, vehicle: Vehicle) -> Vehicle:
        raise NotImplementedError


@dataclass(frozen=True)
class OwnershipTransferred(VehicleEvent):
    """Transfer to a new owner (过户), optionally with a new plate."""

    event_type: ClassVar[str] = "ownership_transferred"
    new_owner_id_number: str
    new_plate: str | None = None
    new_plate_type: str | None = None

    def check(self) -> None:
        parse_citizen_id(self.new_owner_id_number, field="new_owner_id_number")
        if (self.new_plate is None) != (self.new_plate_type is None):
            invalid_field("new_plate", "EVENT_FIELD", "a new plate needs its plate type")
        if self.new_plate is not None and self.new_plate_type is not None:
            validate_plate(self.new_plate, self.new_plate_type, field="new_plate")

    def change(self, vehicle: Vehicle) -> Vehicle:
        owner = parse_citizen_id(self.new_owner_id_number).value
        if owner == vehicle.owner_id_number:
            not_applicable(self, "the new owner is the current owner")
        if vehicle.mortgaged:
            not_applicable(self, "the vehicle is mortgaged; release the mortgage first")
        blocking = vehicle.status & TRANSFER_BLOCKING
        if blocking:
            not_applicable(
                self,
                "the vehicle status does not allow a transfer",
                status="".join(sorted(blocking)),
            )
        changed = replace(vehicle, owner_id_number=owner, certificate_issue_date=self.on)
        if self.new_plate is not None and self.new_plate_type is not None:
            plate, kind = validate_plate(self.new_plate, self.new_plate_type, field="new_plate")
            changed = replace(changed, plate=plate, plate_type=kind.code)
        return changed


@dataclass(frozen=True)
class PlateChanged(VehicleEvent):
    event_type: ClassVar[str] = "plate_changed"
    plate: str
    plate_type: str

    def check(self) -> None:
        validate_plate(self.plate, self.plate_type)

    def change(self, vehicle: Vehicle) -> Vehicle:
        plate, kind = validate_plate(self.plate, self.plate_type)
        if (plate, kind.code) == (vehicle.plate, vehicle.plate_type):
            not_applicable(self, "the vehicle already carries this plate")
        return replace(vehicle, plate=plate, plate_type=kind.code, certificate_issue_date=self.on)


@dataclass(frozen=True)
class UseCharacterChanged(VehicleEvent):
    event_type: ClassVar[str] = "use_character_changed"
    use_character: str

    def check(self) -> None:
        use_character(self.use_character)

    def change(self, vehicle: Vehicle) -> Vehicle:
        code = use_character(self.use_character).code
        if code == vehicle.use_character:
            not_applicable(self, f"the use character is already {code}")
        return replace(vehicle, use_character=code, certificate_issue_date=self.on)


@dataclass(frozen=True)
class InspectionPassed(VehicleEvent):
    """A passed inspection (or paperwork renewal of the mark): validity to the next due month."""

    event_type: ClassVar[str] = "inspection_passed"
    valid_until: date | None = None
    """Set by the inspection station; computed from the schedule when omitted."""

    def check(self) -> None:
        if self.valid_until is not None and self.valid_until <= self.on:
            invalid_field("valid_until", "EVENT_FIELD", "validity must end after the inspection")

    def change(self, vehicle: Vehicle) -> Vehicle:
        until = self.valid_until
        if until is None:
            due = next_inspection(
                vehicle.inspection_kind, vehicle.registration_date, passed_on=self.on
            )
            until = due.valid_until
        status = vehicle.status
        if "Q" in status:
            status = VEHICLE_STATUS.remove(status, "Q")
        return replace(vehicle, inspection_valid_until=until, status=status)


@dataclass(frozen=True)
class Mortgaged(VehicleEvent):
    event_type: ClassVar[str] = "mortgaged"
    creditor: str | None = None

    def check(self) -> None:
        check_text("creditor", self.creditor)

    def change(self, vehicle: Vehicle) -> Vehicle:
        if vehicle.mortgaged:
            not_applicable(self, "the vehicle is already mortgaged")
        return replace(vehicle, mortgaged=True)


@dataclass(frozen=True)
class MortgageReleased(VehicleEvent):
    event_type: ClassVar[str] = "mortgage_released"

    def change(self, vehicle: Vehicle) -> Vehicle:
        if not vehicle.mortgaged:
            not_applicable(self, "the vehicle is not mortgaged")
        return replace(vehicle, mortgaged=False)


@dataclass(frozen=True)
class Deregistered(VehicleEvent):
    """Deregistration (注销); ``forced`` for a compulsory one (强制注销). Closes the record."""

    event_type: ClassVar[str] = "deregistered"
    reason: DeregistrationReason = "scrapped"
    forced: bool = False

    def change(self, vehicle: Vehicle) -> Vehicle:
        if vehicle.mortgaged and not self.forced:
            not_applicable(self, "the vehicle is mortgaged; release the mortgage first")
        code = "M" if self.forced else "E"
        return replace(vehicle, status=frozenset({code}))


@dataclass(frozen=True)
class VehicleStatusMarked(VehicleEvent):
    """Set or clear a marker: violation/accident unprocessed, stolen, sealed, laid up…"""

    event_type: ClassVar[str] = "vehicle_status_marked"
    code: str
    cleared: bool = False

    def check(self) -> None:
        if self.code not in MARKER_CODES:
            invalid_field(
                "code",
                "VEHICLE_STATUS_UNKNOWN",
                f"status {self.code!r} is not a vehicle marker; markers are "
                + "".join(sorted(MARKER_CODES)),
            )

    def change(self, vehicle: Vehicle) -> Vehicle:
        if self.cleared:
            if self.code not in vehicle.status:
                not_applicable(self, f"status {self.code} is not set")
            return replace(vehicle, status=VEHICLE_STATUS.remove(vehicle.status, self.code))
        if self.code in vehicle.status:
            not_applicable(self, f"status {self.code} is already set")
        return replace(vehicle, status=VEHICLE_STATUS.add(vehicle.status, self.code))


@dataclass(frozen=True)
class InspectionOverdue(VehicleEvent):
    """Marks Q once the inspection validity has passed (recorded by a periodic job)."""

    event_type: ClassVar[str] = "inspection_overdue"

    def change(self, vehicle: Vehicle) -> Vehicle:
        if not vehicle.inspection_overdue(self.on):
            not_applicable(self, "the inspection is still valid")
        if "Q" in vehicle.status:
            not_applicable(self, "the vehicle is already marked overdue")
        return replace(vehicle, status=VEHICLE_STATUS.add(vehicle.status, "Q"))


VEHICLE_EVENTS: Final[tuple[type[VehicleEvent], ...]] = (
    OwnershipTransferred,
    PlateChanged,
    UseCharacterChanged,
    InspectionPassed,
    Mortgaged,
    MortgageReleased,
    Deregistered,
    VehicleStatusMarked,
    InspectionOverdue,
)
