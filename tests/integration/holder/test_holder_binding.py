"""Binding an account to a registry person by ID number + name + one-time code."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from motorcred.adapters.db.tables import binding_challenges, notification_outbox
from motorcred.bootstrap import Container
from motorcred.errors import MotorcredError
from motorcred.services import accounts, binding

ID_NUMBER = "11010519491231002X"
NAME = "王小明"


def refused(call: Any) -> MotorcredError:
    with pytest.raises(MotorcredError) as info:
        call()
    return info.value


def test_code_goes_to_the_phone_on_record_and_binds(
    container: Container, holder: Any, person_id: int, inbox: Any
) -> None:
    started = binding.start_binding(container, holder.account_id, ID_NUMBER, NAME)
    assert started.sent_to == "139****5678"
    assert started.expires_at == container.clock() + timedelta(minutes=5)
    [message] = inbox.deliver()
    assert (message.channel, message.recipient) == ("sms", "13912345678")
    code = inbox.last_code()

    done = binding.confirm_binding(container, holder.account_id, f" {code} ")
    assert done.person_id == person_id
    assert done.name == "王*明"
    assert done.id_number == "110105********002X"
    view = accounts.get_account(container, holder.account_id)
    assert view.bound and view.bound_at == container.clock()

    # The code is single use and the account is now bound.
    assert (
        refused(lambda: binding.confirm_binding(container, holder.account_id, code)).code
        == "ACCOUNT_ALREADY_BOUND"
    )
    assert (
        refused(lambda: binding.start_binding(container, holder.account_id, ID_NUMBER, NAME)).code
        == "ACCOUNT_ALREADY_BOUND"
    )


def test_codes_are_stored_hashed_and_messages_sealed(
    container: Container, holder: Any, person_id: int, inbox: Any
) -> None:
    binding.start_binding(container, holder.account_id, ID_NUMBER, NAME)
    with container.engine.connect() as conn:
        stored = conn.execute(select(binding_challenges.c.code_hash)).scalar_one()
        outbox = conn.execute(select(notification_outbox)).one()
    code = inbox.last_code()
    assert code.encode() not in stored and len(stored) == 32
    assert code.encode() not in outbox.body_enc
    assert b"13912345678" not in outbox.recipient_enc


def test_wrong_name_unknown_id_and_malformed_id_answer_alike(
    container: Container, make_holder: Any, person_id: int, inbox: Any
) -> None:
    answers = []
    for i, (id_number, name) in enumerate(
        [(ID_NUMBER, "王大明"), ("110105194912310011", NAME), ("not an id", NAME)]
    ):
        holder = make_holder(f"1380013800{i}")
        error = refused(
            lambda h=holder, n=id_number, m=name: binding.start_binding(
                container, h.account_id, n, m
            )
        )
        answers.append((error.code, error.message, error.http_status, error.details))
    assert answers[0][0] == "BINDING_MISMATCH"
    assert answers[0] == answers[1] == answers[2]
    assert inbox.deliver() == []


def test_name_matching_ignores_spacing_and_width(
    container: Container, holder: Any, person_id: int
) -> None:
    started = binding.start_binding(container, holder.account_id, ID_NUMBER.lower(), " 王 小明 ")
    assert started.sent_to == "139****5678"


def test_resend_is_throttled_and_a_new_code_replaces_the_old(
    container: Container, holder: Any, person_id: int, inbox: Any, clock: Any
) -> None:
    binding.start_binding(container, holder.account_id, ID_NUMBER, NAME)
    first = inbox.last_code()
    clock.advance(seconds=container.settings.otp_resend_seconds - 1)
    error = refused(lambda: binding.start_binding(container, holder.account_id, ID_NUMBER, NAME))
    assert error.code == "OTP_RESEND_TOO_SOON"
    assert error.details["retry_after_seconds"] == 1
    clock.advance(seconds=1)
    binding.start_binding(container, holder.account_id, ID_NUMBER, NAME)
    second = inbox.last_code()
    if first != second:
        assert (
            refused(lambda: binding.confirm_binding(container, holder.account_id, first)).code
            == "OTP_INVALID"
        )
    assert binding.confirm_binding(container, holder.account_id, second).person_id == person_id


def test_a_mismatch_also_waits_for_the_resend_window(
    container: Container, holder: Any, person_id: int, clock: Any
) -> None:
    assert (
        refused(lambda: binding.start_binding(container, holder.account_id, ID_NUMBER, "李四")).code
        == "BINDING_MISMATCH"
    )
    assert (
        refused(lambda: binding.start_binding(container, holder.account_id, ID_NUMBER, NAME)).code
        == "OTP_RESEND_TOO_SOON"
    )
    clock.advance(seconds=container.settings.otp_resend_seconds)
    binding.start_binding(container, holder.account_id, ID_NUMBER, NAME)


def test_wrong_codes_count_and_then_lock_the_challenge(
    container: Container, holder: Any, person_id: int, inbox: Any
) -> None:
    binding.start_binding(container, holder.account_id, ID_NUMBER, NAME)
    code = inbox.last_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    max_attempts = container.settings.otp_max_attempts
    for attempt in range(1, max_attempts):
        error = refused(lambda: binding.confirm_binding(container, holder.account_id, wrong))
        assert error.code == "OTP_INVALID"
        assert error.details["attempts_left"] == max_attempts - attempt
    error = refused(lambda: binding.confirm_binding(container, holder.account_id, "12ab"))
    assert error.code == "OTP_TOO_MANY_ATTEMPTS"
    # Even the right code is refused now: a new code must be requested.
    error = refused(lambda: binding.confirm_binding(container, holder.account_id, code))
    assert error.code == "OTP_TOO_MANY_ATTEMPTS"
    assert not accounts.get_account(container, holder.account_id).bound


def test_code_expires(
    container: Container, holder: Any, person_id: int, inbox: Any, clock: Any
) -> None:
    binding.start_binding(container, holder.account_id, ID_NUMBER, NAME)
    code = inbox.last_code()
    clock.advance(seconds=container.settings.otp_ttl_seconds)
    error = refused(lambda: binding.confirm_binding(container, holder.account_id, code))
    assert error.code == "OTP_EXPIRED"


def test_confirm_without_a_code_is_refused(container: Container, holder: Any) -> None:
    error = refused(lambda: binding.confirm_binding(container, holder.account_id, "123456"))
    assert error.code == "BINDING_NOT_STARTED"


def test_one_person_binds_to_one_account(
    container: Container, make_holder: Any, person_id: int, inbox: Any
) -> None:
    first, second = make_holder("13800138001"), make_holder("13800138002")
    binding.start_binding(container, first.account_id, ID_NUMBER, NAME)
    binding.start_binding(container, second.account_id, ID_NUMBER, NAME)
    codes = inbox.deliver()
    assert len(codes) == 2
    first_code = codes[0].body.split("code is ")[1][:6]
    second_code = codes[1].body.split("code is ")[1][:6]
    binding.confirm_binding(container, first.account_id, first_code)
    error = refused(lambda: binding.confirm_binding(container, second.account_id, second_code))
    assert error.code == "PERSON_ALREADY_BOUND"
    third = make_holder("13800138003")
    error = refused(lambda: binding.start_binding(container, third.account_id, ID_NUMBER, NAME))
    assert error.code == "PERSON_ALREADY_BOUND"


def test_person_without_phone_cannot_bind_online(
    container: Container, holder: Any, make_person: Any
) -> None:
    make_person(id_number="110105194912310011", name="李四", phone=None)
    error = refused(
        lambda: binding.start_binding(container, holder.account_id, "110105194912310011", "李四")
    )
    assert error.code == "BINDING_NO_PHONE"


def test_blank_fields_are_refused(container: Container, holder: Any) -> None:
    error = refused(lambda: binding.start_binding(container, holder.account_id, " ", NAME))
    assert error.code == "BINDING_FIELDS_REQUIRED"


def test_a_lost_race_for_the_same_person_is_answered_as_already_bound(
    container: Container,
    make_holder: Any,
    person_id: int,
    inbox: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first, second = make_holder("13800138001"), make_holder("13800138002")
    binding.start_binding(container, second.account_id, ID_NUMBER, NAME)
    code = inbox.last_code()
    # Another account binds the person after the second account's check has passed:
    # the check is made to miss it, so only the unique constraint stands in the way.
    with container.unit_of_work() as uow:
        uow.accounts.bind_person(first.account_id, person_id, now=container.clock())
        uow.commit()
    from motorcred.adapters.db.repositories.accounts import AccountRepository

    monkeypatch.setattr(AccountRepository, "get_by_person", lambda self, pid: None)
    error = refused(lambda: binding.confirm_binding(container, second.account_id, code))
    assert error.code == "PERSON_ALREADY_BOUND"
    monkeypatch.undo()
    assert not accounts.get_account(container, second.account_id).bound
