"""Calendar arithmetic the registry rules need: months, anniversaries, month ends.

A date that does not exist in the target month (31 March + 1 month, 29 February
+ 1 year) falls back to the last day of that month, as registry systems do.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def last_day_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def anniversary_on_or_before(anchor: date, on: date) -> date:
    """The latest anniversary of ``anchor`` (the anchor itself included) not after ``on``."""
    years = max(on.year - anchor.year, 0)
    candidate = add_years(anchor, years)
    while candidate > on and years > 0:
        years -= 1
        candidate = add_years(anchor, years)
    return candidate


def whole_years_between(earlier: date, later: date) -> int:
    """Completed years from ``earlier`` to ``later`` (an age on a birthday counts)."""
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return years


def months_between(earlier: date, later: date) -> int:
    """Completed months from ``earlier`` to ``later``."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if add_months(earlier, months) > later:
        months -= 1
    return months
