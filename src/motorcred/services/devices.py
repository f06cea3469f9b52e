"""Device keys: nonce → signed proof → the account's active device.

The holder app keeps a P-256 key; the e-licence is bound to it (MSO
deviceKeyInfo), so a presentation is only valid when signed on that device.
Registration is a challenge-response: the server issues a single-use, short-lived
nonce; the app signs ``[context, nonce, account id, purpose]``
(:mod:`motorcred.formats.device_proof`). A new key replaces the old one: the old
device is marked ``replaced`` and the ``device replaced`` hooks run in the same
unit of work (issuance invalidates the old credential there).

Other services call :func:`active_device` (inside their own unit of work) or
:func:`get_active_device` to learn the key a credential must be bound to.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric import ec

from motorcred.adapters.db.repositories.accounts import Account
from motorcred.adapters.db.repositories.holder_binding import Device
from motorcred.adapters.db.uow import UnitOfWork
from motorcred.errors import InvalidInput, Refused, Unauthenticated, VerificationFailed
from motorcred.formats import cbor
from motorcred.formats.device_proof import (
    b64url_decode,
    b64url_encode,
    cose_key_bytes,
    jwk_thumbprint,
    public_jwk,
    public_key_from_cose_bytes,
    public_key_from_jwk,
    verify_proof,
)
from motorcred.services.device_events import DeviceReplaced
from motorcred.services.notifications import queue_sms

if TYPE_CHECKING:
    from motorcred.bootstrap import Container

PURPOSE_DEVICE_BINDING = "device-binding"
PURPOSES = frozenset({PURPOSE_DEVICE_BINDING})
NONCE_BYTES = 32


@dataclass(frozen=True)
class IssuedNonce:
    nonce: str
    """base64url of the raw nonce bytes the device signs."""
    purpose: str
    expires_at: datetime


@dataclass(frozen=True)
class ActiveDevice:
    device_id: int
    account_id: int
    public_key: ec.EllipticCurvePublicKey
    cose_key: dict[int, Any]
    """The COSE_Key to place in an MSO's deviceKeyInfo."""
    thumbprint: str
    bound_at: datetime

    @property
    def jwk(self) -> dict[str, str]:
        return public_jwk(self.public_key)


@dataclass(frozen=True)
class DeviceBound:
    device: ActiveDevice
    replaced_device_id: int | None
    """The device this one replaced, if any."""


def nonce_digest(nonce: bytes) -> bytes:
    return hashlib.sha256(nonce).digest()


def _to_active(device: Device) -> ActiveDevice:
    return ActiveDevice(
        device_id=device.id,
        account_id=device.account_id,
        public_key=public_key_from_cose_bytes(device.cose_key),
        cose_key=cbor.loads(device.cose_key),
        thumbprint=device.thumbprint,
        bound_at=device.bound_at,
    )


def issue_nonce(
    container: Container, account_id: int, purpose: str = PURPOSE_DEVICE_BINDING
) -> IssuedNonce:
    if purpose not in PURPOSES:
        raise InvalidInput(
            "NONCE_PURPOSE_UNKNOWN",
            f"unknown purpose {purpose!r}; use one of {', '.join(sorted(PURPOSES))}",
        )
    nonce = secrets.token_bytes(NONCE_BYTES)
    now = container.clock()
    expires_at = now + timedelta(seconds=container.settings.device_nonce_ttl_seconds)
    with container.unit_of_work() as uow:
        if uow.accounts.get(account_id) is None:
            raise Unauthenticated("HOLDER_AUTH_REQUIRED", "the account no longer exists")
        uow.device_nonces.add(
            account_id, nonce_digest(nonce), purpose, now=now, expires_at=expires_at
        )
        uow.commit()
    return IssuedNonce(nonce=b64url_encode(nonce), purpose=purpose, expires_at=expires_at)


