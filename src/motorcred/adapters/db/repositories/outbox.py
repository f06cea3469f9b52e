"""The notification outbox: messages written in the same transaction as the change
that caused them, delivered afterwards by the dispatcher.

Writing to a table instead of calling the SMS/mail gateway inside the command
means a rolled-back command never sends anything, and a gateway outage never
fails a command: the dispatcher retries with back-off. Recipients and bodies
(which carry one-time codes) are sealed like other personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, func, insert, select, update

from motorcred.adapters.db.repositories.accounts import aware
from motorcred.adapters.db.repositories.base import Repository, clamp_limit
from motorcred.adapters.db.tables import notification_outbox

PENDING, SENT, FAILED = "pending", "sent", "failed"
_RECIPIENT_CTX = "notification_outbox.recipient"
_BODY_CTX = "notification_outbox.body"


@dataclass(frozen=True)
class OutboxMessage:
    id: int
    kind: str
    channel: str
    recipient: str
    subject: str
    body: str
    status: str
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    sent_at: datetime | None
    last_error: str | None


class OutboxRepository(Repository):
    def _record(self, row: Row[Any]) -> OutboxMessage:
        return OutboxMessage(
            id=row.id,
            kind=row.kind,
            channel=row.channel,
            recipient=self.cipher.decrypt(row.recipient_enc, context=_RECIPIENT_CTX),
            subject=row.subject,
            body=self.cipher.decrypt(row.body_enc, context=_BODY_CTX),
            status=row.status,
            attempts=row.attempts,
            next_attempt_at=aware(row.next_attempt_at),
            created_at=aware(row.created_at),
            sent_at=aware(row.sent_at),
            last_error=row.last_error,
        )

    def add(
        self, *, kind: str, channel: str, recipient: str, subject: str, body: str, now: datetime
    ) -> int:
        values = {
            "kind": kind,
            "channel": channel,
            "recipient_enc": self.cipher.encrypt(recipient, context=_RECIPIENT_CTX),
            "subject": subject,
            "body_enc": self.cipher.encrypt(body, context=_BODY_CTX),
            "status": PENDING,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        stmt = insert(notification_outbox).returning(notification_outbox.c.id)
        return int(self.connection.execute(stmt, values).scalar_one())

    def get(self, message_id: int) -> OutboxMessage | None:
        stmt = select(notification_outbox).where(notification_outbox.c.id == message_id)
        row = self.connection.execute(stmt).first()
        return None if row is None else self._record(row)

    def due(self, now: datetime, *, limit: int = 100) -> list[OutboxMessage]:
        """Pending messages whose time has come, oldest first.

        On PostgreSQL the rows are locked with ``SKIP LOCKED``, so several
        dispatchers can run side by side without sending a message twice.
        """
        stmt = (
            select(notification_outbox)
            .where(
                notification_outbox.c.status == PENDING,
                notification_outbox.c.next_attempt_at <= now,
            )
            .order_by(notification_outbox.c.next_attempt_at, notification_outbox.c.id)
            .limit(clamp_limit(limit))
        )
        if self.is_postgres:
            stmt = stmt.with_for_update(skip_locked=True)
        return [self._record(r) for r in self.connection.execute(stmt)]

    def mark_sent(self, message_id: int, *, now: datetime) -> None:
        self.connection.execute(
            update(notification_outbox)
            .where(notification_outbox.c.id == message_id)
            .values(
                status=SENT,
                sent_at=now,
                attempts=notification_outbox.c.attempts + 1,
                last_error=None,
            )
        )

    def mark_attempt_failed(
        self, message_id: int, error: str, *, retry_at: datetime | None
    ) -> None:
        """Record a failed delivery: retried at ``retry_at``, or given up when ``None``."""
        values: dict[str, Any] = {
            "attempts": notification_outbox.c.attempts + 1,
            "last_error": error[:255],
        }
        if retry_at is None:
            values["status"] = FAILED
        else:
            values["next_attempt_at"] = retry_at
        self.connection.execute(
            update(notification_outbox)
            .where(notification_outbox.c.id == message_id)
            .values(**values)
        )

    def count(self, status: str | None = None) -> int:
        stmt = select(func.count()).select_from(notification_outbox)
        if status is not None:
            stmt = stmt.where(notification_outbox.c.status == status)
        return int(self.connection.execute(stmt).scalar_one())

    def purge(self, before: datetime) -> int:
        """Forget delivered and abandoned messages created before ``before``."""
        result = self.connection.execute(
            delete(notification_outbox).where(
                notification_outbox.c.status != PENDING, notification_outbox.c.created_at < before
            )
        )
        return int(result.rowcount or 0)
