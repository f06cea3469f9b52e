"""SMTP notifier: e-mail directly, SMS through an e-mail-to-SMS gateway.

Many SMS providers accept mail at ``<number>@<gateway domain>``; the address
pattern is ``MOTORCRED_SMTP_SMS_ADDRESS`` (``{phone}`` is replaced by the number).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from motorcred.adapters.notify import DeliveryFailed, Message
from motorcred.config import Settings
from motorcred.errors import ConfigurationError


class SmtpNotifier:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        sender: str,
        sms_address: str,
        username: str = "",
        password: str = "",
        starttls: bool = True,
        timeout: float = 10.0,
    ) -> None:
        if not host:
            raise ConfigurationError(
                "CONFIG_SMTP_HOST", "MOTORCRED_NOTIFIER=smtp needs MOTORCRED_SMTP_HOST"
            )
        if "{phone}" not in sms_address:
            raise ConfigurationError(
                "CONFIG_SMTP_SMS_ADDRESS",
                "MOTORCRED_SMTP_SMS_ADDRESS must contain {phone}, e.g. {phone}@sms.example.com",
            )
        self.host, self.port = host, port
        self.sender, self.sms_address = sender, sms_address
        self.username, self.password = username, password
        self.starttls, self.timeout = starttls, timeout

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpNotifier:
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            sender=settings.smtp_sender,
            sms_address=settings.smtp_sms_address,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            timeout=settings.smtp_timeout_seconds,
        )

    def address_for(self, message: Message) -> str:
        if message.channel == "sms":
            return self.sms_address.replace("{phone}", message.recipient)
        return message.recipient

    def compose(self, message: Message) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = self.address_for(message)
        mail["Subject"] = message.subject
        mail.set_content(message.body)
        return mail

    def send(self, message: Message) -> None:
        mail = self.compose(message)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryFailed(f"SMTP {self.host}:{self.port}: {exc}") from exc
