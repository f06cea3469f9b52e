"""Events that change a driving licence, each with the rule it applies.

Every ``apply_to`` first closes any points cycle that ended before the event
(``roll_over``), then changes the record or refuses with
``EVENT_NOT_APPLICABLE`` naming the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar, Final

from motorcred.domain import classes as permitted
from motorcred.domain.codes import LICENCE_STATUS
from motorcred.domain.dates import add_months, add_years
from motorcred.domain.dates import whole_years_between as age_on
from motorcred.domain.event_base import Event, RecordKind, check_text, invalid_field, not_applicable
from motorcred.domain.licence import DrivingLicence

CLOSED: Final = frozenset({"E", "F", "G"})
"""Withdrawn, revoked, cancelled: only lifting or closing events still apply."""
BLOCKS_CLASS_CHANGE: Final = frozenset({"B", "D", "U", "J", "K", "L"}) | CLOSED


@dataclass(frozen=True)
class LicenceEvent(Event):
    record_kind: ClassVar[RecordKind] = "licence"

    def apply_to(self, licence: DrivingLicence) -> DrivingLicence:
        if self.on < licence.first_issue_date:
            not_applicable(self, "the event predates the first issue of the licence")
        current = licence.roll_over(self.on)
        if current.status & CLOSED and not self.allowed_when_closed():
            not_applicable(self, "the licence is closed", status=current.status_text)
        return self.change(current)

    def allowed_when_closed(self) -> bool:
        return False

    def change(self, licence: DrivingLicence) -> DrivingLicence:
        raise NotImplementedError


# ----------------------------------------------------------------------------- points


@dataclass(frozen=True)
class ViolationRecorded(LicenceEvent):
    """A traffic violation: adds points; reaching 12 marks over-points and detains."""

    event_type: ClassVar[str] = "violation"
    points: int
    fine_paid: bool = True
    reference: str | None = None

    def check(self) -> None:
        if not 0 <= self.points <= 12:
            invalid_field("points", "POINTS_RANGE", "a violation scores 0 to 12 points")
        check_text("reference", self.reference)

    def change(self, licence: DrivingLicence) -> DrivingLicence:
        rules = licence.rules
        points = licence.points + self.points
        status = licence.status
        unpaid = licence.unpaid_fines
        if not self.fine_paid:
            unpaid += 1
            status = LICENCE_STATUS.add(status, "H")
        reached = licence.reached_limit_in_period
        if points >= rules.points_limit:
            status = LICENCE_STATUS.add(LICENCE_STATUS.add(status, "B"), "U")
            reached = True
        extended = licence.probation_extended_until
        low, high = rules.probation_extension_points
        heavy_in_probation = set(licence.classes_in_probation(self.on)) & (
            rules.probation_extension_classes
        )
        if heavy_in_probation and extended is None and low <= points <= high:
            extended = add_months(licence.probation_end(), rules.probation_extension_months)
        return replace(
            licence,
            points=points,
            status=status,
            unpaid_fines=unpaid,
            reached_limit_in_period=reached,
            probation_extended_until=extended,
        )


@dataclass(frozen=True)
class FinePaid(LicenceEvent):
    event_type: ClassVar[str] = "fine_paid"
    reference: str | None = None

    def check(self) -> None:
        check_text("reference", self.reference)

    def change(self, licence: DrivingLicence) -> DrivingLicence:
        if licence.unpaid_fines == 0:
            not_applicable(self, "no unpaid fine is recorded")
        unpaid = licence.unpaid_fines - 1
        status = licence.status if unpaid else LICENCE_STATUS.remove(licence.status, "H")
        return replace(licence, unpaid_fines=unpaid, status=status)


@dataclass(frozen=True)
class PointsCleared(LicenceEvent):
    """Re-education and exam passed after reaching 12 points: points and detention end."""

    event_type: ClassVar[str] = "points_cleared"

    def change(self, licence: DrivingLicence) -> DrivingLicence:
        if "B" not in licence.status:
            not_applicable(self, "the licence is not over the points limit")
        status = LICENCE_STATUS.remove(LICENCE_STATUS.remove(licence.status, "B"), "U")
        return replace(licence, points=0, status=status)


@dataclass(frozen=True)
class AccidentRecorded(LicenceEvent):
    event_type: ClassVar[str] = "accident"
    processed: bool = False
    reference: str | None = None

    def check(self) -> None:
        check_text("reference", self.reference)

    def change(self, licence: DrivingLicence) -> DrivingLicence:
        if self.processed:
            return licence
        return replace(licence, status=LICENCE_STATUS.add(licence.status, "I"))


@dataclass(frozen=True)
class AccidentProcessed(LicenceEvent):
    event_type: ClassVar[str] = "accident_processed"
    reference: str | None = None

    def check(self) -> None:
        check_text("reference", self.reference)

    def change(self, licence: DrivingLicence) -> DrivingLicence:
        if "I" not in licence.status:
            not_applicable(self, "no unprocessed accident is recorded")
        return replace(licence, status=LICENCE_STATUS.remove(licence.status, "I"))


# ----------------------------------------------------------------------------- classes


@dataclass(frozen=True)
class ClassAdded(LicenceEvent):
    """An added class (增驾): its own probation and grant date."""

    event_type: ClassVar[str] = "class_added"
    code: str

    def check(self) -> None:
        permitted.driving_class(self.code, field="code")

    def change(self, licence: DrivingLicence) -> DrivingLicence:
        blocked = licence.status & BLOCKS_CLASS_CHANGE
        if blocked:
            not_applicable(
                self, "the licence status does not allow a new class", status=licence.status_text
            )
        if licence.may_drive(self.code):
            not_applicable(self, f"class {self.code} is already held or included")
        age = age_on(licence.birth_date, self.on)
        if not permitted.age_allows_application(self.code, age):
            not_applicable(self, f"class {self.code} cannot be applied for at age {age}")
        grants = {**licence.class_grants, self.code: self.on}
        ordered = {c: grants[c] for c in permitted.canonical_order(grants)}
        changed = replace(licence, class_grants=ordered)
        return replace(changed, medical_exam_due=changed.next_medical_exam_due(after=self.on))


@dataclass(frozen=True)
class ClassRemoved(LicenceEvent):
    """A class given up or taken away (降级); at least one class remains."""

    event_type: ClassVar[str] = "class_removed"
    code: str
    reason: str | None = None

    def check(self) -> None:
        permitted.driving_class(self.code, field="code")
        check_text("reason", self.reason)

    def change(self, licence: DrivingLicence) -> DrivingLicence:
        if self.code not in licence.class_grants:
            not_applicable(self, f"class {self.code} is not held")
        if len(licence.class_grants) == 1:
            not_applicable(self, "the last class cannot be removed; cancel the licence instead")
        grants = {c: d for c, d in licence.class_grants.items() if c != self.code}
        changed = replace(licence, class_grants=grants)
        return replace(changed, medical_exam_due=changed.next_medical_exam_due(after=self.on))


# ----------------------------------------------------------------------------- validity


@dataclass(frozen=True)
class Renewed(LicenceEvent):
    """Renewal on expiry: the next validity step unless a cycle reached 12 points."""

    event_type: ClassVar[str] = "renewed"

    def change(self, licence: DrivingLicence) -> DrivingLicence:
        if licence.valid_until is None:
            not_applicable(self, "a long-term licence is not renewed")
        if not licence.may_renew(self.on):
            opens = licence.renewal_window_opens()
            not_applicable(
                self,
                "the renewal window has not opened",
                opens=opens.isoformat() if opens else None,
            )
        if "B" in licence.status:
            not_applicable(self, "the points must be cleared first")
        years = licence.next_validity_years()
        start = licence.valid_until if self.on <= licence.valid_until else self.on
        status = licence.status
        for code in ("M", "N"):
            if code in status:
                status = LICENCE_STATUS.remove(status, code)
        renewed = replace(
            licence,
            valid_from=start,
            valid_until=None if years is None else add_years(start, years),
            validity_years=years,
            reached_limit_in_period=False,
            status=status,
        )
        return replace(renewed, medical_exam_due=renewed.next_medical_exam_due(after=self.on))


@dataclass(frozen=True)
class MedicalExamSubmitted(LicenceEvent):
    event_type: ClassVar[str] = "medical_exam_submitted"

    def change(self, licence: DrivingLicence) -> DrivingLicence:
        status = licence.status
        if "P" in status:
            status = LICENCE_STATUS.remove(status, "P")
        return replace(
            licence, status=status, medical_exam_due=licence.next_medical_exam_due(after=self.on)
        )


@dataclass(frozen=True)
class TransferredIn(LicenceEvent):
    """The licence moves to another issuing authority (转入); clears "transferred out"."""

    event_type: ClassVar[str] = "transferred_in"
    issuing_authority_code: str
    issuing_authority_name: str

    def check(self) -> None:
        check_text("issuing_authority_name", self.issuing_authority_name, required=True)
        if (
            not self.issuing_authority_code.isdigit()
            or not 6 <= len(self.issuing_authority_code) <= 12
        ):
            invalid_field("issuing_authority_code", "AUTHORITY_FORMAT", "code is 6-12 digits")

    def change(self, licence: DrivingLicence) -> DrivingLicence:
        if self.issuing_authority_code == licence.issuing_authority_code:
            not_applicable(self, "the licence is already held by this authority")
        status = licence.status
        if "C" in status:
            status = LICENCE_STATUS.remove(status, "C")
        return replace(
            licence,
            issuing_authority_code=self.issuing_authority_code,
            issuing_authority_name=" ".join(self.issuing_authority_name.split()),
            status=status,
        ).validate()


@dataclass(frozen=True)
class PhotoReplaced(LicenceEvent):
    event_type: ClassVar[str] = "photo_replaced"
    photo_ref: str

    def check(self) -> None:
        check_text("photo_ref", self.photo_ref, required=True)

    def change(self, licence: DrivingLicence) -> DrivingLicence:
        return replace(licence, photo_ref=self.photo_ref)


BASIC_LICENCE_EVENTS: Final[tuple[type[LicenceEvent], ...]] = (
    ViolationRecorded,
    FinePaid,
    PointsCleared,
    AccidentRecorded,
    AccidentProcessed,
    ClassAdded,
    ClassRemoved,
    Renewed,
    MedicalExamSubmitted,
    TransferredIn,
    PhotoReplaced,
)
