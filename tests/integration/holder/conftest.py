"""Fixtures for the holder-account tests: a container on the database under test
with a clock the test moves, cheap argon2 parameters, and a registry person."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from sqlalchemy import Engine

from motorcred.adapters.db.records import PersonData
from motorcred.adapters.notify import Message
from motorcred.adapters.notify.log import LogNotifier
from motorcred.bootstrap import Container, build_container
from motorcred.config import Settings
from motorcred.formats.device_proof import public_jwk, to_be_signed
from motorcred.services import accounts
from motorcred.services.notifications import dispatch_outbox

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
PHONE_ON_RECORD = "13912345678"
ID_NUMBER = "11010519491231002X"
NAME = "王小明"


class Clock:
    """The time the services see; tests move it forward."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def holder_settings(settings: Settings) -> Settings:
    # argon2 at its floor keeps the suite fast; production keeps the defaults.
    return settings.model_copy(update={"argon2_memory_kib": 8192, "argon2_time_cost": 1})


@pytest.fixture
def container(clean_db: Engine, holder_settings: Settings, clock: Clock) -> Iterator[Container]:
    c = build_container(holder_settings, clock=clock)
    yield c
    c.close()


def add_person(
    container: Container,
    *,
    id_number: str = ID_NUMBER,
    name: str = NAME,
    phone: str | None = PHONE_ON_RECORD,
) -> int:
    data = PersonData(
        id_number=id_number,
        name=name,
        sex="M",
        birth_date=date(1949, 12, 31),
        phone=phone,
        city_code="110100",
    )
    with container.unit_of_work() as uow:
        person_id = uow.persons.add(data, now=container.clock())
        uow.commit()
    return person_id


@pytest.fixture
def person_id(container: Container) -> int:
    return add_person(container)


@dataclass
class DeviceKey:
    """A holder app's P-256 key, signing proofs the way the app does."""

    private: ec.EllipticCurvePrivateKey

    @classmethod
    def generate(cls) -> DeviceKey:
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @property
    def public(self) -> ec.EllipticCurvePublicKey:
        return self.private.public_key()

    @property
    def jwk(self) -> dict[str, Any]:
        return public_jwk(self.public)

    def sign(self, nonce_b64: str, account_id: int, purpose: str = "device-binding") -> str:
        nonce = base64.urlsafe_b64decode(nonce_b64 + "=" * (-len(nonce_b64) % 4))
        der = self.private.sign(to_be_signed(nonce, account_id, purpose), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Inbox:
    """Delivers the outbox through the log notifier and keeps what was sent."""

    def __init__(self, container: Container) -> None:
        self.container = container
        self.notifier = LogNotifier()

    def deliver(self) -> list[Message]:
        before = len(self.notifier.sent)
        dispatch_outbox(self.container, self.notifier)
        return list(self.notifier.sent)[before:]

    def last_code(self) -> str:
        self.deliver()
        assert self.notifier.sent, "no message was sent"
        found = re.search(r"\b(\d{6})\b", self.notifier.sent[-1].body)
        assert found, self.notifier.sent[-1].body
        return found.group(1)


@pytest.fixture
def inbox(container: Container) -> Inbox:
    return Inbox(container)


@pytest.fixture
def new_device_key() -> Callable[[], DeviceKey]:
    return DeviceKey.generate


@dataclass(frozen=True)
class Holder:
    account_id: int
    login: str
    token: str


def sign_up_and_log_in(container: Container, login: str = "13800138000") -> Holder:
    view = accounts.sign_up(container, login, PASSWORD)
    session = accounts.log_in(container, login, PASSWORD)
    return Holder(view.id, login, session.token)


@pytest.fixture
def holder(container: Container) -> Holder:
    return sign_up_and_log_in(container)


@pytest.fixture
def make_holder(container: Container) -> Callable[[str], Holder]:
    return lambda login: sign_up_and_log_in(container, login)


@pytest.fixture
def make_person(container: Container) -> Callable[..., int]:
    return lambda **kw: add_person(container, **kw)
