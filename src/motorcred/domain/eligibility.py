"""Who may get an electronic driving licence, and why not (DOMAIN.md section 1).

The paper licence must be within its validity period and free of any status
that stops it being used: detained, suspended, overdue for its medical exam or
its review, stopped, revoked, withdrawn, cancelled, over 12 points… Every
refusal has a stable code, says in Chinese and English what is wrong and what
the holder should do, and all refusals are reported at once so the holder can
clear them together.

The rules are data (:data:`STATUS_REFUSALS`, :data:`CHECK_REFUSALS`, dated by
:data:`RULES_VERSION`): a change of regulation is a change of a row, not of an
``if`` chain. Pure: the date is a parameter.

Status letters that do not block an e-licence: H and I (an unprocessed violation
or accident is settled at the traffic police, the licence stays usable), N, P
and T (deferrals granted by the authority), Z (other; the authority sets a
blocking letter when it means one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Final

from motorcred.domain.licence import DrivingLicence
from motorcred.domain.rollout import Credential, RolloutCalendar

RULES_VERSION: Final = "2026-11-23"
"""Date of the rule table below; quoted with every answer."""


@dataclass(frozen=True)
class Refusal:
    """One reason an application is refused, and what the holder does about it."""

    code: str
    message_zh: str
    message_en: str
    action_zh: str
    action_en: str
    details: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "message": {"zh": self.message_zh, "en": self.message_en},
            "action": {"zh": self.action_zh, "en": self.action_en},
        }
        if self.details:
            out["details"] = dict(self.details)
        return out


@dataclass(frozen=True)
class Eligibility:
    refusals: tuple[Refusal, ...]
    rules_version: str = RULES_VERSION

    @property
    def eligible(self) -> bool:
        return not self.refusals

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.refusals)


def _r(code: str, zh: str, en: str, action_zh: str, action_en: str) -> Refusal:
    return Refusal(code, zh, en, action_zh, action_en)


_AT_COUNTER_ZH = "请到车管所办理后再申请"
_AT_COUNTER_EN = "settle it at a vehicle administration office (车管所), then apply again"

# Status letter → refusal. Several letters may map to the same code (G and R).
STATUS_REFUSALS: Final[Mapping[str, Refusal]] = {
    "B": _r(
        "LICENCE_OVER_POINTS",
        "驾驶证记分已满12分",
        "the licence has reached 12 points",
        "请参加道路交通安全法律法规学习并通过考试后再申请",
        "attend the traffic-safety course and pass the exam, then apply again",
    ),
    "C": _r(
        "LICENCE_TRANSFERRED_OUT",
        "驾驶证档案已转出",
        "the licence file has been transferred to another authority",
        "请在转入地车管所完成转入后再申请",
        "complete the transfer at the receiving vehicle administration office, then apply",
    ),
    "D": _r(
        "LICENCE_SUSPENDED",
        "驾驶证处于暂扣状态",
        "the licence is suspended",
        "暂扣期满并领回驾驶证后再申请",
        "apply again when the suspension has ended and the licence is returned",
    ),
    "E": _r(
        "LICENCE_WITHDRAWN",
        "驾驶证已被撤销",
        "the licence has been withdrawn",
        "驾驶许可已撤销，须重新申领驾驶证",
        "the driving permit was withdrawn; a new licence must be obtained",
    ),
    "F": _r(
        "LICENCE_REVOKED",
        "驾驶证已被吊销",
        "the licence has been revoked",
        "驾驶证已吊销，期满后须重新考试申领",
        "the licence is revoked; after the ban, take the tests for a new licence",
    ),
    "G": _r(
        "LICENCE_CANCELLED",
        "驾驶证已注销",
        "the licence has been cancelled",
        "如可恢复，请到车管所申请恢复驾驶资格",
        "if it can be restored, ask a vehicle administration office to restore it",
    ),
    "R": _r(
        "LICENCE_CANCELLED",
        "驾驶证已注销（可恢复）",
        "the licence has been cancelled (recoverable)",
        "请到车管所申请恢复驾驶资格后再申请",
        "ask a vehicle administration office to restore the licence, then apply",
    ),
    "J": _r(
        "LICENCE_STOPPED",
        "驾驶证已公告停止使用",
        "the licence has been announced as stopped",
        _AT_COUNTER_ZH,
        _AT_COUNTER_EN,
    ),
    "K": _r(
        "LICENCE_SEIZED",
        "驾驶证处于扣押状态",
        "the licence is seized",
        _AT_COUNTER_ZH,
        _AT_COUNTER_EN,
    ),
    "L": _r(
        "LICENCE_LOCKED",
        "驾驶证处于锁定状态",
        "the licence is locked",
        _AT_COUNTER_ZH,
        _AT_COUNTER_EN,
    ),
    "M": _r(
        "LICENCE_RENEWAL_OVERDUE",
        "驾驶证逾期未换证",
        "the licence is overdue for renewal",
        "请先办理换证再申请",
        "renew the licence first, then apply",
    ),
    "S": _r(
        "LICENCE_REVIEW_OVERDUE",
        "驾驶证逾期未审验",
        "the licence is overdue for its review",
        "请完成审验后再申请",
        "complete the licence review, then apply",
    ),
    "U": _r(
        "LICENCE_DETAINED",
        "驾驶证处于扣留状态",
        "the licence is detained",
        "请接受处理并领回驾驶证后再申请",
        "settle the matter and collect the licence, then apply again",
    ),
}

# Checks computed from the record and the date (not from a status letter).
CHECK_REFUSALS: Final[Mapping[str, Refusal]] = {
    "expired": _r(
        "LICENCE_EXPIRED",
        "驾驶证已超过有效期",
        "the licence is past its validity period",
        "请先办理换证再申请",
        "renew the licence first, then apply",
    ),
    "not_yet_valid": _r(
        "LICENCE_NOT_YET_VALID",
        "驾驶证尚未生效",
        "the licence is not valid yet",
        "请在驾驶证生效后再申请",
        "apply on or after the date the licence becomes valid",
    ),
    "exam_overdue": _r(
        "LICENCE_EXAM_OVERDUE",
        "驾驶证逾期未提交身体条件证明",
        "the licence is overdue for its medical exam",
        "请提交身体条件证明后再申请",
        "submit the medical certificate, then apply",
    ),
    "over_points": STATUS_REFUSALS["B"],
}

EXAM_DEFERRED: Final = "P"
"""延期体检: the authority deferred the exam, so an overdue due date does not block."""


def check_eligibility(licence: DrivingLicence, on: date) -> Eligibility:
    """Every reason ``licence`` cannot have an e-licence on ``on`` (none = eligible)."""
    found: dict[str, Refusal] = {}

    def add(refusal: Refusal, **details: Any) -> None:
        if refusal.code not in found:
            found[refusal.code] = replace(refusal, details=details) if details else refusal

    if licence.valid_until is not None and on > licence.valid_until:
        add(CHECK_REFUSALS["expired"], valid_until=licence.valid_until.isoformat())
    if on < licence.valid_from:
        add(CHECK_REFUSALS["not_yet_valid"], valid_from=licence.valid_from.isoformat())
    for letter in sorted(licence.status):
        refusal = STATUS_REFUSALS.get(letter)
        if refusal is not None:
            add(refusal, status=letter)
    if licence.medical_exam_overdue(on) and EXAM_DEFERRED not in licence.status:
        assert licence.medical_exam_due is not None
        add(CHECK_REFUSALS["exam_overdue"], due=licence.medical_exam_due.isoformat())
    points = licence.points_on(on)
    if points >= licence.rules.points_limit:
        add(CHECK_REFUSALS["over_points"], points=points)
    return Eligibility(tuple(found.values()))


_CREDENTIAL_NAMES: Final[Mapping[Credential, tuple[str, str]]] = {
    "edl": ("电子驾驶证", "electronic driving licence"),
    "evrc": ("电子行驶证", "electronic vehicle registration"),
}


def rollout_refusal(
    calendar: RolloutCalendar, area_code: str, on: date, *, credential: Credential = "edl"
) -> Refusal | None:
    """``EDL_NOT_AVAILABLE_IN_CITY`` (or ``EVRC_…``) naming the start date; ``None`` if enabled."""
    answer = calendar.availability(credential, area_code, on)
    if answer.enabled:
        return None
    start = answer.starts_on.isoformat()
    name_zh, name_en = _CREDENTIAL_NAMES[credential]
    return Refusal(
        f"{credential.upper()}_NOT_AVAILABLE_IN_CITY",
        f"{answer.city.name}自{start}起开通{name_zh}",
        f"the {name_en} is offered in {answer.city.name} from {start}",
        f"请于{start}或之后再申请",
        f"apply on or after {start}",
        details={"city": answer.city.code, "starts_on": start},
    )
