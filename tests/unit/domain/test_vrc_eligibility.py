"""e-VRC eligibility: each refusal code, ownership, the inspection warning and rollout."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motorcred.adapters.rollout_data import load_bundled_calendar
from motorcred.domain.codes import VEHICLE_STATUS
from motorcred.domain.rollout import City
from motorcred.domain.vehicle import Vehicle
from motorcred.domain.vrc_eligibility import (
    STATUS_REFUSALS,
    check_vrc_eligibility,
    evrc_rollout_refusal,
)

OWNER = "11010519491231002X"
OTHER = "440102198001021230"
TODAY = date(2026, 11, 23)


def vehicle(**changes: object) -> Vehicle:
    base = Vehicle.create(
        plate="京A12345",
        plate_type="02",
        vin="UU6JA69691D713820",
        engine_number="2ZR1234567",
        brand="丰田",
        model="卡罗拉",
        vehicle_type="K33",
        use_character="A",
        owner_id_number=OWNER,
        registration_date=date(2020, 5, 10),
        inspection_valid_until=date(2027, 5, 31),
        seats=5,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_the_owner_of_a_normal_vehicle_is_eligible_without_warnings() -> None:
    answer = check_vrc_eligibility(vehicle(), OWNER, TODAY)
    assert answer.eligible and answer.codes == () and answer.warning_codes == ()
    assert answer.rules_version


def test_the_owner_may_type_the_check_character_in_lower_case() -> None:
    assert check_vrc_eligibility(vehicle(), OWNER.lower(), TODAY).eligible


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("C", "VEHICLE_STOLEN"),
        ("K", "VEHICLE_SEALED"),
        ("L", "VEHICLE_SEIZED"),
        ("E", "VEHICLE_DEREGISTERED"),
        ("M", "VEHICLE_DEREGISTERED"),
        ("P", "VEHICLE_SCRAPPED"),
        ("B", "VEHICLE_TRANSFERRED_OUT"),
    ],
)
def test_each_blocking_status_has_its_own_code(status: str, code: str) -> None:
    answer = check_vrc_eligibility(vehicle(status=frozenset({status})), OWNER, TODAY)
    assert not answer.eligible and answer.codes == (code,)
    refusal = answer.refusals[0]
    assert refusal.details == {"status": status}
    payload = refusal.to_dict()
    assert payload["code"] == code
    assert payload["message"]["zh"] and payload["message"]["en"]
    assert payload["action"]["zh"] and payload["action"]["en"]


def test_a_non_owner_is_refused_and_learns_nothing_about_the_vehicle() -> None:
    stolen_and_overdue = vehicle(
        status=frozenset({"C", "Q"}), inspection_valid_until=date(2025, 5, 31)
    )
    answer = check_vrc_eligibility(stolen_and_overdue, OTHER, TODAY)
    assert answer.codes == ("VEHICLE_NOT_OWNED",)
    assert answer.warnings == () and answer.refusals[0].details is None


def test_all_refusals_are_reported_at_once_and_shared_codes_once() -> None:
    answer = check_vrc_eligibility(vehicle(status=frozenset({"C", "E", "K", "M"})), OWNER, TODAY)
    assert answer.codes == ("VEHICLE_STOLEN", "VEHICLE_DEREGISTERED", "VEHICLE_SEALED")


def test_overdue_inspection_status_is_a_warning_not_a_refusal() -> None:
    answer = check_vrc_eligibility(vehicle(status=frozenset({"Q"})), OWNER, TODAY)
    assert answer.eligible and answer.warning_codes == ("VEHICLE_INSPECTION_OVERDUE",)
    assert answer.warnings[0].details == {"inspection_valid_until": "2027-05-31"}


def test_a_past_inspection_date_is_a_warning_from_the_day_after() -> None:
    due = vehicle(inspection_valid_until=TODAY)
    assert check_vrc_eligibility(due, OWNER, TODAY).warning_codes == ()
    answer = check_vrc_eligibility(due, OWNER, date(2026, 11, 24))
    assert answer.eligible and answer.warning_codes == ("VEHICLE_INSPECTION_OVERDUE",)
    assert answer.warnings[0].details == {"inspection_valid_until": "2026-11-23"}


def test_a_refused_vehicle_still_reports_its_overdue_inspection() -> None:
    answer = check_vrc_eligibility(vehicle(status=frozenset({"L", "Q"})), OWNER, TODAY)
    assert answer.codes == ("VEHICLE_SEIZED",)
    assert answer.warning_codes == ("VEHICLE_INSPECTION_OVERDUE",)


@pytest.mark.parametrize("status", ["A", "D", "G", "H", "I", "J", "N", "O"])
def test_statuses_shown_on_the_credential_do_not_refuse(status: str) -> None:
    answer = check_vrc_eligibility(vehicle(status=frozenset({status})), OWNER, TODAY)
    assert answer.eligible and answer.warning_codes == ()


def test_the_table_only_names_known_vehicle_status_letters() -> None:
    assert set(STATUS_REFUSALS) <= set(VEHICLE_STATUS.codes)


@given(st.sets(st.sampled_from(sorted(set(VEHICLE_STATUS.codes) - {"A"})), min_size=1))
def test_refused_exactly_when_a_blocking_letter_is_present(letters: set[str]) -> None:
    answer = check_vrc_eligibility(vehicle(status=frozenset(letters)), OWNER, TODAY)
    expected = {STATUS_REFUSALS[c].code for c in letters if c in STATUS_REFUSALS}
    assert set(answer.codes) == expected
    assert len(answer.codes) == len(expected)
    assert ("VEHICLE_INSPECTION_OVERDUE" in answer.warning_codes) == ("Q" in letters)


def test_rollout_names_the_evrc_start_date() -> None:
    calendar = load_bundled_calendar()
    assert evrc_rollout_refusal(calendar, "110105", TODAY) is None
    refusal = evrc_rollout_refusal(calendar, "110105", date(2022, 6, 30))
    assert refusal is not None and refusal.code == "EVRC_NOT_AVAILABLE_IN_CITY"
    assert refusal.details == {"city": "110100", "starts_on": "2022-07-01"}
    assert "2022-07-01" in refusal.message_en and "电子行驶证" in refusal.message_zh
    assert "2022-07-01" in refusal.action_zh and "2022-07-01" in refusal.action_en
    assert evrc_rollout_refusal(calendar, "110105", date(2022, 7, 1)) is None


def test_rollout_uses_the_evrc_date_not_the_edl_date() -> None:
    split = load_bundled_calendar().with_cities(
        [City("110100", "北京市", "北京市", date(2021, 1, 1), date(2027, 1, 1))]
    )
    refusal = evrc_rollout_refusal(split, "110105", TODAY)
    assert refusal is not None and refusal.details == {"city": "110100", "starts_on": "2027-01-01"}
