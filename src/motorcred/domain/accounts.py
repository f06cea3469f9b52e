"""Holder-account rules: login names, the password policy, lock-out and one-time codes.

Pure: the current time is a parameter and the services hash and store. The
rules follow NIST SP 800-63B: length matters more than composition, so the
policy asks for a long password, refuses the obviously guessable ones and caps
the length (hashing a megabyte of "password" would be a cheap denial of service).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from motorcred.errors import InvalidInput

PASSWORD_MIN_LENGTH = 10
PASSWORD_MAX_LENGTH = 128
OTP_DIGITS = 6

# Mainland mobile numbers: 11 digits starting 13-19; an optional +86 / 0086 prefix.
_PHONE = re.compile(r"^(?:\+?86|0086)?(1[3-9]\d{9})$")
_USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{2,31}$")

# The most common passwords of leaked Chinese and international lists that are
# long enough to pass the length rule; a real deployment would load a larger list.
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "0123456789",
        "1qaz2wsx3edc",
        "qwertyuiop",
        "1q2w3e4r5t",
        "password123",
        "password1234",
        "iloveyou1314",
        "woaini1314",
        "woaini520520",
        "5201314520",
        "a123456789",
        "qq123456789",
        "abc1234567",
        "abcd123456",
        "passw0rd123",
        "qwerty12345",
        "1111111111",
        "88888888888",
        "asdfghjkl123",
        "zxcvbnm123",
        "admin12345",
        "motorcred123",
    }
)


class LoginKind(StrEnum):
    PHONE = "phone"
    USERNAME = "username"


@dataclass(frozen=True)
class LoginName:
    kind: LoginKind
    value: str
    """Canonical form: 11 digits for a phone, lower case for a username."""


def parse_login(raw: str) -> LoginName:
    """A phone number (``13812345678``, ``+86 138 1234 5678``) or a username."""
    text = unicodedata.normalize("NFKC", raw).strip()
    compact = re.sub(r"[\s-]", "", text)
    phone = _PHONE.fullmatch(compact)
    if phone:
        return LoginName(LoginKind.PHONE, phone.group(1))
    username = text.lower()
    if _USERNAME.fullmatch(username):
        return LoginName(LoginKind.USERNAME, username)
    raise InvalidInput(
        "LOGIN_NAME_INVALID",
        "sign up with a mainland mobile number (11 digits) or a username of 3-32 letters, "
        "digits, '.', '_' or '-' starting with a letter",
    )


def password_problems(password: str, login: LoginName | None = None) -> list[str]:
    """Why ``password`` is too weak (empty list: acceptable)."""
    problems: list[str] = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append(f"use at least {PASSWORD_MIN_LENGTH} characters")
    if len(password) > PASSWORD_MAX_LENGTH:
        problems.append(f"use at most {PASSWORD_MAX_LENGTH} characters")
    folded = password.lower()
    if folded in COMMON_PASSWORDS:
        problems.append("this password is among the most commonly used ones")
    if password and len(set(password)) < 4:
        problems.append("use more than three different characters")
    if _is_sequence(folded):
        problems.append("a run of consecutive keys or digits is easy to guess")
    if login is not None and login.value.lower() in folded:
        problems.append("the password must not contain the login name")
    return problems


def _is_sequence(text: str) -> bool:
    if len(text) < 4:
        return False
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    return steps <= {1} or steps <= {-1}


def check_password(password: str, login: LoginName | None = None) -> None:
    problems = password_problems(password, login)
    if problems:
        raise InvalidInput(
            "PASSWORD_TOO_WEAK",
            "the password is too weak: " + "; ".join(problems),
            details={"problems": problems},
        )


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int
    lock_for: timedelta


@dataclass(frozen=True)
class FailureOutcome:
    failed_logins: int
    locked_until: datetime | None


def after_failed_login(failed_logins: int, policy: LockoutPolicy, now: datetime) -> FailureOutcome:
    """One more failure; the N-th locks the account and starts counting afresh."""
    failures = failed_logins + 1
    if failures >= policy.max_failures:
        return FailureOutcome(0, now + policy.lock_for)
    return FailureOutcome(failures, None)


def is_locked(locked_until: datetime | None, now: datetime) -> bool:
    return locked_until is not None and now < locked_until


def otp_from_bytes(random: bytes) -> str:
    """A 6-digit code from ≥ 8 random bytes (the bias of the modulo is below 2⁻⁴⁰)."""
    if len(random) < 8:
        raise ValueError("a one-time code needs at least 8 random bytes")
    return str(int.from_bytes(random, "big") % 10**OTP_DIGITS).zfill(OTP_DIGITS)


def normalise_otp(code: str) -> str:
    """What the holder typed, reduced to digits; anything else is not a code."""
    digits = unicodedata.normalize("NFKC", code).strip().replace(" ", "")
    if len(digits) != OTP_DIGITS or not digits.isascii() or not digits.isdigit():
        raise InvalidInput("OTP_INVALID", f"the code is {OTP_DIGITS} digits")
    return digits
