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
issuing_authority_code           its code
medical_exam_due                 date the next medical exam is due
=====================  ========  ===================================================

**vehicles** — one vehicle per row; its owner must already be in the registry
(import the drivers file first, or put both in one run):

=====================  ========  ===================================================
column                 required  meaning
=====================  ========  ===================================================
plate                  yes       plate number (京A12345, 粤BD12345)
plate_type             yes       two-digit plate type code (02 small, 52 small new-energy…)
vin                    yes       17-character VIN (check character verified)
owner_id_number        yes       citizen ID of the registered owner
use_character          yes       use character code (A private, D taxi, F goods…)
registration_date      yes       first registration date
vehicle_type                     vehicle type code (K33 car, H11 heavy truck…)
brand, model                     brand and model
engine_number                    engine number
certificate_issue_date           issue date of the current registration certificate
inspection_valid_until           inspection valid until (shown to the month)
status                           vehicle status letters, default A
seats                            approved passengers
mass_kg                          gross mass in kg
mortgaged                        ``yes``/``no`` (also true/false, 1/0), default no
city_code                        6-digit code of the registering city
=====================  ========  ===================================================

Re-importing a file changes nothing: rows are matched by their natural key
(ID number; VIN) and a row whose content equals the stored record is skipped.
"""

from __future__ import annotations

from typing import Final

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
)
VEHICLE_COLUMNS: Final = (
    *VEHICLE_REQUIRED,
    "vehicle_type",
    "brand",
    "model",
    "engine_number",
    "certificate_issue_date",
    "inspection_valid_until",
    "status",
    "seats",
    "mass_kg",
    "mortgaged",
    "city_code",
)

KINDS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "drivers": (DRIVER_REQUIRED, DRIVER_COLUMNS),
    "vehicles": (VEHICLE_REQUIRED, VEHICLE_COLUMNS),
}
