"""Notifications: queue a message inside a command, deliver the outbox afterwards.

:func:`queue_sms` writes to the outbox in the caller's unit of work, so the
message exists exactly when the command's other writes do. :func:`dispatch_outbox`
is the small delivery loop: it hands due messages to the configured
:class:`~motorcred.adapters.notify.Notifier`, marks them sent, and reschedules
failures with exponential back-off until it gives up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from motorcred.adapters.notify import DeliveryFailed, Message, Notifier, build_notifier

if TYPE_CHECKING:
    from motorcred.adapters.db.uow import UnitOfWork
    from motorcred.bootstrap import Container

MAX_DELIVERY_ATTEMPTS = 8
_FIRST_RETRY = timedelta(seconds=30)
_LONGEST_RETRY = timedelta(hours=1)


@dataclass(frozen=True)
class DispatchReport:
    sent: int
    retrying: int
    failed: int


def queue_sms(
    uow: UnitOfWork, *, kind: str, phone: str, subject: str, body: str, now: datetime
) -> int:
    """Put an SMS in the outbox (delivered after the caller commits)."""
    return uow.outbox.add(
        kind=kind, channel="sms", recipient=phone, subject=subject, body=body, now=now
    )


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … capped at one hour (``attempts`` failures so far)."""
    delay: timedelta = _FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(delay, _LONGEST_RETRY)


def dispatch_outbox(
    container: Container, notifier: Notifier | None = None, *, limit: int = 100
) -> DispatchReport:
    """Deliver up to ``limit`` due messages; safe to run from several workers at once."""
    notifier = notifier or build_notifier(container.settings)
    sent = retrying = failed = 0
    with container.unit_of_work() as uow:
        now = container.clock()
        for item in uow.outbox.due(now, limit=limit):
            message = Message(item.channel, item.recipient, item.subject, item.body)
            try:
                notifier.send(message)
            except DeliveryFailed as exc:
                attempts = item.attempts + 1
                if attempts >= MAX_DELIVERY_ATTEMPTS:
                    uow.outbox.mark_attempt_failed(item.id, str(exc), retry_at=None)
                    failed += 1
                else:
                    retry_at = container.clock() + retry_delay(attempts)
                    uow.outbox.mark_attempt_failed(item.id, str(exc), retry_at=retry_at)
                    retrying += 1
                continue
            uow.outbox.mark_sent(item.id, now=container.clock())
            sent += 1
        uow.commit()
    return DispatchReport(sent=sent, retrying=retrying, failed=failed)
