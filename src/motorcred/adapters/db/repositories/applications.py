"""e-DL applications, the photo review queue, application photos and photo flags.

Repositories never commit (DESIGN.md rule 5). The queue claim is the one place
where the two databases differ: PostgreSQL locks the oldest due row with
``FOR UPDATE SKIP LOCKED`` (a second reviewer skips it instead of waiting),
SQLite writes the claim token and lease in a single ``UPDATE … WHERE id =
(SELECT …)`` (SQLite runs one writer at a time, so the statement is atomic).
Either way a row is handed out only when it is unclaimed or its lease ran out.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, func, insert, or_, select, update

from motorcred.adapters.db.application_tables import (
    OPEN_STATES,
    application_photos,
    edl_applications,
    photo_flags,
)
from motorcred.adapters.db.repositories.accounts import aware
from motorcred.adapters.db.repositories.base import Repository, clamp_limit

_PHOTO_CTX = "application_photos.jpeg_enc"
T = edl_applications


@dataclass(frozen=True)
class ApplicationRow:
    id: int
    account_id: int
    licence_id: int | None
    idempotency_key: str
    request_hash: bytes
    photo_path: str
    photo_ref: str | None
    state: str
    refusals: list[dict[str, Any]]
    identity_check: dict[str, Any] | None
    precheck: dict[str, Any] | None
    due_at: datetime | None
    claim_token: str | None
    claimed_by: str | None
    claim_expires_at: datetime | None
    decided_by: str | None
    decided_at: datetime | None
    reason_code: str | None
    reason_text: str | None
    credential_id: int | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class PhotoFlag:
    licence_id: int
    application_id: int
    reason_text: str
    flagged_by: str
    flagged_at: datetime
    cleared_at: datetime | None

    @property
    def active(self) -> bool:
        return self.cleared_at is None


@dataclass(frozen=True)
class QueueSummary:
    waiting: int
    claimed: int
    overdue: int
    oldest_due_at: datetime | None
    oldest_overdue_id: int | None


def _row(r: Row[Any]) -> ApplicationRow:
    return ApplicationRow(
        id=r.id,
        account_id=r.account_id,
        licence_id=r.licence_id,
        idempotency_key=r.idempotency_key,
        request_hash=r.request_hash,
        photo_path=r.photo_path,
        photo_ref=r.photo_ref,
        state=r.state,
        refusals=list(r.refusals or []),
        identity_check=r.identity_check,
        precheck=r.precheck,
        due_at=aware(r.due_at),
        claim_token=r.claim_token,
        claimed_by=r.claimed_by,
        claim_expires_at=aware(r.claim_expires_at),
        decided_by=r.decided_by,
        decided_at=aware(r.decided_at),
        reason_code=r.reason_code,
        reason_text=r.reason_text,
        credential_id=r.credential_id,
        created_at=aware(r.created_at),
        updated_at=aware(r.updated_at),
    )


class ApplicationRepository(Repository):
    def add(self, *, now: datetime, **values: Any) -> int:
        stmt = insert(T).values(created_at=now, updated_at=now, **values).returning(T.c.id)
        return int(self.connection.execute(stmt).scalar_one())

    def get(self, application_id: int, *, for_update: bool = False) -> ApplicationRow | None:
        stmt = select(T).where(T.c.id == application_id)
        if for_update and self.is_postgres:
            stmt = stmt.with_for_update()
        r = self.connection.execute(stmt).first()
        return None if r is None else _row(r)

    def by_key(self, account_id: int, key: str) -> ApplicationRow | None:
        stmt = select(T).where(T.c.account_id == account_id, T.c.idempotency_key == key)
        r = self.connection.execute(stmt).first()
        return None if r is None else _row(r)

    def open_for_licence(self, licence_id: int) -> ApplicationRow | None:
        stmt = select(T).where(T.c.licence_id == licence_id, T.c.state.in_(OPEN_STATES))
        r = self.connection.execute(stmt).first()
        return None if r is None else _row(r)

    def for_account(self, account_id: int, *, limit: int = 50) -> list[ApplicationRow]:
        stmt = (
            select(T)
            .where(T.c.account_id == account_id)
            .order_by(T.c.created_at.desc(), T.c.id.desc())
            .limit(clamp_limit(limit))
        )
        return [_row(r) for r in self.connection.execute(stmt)]

    def set_state(
        self,
        application_id: int,
        state: str,
        *,
        now: datetime,
        expect: str | None = None,
        **values: Any,
    ) -> bool:
        """Move to ``state`` (only from ``expect`` when given); True when a row changed."""
        stmt = update(T).where(T.c.id == application_id)
        if expect is not None:
            stmt = stmt.where(T.c.state == expect)
        result = self.connection.execute(stmt.values(state=state, updated_at=now, **values))
        return result.rowcount == 1

    def in_state(self, state: str, *, limit: int = 100) -> list[ApplicationRow]:
        stmt = (
            select(T)
            .where(T.c.state == state)
            .order_by(T.c.updated_at, T.c.id)
            .limit(clamp_limit(limit))
        )
        return [_row(r) for r in self.connection.execute(stmt)]

    # ------------------------------------------------------------------ review queue

    def _claimable(self, now: datetime) -> Any:
        return and_(
            T.c.state == "in_review",
            or_(T.c.claim_expires_at.is_(None), T.c.claim_expires_at <= now),
        )

    def claim_next(
        self, *, token: str, reviewer: str, now: datetime, lease_until: datetime
    ) -> ApplicationRow | None:
        """Hand the oldest due unclaimed item to ``reviewer``; None when the queue is empty."""
        values = {
            "claim_token": token,
            "claimed_by": reviewer,
            "claim_expires_at": lease_until,
            "updated_at": now,
        }
        oldest = select(T.c.id).where(self._claimable(now)).order_by(T.c.due_at, T.c.id).limit(1)
        if self.is_postgres:
            found = self.connection.execute(
                oldest.with_for_update(skip_locked=True)
            ).scalar_one_or_none()
            if found is None:
                return None
            self.connection.execute(update(T).where(T.c.id == found).values(**values))
        else:
            # One statement: pick and claim together; the re-check of the lease in the
            # outer WHERE keeps it correct even if the sub-select were evaluated apart.
            self.connection.execute(
                update(T)
                .where(T.c.id == oldest.scalar_subquery(), self._claimable(now))
                .values(**values)
            )
        r = self.connection.execute(select(T).where(T.c.claim_token == token)).first()
        return None if r is None else _row(r)

    def queue_summary(self, now: datetime) -> QueueSummary:
        waiting = T.c.state == "in_review"
        claimed = and_(waiting, T.c.claim_expires_at > now)
        overdue = and_(waiting, T.c.due_at < now)
        counts = self.connection.execute(
            select(
                func.count().filter(waiting),
                func.count().filter(claimed),
                func.count().filter(overdue),
                func.min(T.c.due_at).filter(waiting),
            ).select_from(T)
        ).one()
        oldest_overdue = self.connection.execute(
            select(T.c.id).where(overdue).order_by(T.c.due_at, T.c.id).limit(1)
        ).scalar_one_or_none()
        return QueueSummary(
            waiting=int(counts[0]),
            claimed=int(counts[1]),
            overdue=int(counts[2]),
            oldest_due_at=aware(counts[3]),
            oldest_overdue_id=oldest_overdue,
        )

    def overdue(self, now: datetime, *, limit: int = 50) -> list[ApplicationRow]:
        stmt = (
            select(T)
            .where(T.c.state == "in_review", T.c.due_at < now)
            .order_by(T.c.due_at, T.c.id)
            .limit(clamp_limit(limit))
        )
        return [_row(r) for r in self.connection.execute(stmt)]

    # ------------------------------------------------------------------ photo flags

    def flag(
        self, licence_id: int, application_id: int, reason: str, by: str, now: datetime
    ) -> None:
        existing = self.connection.execute(
            select(photo_flags.c.licence_id).where(photo_flags.c.licence_id == licence_id)
        ).first()
        values = {
            "application_id": application_id,
            "reason_text": reason,
            "flagged_by": by,
            "flagged_at": now,
            "cleared_by": None,
            "cleared_at": None,
        }
        if existing is None:
            self.connection.execute(insert(photo_flags).values(licence_id=licence_id, **values))
        else:
            self.connection.execute(
                update(photo_flags).where(photo_flags.c.licence_id == licence_id).values(**values)
            )

    def active_flag(self, licence_id: int) -> PhotoFlag | None:
        r = self.connection.execute(
            select(photo_flags).where(
                photo_flags.c.licence_id == licence_id, photo_flags.c.cleared_at.is_(None)
            )
        ).first()
        if r is None:
            return None
        return PhotoFlag(
            r.licence_id,
            r.application_id,
            r.reason_text,
            r.flagged_by,
            aware(r.flagged_at),
            aware(r.cleared_at),
        )

    def clear_flag(self, licence_id: int, by: str, now: datetime) -> bool:
        stmt = (
            update(photo_flags)
            .where(photo_flags.c.licence_id == licence_id, photo_flags.c.cleared_at.is_(None))
            .values(cleared_by=by, cleared_at=now)
        )
        return self.connection.execute(stmt).rowcount == 1


class PhotoRepository(Repository):
    """Application photos, content-addressed by a keyed digest and sealed at rest."""

    def ref_for(self, jpeg: bytes) -> str:
        return self.index.mac(jpeg, kind="application-photo").hex()

    def put(self, jpeg: bytes, *, now: datetime) -> str:
        """Store ``jpeg`` once; the same bytes again return the same reference."""
        ref = self.ref_for(jpeg)
        exists = self.connection.execute(
            select(application_photos.c.ref).where(application_photos.c.ref == ref)
        ).first()
        if exists is None:
            sealed = self.cipher.encrypt(base64.b64encode(jpeg).decode(), context=_PHOTO_CTX)
            self.connection.execute(
                insert(application_photos).values(ref=ref, jpeg_enc=sealed, created_at=now)
            )
        return ref

    def get(self, ref: str) -> bytes | None:
        blob = self.connection.execute(
            select(application_photos.c.jpeg_enc).where(application_photos.c.ref == ref)
        ).scalar_one_or_none()
        if blob is None:
            return None
        return base64.b64decode(self.cipher.decrypt(blob, context=_PHOTO_CTX))
