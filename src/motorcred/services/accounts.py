"""Holder accounts: sign-up, login with lock-out, sessions, logout, "who am I".

Passwords are hashed with argon2id (argon2-cffi); session tokens are 256-bit
random values handed to the client once and stored as SHA-256 digests. A wrong
password and an unknown login get the same ``LOGIN_FAILED`` answer after the
same amount of hashing work, so login cannot be used to find out who has an
account.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from motorcred.adapters.db.repositories.accounts import Account
from motorcred.config import Settings
from motorcred.domain.accounts import (
    LockoutPolicy,
    after_failed_login,
    check_password,
    is_locked,
    parse_login,
)
from motorcred.domain.masking import mask_phone
from motorcred.errors import Conflict, InvalidInput, RateLimited, Refused, Unauthenticated

if TYPE_CHECKING:
    from motorcred.bootstrap import Container

TOKEN_BYTES = 32  # 256 bits

_LOGIN_FAILED_MESSAGE = "the login name or the password is wrong"


@dataclass(frozen=True)
class AccountView:
    id: int
    login_kind: str
    login: str
    """Masked for phone numbers (138****5678); usernames as chosen."""
    bound: bool
    bound_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class IssuedSession:
    token: str
    """The bearer token; shown once, only its digest is stored."""
    account_id: int
    expires_at: datetime


@dataclass(frozen=True)
class HolderPrincipal:
    account_id: int
    session_id: int


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)


def password_hasher(settings: Settings) -> PasswordHasher:
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_kib)


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_kib: int) -> str:
    """A hash to verify against when the login is unknown (equal work, equal answer)."""
    return _hasher(time_cost, memory_kib).hash(secrets.token_urlsafe(16))


def token_digest(token: str) -> bytes:
    """Session tokens carry 256 random bits, so a plain SHA-256 cannot be reversed."""
    return hashlib.sha256(token.encode("utf-8")).digest()


def view_of(account: Account) -> AccountView:
    shown = mask_phone(account.login) if account.login_kind == "phone" else account.login
    return AccountView(
        id=account.id,
        login_kind=account.login_kind,
        login=shown,
        bound=account.person_id is not None,
        bound_at=account.bound_at,
        created_at=account.created_at,
    )


def sign_up(container: Container, login: str, password: str) -> AccountView:
    """Create an account; ``ACCOUNT_EXISTS`` when the login name is taken."""
    name = parse_login(login)
    check_password(password, name)
    hashed = password_hasher(container.settings).hash(password)
    now = container.clock()
    exists = Conflict("ACCOUNT_EXISTS", "an account with this login name already exists")
    try:
        with container.unit_of_work() as uow:
            if uow.accounts.exists_login(name.value):
                raise exists
            account_id = uow.accounts.add(name.kind.value, name.value, hashed, now=now)
            account = uow.accounts.get(account_id)
            assert account is not None
            uow.commit()
    except Conflict as exc:
        if exc.code != "RECORD_CONFLICT":
            raise
        # A concurrent sign-up with the same login won the race (unique login index).
        raise exists from exc
    return view_of(account)


def _lockout_policy(settings: Settings) -> LockoutPolicy:
    return LockoutPolicy(
        max_failures=settings.login_max_failures,
        lock_for=timedelta(minutes=settings.login_lockout_minutes),
    )


def _locked(until: datetime, now: datetime) -> RateLimited:
    seconds = max(1, int((until - now).total_seconds() + 0.999))
    return RateLimited(
        "ACCOUNT_LOCKED",
        f"too many failed logins: the account is locked until {until.isoformat()} "
        f"(try again in {seconds} s)",
        details={"retry_at": until.isoformat(), "retry_after_seconds": seconds},
    )


def log_in(container: Container, login: str, password: str) -> IssuedSession:
    """Check the password and open a session; failures count towards the lock-out."""
    settings = container.settings
    hasher = password_hasher(settings)
    try:
        name = parse_login(login)
    except InvalidInput:
        name = None
    now = container.clock()
    with container.unit_of_work() as uow:
        account = uow.accounts.get_by_login(name.value, for_update=True) if name else None
        if account is None:
            _burn_verify(hasher, settings, password)
            raise Refused("LOGIN_FAILED", _LOGIN_FAILED_MESSAGE)
        if is_locked(account.locked_until, now):
            assert account.locked_until is not None
            raise _locked(account.locked_until, now)
        if not _verify(hasher, account.password_hash, password):
            outcome = after_failed_login(account.failed_logins, _lockout_policy(settings), now)
            uow.accounts.set_login_state(
                account.id,
                failed_logins=outcome.failed_logins,
                locked_until=outcome.locked_until,
                now=now,
            )
            uow.commit()
            if outcome.locked_until is not None:
                raise _locked(outcome.locked_until, now)
            raise Refused("LOGIN_FAILED", _LOGIN_FAILED_MESSAGE)
        if account.failed_logins or account.locked_until is not None:
            uow.accounts.set_login_state(account.id, failed_logins=0, locked_until=None, now=now)
        if hasher.check_needs_rehash(account.password_hash):
            uow.accounts.set_password_hash(account.id, hasher.hash(password), now=now)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        expires_at = now + timedelta(minutes=settings.session_ttl_minutes)
        uow.sessions.add(account.id, token_digest(token), now=now, expires_at=expires_at)
        uow.commit()
    return IssuedSession(token=token, account_id=account.id, expires_at=expires_at)


def _verify(hasher: PasswordHasher, stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _burn_verify(hasher: PasswordHasher, settings: Settings, password: str) -> None:
    _verify(hasher, _dummy_hash(settings.argon2_time_cost, settings.argon2_memory_kib), password)


def _auth_required(message: str) -> Unauthenticated:
    return Unauthenticated("HOLDER_AUTH_REQUIRED", message)


def authenticate(container: Container, token: str) -> HolderPrincipal:
    """The holder behind a bearer token; ``HOLDER_AUTH_REQUIRED`` unless it is live."""
    if not token:
        raise _auth_required("log in and send the session token as a bearer token")
    now = container.clock()
    with container.unit_of_work() as uow:
        session = uow.sessions.get_by_token_hash(token_digest(token))
    if session is None or session.revoked_at is not None:
        raise _auth_required("the session token is not valid; log in again")
    if now >= session.expires_at:
        raise _auth_required("the session has expired; log in again")
    return HolderPrincipal(account_id=session.account_id, session_id=session.id)


def log_out(container: Container, principal: HolderPrincipal) -> None:
    """End the session (idempotent: ending an ended session changes nothing)."""
    now = container.clock()
    with container.unit_of_work() as uow:
        uow.sessions.revoke(principal.session_id, now=now)
        uow.commit()


def get_account(container: Container, account_id: int) -> AccountView:
    with container.unit_of_work() as uow:
        account = uow.accounts.get(account_id)
    if account is None:
        raise _auth_required("the account no longer exists")
    return view_of(account)
