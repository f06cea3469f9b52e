"""Binding codes (account ↔ registry person), device keys and device-proof nonces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, insert, select, update

from motorcred.adapters.db.repositories.accounts import aware
from motorcred.adapters.db.repositories.base import Repository
from motorcred.adapters.db.tables import binding_challenges, device_nonces, devices

DEVICE_ACTIVE = "active"
DEVICE_REPLACED = "replaced"


@dataclass(frozen=True)
class BindingChallenge:
    id: int
    account_id: int
    person_id: int | None
    code_hash: bytes | None
    attempts: int
    created_at: datetime
    expires_at: datetime
    consumed_at: datetime | None


@dataclass(frozen=True)
class Device:
    id: int
    account_id: int
    cose_key: bytes
    thumbprint: str
    status: str
    bound_at: datetime
    replaced_at: datetime | None
    replaced_by: int | None


@dataclass(frozen=True)
class DeviceNonce:
    id: int
    account_id: int
    purpose: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None


class BindingChallengeRepository(Repository):
    @staticmethod
    def _record(row: Row[Any]) -> BindingChallenge:
        return BindingChallenge(
            row.id,
            row.account_id,
            row.person_id,
            row.code_hash,
            row.attempts,
            aware(row.created_at),
            aware(row.expires_at),
            aware(row.consumed_at),
        )

    def add(
        self,
        account_id: int,
        person_id: int | None,
        *,
        now: datetime,
        expires_at: datetime,
    ) -> int:
        values = {
            "account_id": account_id,
            "person_id": person_id,
            "attempts": 0,
            "created_at": now,
            "expires_at": expires_at,
        }
        stmt = insert(binding_challenges).returning(binding_challenges.c.id)
        return int(self.connection.execute(stmt, values).scalar_one())

    def set_code_hash(self, challenge_id: int, code_hash: bytes) -> None:
        """The code's hash covers the challenge id, so it is written once the id exists."""
        self.connection.execute(
            update(binding_challenges)
            .where(binding_challenges.c.id == challenge_id)
            .values(code_hash=code_hash)
        )

    def latest(self, account_id: int) -> BindingChallenge | None:
        """The account's most recent challenge, matched or not (for resend throttling)."""
        stmt = (
            select(binding_challenges)
            .where(binding_challenges.c.account_id == account_id)
            .order_by(binding_challenges.c.id.desc())
            .limit(1)
        )
        row = self.connection.execute(stmt).first()
        return None if row is None else self._record(row)

    def latest_open(self, account_id: int) -> BindingChallenge | None:
        """The most recent challenge that sent a code and was not used yet."""
        stmt = (
            select(binding_challenges)
            .where(
                binding_challenges.c.account_id == account_id,
                binding_challenges.c.code_hash.is_not(None),
                binding_challenges.c.consumed_at.is_(None),
            )
            .order_by(binding_challenges.c.id.desc())
            .limit(1)
        )
        row = self.connection.execute(stmt).first()
        return None if row is None else self._record(row)

    def count_attempt(self, challenge_id: int) -> None:
        self.connection.execute(
            update(binding_challenges)
            .where(binding_challenges.c.id == challenge_id)
            .values(attempts=binding_challenges.c.attempts + 1)
        )

    def consume(self, challenge_id: int, *, now: datetime) -> None:
        self.connection.execute(
            update(binding_challenges)
            .where(binding_challenges.c.id == challenge_id)
            .values(consumed_at=now)
        )

    def close_open(self, account_id: int, *, now: datetime) -> None:
        """A new code supersedes every earlier unused one of the account."""
        self.connection.execute(
            update(binding_challenges)
            .where(
                binding_challenges.c.account_id == account_id,
                binding_challenges.c.consumed_at.is_(None),
            )
            .values(consumed_at=now)
        )

    def purge(self, before: datetime) -> int:
        """Forget challenges that expired before ``before`` (used or not)."""
        result = self.connection.execute(
            delete(binding_challenges).where(binding_challenges.c.expires_at < before)
        )
        return int(result.rowcount or 0)


class DeviceRepository(Repository):
    @staticmethod
    def _record(row: Row[Any]) -> Device:
        return Device(
            row.id,
            row.account_id,
            bytes(row.cose_key),
            row.thumbprint,
            row.status,
            aware(row.bound_at),
            aware(row.replaced_at),
            row.replaced_by,
        )

    def add_active(
        self, account_id: int, cose_key: bytes, thumbprint: str, *, now: datetime
    ) -> int:
        values = {
            "account_id": account_id,
            "cose_key": cose_key,
            "thumbprint": thumbprint,
            "status": DEVICE_ACTIVE,
            "bound_at": now,
        }
        stmt = insert(devices).returning(devices.c.id)
        return int(self.connection.execute(stmt, values).scalar_one())

    def active(self, account_id: int) -> Device | None:
        stmt = (
            select(devices)
            .where(devices.c.account_id == account_id, devices.c.status == DEVICE_ACTIVE)
            .order_by(devices.c.id.desc())
            .limit(1)
        )
        row = self.connection.execute(stmt).first()
        return None if row is None else self._record(row)

    def get(self, device_id: int) -> Device | None:
        row = self.connection.execute(select(devices).where(devices.c.id == device_id)).first()
        return None if row is None else self._record(row)

    def history(self, account_id: int) -> list[Device]:
        stmt = select(devices).where(devices.c.account_id == account_id).order_by(devices.c.id)
        return [self._record(r) for r in self.connection.execute(stmt)]

    def mark_replaced(self, device_id: int, replaced_by: int, *, now: datetime) -> None:
        self.connection.execute(
            update(devices)
            .where(devices.c.id == device_id)
            .values(status=DEVICE_REPLACED, replaced_at=now, replaced_by=replaced_by)
        )


class DeviceNonceRepository(Repository):
    @staticmethod
    def _record(row: Row[Any]) -> DeviceNonce:
        return DeviceNonce(
            row.id,
            row.account_id,
            row.purpose,
            aware(row.created_at),
            aware(row.expires_at),
            aware(row.used_at),
        )

    def add(
        self,
        account_id: int,
        nonce_hash: bytes,
        purpose: str,
        *,
        now: datetime,
        expires_at: datetime,
    ) -> int:
        values = {
            "account_id": account_id,
            "nonce_hash": nonce_hash,
            "purpose": purpose,
            "created_at": now,
            "expires_at": expires_at,
        }
        stmt = insert(device_nonces).returning(device_nonces.c.id)
        return int(self.connection.execute(stmt, values).scalar_one())

    def get_by_hash(self, nonce_hash: bytes, *, for_update: bool = False) -> DeviceNonce | None:
        stmt = select(device_nonces).where(device_nonces.c.nonce_hash == nonce_hash)
        if for_update:
            stmt = stmt.with_for_update()
        row = self.connection.execute(stmt).first()
        return None if row is None else self._record(row)

    def use(self, nonce_id: int, *, now: datetime) -> bool:
        """Mark used; ``False`` when a concurrent request used it first."""
        result = self.connection.execute(
            update(device_nonces)
            .where(device_nonces.c.id == nonce_id, device_nonces.c.used_at.is_(None))
            .values(used_at=now)
        )
        return bool(result.rowcount)

    def purge(self, before: datetime) -> int:
        """Forget nonces that expired before ``before`` (a used nonce stays refused:
        its expiry has passed, and it is unknown once purged)."""
        result = self.connection.execute(
            delete(device_nonces).where(device_nonces.c.expires_at < before)
        )
        return int(result.rowcount or 0)
