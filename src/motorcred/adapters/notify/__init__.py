"""The ``Notifier`` port and its adapters: log (demo profile) and SMTP.

Services never call a notifier directly: they write the message to the outbox
in their own unit of work, and :func:`motorcred.services.notifications.dispatch_outbox`
hands due messages to the notifier afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from motorcred.config import Settings


@dataclass(frozen=True)
class Message:
    channel: str
    """``sms`` (recipient is a mobile number) or ``email`` (recipient is an address)."""
    recipient: str
    subject: str
    body: str


class DeliveryFailed(Exception):
    """The gateway did not take the message; the dispatcher retries later."""


class Notifier(Protocol):
    def send(self, message: Message) -> None:
        """Deliver ``message`` or raise :class:`DeliveryFailed`."""
        ...


def build_notifier(settings: Settings) -> Notifier:
    """The notifier the settings ask for (``MOTORCRED_NOTIFIER``)."""
    if settings.notifier == "smtp":
        from motorcred.adapters.notify.smtp import SmtpNotifier

        return SmtpNotifier.from_settings(settings)
    from motorcred.adapters.notify.log import LogNotifier

    return LogNotifier()


__all__ = ["DeliveryFailed", "Message", "Notifier", "build_notifier"]
