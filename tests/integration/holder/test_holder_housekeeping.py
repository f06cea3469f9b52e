"""Purging ended sessions, expired nonces and codes, and delivered notifications."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from motorcred.bootstrap import Container
from motorcred.errors import MotorcredError
from motorcred.services import accounts, binding, devices
from motorcred.services.holder_housekeeping import purge_expired

ID_NUMBER = "11010519491231002X"
NAME = "王小明"


def test_only_what_ended_before_the_window_is_purged(
    container: Container, holder: Any, person_id: int, inbox: Any, clock: Any
) -> None:
    binding.start_binding(container, holder.account_id, ID_NUMBER, NAME)
    inbox.deliver()
    devices.issue_nonce(container, holder.account_id)
    nothing = purge_expired(container, keep=timedelta(days=1))
    assert nothing == type(nothing)(0, 0, 0, 0)

    # A day and a session later: the code, the nonce, the message and the first
    # session (12 h) have all ended more than a day ago... except the new session.
    clock.advance(days=2)
    fresh = accounts.log_in(container, "13800138000", "correct horse battery")
    report = purge_expired(container, keep=timedelta(days=1))
    assert (report.sessions, report.binding_challenges, report.device_nonces) == (1, 1, 1)
    assert report.notifications == 1
    with pytest.raises(MotorcredError) as info:
        accounts.authenticate(container, holder.token)
    assert info.value.code == "HOLDER_AUTH_REQUIRED"
    assert accounts.authenticate(container, fresh.token).account_id == holder.account_id
    assert purge_expired(container, keep=timedelta(days=1)).sessions == 0


def test_pending_notifications_are_kept(
    container: Container, holder: Any, person_id: int, clock: Any
) -> None:
    binding.start_binding(container, holder.account_id, ID_NUMBER, NAME)
    clock.advance(days=30)
    assert purge_expired(container).notifications == 0
    with container.unit_of_work() as uow:
        assert uow.outbox.count("pending") == 1
