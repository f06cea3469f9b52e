from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from motorcred.domain.citizen_id import make_citizen_id
from motorcred.domain.licence import DrivingLicence, validate_file_number
from motorcred.errors import InvalidInput

ID = "440102198001021230"  # born 1980-01-02


def issue(classes: str = "C1", on: date = date(2010, 5, 1), number: str = ID) -> DrivingLicence:
    return DrivingLicence.issue(
        number=number,
        file_number="440100000001",
        classes=classes,
        issued_on=on,
        issuing_authority_code="440100",
        issuing_authority_name="广州市公安局交通警察支队",
    )


def test_first_issue() -> None:
    lic = issue("C1D")
    assert lic.classes_text == "C1D"
    assert lic.status_text == "A"
    assert (lic.valid_from, lic.valid_until, lic.validity_years) == (
        date(2010, 5, 1),
        date(2016, 5, 1),
        6,
    )
    assert lic.cycle_start == date(2010, 5, 1)
    assert lic.birth_date == date(1980, 1, 2)
    # No large class, under 70: the medical certificate comes with the renewal.
    assert lic.medical_exam_due == date(2016, 5, 1)


def test_queries_from_the_inclusion_table() -> None:
    lic = issue("C1")
    assert lic.may_drive("C2")
    assert not lic.may_drive("B2")
    with pytest.raises(InvalidInput):
        lic.may_drive("Q")


@pytest.mark.parametrize(
    ("classes", "code"),
    [
        ("A1", "CLASS_NOT_FIRST_APPLICATION"),
        ("C6", "CLASS_NOT_FIRST_APPLICATION"),
        ("C7", "CLASS_UNKNOWN"),
    ],
)
def test_first_issue_refusals(classes: str, code: str) -> None:
    with pytest.raises(InvalidInput) as err:
        issue(classes)
    assert err.value.code == code


def test_age_limits_at_first_issue() -> None:
    young = make_citizen_id("110105", date(1993, 5, 2), 11).value
    with pytest.raises(InvalidInput) as err:
        issue("C1", on=date(2011, 5, 1), number=young)  # 17 years old
    assert err.value.code == "CLASS_AGE"
    assert issue("C1", on=date(2011, 5, 2), number=young).valid_from == date(2011, 5, 2)
    with pytest.raises(InvalidInput) as err:
        issue("B2", on=date(2012, 5, 1), number=young)  # 18 < 20
    assert err.value.code == "CLASS_AGE"


def test_validity_and_renewal_window() -> None:
    lic = issue()
    assert lic.is_within_validity(date(2010, 5, 1))
    assert lic.is_within_validity(date(2016, 5, 1))
    assert not lic.is_within_validity(date(2016, 5, 2))
    assert not lic.is_within_validity(date(2010, 4, 30))
    assert lic.renewal_window_opens() == date(2016, 2, 1)  # 90 days before
    assert not lic.in_renewal_window(date(2016, 1, 31))
    assert lic.in_renewal_window(date(2016, 2, 1))
    assert not lic.in_renewal_window(date(2016, 5, 2))
    assert lic.may_renew(date(2016, 5, 2))


def test_validity_steps() -> None:
    lic = issue()
    assert lic.next_validity_years() == 10
    assert replace(lic, reached_limit_in_period=True).next_validity_years() == 6
    ten = replace(lic, validity_years=10, valid_until=date(2026, 5, 1))
    assert ten.next_validity_years() is None
    long_term = replace(lic, validity_years=None, valid_until=None)
    assert long_term.next_validity_years() is None
    assert long_term.is_within_validity(date(2090, 1, 1))


def test_points_cycle_anchored_on_first_issue_anniversary() -> None:
    lic = issue(on=date(2010, 5, 1))
    assert lic.cycle_start_on(date(2013, 4, 30)) == date(2012, 5, 1)
    assert lic.cycle_start_on(date(2013, 5, 1)) == date(2013, 5, 1)
    assert lic.cycle_end_on(date(2013, 5, 1)) == date(2014, 4, 30)


def test_leap_day_anchor_falls_back_to_28_february() -> None:
    lic = issue(on=date(2012, 2, 29))
    assert lic.cycle_start_on(date(2013, 3, 1)) == date(2013, 2, 28)
    assert lic.cycle_start_on(date(2016, 3, 1)) == date(2016, 2, 29)


def test_roll_over_clears_points_only_when_fines_are_paid() -> None:
    lic = replace(issue(), points=9, cycle_start=date(2012, 5, 1))
    assert lic.points_on(date(2013, 4, 30)) == 9
    assert lic.points_on(date(2013, 5, 1)) == 0
    unpaid = replace(lic, unpaid_fines=1)
    assert unpaid.points_on(date(2013, 5, 1)) == 9
    rolled = unpaid.roll_over(date(2013, 5, 1))
    assert rolled.cycle_start == date(2013, 5, 1)
    at_limit = replace(lic, points=12)
    assert at_limit.points_on(date(2014, 5, 1)) == 12


