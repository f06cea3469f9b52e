"""The e-VRC follows the registry: events that end the owner's registration end it.

A transfer of ownership (过户) or a deregistration (注销) makes the owner's e-VRC
INVALID in its status list at once: the hook runs inside the unit of work that
records the event, so the event and the revocation are stored together or not at
all, and the next status-list publication tells offline verifiers. The new owner
then applies for their own e-VRC (``services/evrc.py``).
"""

from __future__ import annotations

from typing import Final

from motorcred.adapters.db.uow import UnitOfWork
from motorcred.domain.event_base import Event
from motorcred.services.issuance import IssuanceService
from motorcred.services.registry_events import VehicleEventHook

ENDING_EVENTS: Final = frozenset({"ownership_transferred", "deregistered"})
"""Vehicle events after which the current owner's e-VRC no longer speaks the truth."""


def evrc_vehicle_hook(issuance: IssuanceService) -> VehicleEventHook:
    """The hook the registry calls after applying a vehicle event (see bootstrap)."""

    def follow(uow: UnitOfWork, vehicle_id: int, event: Event) -> None:
        if event.event_type in ENDING_EVENTS:
            issuance.revoke_evrc_in(uow, vehicle_id)

    return follow
