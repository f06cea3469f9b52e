"""Demo-profile notifier: writes each message to the ``motorcred.notify`` log.

In the embedded demo there is no SMS gateway; the holder reads the one-time
code from the server log. Production profiles configure SMTP instead.
"""

from __future__ import annotations

import logging
from collections import deque

from motorcred.adapters.notify import Message

log = logging.getLogger("motorcred.notify")


class LogNotifier:
    def __init__(self, logger: logging.Logger = log) -> None:
        self._log = logger
        self.sent: deque[Message] = deque(maxlen=100)
        """Messages delivered by this instance, newest last (for the demo and tests)."""

    def send(self, message: Message) -> None:
        self._log.warning(
            "[%s to %s] %s: %s", message.channel, message.recipient, message.subject, message.body
        )
        self.sent.append(message)
