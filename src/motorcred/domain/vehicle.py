"""A motor vehicle as the registry holds it (the record behind the 行驶证)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import NoReturn

from motorcred.domain.citizen_id import parse_citizen_id
from motorcred.domain.codes import VEHICLE_STATUS, use_character
from motorcred.domain.inspection import InspectionKind, inspection_kind, next_inspection
from motorcred.domain.plates import validate_plate
from motorcred.domain.vehicle_types import vehicle_type
from motorcred.domain.vin import parse_vin
from motorcred.errors import InvalidInput

_ENGINE_NUMBER = re.compile(r"[0-9A-Z\-]{4,20}")
TEXT_MAX = 64
SEATS_MAX = 100
MASS_MAX_KG = 200_000
DEREGISTERED = frozenset({"E", "M", "P"})
"""Statuses after which the record is closed (deregistered, forced, scrapped)."""


@dataclass(frozen=True)
class Vehicle:
    plate: str
    plate_type: str
    vin: str
    engine_number: str
    brand: str
    model: str
    vehicle_type: str
    use_character: str
    owner_id_number: str
    registration_date: date
    certificate_issue_date: date
    inspection_valid_until: date | None
    status: frozenset[str]
    seats: int | None = None
    gross_mass_kg: int | None = None
    kerb_mass_kg: int | None = None
    rated_load_kg: int | None = None
    mortgaged: bool = False
    van: bool = False
    """Van body (面包车): excluded from the small-car inspection exemptions."""

    @classmethod
    def create(
        cls,
        *,
        plate: str,
        plate_type: str,
        vin: str,
        engine_number: str,
        brand: str,
        model: str,
        vehicle_type: str,
        use_character: str,
        owner_id_number: str,
        registration_date: date,
        certificate_issue_date: date | None = None,
        inspection_valid_until: date | None = None,
        status: frozenset[str] | str = "A",
        seats: int | None = None,
        gross_mass_kg: int | None = None,
        kerb_mass_kg: int | None = None,
        rated_load_kg: int | None = None,
        mortgaged: bool = False,
        van: bool = False,
    ) -> Vehicle:
        """A validated vehicle; without ``inspection_valid_until`` the first due date is used."""
        number, kind = validate_plate(plate, plate_type)
        vehicle = cls(
            plate=number,
            plate_type=kind.code,
            vin=parse_vin(vin),
            engine_number=engine_number.strip().upper(),
            brand=" ".join(brand.split()),
            model=" ".join(model.split()),
            vehicle_type=_vehicle_type_code(vehicle_type),
            use_character=use_character.strip().upper(),
            owner_id_number=parse_citizen_id(owner_id_number, field="owner_id_number").value,
            registration_date=registration_date,
            certificate_issue_date=certificate_issue_date or registration_date,
            inspection_valid_until=inspection_valid_until,
            status=VEHICLE_STATUS.parse(status),
            seats=seats,
            gross_mass_kg=gross_mass_kg,
            kerb_mass_kg=kerb_mass_kg,
            rated_load_kg=rated_load_kg,
            mortgaged=mortgaged,
            van=van,
        )
        vehicle.validate()
        if inspection_valid_until is None:
            due = next_inspection(
                vehicle.inspection_kind, registration_date, passed_on=registration_date
            )
            vehicle = replace(vehicle, inspection_valid_until=due.valid_until)
        return vehicle

    def validate(self) -> Vehicle:
        validate_plate(self.plate, self.plate_type)
        parse_vin(self.vin)
        vehicle_type(self.vehicle_type)
        use_character(self.use_character)
        parse_citizen_id(self.owner_id_number, field="owner_id_number")
        VEHICLE_STATUS.parse(self.status)
        if not _ENGINE_NUMBER.fullmatch(self.engine_number):
            _bad("engine_number", "ENGINE_NUMBER_FORMAT", "engine number is 4-20 of 0-9 A-Z -")
        for name, text in (("brand", self.brand), ("model", self.model)):
            if not text or len(text) > TEXT_MAX:
                _bad(name, "VEHICLE_TEXT_FORMAT", f"{name} is 1-{TEXT_MAX} characters")
        if self.certificate_issue_date < self.registration_date:
            _bad(
                "certificate_issue_date", "VEHICLE_DATES", "certificate issued before registration"
            )
        if self.seats is not None and not 1 <= self.seats <= SEATS_MAX:
            _bad("seats", "VEHICLE_SEATS", f"seats must be 1-{SEATS_MAX}")
        masses = {
            "gross_mass_kg": self.gross_mass_kg,
            "kerb_mass_kg": self.kerb_mass_kg,
            "rated_load_kg": self.rated_load_kg,
        }
        for name, mass in masses.items():
            if mass is not None and not 0 <= mass <= MASS_MAX_KG:
                _bad(name, "VEHICLE_MASS", f"{name} must be 0-{MASS_MAX_KG} kg")
        if (
            self.gross_mass_kg is not None
            and self.kerb_mass_kg is not None
            and self.kerb_mass_kg > self.gross_mass_kg
        ):
            _bad("kerb_mass_kg", "VEHICLE_MASS", "kerb mass cannot exceed gross mass")
        return self

    @property
    def inspection_kind(self) -> InspectionKind:
        return inspection_kind(
            vehicle_type(self.vehicle_type),
            use_character(self.use_character),
            seats=self.seats,
            van=self.van,
        )

    @property
    def status_text(self) -> str:
        return VEHICLE_STATUS.format(self.status)

    @property
    def is_deregistered(self) -> bool:
        return bool(self.status & DEREGISTERED)

    def inspection_overdue(self, on: date) -> bool:
        return self.inspection_valid_until is not None and on > self.inspection_valid_until


def _vehicle_type_code(code: str) -> str:
    return vehicle_type(code).code


def _bad(field_name: str, code: str, message: str) -> NoReturn:
    raise InvalidInput(code, message, details={"field": field_name})
