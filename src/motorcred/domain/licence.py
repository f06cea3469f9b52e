"""The driving licence (机动车驾驶证) as the registry holds it.

A plain frozen dataclass: :meth:`DrivingLicence.create` validates every field
(raising ``InvalidInput`` with the code and the field name), :meth:`issue`
builds a first licence, and the queries answer the rules of DOMAIN.md from the
record and a date passed in. Changes go through events (``domain/events.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import NoReturn

from motorcred.domain import classes as permitted
from motorcred.domain.citizen_id import parse_citizen_id
from motorcred.domain.codes import LICENCE_STATUS
from motorcred.domain.dates import add_months, add_years, anniversary_on_or_before
from motorcred.domain.dates import whole_years_between as age_on
from motorcred.domain.licence_rules import RULES, LicenceRules
from motorcred.domain.provinces import province_of_area
from motorcred.errors import InvalidInput

_FILE_NUMBER = re.compile(r"[0-9]{12}")
_AUTHORITY_CODE = re.compile(r"[0-9]{6,12}")


@dataclass(frozen=True)
class DrivingLicence:
    number: str
    """The holder's identity number."""
    file_number: str
    class_grants: Mapping[str, date]
    """Each permitted class and the date it was first granted."""
    first_issue_date: date
    valid_from: date
    valid_until: date | None
    """``None`` = long-term (长期)."""
    validity_years: int | None
    status: frozenset[str]
    points: int
    cycle_start: date
    issuing_authority_code: str
    issuing_authority_name: str
    medical_exam_due: date | None = None
    photo_ref: str | None = None
    unpaid_fines: int = 0
    reached_limit_in_period: bool = False
    """A points cycle within the current validity period reached 12 (blocks the next step)."""
    probation_extended_until: date | None = None
    rules: LicenceRules = field(default=RULES, compare=False, repr=False)

    # ------------------------------------------------------------------ building

    @classmethod
    def create(
        cls,
        *,
        number: str,
        file_number: str,
        class_grants: Mapping[str, date],
        first_issue_date: date,
        valid_from: date,
        valid_until: date | None,
        validity_years: int | None,
        status: frozenset[str] | str = "A",
        points: int = 0,
        cycle_start: date | None = None,
        issuing_authority_code: str,
        issuing_authority_name: str,
        medical_exam_due: date | None = None,
        photo_ref: str | None = None,
        unpaid_fines: int = 0,
        reached_limit_in_period: bool = False,
        probation_extended_until: date | None = None,
    ) -> DrivingLicence:
        """A validated licence from stored or imported values."""
        grants = {permitted.driving_class(code).code: day for code, day in class_grants.items()}
        if not grants:
            raise InvalidInput(
                "CLASS_UNKNOWN", "a licence holds at least one class", details={"field": "classes"}
            )
        licence = cls(
            number=parse_citizen_id(number, field="number").value,
            file_number=validate_file_number(file_number),
            class_grants=dict(
                sorted(grants.items(), key=lambda kv: permitted.CLASS_ORDER.index(kv[0]))
            ),
            first_issue_date=first_issue_date,
            valid_from=valid_from,
            valid_until=valid_until,
            validity_years=validity_years,
            status=LICENCE_STATUS.parse(status),
            points=points,
            cycle_start=cycle_start or anniversary_on_or_before(first_issue_date, valid_from),
            issuing_authority_code=issuing_authority_code.strip(),
            issuing_authority_name=issuing_authority_name.strip(),
            medical_exam_due=medical_exam_due,
            photo_ref=photo_ref,
            unpaid_fines=unpaid_fines,
            reached_limit_in_period=reached_limit_in_period,
            probation_extended_until=probation_extended_until,
        )
        licence.validate()
        return licence

    @classmethod
    def issue(
        cls,
        *,
        number: str,
        file_number: str,
        classes: str,
        issued_on: date,
        issuing_authority_code: str,
        issuing_authority_name: str,
        photo_ref: str | None = None,
        rules: LicenceRules = RULES,
    ) -> DrivingLicence:
        """A first licence: first-application classes only, at an allowed age."""
        holder = parse_citizen_id(number, field="number")
        codes = permitted.parse_classes(classes)
        age = age_on(holder.birth_date, issued_on)
        for code in codes:
            if not permitted.CLASSES[code].may_be_first:
                raise InvalidInput(
                    "CLASS_NOT_FIRST_APPLICATION",
                    f"class {code} can only be added to an existing licence",
                    details={"field": "classes", "value": code},
                )
            if not permitted.age_allows_application(code, age):
                raise InvalidInput(
                    "CLASS_AGE",
                    f"class {code} cannot be applied for at age {age}",
                    details={"field": "classes", "value": code, "age": age},
                )
        first_period = rules.validity_years[0]
        licence = cls.create(
            number=holder.value,
            file_number=file_number,
            class_grants=dict.fromkeys(codes, issued_on),
            first_issue_date=issued_on,
            valid_from=issued_on,
            valid_until=None if first_period is None else add_years(issued_on, first_period),
            validity_years=first_period,
            cycle_start=issued_on,
            issuing_authority_code=issuing_authority_code,
            issuing_authority_name=issuing_authority_name,
            photo_ref=photo_ref,
        )
        return replace(licence, medical_exam_due=licence.next_medical_exam_due(after=issued_on))

    def validate(self) -> DrivingLicence:
        """Check the invariants between fields; returns ``self`` for chaining."""
        if min(self.class_grants.values()) < self.first_issue_date:
            _bad("class_grants", "LICENCE_DATES", "a class is granted before the first issue")
        if self.valid_until is not None and self.valid_until <= self.valid_from:
            _bad("valid_until", "LICENCE_DATES", "the licence must end after it starts")
        if self.validity_years not in self.rules.validity_years:
            _bad("validity_years", "LICENCE_VALIDITY", "validity must be 6, 10 or long-term")
        if (self.valid_until is None) != (self.validity_years is None):
            _bad("valid_until", "LICENCE_VALIDITY", "only a long-term licence has no end date")
        if not 0 <= self.points <= 99:
            _bad("points", "POINTS_RANGE", "points must be between 0 and 99")
        if self.unpaid_fines < 0:
            _bad("unpaid_fines", "POINTS_RANGE", "unpaid fines cannot be negative")
        if self.cycle_start != anniversary_on_or_before(self.first_issue_date, self.cycle_start):
            _bad("cycle_start", "LICENCE_DATES", "a points cycle starts on an anniversary")
        if not _AUTHORITY_CODE.fullmatch(self.issuing_authority_code):
            _bad("issuing_authority_code", "AUTHORITY_FORMAT", "authority code is 6-12 digits")
        if not self.issuing_authority_name or len(self.issuing_authority_name) > 64:
            _bad("issuing_authority_name", "AUTHORITY_FORMAT", "authority name is 1-64 chars")
        if self.photo_ref is not None and not 0 < len(self.photo_ref) <= 200:
            _bad("photo_ref", "PHOTO_REF_FORMAT", "photo reference is 1-200 characters")
        return self

    # ------------------------------------------------------------------ queries

    @property
    def classes(self) -> tuple[str, ...]:
        return tuple(self.class_grants)

    @property
    def classes_text(self) -> str:
        """Stored concatenated form ("C1D")."""
        return permitted.format_classes(self.class_grants)

    @property
    def status_text(self) -> str:
        return LICENCE_STATUS.format(self.status)

    @property
    def birth_date(self) -> date:
        return parse_citizen_id(self.number).birth_date

    def may_drive(self, wanted: str, *, on: date | None = None) -> bool:
        """Whether the classes allow ``wanted``; with ``on``, also the large-vehicle age limit."""
        if not permitted.may_drive(self.classes, wanted):
            return False
        if on is not None and permitted.CLASSES[permitted.driving_class(wanted).code].large_vehicle:
            return on < self.large_classes_end()
        return True

    def large_classes_end(self) -> date:
        """First day on which large-vehicle classes (A1 A2 A3 B1 B2 N P) may not be driven."""
        return add_years(self.birth_date, self.rules.large_vehicle_max_age)

    def is_within_validity(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)

    def renewal_window_opens(self) -> date | None:
        if self.valid_until is None:
            return None
        return self.valid_until - timedelta(days=self.rules.renewal_window_days)

    def in_renewal_window(self, on: date) -> bool:
        """Within the 90 days before expiry (renewal is also allowed later, when overdue)."""
        opens = self.renewal_window_opens()
        return (
            opens is not None and self.valid_until is not None and opens <= on <= self.valid_until
        )

    def may_renew(self, on: date) -> bool:
        opens = self.renewal_window_opens()
        return opens is not None and opens <= on

    def next_validity_years(self) -> int | None:
        """The period a renewal grants: one step up unless a cycle reached 12 points."""
        steps = self.rules.validity_years
        here = steps.index(self.validity_years)
        if self.reached_limit_in_period:
            return steps[here]
        return steps[min(here + 1, len(steps) - 1)]

    def cycle_start_on(self, on: date) -> date:
        """Start of the 12-month points cycle containing ``on`` (first-issue anniversary)."""
        return anniversary_on_or_before(self.first_issue_date, on)

    def cycle_end_on(self, on: date) -> date:
        """Last day of the points cycle containing ``on``."""
        return add_years(self.cycle_start_on(on), 1) - timedelta(days=1)

    def points_on(self, on: date) -> int:
        """Points as of ``on``, clearing them if a cycle ended meanwhile (see roll_over)."""
        return self.roll_over(on).points

    def roll_over(self, on: date) -> DrivingLicence:
        """The record with any cycles that ended before ``on`` closed.

        At a cycle end, points below the limit clear when every fine is paid and
        carry over otherwise (Order 163 art. 7); points at the limit stay until
        the re-education exam clears them.
        """
        start = self.cycle_start_on(on)
        if start <= self.cycle_start:
            return self
        points = self.points
        if points < self.rules.points_limit and self.unpaid_fines == 0:
            points = 0
        return replace(self, cycle_start=start, points=points)

    def probation_end(self) -> date:
        """First day after probation: 12 months after each grant, plus any extension."""
        months = self.rules.probation_months
        end = max(add_months(day, months) for day in self.class_grants.values())
        if self.probation_extended_until is not None:
            end = max(end, self.probation_extended_until)
        return end

    def in_probation(self, on: date) -> bool:
        return on < self.probation_end()

    def classes_in_probation(self, on: date) -> tuple[str, ...]:
        months = self.rules.probation_months
        return tuple(c for c, day in self.class_grants.items() if on < add_months(day, months))

    def next_medical_exam_due(self, *, after: date) -> date | None:
        """When the next medical certificate is due, counting from a submission on ``after``.

        Holders of large-vehicle classes (and drivers aged 70+ at the cycle end) submit one
        within 30 days after every points cycle; C5 holders every third cycle; everyone
        else with the renewal, so the due date is the end of validity (none if long-term).
        """
        rules = self.rules
        held = set(self.class_grants)
        yearly = bool(held & rules.exam_every_cycle_classes)
        cycle_end = self.cycle_end_on(after)
        if not yearly and age_on(self.birth_date, cycle_end) >= rules.exam_every_year_from_age:
            yearly = True
        if yearly:
            return cycle_end + timedelta(days=rules.exam_submit_within_days)
        if held & rules.exam_every_three_cycles_classes:
            end = add_years(cycle_end, 2)
            return end + timedelta(days=rules.exam_submit_within_days)
        return self.valid_until

    def medical_exam_overdue(self, on: date) -> bool:
        return self.medical_exam_due is not None and on > self.medical_exam_due


def validate_file_number(value: str, *, field: str = "file_number") -> str:
    """A 12-digit file number: 4-digit area prefix of a known province + 8-digit serial."""
    text = value.strip()
    if not _FILE_NUMBER.fullmatch(text) or province_of_area(text[:4]) is None:
        raise InvalidInput(
            "FILE_NUMBER_FORMAT",
            "a licence file number is 12 digits: a 4-digit area code and an 8-digit serial",
            details={"field": field, "value": value},
        )
    return text


def _bad(field_name: str, code: str, message: str) -> NoReturn:
    raise InvalidInput(code, message, details={"field": field_name})
