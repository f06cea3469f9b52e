"""When a vehicle's next safety inspection (机动车安全技术检验) is due.

The schedule is data: per inspection kind, age bands (in months since
registration) with the interval between due dates and whether the due date
needs an on-site inspection or only the mark renewed on paperwork (免检).
Due dates count from the registration date and are shown to the month, so
a validity runs to the last day of the due month.

Sources: Road Traffic Safety Law Implementation Regulation art. 16; the 2014
reform (non-commercial small/micro passenger cars exempt from on-site
inspection for 6 years, marks renewed at years 2 and 4, vans excluded); the
2022 reform (from 2022-10-01, such cars aged 6-10 inspected every 2 years, so
at years 6 and 8; yearly from 10 to 15; every 6 months after 15).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from motorcred.domain.codes import UseCharacter
from motorcred.domain.dates import add_months, last_day_of_month
from motorcred.domain.vehicle_types import VehicleType
from motorcred.errors import InvalidInput

InspectionKind = Literal[
    "small_passenger_private",
    "small_passenger_private_van",
    "passenger_commercial",
    "truck_or_large_passenger",
    "motorcycle",
    "other",
]


@dataclass(frozen=True)
class Band:
    until_month: int | None
    """Age in months (exclusive) where this band ends; ``None`` = for ever."""
    interval_months: int
    on_site: bool
    """Whether a due date falling in this band needs an on-site inspection."""


SCHEDULES: Final[dict[InspectionKind, tuple[Band, ...]]] = {
    "small_passenger_private": (
        Band(72, 24, on_site=False),
        Band(120, 24, on_site=True),
        Band(180, 12, on_site=True),
        Band(None, 6, on_site=True),
    ),
    # Vans (面包车) never got the exemptions: the plain art. 16 schedule.
    "small_passenger_private_van": (
        Band(72, 24, on_site=True),
        Band(180, 12, on_site=True),
        Band(None, 6, on_site=True),
    ),
    "passenger_commercial": (Band(60, 12, on_site=True), Band(None, 6, on_site=True)),
    "truck_or_large_passenger": (Band(120, 12, on_site=True), Band(None, 6, on_site=True)),
    "motorcycle": (Band(48, 24, on_site=True), Band(None, 12, on_site=True)),
    "other": (Band(None, 12, on_site=True),),
}

EARLY_INSPECTION_MONTHS: Final = 3
"""An inspection may be done up to 3 months before the due month ends."""
SMALL_PASSENGER_MAX_SEATS: Final = 9


@dataclass(frozen=True)
class InspectionDue:
    due_month: date
    """First day of the month the inspection is due."""
    valid_until: date
    """Last day of that month: the inspection mark's validity."""
    on_site: bool
    age_months: int


def inspection_kind(
    vehicle_type: VehicleType, use: UseCharacter, *, seats: int | None, van: bool = False
) -> InspectionKind:
    category = vehicle_type.category
    if category == "motorcycle":
        return "motorcycle"
    if vehicle_type.is_passenger:
        if use.commercial:
            return "passenger_commercial"
        small = category in ("passenger_small", "passenger_micro")
        if small and (seats is None or seats <= SMALL_PASSENGER_MAX_SEATS):
            return "small_passenger_private_van" if van else "small_passenger_private"
        return "truck_or_large_passenger"
    if category in ("truck", "tractor_unit", "trailer"):
        return "truck_or_large_passenger"
    return "other"


def _band(kind: InspectionKind, age_months: int) -> Band:
    for band in SCHEDULES[kind]:
        if band.until_month is None or age_months < band.until_month:
            return band
    raise AssertionError("every schedule ends with an open band")


def due_points(
    kind: InspectionKind, registration_date: date, *, until: date
) -> list[InspectionDue]:
    """Every due date from registration up to ``until`` (for reminders and tests)."""
    out: list[InspectionDue] = []
    age = 0
    while True:
        age += _band(kind, age).interval_months
        due = add_months(registration_date, age).replace(day=1)
        if due > until:
            return out
        out.append(InspectionDue(due, last_day_of_month(due), _band(kind, age).on_site, age))


def next_inspection(
    kind: InspectionKind, registration_date: date, *, passed_on: date
) -> InspectionDue:
    """The due date an inspection passed on ``passed_on`` leads to.

    It covers every due month ending within the 3-month early window, so the next
    due date is the first one ending after ``passed_on`` + 3 months. Registration
    itself counts as passing (``passed_on=registration_date`` gives the first due date).
    A late inspection does not move the schedule: due dates stay anchored on registration.
    """
    if kind not in SCHEDULES:
        raise InvalidInput(
            "INSPECTION_KIND_UNKNOWN",
            f"unknown inspection kind {kind!r}",
            details={"field": "kind"},
        )
    if passed_on < registration_date:
        raise InvalidInput(
            "INSPECTION_DATE",
            "an inspection cannot pass before the vehicle is registered",
            details={"field": "passed_on"},
        )
    covered_until = add_months(passed_on, EARLY_INSPECTION_MONTHS)
    age = 0
    while True:
        age += _band(kind, age).interval_months
        due = add_months(registration_date, age).replace(day=1)
        if last_day_of_month(due) > covered_until:
            return InspectionDue(due, last_day_of_month(due), _band(kind, age).on_site, age)
