"""The CSV layouts ``motorcred registry import`` reads (and ``demo seed`` produces).

Two kinds of file, told apart by their header (UTF-8, optionally with a BOM;
comma-separated; first line is the header; column order is free; an empty
cell means "not given"):

**drivers** — one person per row, with their driving licence when
``file_number`` is filled in:

=====================  ========  ===================================================
column                 required  meaning
=====================  ========  ===================================================
id_number              yes       18-character citizen ID (check character verified)
name                   yes       full name
sex                    yes       ``M`` or ``F`` (must agree with the ID number)
birth_date             yes       ``YYYY-MM-DD`` (must agree with the ID number)
nationality                      ISO 3166 alpha-3, default ``CHN``
phone                            mobile number
address                          home address
city_code                        6-digit GB/T 2260 code of the city of residence
file_number            licence   12-digit licence file number (档案编号)
classes                licence   permitted classes, concatenated (``C1D``, ``A2E``)
class_dates                      when each class was granted: ``C1=2010-05-01 D=2015-03-02``
                                 (classes not listed were granted on first_issue_date)
first_issue_date       licence   first issue date of the licence
valid_from             licence   start of the current validity period
valid_until                      end of the validity period; empty = long-term (长期)
status                           licence status letters (``A`` normal, ``DH``…), default A
points                           points in the current 12-month cycle, default 0
issuing_authority      licence   name of the issuing authority
issuing_authority_code           its code (6-12 digits), default the city_code
medical_exam_due                 date the next medical exam is due
=====================  ========  ===================================================

**vehicles** — one vehicle per row; its owner must already be in the registry
(import the drivers file first):

=====================  ========  ===================================================
column                 required  meaning
=====================  ========  ===================================================
plate                  yes       plate number (京A12345, 粤BD12345)
plate_type             yes       two-digit plate type code (02 small, 52 small new-energy…)
vin                    yes       17-character VIN (check character verified)
owner_id_number        yes       citizen ID of the registered owner
use_character          yes       use character code (A private, D taxi, F goods…)
registration_date      yes       first registration date
vehicle_type           yes       vehicle type code (K33 saloon, H11 heavy truck…)
brand, model           yes       brand and model
engine_number          yes       engine number
certificate_issue_date           issue date of the current registration certificate
inspection_valid_until           inspection valid until; empty = first due date by schedule
status                           vehicle status letters, default A
seats                            approved passengers
gross_mass_kg                    gross mass in kg (also kerb_mass_kg, rated_load_kg)
mortgaged                        ``yes``/``no`` (also true/false, 1/0), default no
city_code                        6-digit code of the registering city
=====================  ========  ===================================================

Re-importing a file changes nothing: rows are matched by their natural key
(ID number; VIN) and a row whose content equals the stored record is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

from motorcred.domain.licence import DrivingLicence
from motorcred.domain.person import Person
from motorcred.domain.vehicle import Vehicle
from motorcred.errors import InvalidInput
from motorcred.services.registry_inputs import build_licence

DRIVER_REQUIRED: Final = ("id_number", "name", "sex", "birth_date")
LICENCE_REQUIRED: Final = (
    "file_number",
    "classes",
    "first_issue_date",
    "valid_from",
    "issuing_authority",
)
DRIVER_COLUMNS: Final = (
    *DRIVER_REQUIRED,
    "nationality",
    "phone",
    "address",
    "city_code",
    "file_number",
    "classes",
    "class_dates",
    "first_issue_date",
    "valid_from",
    "valid_until",
    "status",
    "points",
    "issuing_authority",
    "issuing_authority_code",
    "medical_exam_due",
)

VEHICLE_REQUIRED: Final = (
    "plate",
    "plate_type",
    "vin",
    "owner_id_number",
    "use_character",
    "registration_date",
    "vehicle_type",
    "brand",
    "model",
    "engine_number",
)
VEHICLE_COLUMNS: Final = (
    *VEHICLE_REQUIRED,
    "certificate_issue_date",
    "inspection_valid_until",
    "status",
    "seats",
    "gross_mass_kg",
    "kerb_mass_kg",
    "rated_load_kg",
    "mortgaged",
    "city_code",
)

KINDS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "drivers": (DRIVER_REQUIRED, DRIVER_COLUMNS),
    "vehicles": (VEHICLE_REQUIRED, VEHICLE_COLUMNS),
}


# ---------------------------------------------------------------------- cell parsing


def _cell(row: Mapping[str, str], name: str) -> str | None:
    value = (row.get(name) or "").strip()
    return value or None


def _required(row: Mapping[str, str], name: str) -> str:
    value = _cell(row, name)
    if value is None:
        raise InvalidInput("FIELD_REQUIRED", f"{name} is required", details={"field": name})
    return value


def parse_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.replace("/", "-"))
    except ValueError:
        raise InvalidInput(
            "DATE_FORMAT",
            f"{field}: {value!r} is not a date (YYYY-MM-DD)",
            details={"field": field},
        ) from None


def _date(row: Mapping[str, str], name: str) -> date | None:
    value = _cell(row, name)
    return None if value is None else parse_date(value, name)


def _required_date(row: Mapping[str, str], name: str) -> date:
    return parse_date(_required(row, name), name)


def _int(row: Mapping[str, str], name: str) -> int | None:
    value = _cell(row, name)
    if value is None:
        return None
    if not re.fullmatch(r"[0-9]{1,9}", value):
        raise InvalidInput(
            "NUMBER_FORMAT", f"{name}: {value!r} is not a whole number", details={"field": name}
        )
    return int(value)


_TRUE = frozenset({"yes", "y", "true", "1", "是"})
_FALSE = frozenset({"no", "n", "false", "0", "否"})


def _bool(row: Mapping[str, str], name: str) -> bool:
    value = (_cell(row, name) or "no").lower()
    if value not in _TRUE | _FALSE:
        raise InvalidInput(
            "BOOL_FORMAT", f"{name}: {value!r} is not yes or no", details={"field": name}
        )
    return value in _TRUE


def parse_class_dates(text: str | None) -> dict[str, date]:
    """``C1=2010-05-01 D=2015-03-02`` (separated by spaces, commas or semicolons)."""
    out: dict[str, date] = {}
    for part in re.split(r"[\s,;]+", text or ""):
        if not part:
            continue
        code, sep, day = part.partition("=")
        if not sep or not code:
            raise InvalidInput(
                "CLASS_DATES_FORMAT",
                f"class_dates: {part!r} is not CLASS=YYYY-MM-DD",
                details={"field": "class_dates"},
            )
        out[code.upper()] = parse_date(day, "class_dates")
    return out


# ---------------------------------------------------------------------- rows


@dataclass(frozen=True)
class DriverRow:
    person: Person
    city_code: str | None
    licence: DrivingLicence | None


def _city(row: Mapping[str, str]) -> str | None:
    code = _cell(row, "city_code")
    if code is not None and not re.fullmatch(r"[0-9]{6}", code):
        raise InvalidInput(
            "CITY_CODE_FORMAT",
            "city_code is a 6-digit GB/T 2260 code",
            details={"field": "city_code"},
        )
    return code


def parse_driver(row: Mapping[str, str], *, as_of: date) -> DriverRow:
    """A person (and licence, when ``file_number`` is filled in) from a drivers row."""
    person = Person.create(
        id_number=_required(row, "id_number"),
        name=_required(row, "name"),
        sex=_required(row, "sex"),
        birth_date=_required_date(row, "birth_date"),
        nationality=_cell(row, "nationality") or "CHN",
        address=_cell(row, "address"),
        phone=_cell(row, "phone"),
    )
    city = _city(row)
    if _cell(row, "file_number") is None:
        return DriverRow(person, city, None)
    licence = build_licence(
        number=person.id_number,
        file_number=_required(row, "file_number"),
        classes=_required(row, "classes"),
        class_dates=parse_class_dates(_cell(row, "class_dates")),
        first_issue_date=_required_date(row, "first_issue_date"),
        valid_from=_required_date(row, "valid_from"),
        valid_until=_date(row, "valid_until"),
        status=_cell(row, "status") or "A",
        points=_int(row, "points") or 0,
        issuing_authority_code=_cell(row, "issuing_authority_code") or (city or ""),
        issuing_authority_name=_required(row, "issuing_authority"),
        medical_exam_due=_date(row, "medical_exam_due"),
        as_of=as_of,
    )
    return DriverRow(person, city, licence)


@dataclass(frozen=True)
class VehicleRow:
    vehicle: Vehicle
    city_code: str | None


def parse_vehicle(row: Mapping[str, str]) -> VehicleRow:
    vehicle = Vehicle.create(
        plate=_required(row, "plate"),
        plate_type=_required(row, "plate_type"),
        vin=_required(row, "vin"),
        engine_number=_required(row, "engine_number"),
        brand=_required(row, "brand"),
        model=_required(row, "model"),
        vehicle_type=_required(row, "vehicle_type"),
        use_character=_required(row, "use_character"),
        owner_id_number=_required(row, "owner_id_number"),
        registration_date=_required_date(row, "registration_date"),
        certificate_issue_date=_date(row, "certificate_issue_date"),
        inspection_valid_until=_date(row, "inspection_valid_until"),
        status=_cell(row, "status") or "A",
        seats=_int(row, "seats"),
        gross_mass_kg=_int(row, "gross_mass_kg"),
        kerb_mass_kg=_int(row, "kerb_mass_kg"),
        rated_load_kg=_int(row, "rated_load_kg"),
        mortgaged=_bool(row, "mortgaged"),
    )
    return VehicleRow(vehicle, _city(row))
