"""Working-day calendar for service-level deadlines (photo review: 1 working day).

China's working week is Monday to Friday, but public holidays move it every year:
the State Council publishes in November which days of the next year are holidays
and which weekend days become working days to make up for a longer break (调休上班).
Those schedules are data (``motorcred/data/holidays_cn.json``, read by
``adapters/working_day_calendar.py``); this module only applies them, so it stays
pure: dates and times are parameters, nothing reads the clock or a file.

A year the calendar has no schedule for cannot be answered exactly. By default the
calendar refuses (``WORKING_DAY_CALENDAR_NOT_COVERED``) so an operator loads the new
schedule instead of deadlines silently ignoring a holiday; ``outside_coverage="weekends"``
falls back to plain weekends for such years and :meth:`WorkingDayCalendar.covers`
tells the caller to warn.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, Final, Literal

from motorcred.errors import ConfigurationError, InvalidInput

# Asia/Shanghai has kept UTC+08:00 without daylight saving since 1991, so a fixed offset
# is exact for every year a schedule exists for and needs no tz database on the host.
CHINA_STANDARD_TIME: Final[tzinfo] = timezone(timedelta(hours=8), "Asia/Shanghai")

_WEEKDAY_NAMES: Final = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
# Longest run of consecutive non-working days we accept before calling the data broken
# (the longest real break, Spring Festival plus weekends, is 9 days).
_MAX_DAYS_OFF_IN_A_ROW: Final = 60
_MAX_WORKING_DAYS_STEP: Final = 3660

OutsideCoverage = Literal["refuse", "weekends"]


@dataclass(frozen=True)
class WorkingDayCalendar:
    """Weekends, public holidays and make-up working days for a set of covered years."""

    holidays: Mapping[date, str] = field(default_factory=dict)
    make_up_working_days: Mapping[date, str] = field(default_factory=dict)
    covered_years: frozenset[int] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})  # date.weekday(): Saturday, Sunday
    outside_coverage: OutsideCoverage = "refuse"
    tz: tzinfo = CHINA_STANDARD_TIME

    def __post_init__(self) -> None:
        clash = sorted(set(self.holidays) & set(self.make_up_working_days))
        if clash:
            raise InvalidInput(
                "WORKING_DAY_CALENDAR_INVALID",
                f"{clash[0].isoformat()} is listed both as a holiday and as a working day.",
                details={"dates": [d.isoformat() for d in clash]},
            )

    # --- queries -------------------------------------------------------------------------

    def covers(self, day: date) -> bool:
        """True when the official schedule for ``day``'s year is loaded."""
        return day.year in self.covered_years

    def holiday_name(self, day: date) -> str | None:
        return self.holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        if day in self.make_up_working_days:
            return True
        if day in self.holidays:
            return False
        if not self.covers(day) and self.outside_coverage == "refuse":
            raise ConfigurationError(
                "WORKING_DAY_CALENDAR_NOT_COVERED",
                f"The working-day calendar has no holiday schedule for {day.year}; "
                "load that year's official schedule before computing deadlines in it.",
                details={"year": day.year, "covered_years": sorted(self.covered_years)},
            )
        return day.weekday() not in self.weekend

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        candidate = day
        for _ in range(_MAX_DAYS_OFF_IN_A_ROW):
            candidate += timedelta(days=1)
            if self.is_working_day(candidate):
                return candidate
        raise InvalidInput(
            "WORKING_DAY_CALENDAR_INVALID",
            f"No working day within {_MAX_DAYS_OFF_IN_A_ROW} days after {day.isoformat()}.",
        )

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before ``day``."""
        candidate = day
        for _ in range(_MAX_DAYS_OFF_IN_A_ROW):
            candidate -= timedelta(days=1)
            if self.is_working_day(candidate):
                return candidate
        raise InvalidInput(
            "WORKING_DAY_CALENDAR_INVALID",
            f"No working day within {_MAX_DAYS_OFF_IN_A_ROW} days before {day.isoformat()}.",
        )

    def add_working_days(self, day: date, count: int) -> date:
        """The date ``count`` working days after ``day`` (before it when negative).

        ``day`` itself is never counted, so ``add_working_days(friday, 1)`` is the next
        working day (usually Monday) and ``count == 0`` returns ``day`` unchanged.
        """
        if abs(count) > _MAX_WORKING_DAYS_STEP:
            raise InvalidInput(
                "WORKING_DAYS_OUT_OF_RANGE",
                f"Cannot step {count} working days (at most {_MAX_WORKING_DAYS_STEP}).",
            )
        step = self.next_working_day if count >= 0 else self.previous_working_day
        result = day
        for _ in range(abs(count)):
            result = step(result)
        return result

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the half-open range (start, end]; negative when end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        if (end - start).days > _MAX_WORKING_DAYS_STEP * 2:
            raise InvalidInput(
                "WORKING_DAYS_OUT_OF_RANGE",
                f"Range {start.isoformat()}..{end.isoformat()} is too long to count.",
            )
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=offset))
        )

    def local_date(self, moment: datetime) -> date:
        return _require_aware(moment).astimezone(self.tz).date()

    def end_of_day(self, day: date) -> datetime:
        """The last representable instant of ``day`` in the calendar's time zone."""
        return datetime.combine(day, time.max, tzinfo=self.tz)

    def review_due(self, submitted_at: datetime, working_days: int = 1) -> datetime:
        """Deadline for a review: end of the ``working_days``-th working day after submission.

        The day of submission never counts, even when it is a working day, because a
        submission at 23:50 must still get a full working day. The result is in the
        calendar's time zone (Asia/Shanghai).
        """
        if working_days < 1:
            raise InvalidInput(
                "WORKING_DAYS_OUT_OF_RANGE", "A review deadline needs at least 1 working day."
            )
        due_day = self.add_working_days(self.local_date(submitted_at), working_days)
        return self.end_of_day(due_day)

    def is_overdue(self, submitted_at: datetime, now: datetime, working_days: int = 1) -> bool:
        return _require_aware(now) > self.review_due(submitted_at, working_days)

    # --- configuration -----------------------------------------------------------------

    def with_days(
        self,
        *,
        holidays: Mapping[date, str] | None = None,
        working_days: Mapping[date, str] | None = None,
        covered_years: Iterable[int] = (),
    ) -> WorkingDayCalendar:
        """A copy with extra holidays / working days (a local holiday, a late change).

        A day added as a holiday stops being a make-up working day and vice versa, so a
        correction to the official schedule can be expressed as an addition.
        """
        new_holidays = dict(self.holidays)
        new_working = dict(self.make_up_working_days)
        for day, name in (holidays or {}).items():
            new_working.pop(day, None)
            new_holidays[day] = name
        for day, reason in (working_days or {}).items():
            new_holidays.pop(day, None)
            new_working[day] = reason
        return replace(
            self,
            holidays=new_holidays,
            make_up_working_days=new_working,
            covered_years=self.covered_years | frozenset(covered_years),
        )

    def merged_with(self, other: WorkingDayCalendar) -> WorkingDayCalendar:
        """This calendar with ``other``'s days and years layered on top."""
        return self.with_days(
            holidays=other.holidays,
            working_days=other.make_up_working_days,
            covered_years=other.covered_years,
        )


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(
            "TIME_WITHOUT_TIMEZONE",
            f"{moment.isoformat()} has no time zone; deadlines need an absolute instant.",
        )
    return moment