def test_probation() -> None:
    lic = issue()
    assert lic.probation_end() == date(2011, 5, 1)
    assert lic.in_probation(date(2011, 4, 30))
    assert not lic.in_probation(date(2011, 5, 1))
    added = replace(lic, class_grants={"C1": date(2010, 5, 1), "B2": date(2015, 3, 1)})
    assert added.probation_end() == date(2016, 3, 1)
    assert added.classes_in_probation(date(2015, 6, 1)) == ("B2",)


def test_medical_exam_for_large_classes_and_older_drivers() -> None:
    lic = replace(issue(), class_grants={"C1": date(2010, 5, 1), "B2": date(2012, 5, 1)})
    # Every cycle: 30 days after the cycle ends.
    assert lic.next_medical_exam_due(after=date(2013, 6, 1)) == date(2014, 5, 30)
    c5 = replace(issue(), class_grants={"C5": date(2010, 5, 1)})
    assert c5.next_medical_exam_due(after=date(2013, 6, 1)) == date(2016, 5, 30)
    # Aged 70+ at the cycle end: yearly, whatever the class.
    old = make_citizen_id("110105", date(1950, 1, 1), 11).value
    senior = issue(on=date(1990, 5, 1), number=old)
    assert senior.next_medical_exam_due(after=date(2019, 6, 1)) == date(2020, 5, 30)
    assert senior.medical_exam_due == date(1996, 5, 1)  # aged 40 at issue: with renewal
    assert replace(senior, medical_exam_due=date(2020, 5, 30)).medical_exam_overdue(
        date(2020, 6, 1)
    )


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("440100000001", True),
        ("44010000001", False),
        ("4401000000012", False),
        ("99010000001X", False),
        ("990100000001", False),
        (" 110100123456 ", True),
    ],
)
def test_file_number(value: str, ok: bool) -> None:
    if ok:
        assert validate_file_number(value) == value.strip()
    else:
        with pytest.raises(InvalidInput) as err:
            validate_file_number(value)
        assert err.value.code == "FILE_NUMBER_FORMAT"


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"file_number": "12"}, "FILE_NUMBER_FORMAT", "file_number"),
        ({"status": "AD"}, "LICENCE_STATUS_UNKNOWN", "status"),
        ({"status": "Q"}, "LICENCE_STATUS_UNKNOWN", "status"),
        ({"class_grants": {"C9": date(2010, 5, 1)}}, "CLASS_UNKNOWN", "classes"),
        ({"class_grants": {}}, "CLASS_UNKNOWN", "classes"),
        ({"class_grants": {"C1": date(2009, 1, 1)}}, "LICENCE_DATES", "class_grants"),
        ({"valid_until": date(2010, 5, 1)}, "LICENCE_DATES", "valid_until"),
        ({"validity_years": 7}, "LICENCE_VALIDITY", "validity_years"),
        ({"valid_until": None}, "LICENCE_VALIDITY", "valid_until"),
        ({"points": -1}, "POINTS_RANGE", "points"),
        ({"cycle_start": date(2011, 6, 1)}, "LICENCE_DATES", "cycle_start"),
        ({"issuing_authority_code": "GZ"}, "AUTHORITY_FORMAT", "issuing_authority_code"),
        ({"issuing_authority_name": " "}, "AUTHORITY_FORMAT", "issuing_authority_name"),
        ({"photo_ref": ""}, "PHOTO_REF_FORMAT", "photo_ref"),
        ({"number": "440102198001021231"}, "ID_CHECK_DIGIT", "number"),
    ],
)
def test_create_validates_each_field(changes: dict[str, object], code: str, field: str) -> None:
    values: dict[str, object] = {
        "number": ID,
        "file_number": "440100000001",
        "class_grants": {"C1": date(2010, 5, 1)},
        "first_issue_date": date(2010, 5, 1),
        "valid_from": date(2016, 5, 1),
        "valid_until": date(2026, 5, 1),
        "validity_years": 10,
        "issuing_authority_code": "440100",
        "issuing_authority_name": "广州市公安局交通警察支队",
        **changes,
    }
    with pytest.raises(InvalidInput) as err:
        DrivingLicence.create(**values)  # type: ignore[arg-type]
    assert err.value.code == code
    assert err.value.details["field"] == field


def test_create_derives_the_cycle_start() -> None:
    lic = DrivingLicence.create(
        number=ID,
        file_number="440100000001",
        class_grants={"D": date(2012, 1, 1), "C1": date(2010, 5, 1)},
        first_issue_date=date(2010, 5, 1),
        valid_from=date(2016, 5, 1),
        valid_until=date(2026, 5, 1),
        validity_years=10,
        status="DH",
        issuing_authority_code="440100",
        issuing_authority_name="广州市公安局交通警察支队",
    )
    assert lic.cycle_start == date(2016, 5, 1)
    assert lic.classes == ("C1", "D")
    assert lic.status == {"D", "H"}


def test_large_vehicle_classes_end_at_63() -> None:
    lic = replace(issue(), class_grants={"C1": date(2010, 5, 1), "B2": date(2012, 5, 1)})
    assert lic.large_classes_end() == date(2043, 1, 2)
    assert lic.may_drive("B2", on=date(2043, 1, 1))
    assert not lic.may_drive("B2", on=date(2043, 1, 2))
    assert lic.may_drive("C1", on=date(2050, 1, 1))
    assert not issue().may_drive("B2", on=date(2020, 1, 1))
