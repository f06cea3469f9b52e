"""Housekeeping for holder accounts: forget what can never be used again.

Ended sessions, expired nonces and binding codes, and delivered or abandoned
notifications only grow the tables (one row per login, per code, per message —
hundreds of millions at national scale). Run :func:`purge_expired` from a
scheduled job; ``keep`` leaves a window for audit and support questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from motorcred.bootstrap import Container

DEFAULT_KEEP = timedelta(days=7)


@dataclass(frozen=True)
class PurgeReport:
    sessions: int
    binding_challenges: int
    device_nonces: int
    notifications: int


def purge_expired(container: Container, *, keep: timedelta = DEFAULT_KEEP) -> PurgeReport:
    """Delete rows that ended more than ``keep`` ago (one unit of work; idempotent)."""
    before = container.clock() - keep
    with container.unit_of_work() as uow:
        report = PurgeReport(
            sessions=uow.sessions.purge(before),
            binding_challenges=uow.binding_challenges.purge(before),
            device_nonces=uow.device_nonces.purge(before),
            notifications=uow.outbox.purge(before),
        )
        uow.commit()
    return report
