"""The notification outbox: written with the command, delivered by the dispatcher."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from motorcred.adapters.db.repositories.outbox import FAILED, PENDING, SENT
from motorcred.adapters.notify import DeliveryFailed, Message
from motorcred.adapters.notify.log import LogNotifier
from motorcred.bootstrap import Container
from motorcred.services.notifications import (
    MAX_DELIVERY_ATTEMPTS,
    dispatch_outbox,
    queue_sms,
    retry_delay,
)


class GatewayDown:
    """A notifier whose gateway refuses every message (as an SMTP outage would)."""

    def __init__(self) -> None:
        self.tried: list[Message] = []

    def send(self, message: Message) -> None:
        self.tried.append(message)
        raise DeliveryFailed("gateway down")


def queue(container: Container, body: str = "hello") -> int:
    with container.unit_of_work() as uow:
        message_id = queue_sms(
            uow, kind="test", phone="13912345678", subject="s", body=body, now=container.clock()
        )
        uow.commit()
    return message_id


def test_due_messages_are_sent_once(container: Container) -> None:
    queue(container, "one")
    queue(container, "two")
    notifier = LogNotifier()
    report = dispatch_outbox(container, notifier)
    assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
    assert [m.body for m in notifier.sent] == ["one", "two"]
    assert dispatch_outbox(container, notifier).sent == 0
    with container.unit_of_work() as uow:
        assert uow.outbox.count(SENT) == 2 and uow.outbox.count(PENDING) == 0


def test_a_rolled_back_command_sends_nothing(container: Container) -> None:
    with pytest.raises(RuntimeError), container.unit_of_work() as uow:
        queue_sms(uow, kind="test", phone="1", subject="s", body="b", now=container.clock())
        raise RuntimeError("the command failed after queuing")
    assert dispatch_outbox(container, LogNotifier()).sent == 0


def test_failures_back_off_then_give_up(container: Container, clock: Any) -> None:
    message_id = queue(container)
    gateway = GatewayDown()
    for attempt in range(1, MAX_DELIVERY_ATTEMPTS):
        report = dispatch_outbox(container, gateway)
        assert report.retrying == 1
        with container.unit_of_work() as uow:
            item = uow.outbox.get(message_id)
        assert item is not None and item.status == PENDING and item.attempts == attempt
        assert item.next_attempt_at == clock() + retry_delay(attempt)
        assert item.last_error == "gateway down"
        # Not due again before the back-off has passed.
        assert dispatch_outbox(container, gateway).retrying == 0
        clock.advance(seconds=retry_delay(attempt).total_seconds())
    report = dispatch_outbox(container, gateway)
    assert report.failed == 1
    with container.unit_of_work() as uow:
        item = uow.outbox.get(message_id)
    assert item is not None and item.status == FAILED
    assert len(gateway.tried) == MAX_DELIVERY_ATTEMPTS


def test_retry_delay_grows_and_is_capped() -> None:
    assert retry_delay(1) == timedelta(seconds=30)
    assert retry_delay(2) == timedelta(minutes=1)
    assert retry_delay(3) == timedelta(minutes=2)
    assert retry_delay(20) == timedelta(hours=1)
