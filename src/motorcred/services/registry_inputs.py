"""Building registry entities from what a client sends (API body or CSV row).

The admin API and the CSV import accept the same shapes — classes as the
concatenated registry string plus optional grant dates, a validity period
given by its dates — and both turn them into domain entities here, so the two
entrypoints cannot drift apart in what they accept.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from motorcred.domain.classes import parse_classes
from motorcred.domain.dates import add_years, anniversary_on_or_before, whole_years_between
from motorcred.domain.licence import DrivingLicence
from motorcred.domain.licence_rules import RULES
from motorcred.errors import InvalidInput


def validity_years(valid_from: date, valid_until: date | None) -> int | None:
    """The validity step a period stands for: ``None`` (long-term), else its length in years.

    A period that is not a whole 6 or 10 years is passed on as is and refused by
    the domain (``LICENCE_VALIDITY``), so the message names the real problem.
    """
    if valid_until is None:
        return None
    for years in RULES.validity_years:
        # add_years, not a year count: a period from 29 February ends on 28 February.
        if years is not None and add_years(valid_from, years) == valid_until:
            return years
    return whole_years_between(valid_from, valid_until)


def class_grants(
    classes: str, first_issue_date: date, class_dates: Mapping[str, date] | None = None
) -> dict[str, date]:
    """Each class of ``classes`` ("C1D") with its grant date (default: the first issue)."""
    codes = parse_classes(classes)
    dates = {code.strip().upper(): day for code, day in (class_dates or {}).items()}
    stray = sorted(set(dates) - set(codes))
    if stray:
        raise InvalidInput(
            "CLASS_DATE_UNMATCHED",
            f"a grant date is given for {', '.join(stray)}, which is not among the classes",
            details={"field": "class_dates", "value": stray},
        )
    return {code: dates.get(code, first_issue_date) for code in codes}


def build_licence(
    *,
    number: str,
    file_number: str,
    classes: str,
    first_issue_date: date,
    valid_from: date,
    valid_until: date | None,
    issuing_authority_code: str,
    issuing_authority_name: str,
    class_dates: Mapping[str, date] | None = None,
    status: str = "A",
    points: int = 0,
    medical_exam_due: date | None = None,
    photo_ref: str | None = None,
    as_of: date | None = None,
) -> DrivingLicence:
    """A validated licence; ``points`` count in the 12-month cycle running on ``as_of``."""
    cycle_start = None
    if as_of is not None and as_of >= first_issue_date:
        cycle_start = anniversary_on_or_before(first_issue_date, as_of)
    return DrivingLicence.create(
        number=number,
        file_number=file_number,
        class_grants=class_grants(classes, first_issue_date, class_dates),
        first_issue_date=first_issue_date,
        valid_from=valid_from,
        valid_until=valid_until,
        validity_years=validity_years(valid_from, valid_until),
        status=status,
        points=points,
        cycle_start=cycle_start,
        issuing_authority_code=issuing_authority_code,
        issuing_authority_name=issuing_authority_name,
        medical_exam_due=medical_exam_due,
        photo_ref=photo_ref,
    )
