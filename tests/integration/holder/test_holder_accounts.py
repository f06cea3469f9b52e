"""Sign-up, login, lock-out, sessions and logout on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from motorcred.adapters.db.tables import account_sessions, accounts
from motorcred.bootstrap import Container
from motorcred.errors import MotorcredError
from motorcred.services import accounts as svc

PASSWORD = "correct horse battery"
Clock = Any  # the ``clock`` fixture (conftest.Clock)


def code_of(call: object) -> str:
    assert callable(call)
    with pytest.raises(MotorcredError) as info:
        call()
    return info.value.code


def test_sign_up_with_phone_masks_and_seals_the_login(container: Container) -> None:
    view = svc.sign_up(container, "+86 138 0013 8000", PASSWORD)
    assert view.login_kind == "phone"
    assert view.login == "138****8000"
    assert not view.bound
    with container.engine.connect() as conn:
        row = conn.execute(select(accounts)).one()
    assert b"13800138000" not in row.login_enc
    assert row.password_hash.startswith("$argon2id$")
    assert PASSWORD not in row.password_hash


def test_sign_up_with_username(container: Container) -> None:
    view = svc.sign_up(container, "Wang.Xiaoming", PASSWORD)
    assert (view.login_kind, view.login) == ("username", "wang.xiaoming")
    assert svc.log_in(container, "wang.xiaoming", PASSWORD).account_id == view.id


def test_duplicate_sign_up_is_refused_whatever_the_spelling(container: Container) -> None:
    svc.sign_up(container, "13800138000", PASSWORD)
    with pytest.raises(MotorcredError) as info:
        svc.sign_up(container, "0086-138-0013-8000", "another long secret")
    assert info.value.code == "ACCOUNT_EXISTS"
    assert info.value.http_status == 409


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1!", "at least 10"),
        ("woaini1314", "commonly used"),
        ("aaaaabbbbb", "different characters"),
        ("abcdefghijkl", "consecutive"),
        ("my13800138000pw", "login name"),
    ],
)
def test_weak_passwords_are_refused(container: Container, password: str, reason: str) -> None:
    with pytest.raises(MotorcredError) as info:
        svc.sign_up(container, "13800138000", password)
    assert info.value.code == "PASSWORD_TOO_WEAK"
    assert reason in info.value.message
    with container.engine.connect() as conn:
        assert conn.execute(select(accounts)).first() is None


def test_bad_login_name_is_refused(container: Container) -> None:
    assert code_of(lambda: svc.sign_up(container, "12345", PASSWORD)) == "LOGIN_NAME_INVALID"
    assert code_of(lambda: svc.sign_up(container, "a b", PASSWORD)) == "LOGIN_NAME_INVALID"


def test_login_issues_a_session_stored_as_a_digest(container: Container) -> None:
    account = svc.sign_up(container, "13800138000", PASSWORD)
    session = svc.log_in(container, "13800138000", PASSWORD)
    assert len(session.token) >= 43  # 256 bits in base64url
    ttl = timedelta(minutes=container.settings.session_ttl_minutes)
    assert session.expires_at == container.clock() + ttl
    principal = svc.authenticate(container, session.token)
    assert principal.account_id == account.id
    with container.engine.connect() as conn:
        stored = conn.execute(select(account_sessions.c.token_hash)).scalar_one()
    assert stored == svc.token_digest(session.token)
    assert session.token.encode() not in stored


def test_wrong_password_and_unknown_login_answer_alike(container: Container) -> None:
    svc.sign_up(container, "13800138000", PASSWORD)
    errors = []
    for login, password in [
        ("13800138000", "wrong password!"),
        ("13900000000", PASSWORD),
        ("not a login at all", PASSWORD),
    ]:
        with pytest.raises(MotorcredError) as info:
            svc.log_in(container, login, password)
        errors.append((info.value.code, info.value.message, info.value.http_status))
    assert errors[0][0] == "LOGIN_FAILED"
    assert errors[0] == errors[1] == errors[2]


def test_lockout_after_repeated_failures_then_unlock(container: Container, clock: Clock) -> None:
    settings = container.settings
    svc.sign_up(container, "13800138000", PASSWORD)
    for _ in range(settings.login_max_failures - 1):
        assert code_of(lambda: svc.log_in(container, "13800138000", "wrong password!")) == (
            "LOGIN_FAILED"
        )
    with pytest.raises(MotorcredError) as info:
        svc.log_in(container, "13800138000", "wrong password!")
    assert info.value.code == "ACCOUNT_LOCKED"
    assert info.value.http_status == 429
    assert info.value.details["retry_after_seconds"] == settings.login_lockout_minutes * 60

    # While locked even the right password is refused, with the remaining wait.
    clock.advance(minutes=settings.login_lockout_minutes - 1)
    with pytest.raises(MotorcredError) as info:
        svc.log_in(container, "13800138000", PASSWORD)
    assert info.value.code == "ACCOUNT_LOCKED"
    assert info.value.details["retry_after_seconds"] == 60

    clock.advance(minutes=1)
    assert svc.log_in(container, "13800138000", PASSWORD).token
    with container.engine.connect() as conn:
        row = conn.execute(select(accounts.c.failed_logins, accounts.c.locked_until)).one()
    assert (row.failed_logins, row.locked_until) == (0, None)


def test_success_resets_the_failure_count(container: Container) -> None:
    settings = container.settings
    svc.sign_up(container, "13800138000", PASSWORD)
    for _ in range(settings.login_max_failures - 1):
        code_of(lambda: svc.log_in(container, "13800138000", "wrong password!"))
    svc.log_in(container, "13800138000", PASSWORD)
    for _ in range(settings.login_max_failures - 1):
        assert code_of(lambda: svc.log_in(container, "13800138000", "wrong password!")) == (
            "LOGIN_FAILED"
        )


def test_session_expires(container: Container, clock: Clock) -> None:
    svc.sign_up(container, "13800138000", PASSWORD)
    session = svc.log_in(container, "13800138000", PASSWORD)
    clock.advance(minutes=container.settings.session_ttl_minutes - 1)
    svc.authenticate(container, session.token)
    clock.advance(minutes=1)
    with pytest.raises(MotorcredError) as info:
        svc.authenticate(container, session.token)
    assert info.value.code == "HOLDER_AUTH_REQUIRED"
    assert "expired" in info.value.message


def test_logout_revokes_the_session_only(container: Container) -> None:
    svc.sign_up(container, "13800138000", PASSWORD)
    first = svc.log_in(container, "13800138000", PASSWORD)
    second = svc.log_in(container, "13800138000", PASSWORD)
    principal = svc.authenticate(container, first.token)
    svc.log_out(container, principal)
    svc.log_out(container, principal)  # idempotent
    assert code_of(lambda: svc.authenticate(container, first.token)) == "HOLDER_AUTH_REQUIRED"
    assert svc.authenticate(container, second.token).account_id == principal.account_id


def test_unknown_or_empty_token_is_refused(container: Container) -> None:
    assert code_of(lambda: svc.authenticate(container, "")) == "HOLDER_AUTH_REQUIRED"
    assert code_of(lambda: svc.authenticate(container, "x" * 43)) == "HOLDER_AUTH_REQUIRED"


def test_password_is_rehashed_when_the_cost_changes(container: Container) -> None:
    svc.sign_up(container, "13800138000", PASSWORD)
    with container.engine.connect() as conn:
        before = conn.execute(select(accounts.c.password_hash)).scalar_one()
    container.settings = container.settings.model_copy(update={"argon2_time_cost": 2})
    svc.log_in(container, "13800138000", PASSWORD)
    with container.engine.connect() as conn:
        after = conn.execute(select(accounts.c.password_hash)).scalar_one()
    assert "t=1" in before and "t=2" in after
    assert svc.log_in(container, "13800138000", PASSWORD).token
