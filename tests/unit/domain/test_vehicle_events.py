from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motorcred.domain.events import (
    Deregistered,
    InspectionOverdue,
    InspectionPassed,
    Mortgaged,
    MortgageReleased,
    OwnershipTransferred,
    PlateChanged,
    UseCharacterChanged,
    VehicleStatusMarked,
    ViolationRecorded,
    apply,
    event_from_payload,
    replay,
)
from motorcred.domain.vehicle import Vehicle
from motorcred.errors import InvalidInput

OWNER = "440102198001021230"
BUYER = "11010519491231002X"


def car() -> Vehicle:
    return Vehicle.create(
        plate="粤A12345",
        plate_type="02",
        vin="UU6JA69691D713820",
        engine_number="2ZR1234567",
        brand="丰田",
        model="卡罗拉",
        vehicle_type="K33",
        use_character="A",
        owner_id_number=OWNER,
        registration_date=date(2020, 5, 10),
        seats=5,
    )


def refused(record: Any, event: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as err:
        apply(record, event)
    assert err.value.code == "EVENT_NOT_APPLICABLE"
    return err.value


def test_transfer_with_new_plate() -> None:
    v = apply(
        car(),
        OwnershipTransferred(
            on=date(2023, 1, 5),
            new_owner_id_number=BUYER,
            new_plate="京A88888",
            new_plate_type="02",
        ),
    )
    assert (v.owner_id_number, v.plate, v.certificate_issue_date) == (
        BUYER,
        "京A88888",
        date(2023, 1, 5),
    )
    assert (
        "current owner"
        in refused(v, OwnershipTransferred(on=date(2023, 2, 1), new_owner_id_number=BUYER)).details[
            "reason"
        ]
    )


def test_mortgage_blocks_transfer_until_released() -> None:
    v = apply(car(), Mortgaged(on=date(2021, 1, 1), creditor="某银行"))
    assert v.mortgaged
    refused(v, Mortgaged(on=date(2021, 2, 1)))
    refused(v, OwnershipTransferred(on=date(2021, 3, 1), new_owner_id_number=BUYER))
    v = apply(v, MortgageReleased(on=date(2021, 4, 1)))
    assert apply(v, OwnershipTransferred(on=date(2021, 5, 1), new_owner_id_number=BUYER))
    refused(v, MortgageReleased(on=date(2021, 6, 1)))


def test_unprocessed_violation_blocks_transfer() -> None:
    v = apply(car(), VehicleStatusMarked(on=date(2021, 1, 1), code="G"))
    err = refused(v, OwnershipTransferred(on=date(2021, 2, 1), new_owner_id_number=BUYER))
    assert err.details["status"] == "G"
    v = apply(v, VehicleStatusMarked(on=date(2021, 3, 1), code="G", cleared=True))
    assert v.status_text == "A"


def test_inspection_overdue_then_passed() -> None:
    v = car()
    refused(v, InspectionOverdue(on=date(2022, 5, 31)))
    v = apply(v, InspectionOverdue(on=date(2022, 6, 1)))
    assert v.status_text == "Q"
    v = apply(v, InspectionPassed(on=date(2022, 6, 15)))
    assert (v.status_text, v.inspection_valid_until) == ("A", date(2024, 5, 31))
    v = apply(v, InspectionPassed(on=date(2024, 5, 1), valid_until=date(2026, 5, 31)))
    assert v.inspection_valid_until == date(2026, 5, 31)


def test_plate_and_use_character_changes() -> None:
    v = apply(car(), PlateChanged(on=date(2021, 1, 1), plate="粤AD12345", plate_type="52"))
    assert (v.plate, v.plate_type) == ("粤AD12345", "52")
    refused(v, PlateChanged(on=date(2021, 2, 1), plate="粤AD12345", plate_type="52"))
    with pytest.raises(InvalidInput) as err:
        PlateChanged(on=date(2021, 2, 1), plate="粤AD12345", plate_type="02")
    assert err.value.code == "PLATE_TYPE_MISMATCH"
    taxi = apply(v, UseCharacterChanged(on=date(2021, 3, 1), use_character="D"))
    assert taxi.inspection_kind == "passenger_commercial"
    refused(taxi, UseCharacterChanged(on=date(2021, 4, 1), use_character="D"))


def test_deregistration_closes_the_record() -> None:
    v = apply(car(), Deregistered(on=date(2030, 1, 1), reason="scrapped"))
    assert v.status_text == "E" and v.is_deregistered
    err = refused(v, InspectionPassed(on=date(2030, 2, 1)))
    assert err.details["reason"] == "the vehicle is deregistered"
    mortgaged = apply(car(), Mortgaged(on=date(2021, 1, 1)))
    refused(mortgaged, Deregistered(on=date(2030, 1, 1)))
    forced = apply(mortgaged, Deregistered(on=date(2030, 1, 1), forced=True))
    assert forced.status_text == "M"


def test_event_before_registration_and_wrong_kind() -> None:
    refused(car(), Mortgaged(on=date(2019, 1, 1)))
    refused(car(), ViolationRecorded(on=date(2021, 1, 1), points=3))


def test_marker_validation() -> None:
    with pytest.raises(InvalidInput) as err:
        VehicleStatusMarked(on=date(2021, 1, 1), code="E")
    assert err.value.code == "VEHICLE_STATUS_UNKNOWN"
    with pytest.raises(InvalidInput) as err:
        OwnershipTransferred(on=date(2021, 1, 1), new_owner_id_number=BUYER, new_plate="京A88888")
    assert err.value.code == "EVENT_FIELD"


dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31))
vehicle_events = st.one_of(
    st.builds(Mortgaged, on=dates),
    st.builds(MortgageReleased, on=dates),
    st.builds(InspectionPassed, on=dates),
    st.builds(InspectionOverdue, on=dates),
    st.builds(VehicleStatusMarked, on=dates, code=st.sampled_from("GIKL"), cleared=st.booleans()),
    st.builds(OwnershipTransferred, on=dates, new_owner_id_number=st.sampled_from([OWNER, BUYER])),
    st.builds(UseCharacterChanged, on=dates, use_character=st.sampled_from("ABDF")),
    st.builds(Deregistered, on=dates, forced=st.booleans()),
)


@given(st.lists(vehicle_events, max_size=10).map(lambda es: sorted(es, key=lambda e: e.on)))
def test_replay_from_payloads_matches_and_keeps_invariants(events: list[Any]) -> None:
    v = car()
    applied = []
    for event in events:
        try:
            v = apply(v, event)
        except InvalidInput as err:
            assert err.code == "EVENT_NOT_APPLICABLE"
            continue
        applied.append(event)
        assert v.status == {"A"} or "A" not in v.status
        assert v.validate() is v
    stored = [(e.event_type, e.to_payload()) for e in applied]
    assert replay(car(), [event_from_payload(t, p) for t, p in stored]) == v