def parse_device_key(
    *, jwk: Mapping[str, Any] | None = None, cose_key: str | None = None
) -> ec.EllipticCurvePublicKey:
    """The device's public key from a JWK object or a base64url COSE_Key (exactly one)."""
    if (jwk is None) == (cose_key is None):
        raise InvalidInput(
            "DEVICE_KEY_INVALID", "send the device key as either a JWK or a COSE_Key"
        )
    if jwk is not None:
        return public_key_from_jwk(jwk)
    assert cose_key is not None
    return public_key_from_cose_bytes(b64url_decode(cose_key, what="cose_key"))


def register_device(
    container: Container,
    account_id: int,
    *,
    public_key: ec.EllipticCurvePublicKey,
    nonce: str,
    signature: str,
) -> DeviceBound:
    """Verify the proof over the nonce and make the key the account's active device."""
    raw_nonce = b64url_decode(nonce, what="nonce")
    raw_signature = b64url_decode(signature, what="signature")
    now = container.clock()
    with container.unit_of_work() as uow:
        account = uow.accounts.get(account_id, for_update=True)
        if account is None:
            raise Unauthenticated("HOLDER_AUTH_REQUIRED", "the account no longer exists")
        issued = uow.device_nonces.get_by_hash(nonce_digest(raw_nonce), for_update=True)
        if issued is None or issued.account_id != account_id:
            raise VerificationFailed(
                "DEVICE_PROOF_INVALID", "the nonce was not issued to this account"
            )
        if issued.used_at is not None:
            raise Refused("NONCE_REUSED", "the nonce was already used; request a new one")
        if now >= issued.expires_at:
            raise Refused("NONCE_EXPIRED", "the nonce has expired; request a new one")
        if not uow.device_nonces.use(issued.id, now=now):
            raise Refused("NONCE_REUSED", "the nonce was already used; request a new one")
        try:
            verify_proof(
                public_key,
                nonce=raw_nonce,
                account_id=account_id,
                purpose=issued.purpose,
                signature=raw_signature,
            )
        except VerificationFailed:
            uow.commit()  # a nonce is single use, even when the proof fails
            raise
        bound = _bind(container, uow, account_id, public_key, now)
        if bound.replaced_device_id is not None:
            _tell_holder_about_new_device(uow, account, now)
        uow.commit()
    return bound


def _bind(
    container: Container,
    uow: UnitOfWork,
    account_id: int,
    public_key: ec.EllipticCurvePublicKey,
    now: datetime,
) -> DeviceBound:
    thumbprint = jwk_thumbprint(public_key)
    old = uow.devices.active(account_id)
    if old is not None and old.thumbprint == thumbprint:
        return DeviceBound(_to_active(old), None)  # the same key again: nothing changes
    new_id = uow.devices.add_active(account_id, cose_key_bytes(public_key), thumbprint, now=now)
    if old is not None:
        uow.devices.mark_replaced(old.id, new_id, now=now)
        event = DeviceReplaced(account_id, old.id, old.thumbprint, new_id, thumbprint, now)
        for hook in container.device_replaced_hooks:
            hook(uow, event)
    device = uow.devices.get(new_id)
    assert device is not None
    return DeviceBound(_to_active(device), None if old is None else old.id)


def _tell_holder_about_new_device(uow: UnitOfWork, account: Account, now: datetime) -> None:
    """A new device takes over the credential: the holder hears of it at once, so a
    takeover of the account does not go unnoticed."""
    phone = account.login if account.login_kind == "phone" else None
    if phone is None and account.person_id is not None:
        person = uow.persons.get(account.person_id)
        phone = None if person is None else person.data.phone
    if phone is None:
        return
    queue_sms(
        uow,
        kind="device_replaced",
        phone=phone,
        subject="motorcred: new device",
        body=(
            "A new phone was bound to your motorcred account; your e-licence now works "
            "only on it. If this was not you, report it at once at a counter or hotline."
        ),
        now=now,
    )


def active_device(uow: UnitOfWork, account_id: int) -> ActiveDevice | None:
    """The key credentials of ``account_id`` must be bound to (inside a unit of work)."""
    device = uow.devices.active(account_id)
    return None if device is None else _to_active(device)


def get_active_device(container: Container, account_id: int) -> ActiveDevice | None:
    with container.unit_of_work() as uow:
        return active_device(uow, account_id)
