"""Holder accounts and their login sessions.

The login name (a phone number or a username) is personal data: it is sealed,
and found through a blind index. Passwords are argon2 hashes made by the
service; session tokens are stored as SHA-256 digests only, so a database
dump does not let anyone log in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, overload

from sqlalchemy import Row, delete, insert, or_, select, update

from motorcred.adapters.db.repositories.base import Repository
from motorcred.adapters.db.tables import account_sessions, accounts

LOGIN_KIND = "account_login"
_LOGIN_CTX = "accounts.login"


@overload
def aware(value: datetime) -> datetime: ...
@overload
def aware(value: None) -> None: ...
def aware(value: datetime | None) -> datetime | None:
    """Timestamps are stored in UTC; SQLite hands them back without a zone."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Account:
    id: int
    login_kind: str
    login: str
    password_hash: str
    person_id: int | None
    bound_at: datetime | None
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class Session:
    id: int
    account_id: int
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


class AccountRepository(Repository):
    def login_index(self, login: str) -> bytes:
        return self.index.digest(login, kind=LOGIN_KIND)

    def _record(self, row: Row[Any]) -> Account:
        return Account(
            id=row.id,
            login_kind=row.login_kind,
            login=self.cipher.decrypt(row.login_enc, context=_LOGIN_CTX),
            password_hash=row.password_hash,
            person_id=row.person_id,
            bound_at=aware(row.bound_at),
            failed_logins=row.failed_logins,
            locked_until=aware(row.locked_until),
            created_at=aware(row.created_at),
        )

    def _one(self, stmt: Any, for_update: bool) -> Account | None:
        row = self.connection.execute(stmt.with_for_update() if for_update else stmt).first()
        return None if row is None else self._record(row)

    def add(self, login_kind: str, login: str, password_hash: str, *, now: datetime) -> int:
        values = {
            "login_kind": login_kind,
            "login_index": self.login_index(login),
            "login_enc": self.cipher.encrypt(login, context=_LOGIN_CTX),
            "password_hash": password_hash,
            "failed_logins": 0,
            "created_at": now,
            "updated_at": now,
        }
        return int(
            self.connection.execute(insert(accounts).returning(accounts.c.id), values).scalar_one()
        )

    def exists_login(self, login: str) -> bool:
        stmt = select(accounts.c.id).where(accounts.c.login_index == self.login_index(login))
        return self.connection.execute(stmt).first() is not None

    def get(self, account_id: int, *, for_update: bool = False) -> Account | None:
        return self._one(select(accounts).where(accounts.c.id == account_id), for_update)

    def get_by_login(self, login: str, *, for_update: bool = False) -> Account | None:
        stmt = select(accounts).where(accounts.c.login_index == self.login_index(login))
        return self._one(stmt, for_update)

    def get_by_person(self, person_id: int) -> Account | None:
        return self._one(select(accounts).where(accounts.c.person_id == person_id), False)

    def _update(self, account_id: int, now: datetime, **values: Any) -> None:
        self.connection.execute(
            update(accounts).where(accounts.c.id == account_id).values(updated_at=now, **values)
        )

    def set_login_state(
        self, account_id: int, *, failed_logins: int, locked_until: datetime | None, now: datetime
    ) -> None:
        self._update(account_id, now, failed_logins=failed_logins, locked_until=locked_until)

    def set_password_hash(self, account_id: int, password_hash: str, *, now: datetime) -> None:
        self._update(account_id, now, password_hash=password_hash)

    def bind_person(self, account_id: int, person_id: int, *, now: datetime) -> None:
        self._update(account_id, now, person_id=person_id, bound_at=now)


class SessionRepository(Repository):
    @staticmethod
    def _record(row: Row[Any]) -> Session:
        return Session(
            row.id,
            row.account_id,
            aware(row.created_at),
            aware(row.expires_at),
            aware(row.revoked_at),
        )

    def add(
        self, account_id: int, token_hash: bytes, *, now: datetime, expires_at: datetime
    ) -> int:
        values = {
            "account_id": account_id,
            "token_hash": token_hash,
            "created_at": now,
            "expires_at": expires_at,
        }
        stmt = insert(account_sessions).returning(account_sessions.c.id)
        return int(self.connection.execute(stmt, values).scalar_one())

    def get_by_token_hash(self, token_hash: bytes) -> Session | None:
        stmt = select(account_sessions).where(account_sessions.c.token_hash == token_hash)
        row = self.connection.execute(stmt).first()
        return None if row is None else self._record(row)

    def revoke(self, session_id: int, *, now: datetime) -> None:
        self.connection.execute(
            update(account_sessions)
            .where(account_sessions.c.id == session_id, account_sessions.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def purge(self, before: datetime) -> int:
        """Forget sessions that ended (expired or logged out) before ``before``."""
        result = self.connection.execute(
            delete(account_sessions).where(
                or_(account_sessions.c.expires_at < before, account_sessions.c.revoked_at < before)
            )
        )
        return int(result.rowcount or 0)
