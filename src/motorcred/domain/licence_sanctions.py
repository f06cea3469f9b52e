"""Sanctions and administrative markers on a driving licence.

Each sanction imposes one status letter and its counterpart lifts it; lifting or
closing (withdrawn, revoked, cancelled) is still possible on a closed licence.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar, Final

from motorcred.domain.codes import LICENCE_STATUS
from motorcred.domain.event_base import check_text, invalid_field, not_applicable
from motorcred.domain.licence import DrivingLicence
from motorcred.domain.licence_events import CLOSED, LicenceEvent

MARKER_CODES: Final = frozenset("CKLMNPRSTZ")
"""Statuses set and cleared by administrative marking; the others follow their events."""


@dataclass(frozen=True)
class _Sanction(LicenceEvent):
    """Imposes (or, with ``lifting``, lifts) one status letter."""

    status_code: ClassVar[str]
    lifting: ClassVar[bool] = False
    reason: str | None = None

    def check(self) -> None:
        check_text("reason", self.reason)

    def allowed_when_closed(self) -> bool:
        return self.lifting or self.status_code in CLOSED

    def change(self, licence: DrivingLicence) -> DrivingLicence:
        code = self.status_code
        text = LICENCE_STATUS.describe(code).name_en
        if self.lifting:
            if code not in licence.status:
                not_applicable(self, f"the licence is not {text}")
            if code == "U" and "B" in licence.status:
                not_applicable(self, "detention for 12 points ends when the points are cleared")
            return replace(licence, status=LICENCE_STATUS.remove(licence.status, code))
        if code in licence.status:
            not_applicable(self, f"the licence is already {text}")
        return replace(licence, status=LICENCE_STATUS.add(licence.status, code))


@dataclass(frozen=True)
class Suspended(_Sanction):
    event_type: ClassVar[str] = "suspended"
    status_code: ClassVar[str] = "D"
    until: date | None = None

    def check(self) -> None:
        super().check()
        if self.until is not None and self.until <= self.on:
            invalid_field("until", "EVENT_FIELD", "a suspension ends after it starts")


@dataclass(frozen=True)
class SuspensionLifted(_Sanction):
    event_type: ClassVar[str] = "suspension_lifted"
    status_code: ClassVar[str] = "D"
    lifting: ClassVar[bool] = True


@dataclass(frozen=True)
class Detained(_Sanction):
    event_type: ClassVar[str] = "detained"
    status_code: ClassVar[str] = "U"


@dataclass(frozen=True)
class DetentionLifted(_Sanction):
    event_type: ClassVar[str] = "detention_lifted"
    status_code: ClassVar[str] = "U"
    lifting: ClassVar[bool] = True


@dataclass(frozen=True)
class Revoked(_Sanction):
    event_type: ClassVar[str] = "revoked"
    status_code: ClassVar[str] = "F"


@dataclass(frozen=True)
class RevocationLifted(_Sanction):
    """A revocation overturned on review or appeal."""

    event_type: ClassVar[str] = "revocation_lifted"
    status_code: ClassVar[str] = "F"
    lifting: ClassVar[bool] = True


@dataclass(frozen=True)
class Withdrawn(_Sanction):
    event_type: ClassVar[str] = "withdrawn"
    status_code: ClassVar[str] = "E"


@dataclass(frozen=True)
class WithdrawalLifted(_Sanction):
    event_type: ClassVar[str] = "withdrawal_lifted"
    status_code: ClassVar[str] = "E"
    lifting: ClassVar[bool] = True


@dataclass(frozen=True)
class Cancelled(_Sanction):
    event_type: ClassVar[str] = "cancelled"
    status_code: ClassVar[str] = "G"


@dataclass(frozen=True)
class CancellationLifted(_Sanction):
    event_type: ClassVar[str] = "cancellation_lifted"
    status_code: ClassVar[str] = "G"
    lifting: ClassVar[bool] = True


@dataclass(frozen=True)
class Stopped(_Sanction):
    """Use of the e-licence stopped (e.g. a deliberately unacceptable photo)."""

    event_type: ClassVar[str] = "stopped"
    status_code: ClassVar[str] = "J"


@dataclass(frozen=True)
class StopLifted(_Sanction):
    event_type: ClassVar[str] = "stop_lifted"
    status_code: ClassVar[str] = "J"
    lifting: ClassVar[bool] = True


@dataclass(frozen=True)
class StatusMarked(LicenceEvent):
    """Administrative markers (renewal overdue, locked, deferred…); see ``MARKER_CODES``."""

    event_type: ClassVar[str] = "status_marked"
    code: str
    cleared: bool = False

    def check(self) -> None:
        if self.code not in MARKER_CODES:
            invalid_field(
                "code",
                "LICENCE_STATUS_UNKNOWN",
                f"status {self.code!r} is not a marker; markers are "
                + "".join(sorted(MARKER_CODES)),
            )

    def change(self, licence: DrivingLicence) -> DrivingLicence:
        if self.cleared:
            if self.code not in licence.status:
                not_applicable(self, f"status {self.code} is not set")
            return replace(licence, status=LICENCE_STATUS.remove(licence.status, self.code))
        if self.code in licence.status:
            not_applicable(self, f"status {self.code} is already set")
        return replace(licence, status=LICENCE_STATUS.add(licence.status, self.code))


SANCTION_EVENTS: Final[tuple[type[LicenceEvent], ...]] = (
    Suspended,
    SuspensionLifted,
    Detained,
    DetentionLifted,
    Revoked,
    RevocationLifted,
    Withdrawn,
    WithdrawalLifted,
    Cancelled,
    CancellationLifted,
    Stopped,
    StopLifted,
    StatusMarked,
)
