"""Notifier adapters: the log notifier, and the SMTP notifier against a small local
SMTP server (plain SMTP on 127.0.0.1, no STARTTLS) that records what it receives."""

from __future__ import annotations

import logging
import socket
import socketserver
import threading
from collections.abc import Iterator
from email import message_from_bytes

import pytest

from motorcred.adapters.notify import DeliveryFailed, Message, build_notifier
from motorcred.adapters.notify.log import LogNotifier
from motorcred.adapters.notify.smtp import SmtpNotifier
from motorcred.config import Settings
from motorcred.errors import ConfigurationError

SMS = Message("sms", "13912345678", "motorcred verification code", "Your code is 123456.")


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        server: _SmtpServer = self.server  # type: ignore[assignment]
        envelope: dict[str, object] = {"rcpt": []}
        self.reply("220 test ESMTP")
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test")
            elif verb == "MAIL":
                envelope["from"] = command.split(":", 1)[1].strip("<> ")
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["rcpt"].append(command.split(":", 1)[1].strip("<> "))  # type: ignore[union-attr]
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                envelope["data"] = data
                server.received.append(envelope)
                envelope = {"rcpt": []}
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


class _SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.received: list[dict[str, object]] = []


@pytest.fixture
def smtp_server() -> Iterator[_SmtpServer]:
    server = _SmtpServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def notifier_for(port: int) -> SmtpNotifier:
    return SmtpNotifier(
        "127.0.0.1",
        port,
        sender="motorcred <noreply@example.test>",
        sms_address="{phone}@sms.example.test",
        starttls=False,
        timeout=5,
    )


def test_sms_goes_to_the_gateway_address(smtp_server: _SmtpServer) -> None:
    notifier_for(smtp_server.server_address[1]).send(SMS)
    [envelope] = smtp_server.received
    assert envelope["rcpt"] == ["13912345678@sms.example.test"]
    mail = message_from_bytes(envelope["data"])  # type: ignore[arg-type]
    assert mail["To"] == "13912345678@sms.example.test"
    assert mail["Subject"] == "motorcred verification code"
    assert "Your code is 123456." in mail.get_payload()


def test_email_goes_to_the_address_itself(smtp_server: _SmtpServer) -> None:
    message = Message("email", "holder@example.test", "Reminder", "Your licence expires soon.")
    notifier_for(smtp_server.server_address[1]).send(message)
    assert smtp_server.received[0]["rcpt"] == ["holder@example.test"]


def test_an_unreachable_server_is_a_delivery_failure() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DeliveryFailed):
        notifier_for(port).send(SMS)


def test_smtp_settings_are_checked() -> None:
    with pytest.raises(ConfigurationError) as info:
        SmtpNotifier("", 25, sender="a@b", sms_address="{phone}@x")
    assert info.value.code == "CONFIG_SMTP_HOST"
    with pytest.raises(ConfigurationError) as info:
        SmtpNotifier("mail", 25, sender="a@b", sms_address="gateway@x")
    assert info.value.code == "CONFIG_SMTP_SMS_ADDRESS"


def test_settings_choose_the_notifier() -> None:
    assert isinstance(build_notifier(Settings(profile="test")), LogNotifier)
    smtp = build_notifier(Settings(profile="test", notifier="smtp", smtp_host="mail.test"))
    assert isinstance(smtp, SmtpNotifier) and smtp.host == "mail.test"


def test_log_notifier_logs_and_keeps_the_message(caplog: pytest.LogCaptureFixture) -> None:
    notifier = LogNotifier()
    with caplog.at_level(logging.WARNING, logger="motorcred.notify"):
        notifier.send(SMS)
    assert list(notifier.sent) == [SMS]
    assert "13912345678" in caplog.text and "123456" in caplog.text


def test_production_refuses_the_log_notifier() -> None:
    import base64

    secrets = {
        name: base64.b64encode(name.encode().ljust(32, b"!")).decode()
        for name in ("pii_key", "blind_index_key", "session_secret")
    }
    production = Settings(
        profile="production",
        database_url="postgresql+psycopg://db/motorcred",
        staff_token="a-real-staff-token",
        **secrets,
    )
    with pytest.raises(ConfigurationError) as info:
        production.check_secure()
    assert info.value.code == "CONFIG_NOTIFIER_LOG"
    production.model_copy(update={"notifier": "smtp"}).check_secure()
    Settings(profile="demo").check_secure()  # the demo logs codes on purpose
