from __future__ import annotations

from datetime import date

import pytest

from motorcred.domain.codes import use_character
from motorcred.domain.dates import add_months, months_between
from motorcred.domain.inspection import (
    InspectionKind,
    due_points,
    inspection_kind,
    next_inspection,
)
from motorcred.domain.vehicle_types import vehicle_type
from motorcred.errors import InvalidInput

REG = date(2010, 5, 10)


def ages(kind: InspectionKind, years: int) -> list[int]:
    return [p.age_months for p in due_points(kind, REG, until=add_months(REG, 12 * years))]


def test_private_small_car_schedule() -> None:
    points = due_points("small_passenger_private", REG, until=date(2027, 12, 31))
    assert [p.age_months for p in points] == [
        24,
        48,
        72,
        96,
        120,
        132,
        144,
        156,
        168,
        180,
        186,
        192,
        198,
        204,
        210,
    ]
    # Years 2 and 4: the mark is renewed on paperwork; from year 6 on site.
    assert [p.on_site for p in points[:4]] == [False, False, True, True]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("small_passenger_private_van", [24, 48, 72, 84, 96, 108, 120]),
        ("passenger_commercial", [12, 24, 36, 48, 60, 66, 72, 78, 84, 90, 96, 102, 108, 114, 120]),
        ("truck_or_large_passenger", [12, 24, 36, 48, 60, 72, 84, 96, 108, 120]),
        ("motorcycle", [24, 48, 60, 72, 84, 96, 108, 120]),
        ("other", [12, 24, 36, 48, 60, 72, 84, 96, 108, 120]),
    ],
)
def test_schedules_to_ten_years(kind: InspectionKind, expected: list[int]) -> None:
    assert ages(kind, 10) == expected


def test_truck_after_ten_years_every_six_months() -> None:
    assert ages("truck_or_large_passenger", 12)[9:] == [120, 126, 132, 138, 144]


def test_validity_is_shown_to_the_month() -> None:
    first = next_inspection("small_passenger_private", REG, passed_on=REG)
    assert first.due_month == date(2012, 5, 1)
    assert first.valid_until == date(2012, 5, 31)


@pytest.mark.parametrize(
    ("passed_on", "valid_until"),
    [
        (date(2016, 3, 1), date(2018, 5, 31)),  # within 3 months before the due month ends
        (date(2016, 5, 31), date(2018, 5, 31)),
        (date(2016, 2, 27), date(2016, 5, 31)),  # too early: does not cover the due
        (date(2016, 8, 20), date(2018, 5, 31)),  # late: the schedule stays anchored
        (date(2020, 5, 10), date(2021, 5, 31)),  # at 10 years the yearly band starts
        (date(2025, 5, 1), date(2025, 11, 30)),  # at 15 years every 6 months
    ],
)
def test_next_due_after_passing(passed_on: date, valid_until: date) -> None:
    due = next_inspection("small_passenger_private", REG, passed_on=passed_on)
    assert due.valid_until == valid_until


def test_boundaries_to_the_month() -> None:
    # Commercial passenger: yearly while under 5 years, 6-monthly from the 5-year due date.
    reg = date(2018, 1, 31)
    assert next_inspection(
        "passenger_commercial", reg, passed_on=date(2021, 12, 1)
    ).valid_until == (date(2023, 1, 31))
    assert next_inspection(
        "passenger_commercial", reg, passed_on=date(2023, 1, 15)
    ).valid_until == (date(2023, 7, 31))
    # Motorcycle: every 2 years up to 4, then yearly.
    assert next_inspection("motorcycle", reg, passed_on=date(2020, 1, 2)).valid_until == date(
        2022, 1, 31
    )
    assert next_inspection("motorcycle", reg, passed_on=date(2022, 1, 2)).valid_until == date(
        2023, 1, 31
    )


def test_inspection_before_registration_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        next_inspection("other", REG, passed_on=date(2010, 1, 1))
    assert err.value.code == "INSPECTION_DATE"


@pytest.mark.parametrize(
    ("vtype", "use", "seats", "van", "kind"),
    [
        ("K33", "A", 5, False, "small_passenger_private"),
        ("K43", "A", 4, False, "small_passenger_private"),
        ("K31", "A", 7, True, "small_passenger_private_van"),
        ("K31", "A", 12, False, "truck_or_large_passenger"),
        ("K33", "D", 5, False, "passenger_commercial"),
        ("K11", "B", 45, False, "passenger_commercial"),
        ("K11", "A", 45, False, "truck_or_large_passenger"),
        ("H11", "F", 2, False, "truck_or_large_passenger"),
        ("B11", "F", None, False, "truck_or_large_passenger"),
        ("M21", "A", 2, False, "motorcycle"),
        ("T11", "A", 1, False, "other"),
    ],
)
def test_inspection_kind(vtype: str, use: str, seats: int | None, van: bool, kind: str) -> None:
    assert inspection_kind(vehicle_type(vtype), use_character(use), seats=seats, van=van) == kind


def test_months_between() -> None:
    assert months_between(date(2010, 1, 31), date(2010, 2, 28)) == 1
    assert months_between(date(2010, 1, 31), date(2010, 2, 27)) == 0
    assert add_months(date(2010, 1, 31), 1) == date(2010, 2, 28)
