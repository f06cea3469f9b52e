"""Login names, the password policy, lock-out and one-time codes (pure rules)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motorcred.domain.accounts import (
    PASSWORD_MAX_LENGTH,
    LockoutPolicy,
    LoginKind,
    LoginName,
    after_failed_login,
    check_password,
    is_locked,
    normalise_otp,
    otp_from_bytes,
    parse_login,
    password_problems,
)
from motorcred.errors import InvalidInput

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "+8613812345678",
        "+86 138 1234 5678",
        "0086-138-1234-5678",
        "１３８１２３４５６７８",
    ],
)
def test_phone_numbers_are_canonical(raw: str) -> None:
    assert parse_login(raw) == LoginName(LoginKind.PHONE, "13812345678")


@pytest.mark.parametrize("raw", ["Wang.Xiaoming", " wang_xm ", "li-si-1990"])
def test_usernames_are_lower_case(raw: str) -> None:
    login = parse_login(raw)
    assert login.kind is LoginKind.USERNAME
    assert login.value == raw.strip().lower()


@pytest.mark.parametrize(
    "raw", ["", "12812345678", "1381234567", "ab", "9lives", "王小明", "a" * 33, "has space"]
)
def test_other_login_names_are_refused(raw: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_login(raw)
    assert info.value.code == "LOGIN_NAME_INVALID"


@given(st.text(max_size=80))
def test_parse_login_accepts_or_refuses_cleanly(raw: str) -> None:
    try:
        login = parse_login(raw)
    except InvalidInput as exc:
        assert exc.code == "LOGIN_NAME_INVALID"
    else:
        assert parse_login(login.value) == login  # canonical form is a fixed point


def test_a_long_varied_password_passes() -> None:
    assert password_problems("correct horse battery") == []
    check_password("Tr0ub4dour&3-extra")


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Ab1!", "at least 10"),
        ("x" * (PASSWORD_MAX_LENGTH + 1), "at most"),
        ("Password123", "commonly used"),
        ("ababababab", "different characters"),
        ("9876543210", "consecutive"),
        ("lisi-is-my-name", "login name"),
    ],
)
def test_each_weakness_is_named(password: str, fragment: str) -> None:
    with pytest.raises(InvalidInput) as info:
        check_password(password, LoginName(LoginKind.USERNAME, "lisi"))
    assert info.value.code == "PASSWORD_TOO_WEAK"
    assert any(fragment in p for p in info.value.details["problems"])


def test_lockout_on_the_nth_failure() -> None:
    policy = LockoutPolicy(max_failures=3, lock_for=timedelta(minutes=15))
    first = after_failed_login(0, policy, NOW)
    assert (first.failed_logins, first.locked_until) == (1, None)
    second = after_failed_login(first.failed_logins, policy, NOW)
    assert (second.failed_logins, second.locked_until) == (2, None)
    third = after_failed_login(second.failed_logins, policy, NOW)
    assert (third.failed_logins, third.locked_until) == (0, NOW + timedelta(minutes=15))
    assert is_locked(third.locked_until, NOW + timedelta(minutes=14, seconds=59))
    assert not is_locked(third.locked_until, NOW + timedelta(minutes=15))
    assert not is_locked(None, NOW)


@given(st.binary(min_size=8, max_size=16))
def test_codes_are_six_digits(random: bytes) -> None:
    code = otp_from_bytes(random)
    assert len(code) == 6 and code.isdigit()
    assert normalise_otp(f" {code} ") == code


def test_codes_need_enough_randomness() -> None:
    with pytest.raises(ValueError):
        otp_from_bytes(b"1234567")


@pytest.mark.parametrize("typed", ["12345", "1234567", "12a456", "", "١٢٣٤٥٦"])
def test_malformed_codes_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as info:
        normalise_otp(typed)
    assert info.value.code == "OTP_INVALID"
