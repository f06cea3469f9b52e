"""Registry events: append-only, numbered 1, 2, 3… per record, payload sealed.

Payloads are encrypted as a whole because an event may carry any personal
field (a change of address, a new phone number); the event type, the record it
belongs to and its times stay in clear for ordering and audit queries.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, insert, select

from motorcred.adapters.db.records import Event, EventData
from motorcred.adapters.db.repositories.base import Repository, canonical_json, clamp_limit
from motorcred.adapters.db.tables import registry_events

_PAYLOAD_CTX = "registry_events.payload"


class EventRepository(Repository):
    def _record(self, row: Row[Any]) -> Event:
        payload = json.loads(self.cipher.decrypt(row.payload_enc, context=_PAYLOAD_CTX))
        data = EventData(
            record_kind=row.record_kind,
            record_id=row.record_id,
            event_type=row.event_type,
            payload=payload,
            occurred_at=row.occurred_at,
            recorded_by=row.recorded_by,
        )
        return Event(row.id, row.seq, data, row.recorded_at)

    def last_seq(self, record_kind: str, record_id: int) -> int:
        stmt = select(func.max(registry_events.c.seq)).where(
            registry_events.c.record_kind == record_kind,
            registry_events.c.record_id == record_id,
        )
        return int(self.connection.execute(stmt).scalar_one() or 0)

    def append(self, data: EventData, *, now: datetime) -> Event:
        """Append after the record's last event.

        The caller holds the record's row lock (``get(..., for_update=True)``),
        so ``seq`` cannot race; the unique ``(kind, id, seq)`` constraint is the
        backstop if it ever does.
        """
        seq = self.last_seq(data.record_kind, data.record_id) + 1
        payload_json = canonical_json(data.payload)
        values = {
            "record_kind": data.record_kind,
            "record_id": data.record_id,
            "seq": seq,
            "event_type": data.event_type,
            "payload_enc": self.cipher.encrypt(payload_json, context=_PAYLOAD_CTX),
            "occurred_at": data.occurred_at,
            "recorded_at": now,
            "recorded_by": data.recorded_by,
        }
        event_id = self.connection.execute(
            insert(registry_events).returning(registry_events.c.id), values
        ).scalar_one()
        stored = EventData(
            data.record_kind, data.record_id, data.event_type, json.loads(payload_json),
            data.occurred_at, data.recorded_by,
        )
        return Event(int(event_id), seq, stored, now)

    def get(self, event_id: int) -> Event | None:
        row = self.connection.execute(
            select(registry_events).where(registry_events.c.id == event_id)
        ).first()
        return None if row is None else self._record(row)

    def history(
        self, record_kind: str, record_id: int, *, after_seq: int = 0, limit: int | None = None
    ) -> list[Event]:
        """Events of one record in order (all of them when ``limit`` is ``None``, for a fold)."""
        stmt = (
            select(registry_events)
            .where(
                registry_events.c.record_kind == record_kind,
                registry_events.c.record_id == record_id,
                registry_events.c.seq > after_seq,
            )
            .order_by(registry_events.c.seq)
        )
        if limit is not None:
            stmt = stmt.limit(clamp_limit(limit))
        return [self._record(r) for r in self.connection.execute(stmt)]
