"""Load working-day calendars from the shipped schedule or from an operator's file.

The official schedule ships as package data (``motorcred/data/holidays_cn.json``);
an operator can load another file instead, or layer extra files on top of it (a new
year's notice before a release carries it, a regional holiday).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from motorcred.domain.working_days import OutsideCoverage, WorkingDayCalendar, parse_calendar
from motorcred.errors import UsageError

OFFICIAL_SCHEDULE = "holidays_cn.json"
_MAX_FILE_BYTES = 1_000_000


def _decode(raw: bytes, origin: str) -> Any:
    if len(raw) > _MAX_FILE_BYTES:
        raise UsageError(
            "WORKING_DAY_CALENDAR_FILE_TOO_LARGE",
            f"{origin} is larger than {_MAX_FILE_BYTES} bytes; a holiday schedule is small.",
        )
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(
            "WORKING_DAY_CALENDAR_FILE_INVALID", f"{origin} is not UTF-8 JSON: {exc}"
        ) from exc


def load_official_calendar(*, outside_coverage: OutsideCoverage = "refuse") -> WorkingDayCalendar:
    """The State Council schedules shipped with motorcred."""
    raw = resources.files("motorcred").joinpath("data", OFFICIAL_SCHEDULE).read_bytes()
    return parse_calendar(_decode(raw, OFFICIAL_SCHEDULE), outside_coverage=outside_coverage)


def load_calendar_file(
    path: Path, *, outside_coverage: OutsideCoverage = "refuse"
) -> WorkingDayCalendar:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(
            "WORKING_DAY_CALENDAR_FILE_UNREADABLE", f"Cannot read {path}: {exc.strerror}"
        ) from exc
    return parse_calendar(_decode(raw, str(path)), outside_coverage=outside_coverage)


def load_calendar(
    extra_files: Iterable[Path] = (),
    *,
    include_official: bool = True,
    outside_coverage: OutsideCoverage = "refuse",
) -> WorkingDayCalendar:
    """The official schedule (unless excluded) with each extra file layered on top in order."""
    calendar = (
        load_official_calendar(outside_coverage=outside_coverage)
        if include_official
        else WorkingDayCalendar(outside_coverage=outside_coverage)
    )
    for path in extra_files:
        calendar = calendar.merged_with(load_calendar_file(path))
    return calendar
