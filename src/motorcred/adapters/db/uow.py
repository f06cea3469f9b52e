"""The unit of work: one database transaction per command.

A service opens ``with container.unit_of_work() as uow:``, works through the
repositories hanging off ``uow`` and calls ``uow.commit()`` once at the end.
Leaving the block without a commit — because of an exception or because the
service simply returned — rolls everything back, so a failed command never
leaves a partial write. Repositories only ever execute statements on the
shared connection; they never commit (DESIGN.md rule 5).

Unique-constraint violations that slip past a service's own existence checks
(two requests racing for the same natural key) surface as a ``Conflict``.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine, RootTransaction
from sqlalchemy.exc import IntegrityError

from motorcred.adapters.db.pii import BlindIndex, FieldCipher
from motorcred.adapters.db.repositories import (
    CityRepository,
    EventRepository,
    IdempotencyRepository,
    LicenceRepository,
    PersonRepository,
    VehicleRepository,
)
from motorcred.adapters.db.repositories.accounts import AccountRepository, SessionRepository
from motorcred.adapters.db.repositories.audit import AuditRepository
from motorcred.adapters.db.repositories.checks import ConsentRepository, OnlineCodeRepository
from motorcred.adapters.db.repositories.credentials import CredentialRepository
from motorcred.adapters.db.repositories.holder_binding import (
    BindingChallengeRepository,
    DeviceNonceRepository,
    DeviceRepository,
)
from motorcred.adapters.db.repositories.outbox import OutboxRepository
from motorcred.adapters.db.repositories.status_lists import StatusListRepository
from motorcred.adapters.db.repositories.verifiers import VerifierRepository
from motorcred.errors import Conflict, UsageError


class UnitOfWork:
    persons: PersonRepository
    licences: LicenceRepository
    vehicles: VehicleRepository
    events: EventRepository
    cities: CityRepository
    idempotency: IdempotencyRepository
    accounts: AccountRepository
    sessions: SessionRepository
    binding_challenges: BindingChallengeRepository
    devices: DeviceRepository
    device_nonces: DeviceNonceRepository
    outbox: OutboxRepository
    status_lists: StatusListRepository
    credentials: CredentialRepository
    verifiers: VerifierRepository
    online_codes: OnlineCodeRepository
    consents: ConsentRepository
    audit: AuditRepository

    def __init__(self, engine: Engine, cipher: FieldCipher, index: BlindIndex) -> None:
        self._engine = engine
        self._cipher = cipher
        self._index = index
        self._connection: Connection | None = None
        self._transaction: RootTransaction | None = None

    @property
    def connection(self) -> Connection:
        if self._connection is None:
            raise UsageError("UOW_NOT_OPEN", "the unit of work is used outside its `with` block")
        return self._connection

    def __enter__(self) -> Self:
        if self._connection is not None:
            raise UsageError("UOW_REENTERED", "a unit of work is entered only once")
        self._connection = self._engine.connect()
        self._transaction = self._connection.begin()
        conn, cipher, index = self._connection, self._cipher, self._index
        self.persons = PersonRepository(conn, cipher, index)
        self.licences = LicenceRepository(conn, cipher, index)
        self.vehicles = VehicleRepository(conn, cipher, index)
        self.events = EventRepository(conn, cipher, index)
        self.cities = CityRepository(conn, cipher, index)
        self.idempotency = IdempotencyRepository(conn, cipher, index)
        self.accounts = AccountRepository(conn, cipher, index)
        self.sessions = SessionRepository(conn, cipher, index)
        self.binding_challenges = BindingChallengeRepository(conn, cipher, index)
        self.devices = DeviceRepository(conn, cipher, index)
        self.device_nonces = DeviceNonceRepository(conn, cipher, index)
        self.outbox = OutboxRepository(conn, cipher, index)
        self.status_lists = StatusListRepository(conn, cipher, index)
        self.credentials = CredentialRepository(conn, cipher, index)
        self.verifiers = VerifierRepository(conn, cipher, index)
        self.online_codes = OnlineCodeRepository(conn, cipher, index)
        self.consents = ConsentRepository(conn, cipher, index)
        self.audit = AuditRepository(conn, cipher, index)
        return self

    def commit(self) -> None:
        """Make the command's writes durable. Called by services only, once."""
        if self._transaction is None or not self._transaction.is_active:
            raise UsageError("UOW_NOT_ACTIVE", "nothing to commit: the transaction has ended")
        try:
            self._transaction.commit()
        except IntegrityError as exc:
            raise Conflict(
                "RECORD_CONFLICT", "the change clashes with a record written concurrently"
            ) from exc

    def rollback(self) -> None:
        if self._transaction is not None and self._transaction.is_active:
            self._transaction.rollback()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            if self._connection is not None:
                self._connection.close()
            self._connection = None
            self._transaction = None
        if isinstance(exc, IntegrityError):
            raise Conflict(
                "RECORD_CONFLICT", "the change clashes with an existing or concurrent record"
            ) from exc
