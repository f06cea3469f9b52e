"""The e-DL follows the registry: its status-list entry tracks the paper licence.

After every licence event the derived licence is checked with the eligibility rules
(``domain/eligibility.py``) and the e-DL's status entry follows inside the unit of work
that records the event, so the event and the status change are stored together or
not at all:

* a refusal that ends the licence (revoked, withdrawn, cancelled, stopped) revokes
  the e-DL — INVALID for good, a later lift does not bring it back;
* any other refusal (suspended, detained, over points, seized, locked, exam or review
  overdue…) makes the entry SUSPENDED;
* once the licence is eligible again a SUSPENDED entry becomes VALID again.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

from motorcred.adapters.db.uow import UnitOfWork
from motorcred.domain.eligibility import check_eligibility
from motorcred.domain.event_base import Event
from motorcred.domain.licence import DrivingLicence
from motorcred.services.issuance import IssuanceService
from motorcred.services.registry_events import LicenceEventHook
from motorcred.services.registry_store import RegistryStore
from motorcred.services.status_lists import STATUS_INVALID, STATUS_SUSPENDED, STATUS_VALID

ENDING_REFUSALS: Final = frozenset(
    {"LICENCE_REVOKED", "LICENCE_WITHDRAWN", "LICENCE_CANCELLED", "LICENCE_STOPPED"}
)
"""Refusal codes after which the licence's e-DL is revoked rather than suspended."""


def edl_status_for(licence: DrivingLicence, now: datetime) -> int:
    """The status-list value the e-DL of ``licence`` should carry at ``now``."""
    eligibility = check_eligibility(licence, now.date())
    if eligibility.eligible:
        return STATUS_VALID
    if ENDING_REFUSALS.intersection(eligibility.codes):
        return STATUS_INVALID
    return STATUS_SUSPENDED


def edl_licence_hook(issuance: IssuanceService, clock: Callable[[], datetime]) -> LicenceEventHook:
    """The hook the registry calls after applying a licence event (see bootstrap)."""

    def follow(uow: UnitOfWork, licence_id: int, event: Event) -> None:
        licence = RegistryStore(uow).licence(licence_id).licence
        issuance.follow_licence_in(uow, licence_id, edl_status_for(licence, clock()))

    return follow
