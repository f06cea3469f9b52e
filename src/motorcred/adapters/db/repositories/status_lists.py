"""Status lists and their entries (see :mod:`motorcred.adapters.db.credential_tables`).

Allocation is a single ``UPDATE … SET allocated = allocated + 1 WHERE allocated
< size RETURNING allocated``: the row lock the UPDATE takes makes a concurrent
transaction wait and then re-read the counter (PostgreSQL READ COMMITTED), and
SQLite serialises writers, so no two transactions ever get the same counter.
The entry row inserted next has the primary key ``(list_id, idx)``, a second
guarantee that an index is never handed out twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update

from motorcred.adapters.db.credential_tables import status_entries, status_lists
from motorcred.adapters.db.repositories.accounts import aware
from motorcred.adapters.db.repositories.base import Repository


@dataclass(frozen=True)
class StatusListRow:
    id: int
    purpose: str
    region: str
    seq: int
    bits: int
    size: int
    allocated: int
    permutation_key: bytes
    version: int


@dataclass(frozen=True)
class CachedToken:
    token: bytes
    version: int
    issued_at: datetime
    expires_at: datetime


_LIST_COLUMNS = (
    status_lists.c.id,
    status_lists.c.purpose,
    status_lists.c.region,
    status_lists.c.seq,
    status_lists.c.bits,
    status_lists.c.size,
    status_lists.c.allocated,
    status_lists.c.permutation_key,
    status_lists.c.version,
)


def _row(row: object) -> StatusListRow:
    return StatusListRow(*(getattr(row, c.name) for c in _LIST_COLUMNS))


class StatusListRepository(Repository):
    # ------------------------------------------------------------------ lists
    def get(self, list_id: int) -> StatusListRow | None:
        row = self.connection.execute(
            select(*_LIST_COLUMNS).where(status_lists.c.id == list_id)
        ).first()
        return None if row is None else _row(row)

    def open_list(self, purpose: str, region: str) -> StatusListRow | None:
        """The oldest list of ``purpose``/``region`` that still has free indices."""
        row = self.connection.execute(
            select(*_LIST_COLUMNS)
            .where(
                status_lists.c.purpose == purpose,
                status_lists.c.region == region,
                status_lists.c.allocated < status_lists.c.size,
            )
            .order_by(status_lists.c.seq)
            .limit(1)
        ).first()
        return None if row is None else _row(row)

    def last_seq(self, purpose: str, region: str) -> int:
        value = self.connection.execute(
            select(func.max(status_lists.c.seq)).where(
                status_lists.c.purpose == purpose, status_lists.c.region == region
            )
        ).scalar()
        return int(value or 0)

    def create(
        self,
        *,
        purpose: str,
        region: str,
        seq: int,
        bits: int,
        size: int,
        permutation_key: bytes,
        now: datetime,
    ) -> StatusListRow:
        result = self.connection.execute(
            insert(status_lists)
            .values(
                purpose=purpose,
                region=region,
                seq=seq,
                bits=bits,
                size=size,
                allocated=0,
                permutation_key=permutation_key,
                version=1,
                created_at=now,
                updated_at=now,
            )
            .returning(status_lists.c.id)
        )
        list_id = int(result.scalar_one())
        return StatusListRow(list_id, purpose, region, seq, bits, size, 0, permutation_key, 1)

    def take_slot(self, list_id: int, *, now: datetime) -> int | None:
        """Bump the list's allocation counter; the counter value taken, or None when full."""
        result = self.connection.execute(
            update(status_lists)
            .where(status_lists.c.id == list_id, status_lists.c.allocated < status_lists.c.size)
            .values(allocated=status_lists.c.allocated + 1, updated_at=now)
            .returning(status_lists.c.allocated)
        )
        taken = result.scalar_one_or_none()
        return None if taken is None else int(taken) - 1

    def take_slots(self, list_id: int, count: int, *, now: datetime) -> int | None:
        """Take ``count`` consecutive counter values at once; the first, or None if they
        do not all fit (the caller then takes what is left one by one)."""
        result = self.connection.execute(
            update(status_lists)
            .where(
                status_lists.c.id == list_id,
                status_lists.c.allocated + count <= status_lists.c.size,
            )
            .values(allocated=status_lists.c.allocated + count, updated_at=now)
            .returning(status_lists.c.allocated)
        )
        taken = result.scalar_one_or_none()
        return None if taken is None else int(taken) - count

    def ids(self) -> list[int]:
        rows = self.connection.execute(select(status_lists.c.id).order_by(status_lists.c.id))
        return [int(r.id) for r in rows]

    # ------------------------------------------------------------------ entries
    def add_entry(self, list_id: int, idx: int, status: int, *, now: datetime) -> None:
        self.connection.execute(
            insert(status_entries).values(list_id=list_id, idx=idx, status=status, updated_at=now)
        )

    def add_entries(self, list_id: int, indices: list[int], *, now: datetime) -> None:
        """Entries for freshly allocated indices, all VALID (one statement per batch)."""
        if indices:
            self.connection.execute(
                insert(status_entries),
                [
                    {"list_id": list_id, "idx": idx, "status": 0, "updated_at": now}
                    for idx in indices
                ],
            )

    def entry_status(self, list_id: int, idx: int) -> int | None:
        value = self.connection.execute(
            select(status_entries.c.status).where(
                status_entries.c.list_id == list_id, status_entries.c.idx == idx
            )
        ).scalar()
        return None if value is None else int(value)

    def set_status(self, list_id: int, idx: int, status: int, *, now: datetime) -> bool:
        """Change an entry's status; True when it changed (then the list's version grows)."""
        result = self.connection.execute(
            update(status_entries)
            .where(
                status_entries.c.list_id == list_id,
                status_entries.c.idx == idx,
                status_entries.c.status != status,
            )
            .values(status=status, updated_at=now)
        )
        if not result.rowcount:
            return False
        self.connection.execute(
            update(status_lists)
            .where(status_lists.c.id == list_id)
            .values(version=status_lists.c.version + 1, updated_at=now)
        )
        return True

    def flagged_entries(self, list_id: int) -> Iterator[tuple[int, int]]:
        """``(idx, status)`` of every entry that is not VALID (0): what the bit list encodes."""
        rows = self.connection.execute(
            select(status_entries.c.idx, status_entries.c.status).where(
                status_entries.c.list_id == list_id, status_entries.c.status != 0
            )
        )
        for row in rows:
            yield int(row.idx), int(row.status)

    def allocated_indices(self, list_id: int) -> list[int]:
        rows = self.connection.execute(
            select(status_entries.c.idx).where(status_entries.c.list_id == list_id)
        )
        return [int(r.idx) for r in rows]

    # ------------------------------------------------------------------ signed token cache
    def cached_token(self, list_id: int) -> CachedToken | None:
        row = self.connection.execute(
            select(
                status_lists.c.token,
                status_lists.c.token_version,
                status_lists.c.token_issued_at,
                status_lists.c.token_expires_at,
            ).where(status_lists.c.id == list_id)
        ).first()
        if row is None or row.token is None:
            return None
        return CachedToken(
            bytes(row.token),
            int(row.token_version),
            aware(row.token_issued_at),
            aware(row.token_expires_at),
        )

    def store_token(self, list_id: int, token: CachedToken) -> None:
        """Keep a freshly signed token unless a newer version was stored meanwhile."""
        self.connection.execute(
            update(status_lists)
            .where(
                status_lists.c.id == list_id,
                (status_lists.c.token_version.is_(None))
                | (status_lists.c.token_version <= token.version),
            )
            .values(
                token=token.token,
                token_version=token.version,
                token_issued_at=token.issued_at,
                token_expires_at=token.expires_at,
            )
        )
