"""The "device replaced" hook point.

When a holder binds a new device key, the old key stops being the account's
active device. Anything bound to the old key (an issued e-licence carries it in
the MSO's deviceKeyInfo) must follow: issuance registers a hook here that
invalidates the old credential. Hooks run inside the unit of work that binds
the new device, so either both changes are committed or neither is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from motorcred.adapters.db.uow import UnitOfWork


@dataclass(frozen=True)
class DeviceReplaced:
    account_id: int
    old_device_id: int
    old_thumbprint: str
    new_device_id: int
    new_thumbprint: str
    replaced_at: datetime


DeviceReplacedHook = Callable[["UnitOfWork", DeviceReplaced], None]
"""Called with the open unit of work; must not commit (the binding service does)."""
