"""Who may get an electronic vehicle registration (e-VRC), and why not (DOMAIN.md section 2).

Only the registered owner applies. A vehicle whose status stops the registration
being used — stolen, sealed by a court, detained, deregistered (by the owner or
by force), scrapped by public notice, or transferred out to another authority —
is refused, each with its own stable code, a message in Chinese and English and
what the owner should do. All refusals are reported at once.

An overdue inspection (status Q, or an ``inspection_valid_until`` in the past) is
not a refusal: the e-VRC shows the inspection date and status like the paper
certificate does, so the owner sees it as a warning and gets the credential.

Status letters that neither refuse nor warn: D (laid up), G and I (unprocessed
violation or accident — the e-VRC is what the owner shows at the traffic window to
settle them), H (customs control), J (suspect), N (hit-and-run) and O (locked):
the credential carries the live status, so a verifier sees them.

A person who is not the owner learns only ``VEHICLE_NOT_OWNED``: the vehicle's
status (stolen, sealed…) is the owner's data and is not disclosed to anyone else.

The rules are data (:data:`STATUS_REFUSALS`, :data:`INSPECTION_OVERDUE`, dated by
:data:`RULES_VERSION`). Pure: the date is a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Final

from motorcred.domain.eligibility import Refusal, rollout_refusal
from motorcred.domain.rollout import RolloutCalendar
from motorcred.domain.vehicle import Vehicle

RULES_VERSION: Final = "2026-11-23"
"""Date of the rule table below; quoted with every answer."""


@dataclass(frozen=True)
class VrcEligibility:
    """The refusals (none = eligible) and the warnings shown with the credential."""

    refusals: tuple[Refusal, ...]
    warnings: tuple[Refusal, ...] = ()
    """Findings that do not block issuance (same shape as a refusal)."""
    rules_version: str = RULES_VERSION

    @property
    def eligible(self) -> bool:
        return not self.refusals

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.refusals)

    @property
    def warning_codes(self) -> tuple[str, ...]:
        return tuple(w.code for w in self.warnings)


def _r(code: str, zh: str, en: str, action_zh: str, action_en: str) -> Refusal:
    return Refusal(code, zh, en, action_zh, action_en)


_DEREGISTERED_ZH = "机动车已注销，不能申领电子行驶证"
_DEREGISTERED_EN = "a deregistered vehicle cannot have an electronic registration"

# Vehicle status letter → refusal. E and M share a code: both end the registration.
STATUS_REFUSALS: Final[Mapping[str, Refusal]] = {
    "B": _r(
        "VEHICLE_TRANSFERRED_OUT",
        "机动车档案已转出",
        "the vehicle file has been transferred to another authority",
        "请在转入地车管所完成转入登记后再申请",
        "complete the transfer-in registration at the receiving office, then apply",
    ),
    "C": _r(
        "VEHICLE_STOLEN",
        "机动车处于被盗抢状态",
        "the vehicle is reported stolen or robbed",
        "车辆找回后请到车管所恢复状态后再申请",
        "once the vehicle is recovered, have its status restored at a vehicle "
        "administration office (车管所), then apply",
    ),
    "E": _r(
        "VEHICLE_DEREGISTERED",
        "机动车已注销",
        "the vehicle has been deregistered",
        _DEREGISTERED_ZH,
        _DEREGISTERED_EN,
    ),
    "K": _r(
        "VEHICLE_SEALED",
        "机动车已被人民法院查封",
        "the vehicle is sealed by a court",
        "查封解除后再申请",
        "apply again when the court has lifted the seal",
    ),
    "L": _r(
        "VEHICLE_SEIZED",
        "机动车处于暂扣状态",
        "the vehicle is detained",
        "请接受处理并领回车辆后再申请",
        "settle the matter and collect the vehicle, then apply again",
    ),
    "M": _r(
        "VEHICLE_DEREGISTERED",
        "机动车已强制注销",
        "the vehicle has been deregistered by force",
        _DEREGISTERED_ZH,
        _DEREGISTERED_EN,
    ),
    "P": _r(
        "VEHICLE_SCRAPPED",
        "机动车达到报废标准，牌证已公告作废",
        "the vehicle has reached the scrapping standard and its plates and "
        "certificate were announced void",
        "请办理报废注销登记",
        "have the vehicle scrapped and its registration cancelled",
    ),
}

NOT_OWNED: Final = _r(
    "VEHICLE_NOT_OWNED",
    "申请人不是该机动车的登记所有人",
    "the applicant is not the registered owner of the vehicle",
    "电子行驶证仅由登记所有人申领；如需他人使用，请由所有人授权",
    "only the registered owner applies; the owner can authorise someone else to use it",
)

INSPECTION_OVERDUE_STATUS: Final = "Q"
"""逾期未检验: set by the registry; a past ``inspection_valid_until`` means the same."""

INSPECTION_OVERDUE: Final = _r(
    "VEHICLE_INSPECTION_OVERDUE",
    "机动车逾期未检验",
    "the vehicle is overdue for its periodic inspection",
    "请尽快到机动车检验机构检验；逾期未检验的车辆不得上道路行驶",
    "have the vehicle inspected soon; it may not be driven on the road until then",
)


def check_vrc_eligibility(vehicle: Vehicle, applicant_id_number: str, on: date) -> VrcEligibility:
    """Every reason ``applicant_id_number`` cannot have an e-VRC for ``vehicle`` on ``on``."""
    if _id_key(applicant_id_number) != _id_key(vehicle.owner_id_number):
        return VrcEligibility((NOT_OWNED,))
    found: dict[str, Refusal] = {}
    for letter in sorted(vehicle.status):
        refusal = STATUS_REFUSALS.get(letter)
        if refusal is not None and refusal.code not in found:
            found[refusal.code] = replace(refusal, details={"status": letter})
    warnings: list[Refusal] = []
    if INSPECTION_OVERDUE_STATUS in vehicle.status or vehicle.inspection_overdue(on):
        details: dict[str, Any] = {}
        if vehicle.inspection_valid_until is not None:
            details["inspection_valid_until"] = vehicle.inspection_valid_until.isoformat()
        warnings.append(replace(INSPECTION_OVERDUE, details=details or None))
    return VrcEligibility(tuple(found.values()), tuple(warnings))


def evrc_rollout_refusal(calendar: RolloutCalendar, area_code: str, on: date) -> Refusal | None:
    """``EVRC_NOT_AVAILABLE_IN_CITY`` naming the city's start date, or ``None`` when enabled."""
    return rollout_refusal(calendar, area_code, on, credential="evrc")


def _id_key(id_number: str) -> str:
    # Identity numbers end in a check character that may be typed as "x" or "X".
    return id_number.strip().upper()
