"""e-DL eligibility: each refusal code, several at once, rollout, and status letters as data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motorcred.adapters.rollout_data import load_bundled_calendar
from motorcred.domain.codes import LICENCE_STATUS
from motorcred.domain.eligibility import (
    STATUS_REFUSALS,
    check_eligibility,
    rollout_refusal,
)
from motorcred.domain.licence import DrivingLicence
from motorcred.domain.rollout import City

ID = "11010519491231002X"
TODAY = date(2026, 11, 23)


def licence(**changes: object) -> DrivingLicence:
    base = DrivingLicence.create(
        number=ID,
        file_number="110100000001",
        class_grants={"C1": date(2016, 5, 1)},
        first_issue_date=date(2016, 5, 1),
        valid_from=date(2022, 5, 1),
        valid_until=date(2032, 5, 1),
        validity_years=10,
        issuing_authority_code="110000",
        issuing_authority_name="北京市公安局公安交通管理局",
        medical_exam_due=date(2032, 5, 1),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_normal_licence_is_eligible() -> None:
    answer = check_eligibility(licence(), TODAY)
    assert answer.eligible and answer.codes == () and answer.rules_version


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("U", "LICENCE_DETAINED"),
        ("D", "LICENCE_SUSPENDED"),
        ("S", "LICENCE_REVIEW_OVERDUE"),
        ("J", "LICENCE_STOPPED"),
        ("F", "LICENCE_REVOKED"),
        ("E", "LICENCE_WITHDRAWN"),
        ("G", "LICENCE_CANCELLED"),
        ("R", "LICENCE_CANCELLED"),
        ("B", "LICENCE_OVER_POINTS"),
        ("C", "LICENCE_TRANSFERRED_OUT"),
        ("K", "LICENCE_SEIZED"),
        ("L", "LICENCE_LOCKED"),
        ("M", "LICENCE_RENEWAL_OVERDUE"),
    ],
)
def test_each_blocking_status_has_its_code(status: str, code: str) -> None:
    answer = check_eligibility(licence(status=frozenset({status})), TODAY)
    assert answer.codes == (code,)
    [refusal] = answer.refusals
    body = refusal.to_dict()
    assert body["message"]["zh"] and body["message"]["en"]
    assert body["action"]["zh"] and body["action"]["en"]
    assert body["details"] == {"status": status}


@pytest.mark.parametrize("status", ["H", "I", "N", "P", "T", "Z"])
def test_non_blocking_statuses(status: str) -> None:
    assert check_eligibility(licence(status=frozenset({status})), TODAY).eligible


def test_expired_and_not_yet_valid() -> None:
    expired = check_eligibility(licence(), date(2032, 5, 2))
    assert "LICENCE_EXPIRED" in expired.codes
    assert expired.refusals[0].details == {"valid_until": "2032-05-01"}
    assert check_eligibility(licence(), date(2032, 5, 1)).eligible  # last day still valid
    early = check_eligibility(licence(), date(2022, 4, 30))
    assert early.codes == ("LICENCE_NOT_YET_VALID",)


def test_medical_exam_overdue_unless_deferred() -> None:
    overdue = licence(medical_exam_due=date(2026, 11, 22))
    assert check_eligibility(overdue, TODAY).codes == ("LICENCE_EXAM_OVERDUE",)
    assert check_eligibility(overdue, date(2026, 11, 22)).eligible  # due day itself is fine
    deferred = replace(overdue, status=frozenset({"P"}))
    assert check_eligibility(deferred, TODAY).eligible


def test_twelve_points_refused_even_without_the_status_letter() -> None:
    at_limit = licence(points=12, cycle_start=date(2026, 5, 1))
    assert check_eligibility(at_limit, TODAY).codes == ("LICENCE_OVER_POINTS",)
    assert check_eligibility(licence(points=11, cycle_start=date(2026, 5, 1)), TODAY).eligible
    both = replace(at_limit, status=frozenset({"B"}))
    assert check_eligibility(both, TODAY).codes == ("LICENCE_OVER_POINTS",)  # once


def test_several_refusals_at_once_are_all_reported() -> None:
    bad = licence(
        status=frozenset({"D", "S", "U"}),
        medical_exam_due=date(2026, 1, 1),
        points=12,
        cycle_start=date(2026, 5, 1),
    )
    answer = check_eligibility(bad, date(2033, 1, 1))
    assert set(answer.codes) == {
        "LICENCE_EXPIRED",
        "LICENCE_SUSPENDED",
        "LICENCE_REVIEW_OVERDUE",
        "LICENCE_DETAINED",
        "LICENCE_EXAM_OVERDUE",
        "LICENCE_OVER_POINTS",  # points at the limit stay until the exam clears them
    }


@given(st.sets(st.sampled_from(sorted(set(LICENCE_STATUS.codes) - {"A"})), min_size=1))
def test_refusals_follow_the_status_table(letters: set[str]) -> None:
    answer = check_eligibility(licence(status=frozenset(letters)), TODAY)
    expected = {STATUS_REFUSALS[c].code for c in letters if c in STATUS_REFUSALS}
    assert set(answer.codes) == expected
    assert len(answer.codes) == len(set(answer.codes))


def test_rollout_names_the_start_date() -> None:
    calendar = load_bundled_calendar()
    assert rollout_refusal(calendar, "110105", TODAY) is None
    refusal = rollout_refusal(calendar, "110105", date(2021, 8, 31))
    assert refusal is not None and refusal.code == "EDL_NOT_AVAILABLE_IN_CITY"
    assert refusal.details == {"city": "110100", "starts_on": "2021-09-01"}
    assert "2021-09-01" in refusal.message_en and "2021-09-01" in refusal.action_zh
    assert rollout_refusal(calendar, "110105", date(2021, 9, 1)) is None
    later = calendar.with_cities([City("110100", "北京市", "北京市", date(2027, 1, 1), TODAY)])
    assert rollout_refusal(later, "110105", TODAY) is not None
