"""Working-day calendar: weekends, State Council holidays and make-up working days."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motorcred.adapters.working_day_calendar import (
    load_calendar,
    load_calendar_file,
    load_official_calendar,
)
from motorcred.domain.working_days import (
    CHINA_STANDARD_TIME,
    WorkingDayCalendar,
    parse_calendar,
)
from motorcred.errors import ConfigurationError, InvalidInput, UsageError

CST = CHINA_STANDARD_TIME
OFFICIAL = load_official_calendar()


def cst(*args: int) -> datetime:
    return datetime(*args, tzinfo=CST)  # type: ignore[misc]


def due_day(submitted_at: datetime) -> date:
    due = OFFICIAL.review_due(submitted_at)
    assert due.tzinfo is CST
    assert (due.hour, due.minute, due.second) == (23, 59, 59)
    return due.date()


# --- the shipped schedule ---------------------------------------------------------------


def test_official_schedule_covers_2025_and_2026_only() -> None:
    assert OFFICIAL.covered_years == frozenset({2025, 2026})


@pytest.mark.parametrize(("year", "holidays", "make_up"), [(2025, 28, 5), (2026, 33, 6)])
def test_official_schedule_day_counts_match_the_notices(
    year: int, holidays: int, make_up: int
) -> None:
    assert sum(1 for d in OFFICIAL.holidays if d.year == year) == holidays
    assert sum(1 for d in OFFICIAL.make_up_working_days if d.year == year) == make_up


def test_every_make_up_working_day_falls_on_a_weekend() -> None:
    assert all(d.weekday() >= 5 for d in OFFICIAL.make_up_working_days)


# --- is_working_day ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 24), True),  # Friday before Spring Festival
        (date(2025, 1, 25), False),  # ordinary Saturday
        (date(2025, 1, 26), True),  # Sunday made a working day (调休上班)
        (date(2025, 1, 27), True),
        (date(2025, 1, 28), False),  # 除夕
        (date(2025, 2, 4), False),  # last day of the break, a Tuesday
        (date(2025, 2, 5), True),
        (date(2025, 2, 8), True),  # make-up Saturday
        (date(2025, 10, 8), False),  # National Day + Mid-Autumn merged, a Wednesday
        (date(2025, 10, 11), True),  # make-up Saturday
        (date(2026, 1, 4), True),  # make-up Sunday after New Year
        (date(2026, 2, 14), True),  # make-up Saturday before Spring Festival
        (date(2026, 2, 16), False),
        (date(2026, 2, 23), False),  # Monday, last day of the 9-day break
        (date(2026, 2, 28), True),  # make-up Saturday
        (date(2026, 9, 20), True),  # make-up Sunday before National Day
        (date(2026, 10, 7), False),
        (date(2026, 10, 10), True),
        (date(2026, 11, 23), True),  # ordinary Monday
        (date(2026, 11, 22), False),  # ordinary Sunday
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert OFFICIAL.is_working_day(day) is working


def test_holiday_names_come_from_the_schedule() -> None:
    assert "春节" in (OFFICIAL.holiday_name(date(2026, 2, 17)) or "")
    assert OFFICIAL.holiday_name(date(2026, 2, 24)) is None


# --- next / add / between -----------------------------------------------------------------


def test_next_working_day_jumps_the_spring_festival_break() -> None:
    assert OFFICIAL.next_working_day(date(2025, 1, 27)) == date(2025, 2, 5)
    assert OFFICIAL.next_working_day(date(2026, 2, 13)) == date(2026, 2, 14)
    assert OFFICIAL.next_working_day(date(2026, 2, 14)) == date(2026, 2, 24)


def test_add_working_days_counts_make_up_days_and_skips_holidays() -> None:
    # Thu 2026-09-24 → +1 is Mon 09-28 (Fri 25 .. Sun 27 is Mid-Autumn).
    assert OFFICIAL.add_working_days(date(2026, 9, 24), 1) == date(2026, 9, 28)
    # Fri 2026-09-18 → Sun 09-20 is a working day.
    assert OFFICIAL.add_working_days(date(2026, 9, 18), 1) == date(2026, 9, 20)
    assert OFFICIAL.add_working_days(date(2026, 9, 30), 2) == date(2026, 10, 9)
    assert OFFICIAL.add_working_days(date(2026, 10, 9), -3) == date(2026, 9, 29)
    assert OFFICIAL.add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 3)


def test_add_working_days_refuses_absurd_steps() -> None:
    with pytest.raises(InvalidInput) as err:
        OFFICIAL.add_working_days(date(2026, 1, 5), 10_000)
    assert err.value.code == "WORKING_DAYS_OUT_OF_RANGE"


def test_working_days_between() -> None:
    assert OFFICIAL.working_days_between(date(2026, 9, 30), date(2026, 10, 9)) == 2
    assert OFFICIAL.working_days_between(date(2026, 10, 9), date(2026, 9, 30)) == -2
    assert OFFICIAL.working_days_between(date(2026, 11, 23), date(2026, 11, 23)) == 0


@given(
    # Far enough inside the covered years that 20 working days either way (Spring
    # Festival included) stays covered.
    start=st.dates(min_value=date(2025, 3, 1), max_value=date(2026, 11, 15)),
    count=st.integers(min_value=0, max_value=20),
)
def test_add_then_count_round_trips(start: date, count: int) -> None:
    end = OFFICIAL.add_working_days(start, count)
    assert OFFICIAL.working_days_between(start, end) == count
    if count:
        assert OFFICIAL.is_working_day(end)
        assert OFFICIAL.add_working_days(end, -count) <= start


# --- review deadline ----------------------------------------------------------------------


def test_review_due_on_an_ordinary_week() -> None:
    assert due_day(cst(2026, 11, 23, 9, 0)) == date(2026, 11, 24)  # Monday → Tuesday
    assert due_day(cst(2026, 11, 20, 23, 50)) == date(2026, 11, 23)  # Friday night → Monday
    assert due_day(cst(2026, 11, 21, 12, 0)) == date(2026, 11, 23)  # Saturday → Monday


def test_review_due_across_spring_festival() -> None:
    assert due_day(cst(2025, 1, 27, 10, 0)) == date(2025, 2, 5)
    assert due_day(cst(2025, 2, 7, 16, 0)) == date(2025, 2, 8)  # make-up Saturday counts
    assert due_day(cst(2026, 2, 14, 11, 0)) == date(2026, 2, 24)


def test_review_due_across_national_day() -> None:
    assert due_day(cst(2026, 9, 30, 18, 0)) == date(2026, 10, 8)
    assert due_day(cst(2026, 10, 9, 9, 0)) == date(2026, 10, 10)
    assert due_day(cst(2026, 9, 19, 9, 0)) == date(2026, 9, 20)  # Saturday → make-up Sunday
    assert due_day(cst(2025, 9, 30, 9, 0)) == date(2025, 10, 9)  # 8-day merged break


def test_review_due_uses_the_shanghai_date_not_the_utc_date() -> None:
    # 17:30 UTC on Friday 13 Feb is 01:30 on Saturday 14 Feb in Shanghai, a make-up
    # working day; the next working day after it is after the whole Spring Festival.
    submitted = datetime(2026, 2, 13, 17, 30, tzinfo=UTC)
    assert due_day(submitted) == date(2026, 2, 24)
    assert due_day(datetime(2026, 2, 13, 15, 59, tzinfo=UTC)) == date(2026, 2, 14)


def test_review_due_multiple_working_days() -> None:
    due = OFFICIAL.review_due(cst(2026, 9, 30, 9, 0), working_days=3)
    assert due.date() == date(2026, 10, 10)


def test_is_overdue() -> None:
    submitted = cst(2026, 9, 30, 18, 0)
    assert not OFFICIAL.is_overdue(submitted, now=cst(2026, 10, 8, 23, 59))
    assert OFFICIAL.is_overdue(submitted, now=cst(2026, 10, 9, 0, 0))
    assert OFFICIAL.is_overdue(submitted, now=datetime(2026, 10, 8, 16, 0, 1, tzinfo=UTC))


def test_review_due_refuses_a_naive_time() -> None:
    with pytest.raises(InvalidInput) as err:
        OFFICIAL.review_due(datetime(2026, 11, 23, 9, 0))
    assert err.value.code == "TIME_WITHOUT_TIMEZONE"


def test_review_due_refuses_zero_working_days() -> None:
    with pytest.raises(InvalidInput) as err:
        OFFICIAL.review_due(cst(2026, 11, 23, 9, 0), working_days=0)
    assert err.value.code == "WORKING_DAYS_OUT_OF_RANGE"


# --- years outside the schedule -----------------------------------------------------------


def test_outside_coverage_is_refused_by_default() -> None:
    with pytest.raises(ConfigurationError) as err:
        OFFICIAL.review_due(cst(2026, 12, 31, 9, 0))
    assert err.value.code == "WORKING_DAY_CALENDAR_NOT_COVERED"
    assert err.value.details["year"] == 2027


def test_outside_coverage_can_fall_back_to_weekends() -> None:
    lenient = load_official_calendar(outside_coverage="weekends")
    assert not lenient.covers(date(2027, 1, 4))
    assert lenient.review_due(cst(2027, 1, 8, 9, 0)).date() == date(2027, 1, 11)
    # Covered years keep the official schedule.
    assert lenient.next_working_day(date(2026, 9, 30)) == date(2026, 10, 8)


def test_extending_with_a_new_year_makes_it_covered() -> None:
    extended = OFFICIAL.with_days(
        holidays={date(2027, 1, 1): "元旦 New Year's Day"}, covered_years=[2027]
    )
    assert extended.review_due(cst(2026, 12, 31, 9, 0)).date() == date(2027, 1, 4)


# --- configuration --------------------------------------------------------------------------


def test_with_days_adds_and_overrides() -> None:
    local = OFFICIAL.with_days(
        holidays={date(2026, 11, 24): "local holiday"},
        working_days={date(2026, 10, 7): "rescheduled"},
    )
    assert not local.is_working_day(date(2026, 11, 24))
    assert local.is_working_day(date(2026, 10, 7))
    assert date(2026, 10, 7) not in local.holidays
    # The original is unchanged (frozen value).
    assert OFFICIAL.is_working_day(date(2026, 11, 24))


def test_a_day_cannot_be_both_holiday_and_working_day() -> None:
    with pytest.raises(InvalidInput) as err:
        WorkingDayCalendar(
            holidays={date(2026, 1, 1): "x"},
            make_up_working_days={date(2026, 1, 1): "y"},
            covered_years=frozenset({2026}),
        )
    assert err.value.code == "WORKING_DAY_CALENDAR_INVALID"


def _doc(year: str, holidays: list[object], working: list[object]) -> dict[str, object]:
    return {"years": {year: {"holidays": holidays, "make_up_working_days": working}}}


@pytest.mark.parametrize(
    "document",
    [
        {"years": []},
        {"years": {"27": {}}},
        _doc("2027", [{"name": "x", "from": "2027-13-01"}], []),
        _doc("2027", [{"name": "x", "from": "2027-02-10", "to": "2027-02-01"}], []),
        _doc("2027", [{"name": "x", "from": "2028-01-01"}], []),
        _doc("2027", [], [{"date": "2026-12-27"}]),
        _doc("2027", [], [{"date": 20270101}]),
        _doc("2027", [{"name": "x", "from": "2027-01-01"}], [{"date": "2027-01-01"}]),
        {"weekend": ["caturday"], "years": {}},
    ],
)
def test_parse_calendar_rejects_bad_documents(document: dict[str, object]) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_calendar(document)
    assert err.value.code == "WORKING_DAY_CALENDAR_INVALID"


def test_parse_calendar_custom_weekend() -> None:
    cal = parse_calendar({"weekend": ["friday"], "years": {"2027": {}}})
    assert not cal.is_working_day(date(2027, 1, 1))  # Friday
    assert cal.is_working_day(date(2027, 1, 2))  # Saturday


def test_load_another_file_layered_on_the_official_one(tmp_path: Path) -> None:
    extra = tmp_path / "2027.json"
    extra.write_text(
        json.dumps(
            _doc(
                "2027",
                [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
                [{"date": "2027-01-09", "for": "test"}],
            )
        ),
        encoding="utf-8",
    )
    cal = load_calendar([extra])
    assert cal.covered_years == frozenset({2025, 2026, 2027})
    assert cal.is_working_day(date(2027, 1, 9))
    assert cal.review_due(cst(2026, 12, 31, 9, 0)).date() == date(2027, 1, 4)
    only = load_calendar_file(extra)
    assert only.covered_years == frozenset({2027})
    assert load_calendar([extra], include_official=False).covered_years == frozenset({2027})


def test_load_calendar_file_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as err:
        load_calendar_file(tmp_path / "missing.json")
    assert err.value.code == "WORKING_DAY_CALENDAR_FILE_UNREADABLE"
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"{not json")
    with pytest.raises(UsageError) as err:
        load_calendar_file(bad)
    assert err.value.code == "WORKING_DAY_CALENDAR_FILE_INVALID"


def test_fixed_offset_matches_the_tz_database() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    for day in range(0, 730, 7):
        moment = datetime(2025, 1, 1, 12, 0, tzinfo=UTC) + timedelta(days=day)
        assert moment.astimezone(shanghai).utcoffset() == moment.astimezone(CST).utcoffset()
