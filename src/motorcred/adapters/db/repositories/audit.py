"""The audit log table and its chain head; the chaining itself is domain/audit_chain.py."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from motorcred.adapters.db.repositories.accounts import aware
from motorcred.adapters.db.repositories.base import Repository, clamp_limit
from motorcred.adapters.db.verification_tables import audit_chain_head, audit_log
from motorcred.domain.audit_chain import GENESIS_HASH, AuditEntry, ChainedEntry

_HEAD_ID = 1


@dataclass(frozen=True)
class AuditRow:
    """A stored entry: the chained content plus the outcome kept for queries."""

    id: int
    chained: ChainedEntry
    action: str
    outcome: str


def chained_action(action: str, outcome: str) -> str:
    """The action as the chain hashes it: the outcome is part of it, so it cannot be edited."""
    return f"{action}:{outcome}"


def _row(row: Row[Any]) -> AuditRow:
    entry = AuditEntry(
        seq=int(row.seq),
        at=aware(row.at),
        actor=row.actor,
        role=row.role,
        purpose=row.purpose,
        action=chained_action(row.action, row.outcome),
        subject_ref=bytes(row.subject_ref),
        fields_seen=tuple(row.fields_seen or ()),
    )
    chained = ChainedEntry(entry, bytes(row.prev_hash), bytes(row.hash))
    return AuditRow(int(row.id), chained, row.action, row.outcome)


class AuditRepository(Repository):
    def lock_head(self) -> tuple[int, bytes]:
        """Take the chain head for this transaction: ``(last seq, last hash)``.

        The head row is created if missing and updated before it is read, which
        takes its row lock on PostgreSQL and the database write lock on SQLite; a concurrent append
        waits here until this transaction ends, so two entries never share a
        predecessor.
        """
        values = {"id": _HEAD_ID, "seq": 0, "hash": GENESIS_HASH}
        stmt: Any
        if self.is_postgres:
            stmt = postgresql.insert(audit_chain_head).values(values).on_conflict_do_nothing()
        else:
            stmt = sqlite.insert(audit_chain_head).values(values).on_conflict_do_nothing()
        self.connection.execute(stmt)  # the first append after an empty start
        self.connection.execute(
            update(audit_chain_head)
            .where(audit_chain_head.c.id == _HEAD_ID)
            .values(seq=audit_chain_head.c.seq)
        )
        row = self.connection.execute(
            select(audit_chain_head.c.seq, audit_chain_head.c.hash)
            .where(audit_chain_head.c.id == _HEAD_ID)
            .with_for_update()
        ).one()
        return int(row.seq), bytes(row.hash)

    def last_at(self, seq: int) -> datetime | None:
        value = self.connection.execute(
            select(audit_log.c.at).where(audit_log.c.seq == seq)
        ).scalar()
        return None if value is None else aware(value)

    def append(self, item: ChainedEntry, action: str, outcome: str) -> None:
        """Store a chained entry and move the head to it (inside the locked transaction)."""
        entry = item.entry
        self.connection.execute(
            insert(audit_log).values(
                seq=entry.seq,
                at=entry.at,
                actor=entry.actor,
                role=entry.role,
                purpose=entry.purpose,
                action=action,
                outcome=outcome,
                subject_ref=entry.subject_ref,
                fields_seen=list(entry.fields_seen),
                prev_hash=item.prev_hash,
                hash=item.hash,
            )
        )
        self.connection.execute(
            update(audit_chain_head)
            .where(audit_chain_head.c.id == _HEAD_ID)
            .values(seq=entry.seq, hash=item.hash)
        )

    def walk(self, batch: int = 1000) -> Iterator[AuditRow]:
        """Every entry in storage order (``id``), read in batches."""
        last = 0
        while True:
            rows = self.connection.execute(
                select(audit_log).where(audit_log.c.id > last).order_by(audit_log.c.id).limit(batch)
            ).all()
            if not rows:
                return
            for row in rows:
                yield _row(row)
            last = int(rows[-1].id)

    def for_subject(self, subject_ref: bytes, limit: int = 100) -> list[AuditRow]:
        rows = self.connection.execute(
            select(audit_log)
            .where(audit_log.c.subject_ref == subject_ref)
            .order_by(audit_log.c.id.desc())
            .limit(clamp_limit(limit))
        )
        return [_row(r) for r in rows]
