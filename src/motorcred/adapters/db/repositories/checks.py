"""Online codes (single-use handles) and standing consents of holders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select, update

from motorcred.adapters.db.repositories.accounts import aware
from motorcred.adapters.db.repositories.base import Repository
from motorcred.adapters.db.verification_tables import consents, online_codes


@dataclass(frozen=True)
class OnlineCode:
    id: int
    credential_id: int
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True)
class Consent:
    id: int
    account_id: int
    org_id: int
    purpose: str
    valid_from: datetime
    valid_until: datetime
    created_at: datetime
    revoked_at: datetime | None


def _consent(row: Row[Any]) -> Consent:
    return Consent(
        id=int(row.id),
        account_id=int(row.account_id),
        org_id=int(row.org_id),
        purpose=row.purpose,
        valid_from=aware(row.valid_from),
        valid_until=aware(row.valid_until),
        created_at=aware(row.created_at),
        revoked_at=aware(row.revoked_at),
    )


class OnlineCodeRepository(Repository):
    def add(
        self, credential_id: int, handle_hash: bytes, *, now: datetime, expires_at: datetime
    ) -> int:
        result = self.connection.execute(
            insert(online_codes)
            .values(
                credential_id=credential_id,
                handle_hash=handle_hash,
                created_at=now,
                expires_at=expires_at,
            )
            .returning(online_codes.c.id)
        )
        return int(result.scalar_one())

    def consume(self, handle_hash: bytes, org_id: int, *, now: datetime) -> int | None:
        """Mark the code used in one conditional UPDATE; its credential id, or None.

        ``WHERE used_at IS NULL AND expires_at > now`` makes the database decide:
        of two concurrent checks the second waits for the first's row lock, then
        finds ``used_at`` set and updates nothing.
        """
        result = self.connection.execute(
            update(online_codes)
            .where(
                online_codes.c.handle_hash == handle_hash,
                online_codes.c.used_at.is_(None),
                online_codes.c.expires_at > now,
            )
            .values(used_at=now, used_by=org_id)
        )
        if result.rowcount != 1:
            return None
        code = self.get(handle_hash)
        return None if code is None else code.credential_id

    def get(self, handle_hash: bytes) -> OnlineCode | None:
        row = self.connection.execute(
            select(online_codes).where(online_codes.c.handle_hash == handle_hash)
        ).first()
        if row is None:
            return None
        return OnlineCode(
            id=int(row.id),
            credential_id=int(row.credential_id),
            expires_at=aware(row.expires_at),
            used_at=aware(row.used_at),
        )


class ConsentRepository(Repository):
    def add(
        self,
        account_id: int,
        org_id: int,
        purpose: str,
        *,
        valid_from: datetime,
        valid_until: datetime,
        now: datetime,
    ) -> int:
        result = self.connection.execute(
            insert(consents)
            .values(
                account_id=account_id,
                org_id=org_id,
                purpose=purpose,
                valid_from=valid_from,
                valid_until=valid_until,
                created_at=now,
            )
            .returning(consents.c.id)
        )
        return int(result.scalar_one())

    def get(self, consent_id: int) -> Consent | None:
        row = self.connection.execute(select(consents).where(consents.c.id == consent_id)).first()
        return None if row is None else _consent(row)

    def of_account(self, account_id: int) -> list[Consent]:
        rows = self.connection.execute(
            select(consents).where(consents.c.account_id == account_id).order_by(consents.c.id)
        )
        return [_consent(r) for r in rows]

    def revoke(self, consent_id: int, *, now: datetime) -> bool:
        result = self.connection.execute(
            update(consents)
            .where(consents.c.id == consent_id, consents.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        return result.rowcount > 0
