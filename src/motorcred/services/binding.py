"""Binding a holder account to a registry person: ID number + name + one-time code.

The holder names themselves (ID number and name); when both match a person in
the registry, a 6-digit code goes by SMS to the phone *on record* — not to a
number the holder types — and the holder proves they can read it. A mismatch
gets one answer, ``BINDING_MISMATCH``, whether the ID number is unknown or the
name is wrong, and it costs the same resend wait as a match, so the endpoint
cannot be used to probe the registry.

Codes are stored as an HMAC (keyed with the session secret, bound to the
challenge id): six digits are too few to survive a plain hash in a leaked dump.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from motorcred.adapters.db.repositories.accounts import Account
from motorcred.adapters.db.uow import UnitOfWork
from motorcred.domain.accounts import normalise_otp, otp_from_bytes
from motorcred.domain.masking import mask_id, mask_name, mask_phone
from motorcred.errors import Conflict, InvalidInput, RateLimited, Refused, Unauthenticated
from motorcred.services.notifications import queue_sms

if TYPE_CHECKING:
    from motorcred.bootstrap import Container

_MISMATCH_MESSAGE = (
    "the ID number and name do not match a registry record that can be bound; "
    "check both and try again"
)


@dataclass(frozen=True)
class BindingStarted:
    challenge_id: int
    sent_to: str
    """The phone on record, masked (138****5678)."""
    expires_at: datetime
    resend_after: datetime


@dataclass(frozen=True)
class BindingConfirmed:
    account_id: int
    person_id: int
    name: str
    """Masked (张*三)."""
    id_number: str
    """Masked (110105********1234)."""
    bound_at: datetime


def code_digest(secret: bytes, challenge_id: int, code: str) -> bytes:
    return hmac.new(secret, f"otp:{challenge_id}:{code}".encode(), hashlib.sha256).digest()


def _same_name(on_record: str, given: str) -> bool:
    def fold(name: str) -> bytes:
        return "".join(unicodedata.normalize("NFKC", name).split()).casefold().encode()

    return hmac.compare_digest(fold(on_record), fold(given))


def _account(uow: UnitOfWork, account_id: int) -> Account:
    account = uow.accounts.get(account_id, for_update=True)
    if account is None:
        raise Unauthenticated("HOLDER_AUTH_REQUIRED", "the account no longer exists")
    if account.person_id is not None:
        raise Conflict(
            "ACCOUNT_ALREADY_BOUND", "this account is already bound to a registry person"
        )
    return account


def start_binding(
    container: Container, account_id: int, id_number: str, name: str
) -> BindingStarted:
    """Check ID number + name and send a code to the phone on record."""
    settings = container.settings
    if not id_number.strip() or not name.strip():
        raise InvalidInput("BINDING_FIELDS_REQUIRED", "give both the ID number and the name")
    now = container.clock()
    resend = timedelta(seconds=settings.otp_resend_seconds)
    expires_at = now + timedelta(seconds=settings.otp_ttl_seconds)
    with container.unit_of_work() as uow:
        _account(uow, account_id)
        latest = uow.binding_challenges.latest(account_id)
        if latest is not None and now < latest.created_at + resend:
            wait_until = latest.created_at + resend
            seconds = max(1, int((wait_until - now).total_seconds() + 0.999))
            raise RateLimited(
                "OTP_RESEND_TOO_SOON",
                f"a code was requested moments ago; wait {seconds} s before asking again",
                details={"retry_at": wait_until.isoformat(), "retry_after_seconds": seconds},
            )
        person = uow.persons.get_by_id_number(id_number.strip())
        matched = person is not None and _same_name(person.data.name, name)
        if person is None or not matched:
            # Recorded (without a code) so a mismatch costs the same wait as a match.
            uow.binding_challenges.add(account_id, None, now=now, expires_at=now)
            uow.commit()
            raise Refused("BINDING_MISMATCH", _MISMATCH_MESSAGE)
        if person.data.phone is None:
            raise Refused(
                "BINDING_NO_PHONE",
                "no mobile number is on record for this person; bind the account at a "
                "vehicle administration office counter",
            )
        holder = uow.accounts.get_by_person(person.id)
        if holder is not None:
            raise Conflict(
                "PERSON_ALREADY_BOUND",
                "this person is already bound to another account; log in to that account "
                "or ask a counter to release it",
            )
        uow.binding_challenges.close_open(account_id, now=now)
        challenge_id = uow.binding_challenges.add(
            account_id, person.id, now=now, expires_at=expires_at
        )
        code = otp_from_bytes(secrets.token_bytes(8))
        secret = settings.key_bytes("session_secret")
        uow.binding_challenges.set_code_hash(challenge_id, code_digest(secret, challenge_id, code))
        minutes = max(1, settings.otp_ttl_seconds // 60)
        queue_sms(
            uow,
            kind="binding_code",
            phone=person.data.phone,
            subject="motorcred verification code",
            body=(
                f"Your motorcred verification code is {code}. It is valid for {minutes} "
                "minutes. Never share it with anyone, including staff."
            ),
            now=now,
        )
        uow.commit()
        return BindingStarted(
            challenge_id=challenge_id,
            sent_to=mask_phone(person.data.phone),
            expires_at=expires_at,
            resend_after=now + resend,
        )


def confirm_binding(container: Container, account_id: int, code: str) -> BindingConfirmed:
    """Check the code; on success the account is bound to the person."""
    try:
        return _confirm(container, account_id, code)
    except Conflict as exc:
        if exc.code != "RECORD_CONFLICT":
            raise
        # Another account bound the same person between our check and our write;
        # the unique constraint on accounts.person_id decided the race.
        raise Conflict(
            "PERSON_ALREADY_BOUND", "this person was bound to another account meanwhile"
        ) from exc


def _confirm(container: Container, account_id: int, code: str) -> BindingConfirmed:
    settings = container.settings
    now = container.clock()
    with container.unit_of_work() as uow:
        _account(uow, account_id)
        challenge = uow.binding_challenges.latest_open(account_id)
        if challenge is None or challenge.person_id is None or challenge.code_hash is None:
            raise Conflict(
                "BINDING_NOT_STARTED", "no code is waiting for this account; request one first"
            )
        if challenge.attempts >= settings.otp_max_attempts:
            raise RateLimited(
                "OTP_TOO_MANY_ATTEMPTS",
                "too many wrong codes were entered; request a new code",
            )
        if now >= challenge.expires_at:
            raise Refused("OTP_EXPIRED", "the code has expired; request a new one")
        secret = settings.key_bytes("session_secret")
        try:
            typed = normalise_otp(code)
        except InvalidInput:
            typed = ""
        expected = challenge.code_hash
        if not typed or not hmac.compare_digest(code_digest(secret, challenge.id, typed), expected):
            uow.binding_challenges.count_attempt(challenge.id)
            uow.commit()
            left = settings.otp_max_attempts - challenge.attempts - 1
            if left <= 0:
                raise RateLimited(
                    "OTP_TOO_MANY_ATTEMPTS",
                    "too many wrong codes were entered; request a new code",
                )
            raise Refused(
                "OTP_INVALID",
                f"the code is not correct ({left} attempt(s) left)",
                details={"attempts_left": left},
            )
        if uow.accounts.get_by_person(challenge.person_id) is not None:
            raise Conflict(
                "PERSON_ALREADY_BOUND", "this person was bound to another account meanwhile"
            )
        person = uow.persons.get(challenge.person_id)
        assert person is not None  # persons are never deleted
        uow.binding_challenges.consume(challenge.id, now=now)
        uow.accounts.bind_person(account_id, challenge.person_id, now=now)
        uow.commit()
        return BindingConfirmed(
            account_id=account_id,
            person_id=person.id,
            name=mask_name(person.data.name),
            id_number=mask_id(person.data.id_number),
            bound_at=now,
        )
