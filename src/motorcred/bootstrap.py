"""Wiring: settings → engine, PII cipher, blind index → unit of work → services.

Entrypoints (API, CLI, worker) call :func:`build_container` once and pass the
container around; nothing here runs at import time. ``serve`` also uses
:func:`upgrade_database`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from motorcred.adapters.db import migrate
from motorcred.adapters.db.engine import make_engine
from motorcred.adapters.db.pii import BlindIndex, FieldCipher
from motorcred.adapters.db.uow import UnitOfWork
from motorcred.adapters.keystore import FileKeystore
from motorcred.config import Settings
from motorcred.errors import ConfigurationError
from motorcred.services.device_events import DeviceReplaced, DeviceReplacedHook
from motorcred.services.issuance import IssuanceService
from motorcred.services.status_lists import StatusListService
from motorcred.services.trust_list import TrustListService

if TYPE_CHECKING:
    from motorcred.services.demo_seed import DemoSeedReport, DemoSeedService
    from motorcred.services.registry import RegistryService
    from motorcred.services.registry_events import RegistryEventService
    from motorcred.services.registry_import import Progress, RegistryImportService

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def _decode_key(name: str, value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ConfigurationError("CONFIG_KEY_INVALID", f"{name} must be base64") from exc


def build_cipher(settings: Settings) -> FieldCipher:
    """The PII cipher: the current key plus retired keys kept for decryption only."""
    keys = {
        key_id: _decode_key(f"MOTORCRED_PII_OLD_KEYS[{key_id}]", value)
        for key_id, value in settings.pii_old_keys.items()
    }
    keys[settings.pii_key_id] = settings.key_bytes("pii_key")
    return FieldCipher(settings.pii_key_id, keys)


def build_blind_index(settings: Settings) -> BlindIndex:
    return BlindIndex(settings.key_bytes("blind_index_key"))


@dataclass
class Container:
    """Everything a request or command needs, built once per process."""

    settings: Settings
    engine: Engine
    cipher: FieldCipher
    blind_index: BlindIndex
    clock: Clock = utc_now
    device_replaced_hooks: list[DeviceReplacedHook] = field(default_factory=list)
    """Called when a holder binds a new device key (see ``services/device_events.py``)."""
    _services: dict[str, object] = field(default_factory=dict, repr=False)

    def unit_of_work(self) -> UnitOfWork:
        """A fresh unit of work (one per command): ``with container.unit_of_work() as uow``."""
        return UnitOfWork(self.engine, self.cipher, self.blind_index)

    def __post_init__(self) -> None:
        # A credential is bound to the device key in its MSO: a new device invalidates it.
        self.device_replaced_hooks.append(self._revoke_credentials_of_replaced_device)

    def _revoke_credentials_of_replaced_device(
        self, uow: UnitOfWork, event: DeviceReplaced
    ) -> None:
        self.issuance.revoke_for_account(uow, event.account_id)

    # Signing service: the keystore is built once (it caches parsed keys and
    # certificates); the services on top of it hold no state.
    @property
    def keystore(self) -> FileKeystore:
        keystore = self._services.get("keystore")
        if not isinstance(keystore, FileKeystore):
            keystore = self._services["keystore"] = FileKeystore.in_data_dir(self.settings.data_dir)
        return keystore

    @property
    def status_lists(self) -> StatusListService:
        return StatusListService(self.unit_of_work, self.clock, self.settings, self.keystore)

    @property
    def trust_list(self) -> TrustListService:
        # Kept for the process: it caches the signed list until the certificates change.
        service = self._services.get("trust_list")
        if not isinstance(service, TrustListService):
            service = self._services["trust_list"] = TrustListService(self.keystore, self.clock)
        return service

    @property
    def issuance(self) -> IssuanceService:
        return IssuanceService(
            self.unit_of_work, self.clock, self.settings, self.status_lists, self.keystore
        )

    def check_database(self) -> bool:
        """Readiness: can we reach the database and is it migrated?"""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return migrate.current_revision(self.engine) is not None
        except SQLAlchemyError:
            return False

    def close(self) -> None:
        self.engine.dispose()

    # Registry services: cheap to build, so a fresh one per use (they hold no state).
    @property
    def registry(self) -> RegistryService:
        from motorcred.services.registry import RegistryService

        return RegistryService(self.unit_of_work, self.clock)

    @property
    def registry_events(self) -> RegistryEventService:
        from motorcred.services.edl_registry import edl_licence_hook
        from motorcred.services.evrc_registry import evrc_vehicle_hook
        from motorcred.services.registry_events import RegistryEventService

        return RegistryEventService(
            self.unit_of_work,
            self.clock,
            vehicle_hooks=[evrc_vehicle_hook(self.issuance)],
            licence_hooks=[edl_licence_hook(self.issuance, self.clock)],
        )

    @property
    def registry_import(self) -> RegistryImportService:
        from motorcred.services.registry_import import RegistryImportService

        return RegistryImportService(self.unit_of_work, self.clock)

    @property
    def demo_seed(self) -> DemoSeedService:
        from motorcred.services.demo_seed import DemoSeedService

        return DemoSeedService(self.unit_of_work, self.clock)


def build_container(settings: Settings, *, clock: Clock = utc_now) -> Container:
    """Wire the adapters for ``settings``; connects lazily (first query)."""
    if not settings.database_url:
        # The embedded default is an SQLite file under the data directory.
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url, echo=settings.sql_echo)
    return Container(
        settings=settings,
        engine=engine,
        cipher=build_cipher(settings),
        blind_index=build_blind_index(settings),
        clock=clock,
    )


def upgrade_database(settings: Settings, revision: str = "head") -> None:
    """Migrate the configured database (creates the SQLite file on first run)."""
    if not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.resolved_database_url, echo=settings.sql_echo)
    try:
        migrate.upgrade(engine, revision)
    finally:
        engine.dispose()


def seed_demo_if_empty(
    container: Container,
    drivers: int = 200,
    seed: int = 2026,
    *,
    on_total: Callable[[int], None] | None = None,
    progress: Progress | None = None,
) -> DemoSeedReport | None:
    """Fill an empty registry with the demo population; ``None`` when it holds anyone."""
    service = container.demo_seed
    if not service.is_empty():
        return None
    return service.seed(drivers, seed, on_total=on_total, progress=progress)
