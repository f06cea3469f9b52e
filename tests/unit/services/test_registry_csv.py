"""CSV row parsing: each cell rule has its code; arbitrary rows fail only with stable codes."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.errors import InvalidInput, MotorcredError
from motorcred.services.demo_data import generate
from motorcred.services.registry_csv import (
    DRIVER_COLUMNS,
    VEHICLE_COLUMNS,
    parse_class_dates,
    parse_driver,
    parse_vehicle,
)
from motorcred.services.registry_import import read_header
from motorcred.services.registry_inputs import class_grants, validity_years

TODAY = date(2026, 11, 23)
DRIVER = generate(1, seed=99).drivers[0]
VEHICLE = generate(5, seed=99).vehicles[0]


def test_demo_rows_parse() -> None:
    demo = generate(60, seed=4)
    for row in demo.drivers:
        parsed = parse_driver(row, as_of=TODAY)
        assert parsed.licence is not None and parsed.licence.number == row["id_number"]
    for row in demo.vehicles:
        assert parse_vehicle(row).vehicle.vin == row["vin"]


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"birth_date": "1990-02-30"}, "DATE_FORMAT", "birth_date"),
        ({"name": " "}, "FIELD_REQUIRED", "name"),
        ({"points": "-1"}, "NUMBER_FORMAT", "points"),
        ({"class_dates": "C1:2010-01-01"}, "CLASS_DATES_FORMAT", "class_dates"),
        ({"class_dates": "A1=2010-01-01"}, "CLASS_DATE_UNMATCHED", "class_dates"),
        ({"city_code": "1101"}, "CITY_CODE_FORMAT", "city_code"),
        ({"status": "AD"}, "LICENCE_STATUS_UNKNOWN", "status"),
        ({"valid_until": "2099-01-01"}, "LICENCE_VALIDITY", "validity_years"),
        ({"issuing_authority": ""}, "FIELD_REQUIRED", "issuing_authority"),
    ],
)
def test_driver_cell_rules(change: dict[str, str], code: str, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_driver(DRIVER | change, as_of=TODAY)
    assert (info.value.code, info.value.details.get("field")) == (code, field)


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"mortgaged": "maybe"}, "BOOL_FORMAT", "mortgaged"),
        ({"seats": "5.5"}, "NUMBER_FORMAT", "seats"),
        ({"vin": VEHICLE["vin"][:8] + "Z" + VEHICLE["vin"][9:]}, "VIN_CHECK_DIGIT", "vin"),
        ({"plate": "沪O12345"}, "PLATE_FORMAT", "plate"),
        ({"engine_number": ""}, "FIELD_REQUIRED", "engine_number"),
    ],
)
def test_vehicle_cell_rules(change: dict[str, str], code: str, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_vehicle(VEHICLE | change)
    assert (info.value.code, info.value.details.get("field")) == (code, field)


def test_person_only_row_and_defaults() -> None:
    row = {k: DRIVER[k] for k in ("id_number", "name", "sex", "birth_date")}
    parsed = parse_driver(row, as_of=TODAY)
    assert parsed.licence is None and parsed.person.nationality == "CHN"


def test_class_dates_and_grants() -> None:
    assert parse_class_dates("c1=2010-05-01; D=2015/03/02") == {
        "C1": date(2010, 5, 1), "D": date(2015, 3, 2),
    }  # fmt: skip
    grants = class_grants("C1D", date(2010, 5, 1), {"D": date(2015, 3, 2)})
    assert grants == {"C1": date(2010, 5, 1), "D": date(2015, 3, 2)}


def test_validity_years_from_the_period_including_29_february() -> None:
    assert validity_years(date(2016, 2, 29), date(2022, 2, 28)) == 6
    assert validity_years(date(2020, 5, 1), date(2030, 5, 1)) == 10
    assert validity_years(date(2020, 5, 1), None) is None
    assert validity_years(date(2020, 5, 1), date(2023, 5, 1)) == 3  # refused by the domain


@settings(max_examples=200, deadline=None)
@given(
    cells=st.dictionaries(
        st.sampled_from(DRIVER_COLUMNS + VEHICLE_COLUMNS),
        st.text(max_size=24),
        max_size=len(DRIVER_COLUMNS),
    ),
    base=st.sampled_from(["driver", "vehicle"]),
)
def test_arbitrary_cells_fail_only_with_stable_codes(cells: dict[str, str], base: str) -> None:
    try:
        if base == "driver":
            parse_driver(DRIVER | {k: v for k, v in cells.items() if k in DRIVER_COLUMNS},
                         as_of=TODAY)  # fmt: skip
        else:
            parse_vehicle(VEHICLE | {k: v for k, v in cells.items() if k in VEHICLE_COLUMNS})
    except MotorcredError as error:
        assert error.code.isupper() and error.message


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=8))
def test_any_header_is_accepted_or_a_usage_error(header: list[str]) -> None:
    out = io.StringIO()
    csv.writer(out).writerow(header)
    try:
        kind, _ = read_header(csv.reader(io.StringIO(out.getvalue())))
    except MotorcredError as error:
        assert error.code.startswith("IMPORT_")
    else:
        assert kind in ("drivers", "vehicles")