# --- parsing the schedule document ---------------------------------------------------------


def _invalid(message: str) -> InvalidInput:
    return InvalidInput("WORKING_DAY_CALENDAR_INVALID", message)


def _parse_date(value: Any, where: str) -> date:
    if not isinstance(value, str):
        raise _invalid(f"{where}: expected an ISO date string, got {value!r}.")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise _invalid(f"{where}: {value!r} is not an ISO date (YYYY-MM-DD).") from exc


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _invalid(f"{where}: expected an object.")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _invalid(f"{where}: expected a list.")
    return value


def _parse_weekend(value: Any) -> frozenset[int]:
    names = _list(value, "weekend")
    days: set[int] = set()
    for name in names:
        if not isinstance(name, str) or name.lower() not in _WEEKDAY_NAMES:
            raise _invalid(f"weekend: {name!r} is not a day name (monday … sunday).")
        days.add(_WEEKDAY_NAMES.index(name.lower()))
    return frozenset(days)


def _parse_year(
    year: int, entry: Mapping[str, Any], holidays: dict[date, str], working: dict[date, str]
) -> None:
    for index, raw in enumerate(_list(entry.get("holidays", []), f"{year}.holidays")):
        where = f"{year}.holidays[{index}]"
        item = _mapping(raw, where)
        name = str(item.get("name", "holiday"))
        first = _parse_date(item.get("from"), f"{where}.from")
        last = _parse_date(item.get("to", item.get("from")), f"{where}.to")
        if last < first or (last - first).days > 31:
            raise _invalid(f"{where}: {first}..{last} is not a plausible holiday range.")
        if first.year != year or last.year != year:
            raise _invalid(f"{where}: {first}..{last} lies outside year {year}.")
        for offset in range((last - first).days + 1):
            holidays[first + timedelta(days=offset)] = name
    for index, raw in enumerate(
        _list(entry.get("make_up_working_days", []), f"{year}.make_up_working_days")
    ):
        where = f"{year}.make_up_working_days[{index}]"
        item = _mapping(raw, where)
        day = _parse_date(item.get("date"), f"{where}.date")
        if day.year != year:
            raise _invalid(f"{where}: {day} lies outside year {year}.")
        working[day] = str(item.get("for", "make-up working day"))


def parse_calendar(
    document: Mapping[str, Any], *, outside_coverage: OutsideCoverage = "refuse"
) -> WorkingDayCalendar:
    """Build a calendar from the JSON schedule document (see ``data/holidays_cn.json``)."""
    doc = _mapping(document, "calendar")
    years = _mapping(doc.get("years"), "years")
    holidays: dict[date, str] = {}
    working: dict[date, str] = {}
    covered: set[int] = set()
    for key, entry in years.items():
        if not (isinstance(key, str) and key.isdigit() and len(key) == 4):
            raise _invalid(f"years: {key!r} is not a four-digit year.")
        year = int(key)
        _parse_year(year, _mapping(entry, key), holidays, working)
        covered.add(year)
    weekend = _parse_weekend(doc["weekend"]) if "weekend" in doc else frozenset({5, 6})
    return WorkingDayCalendar(
        holidays=holidays,
        make_up_working_days=working,
        covered_years=frozenset(covered),
        weekend=weekend,
        outside_coverage=outside_coverage,
    )
