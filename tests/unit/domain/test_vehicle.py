from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from motorcred.domain.vehicle import Vehicle
from motorcred.errors import InvalidInput

OWNER = "440102198001021230"


def base(**changes: Any) -> dict[str, Any]:
    return {
        "plate": "粤A·12345",
        "plate_type": "02",
        "vin": "uu6ja69691d713820",
        "engine_number": "2zr1234567",
        "brand": "丰田",
        "model": "卡罗拉  1.8L",
        "vehicle_type": "K33",
        "use_character": "a",
        "owner_id_number": OWNER,
        "registration_date": date(2020, 5, 10),
        "seats": 5,
        "gross_mass_kg": 1800,
        "kerb_mass_kg": 1300,
        **changes,
    }


def test_create_normalises_and_sets_first_inspection() -> None:
    v = Vehicle.create(**base())
    assert (v.plate, v.vin, v.engine_number, v.model) == (
        "粤A12345",
        "UU6JA69691D713820",
        "2ZR1234567",
        "卡罗拉 1.8L",
    )
    assert v.use_character == "A"
    assert v.status_text == "A"
    assert v.certificate_issue_date == date(2020, 5, 10)
    assert v.inspection_kind == "small_passenger_private"
    assert v.inspection_valid_until == date(2022, 5, 31)
    assert not v.inspection_overdue(date(2022, 5, 31))
    assert v.inspection_overdue(date(2022, 6, 1))


def test_new_energy_vehicle() -> None:
    v = Vehicle.create(**base(plate="粤BD12345", plate_type="52", status="GQ", mortgaged=True))
    assert v.status == {"G", "Q"}
    assert v.mortgaged


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"plate": "粤A1234"}, "PLATE_FORMAT", "plate"),
        ({"plate_type": "52"}, "PLATE_TYPE_MISMATCH", "plate"),
        ({"plate_type": "00"}, "PLATE_TYPE_UNKNOWN", "plate_type"),
        ({"vin": "UU6JA69691D713821"}, "VIN_CHECK_DIGIT", "vin"),
        ({"vin": "UU6JA69691D71382"}, "VIN_FORMAT", "vin"),
        ({"vehicle_type": "K99"}, "VEHICLE_TYPE_UNKNOWN", "vehicle_type"),
        ({"use_character": "9"}, "USE_CHARACTER_UNKNOWN", "use_character"),
        ({"owner_id_number": "440102198001021231"}, "ID_CHECK_DIGIT", "owner_id_number"),
        ({"status": "AE"}, "VEHICLE_STATUS_UNKNOWN", "status"),
        ({"engine_number": "1"}, "ENGINE_NUMBER_FORMAT", "engine_number"),
        ({"brand": " "}, "VEHICLE_TEXT_FORMAT", "brand"),
        ({"certificate_issue_date": date(2020, 1, 1)}, "VEHICLE_DATES", "certificate_issue_date"),
        ({"seats": 0}, "VEHICLE_SEATS", "seats"),
        ({"gross_mass_kg": -5}, "VEHICLE_MASS", "gross_mass_kg"),
        ({"kerb_mass_kg": 2000}, "VEHICLE_MASS", "kerb_mass_kg"),
    ],
)
def test_each_field_is_checked(changes: dict[str, Any], code: str, field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        Vehicle.create(**base(**changes))
    assert err.value.code == code
    assert err.value.details["field"] == field


def test_explicit_inspection_date_is_kept() -> None:
    v = Vehicle.create(**base(inspection_valid_until=date(2030, 1, 31)))
    assert v.inspection_valid_until == date(2030, 1, 31)


def test_commercial_truck() -> None:
    v = Vehicle.create(
        **base(plate="粤A12345", plate_type="01", vehicle_type="H11", use_character="F")
    )
    assert v.inspection_kind == "truck_or_large_passenger"
    assert v.inspection_valid_until == date(2021, 5, 31)
