"""Device keys: nonce, proof of possession, replacement and the hook point."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from motorcred.adapters.db.tables import device_nonces
from motorcred.adapters.db.tables import devices as devices_table
from motorcred.bootstrap import Container
from motorcred.errors import MotorcredError
from motorcred.formats.cose_keys import public_key_from_cose_key
from motorcred.formats.device_proof import b64url_encode, cose_key_bytes, jwk_thumbprint
from motorcred.services import devices
from motorcred.services.device_events import DeviceReplaced


def refused(call: Any) -> MotorcredError:
    with pytest.raises(MotorcredError) as info:
        call()
    return info.value


def bind(container: Container, account_id: int, key: Any) -> devices.DeviceBound:
    issued = devices.issue_nonce(container, account_id)
    return devices.register_device(
        container,
        account_id,
        public_key=key.public,
        nonce=issued.nonce,
        signature=key.sign(issued.nonce, account_id),
    )


def test_proof_binds_the_key_as_the_active_device(
    container: Container, holder: Any, new_device_key: Any
) -> None:
    key = new_device_key()
    assert devices.get_active_device(container, holder.account_id) is None
    bound = bind(container, holder.account_id, key)
    assert bound.replaced_device_id is None
    active = devices.get_active_device(container, holder.account_id)
    assert active is not None and active.device_id == bound.device.device_id
    assert active.public_key.public_numbers() == key.public.public_numbers()
    assert active.thumbprint == jwk_thumbprint(key.public)
    assert active.jwk == key.jwk
    # The COSE_Key is what issuance places in the MSO's deviceKeyInfo.
    assert public_key_from_cose_key(active.cose_key).public_numbers() == (
        key.public.public_numbers()
    )


def test_jwk_and_cose_key_forms_are_accepted(new_device_key: Any) -> None:
    key = new_device_key()
    from_jwk = devices.parse_device_key(jwk=key.jwk)
    from_cose = devices.parse_device_key(cose_key=b64url_encode(cose_key_bytes(key.public)))
    assert from_jwk.public_numbers() == from_cose.public_numbers() == key.public.public_numbers()
    assert refused(lambda: devices.parse_device_key()).code == "DEVICE_KEY_INVALID"


def test_a_new_device_replaces_the_old_and_runs_the_hooks(
    container: Container, holder: Any, new_device_key: Any
) -> None:
    seen: list[DeviceReplaced] = []

    def on_replaced(uow: Any, event: DeviceReplaced) -> None:
        # Runs inside the binding's unit of work: the new device is already visible.
        assert uow.devices.active(event.account_id).id == event.new_device_id
        seen.append(event)

    container.device_replaced_hooks.append(on_replaced)
    old_key, new_key = new_device_key(), new_device_key()
    first = bind(container, holder.account_id, old_key)
    assert seen == []
    second = bind(container, holder.account_id, new_key)
    assert second.replaced_device_id == first.device.device_id
    [event] = seen
    assert (event.old_device_id, event.new_device_id) == (
        first.device.device_id,
        second.device.device_id,
    )
    assert event.old_thumbprint == jwk_thumbprint(old_key.public)
    with container.engine.connect() as conn:
        rows = conn.execute(select(devices_table).order_by(devices_table.c.id)).all()
    assert [r.status for r in rows] == ["replaced", "active"]
    assert rows[0].replaced_by == rows[1].id
    assert devices.get_active_device(container, holder.account_id).thumbprint == (
        event.new_thumbprint
    )


def test_a_failing_hook_rolls_the_replacement_back(
    container: Container, holder: Any, new_device_key: Any
) -> None:
    first = bind(container, holder.account_id, new_device_key())

    def broken(uow: Any, event: DeviceReplaced) -> None:
        raise RuntimeError("credential store unavailable")

    container.device_replaced_hooks.append(broken)
    with pytest.raises(RuntimeError):
        bind(container, holder.account_id, new_device_key())
    active = devices.get_active_device(container, holder.account_id)
    assert active is not None and active.device_id == first.device.device_id


def test_the_same_key_again_changes_nothing(
    container: Container, holder: Any, new_device_key: Any
) -> None:
    key = new_device_key()
    first = bind(container, holder.account_id, key)
    again = bind(container, holder.account_id, key)
    assert again.device.device_id == first.device.device_id
    assert again.replaced_device_id is None


def test_a_signature_by_another_key_is_refused_and_burns_the_nonce(
    container: Container, holder: Any, new_device_key: Any
) -> None:
    claimed, actual = new_device_key(), new_device_key()
    issued = devices.issue_nonce(container, holder.account_id)
    error = refused(
        lambda: devices.register_device(
            container,
            holder.account_id,
            public_key=claimed.public,
            nonce=issued.nonce,
            signature=actual.sign(issued.nonce, holder.account_id),
        )
    )
    assert error.code == "DEVICE_PROOF_INVALID"
    error = refused(
        lambda: devices.register_device(
            container,
            holder.account_id,
            public_key=claimed.public,
            nonce=issued.nonce,
            signature=claimed.sign(issued.nonce, holder.account_id),
        )
    )
    assert error.code == "NONCE_REUSED"
    assert devices.get_active_device(container, holder.account_id) is None


def test_a_proof_made_for_another_account_or_purpose_is_refused(
    container: Container, holder: Any, new_device_key: Any
) -> None:
    key = new_device_key()
    for account_id, purpose in [
        (holder.account_id + 1, "device-binding"),
        (holder.account_id, "presentation"),
    ]:
        issued = devices.issue_nonce(container, holder.account_id)
        error = refused(
            lambda i=issued, a=account_id, p=purpose: devices.register_device(
                container,
                holder.account_id,
                public_key=key.public,
                nonce=i.nonce,
                signature=key.sign(i.nonce, a, p),
            )
        )
        assert error.code == "DEVICE_PROOF_INVALID"


def test_nonce_reuse_is_refused(container: Container, holder: Any, new_device_key: Any) -> None:
    key = new_device_key()
    issued = devices.issue_nonce(container, holder.account_id)
    signature = key.sign(issued.nonce, holder.account_id)
    devices.register_device(
        container,
        holder.account_id,
        public_key=key.public,
        nonce=issued.nonce,
        signature=signature,
    )
    error = refused(
        lambda: devices.register_device(
            container,
            holder.account_id,
            public_key=key.public,
            nonce=issued.nonce,
            signature=signature,
        )
    )
    assert error.code == "NONCE_REUSED"


def test_nonce_expires(container: Container, holder: Any, new_device_key: Any, clock: Any) -> None:
    key = new_device_key()
    issued = devices.issue_nonce(container, holder.account_id)
    assert issued.expires_at == clock() + timedelta(
        seconds=container.settings.device_nonce_ttl_seconds
    )
    clock.advance(seconds=container.settings.device_nonce_ttl_seconds)
    error = refused(
        lambda: devices.register_device(
            container,
            holder.account_id,
            public_key=key.public,
            nonce=issued.nonce,
            signature=key.sign(issued.nonce, holder.account_id),
        )
    )
    assert error.code == "NONCE_EXPIRED"


def test_a_nonce_issued_to_another_account_is_refused(
    container: Container, make_holder: Any, new_device_key: Any
) -> None:
    alice, mallory = make_holder("13800138001"), make_holder("13800138002")
    key = new_device_key()
    issued = devices.issue_nonce(container, alice.account_id)
    error = refused(
        lambda: devices.register_device(
            container,
            mallory.account_id,
            public_key=key.public,
            nonce=issued.nonce,
            signature=key.sign(issued.nonce, mallory.account_id),
        )
    )
    assert error.code == "DEVICE_PROOF_INVALID"
    never = b64url_encode(b"\x00" * 32)
    error = refused(
        lambda: devices.register_device(
            container,
            alice.account_id,
            public_key=key.public,
            nonce=never,
            signature=key.sign(never, alice.account_id),
        )
    )
    assert error.code == "DEVICE_PROOF_INVALID"


def test_nonces_are_stored_hashed_and_purposes_are_checked(
    container: Container, holder: Any
) -> None:
    issued = devices.issue_nonce(container, holder.account_id)
    with container.engine.connect() as conn:
        stored = conn.execute(select(device_nonces.c.nonce_hash)).scalar_one()
    raw = devices.b64url_decode(issued.nonce, what="nonce")
    assert len(raw) == 32 and stored == devices.nonce_digest(raw) and raw not in stored
    error = refused(lambda: devices.issue_nonce(container, holder.account_id, "anything"))
    assert error.code == "NONCE_PURPOSE_UNKNOWN"


def test_the_holder_is_told_when_a_new_device_takes_over(
    container: Container, holder: Any, new_device_key: Any, inbox: Any
) -> None:
    bind(container, holder.account_id, new_device_key())
    assert inbox.deliver() == []  # the first device replaces nothing
    bind(container, holder.account_id, new_device_key())
    [message] = inbox.deliver()
    assert message.recipient == "13800138000"  # the account's own phone
    assert "new phone" in message.body


def test_a_username_account_is_told_on_the_phone_on_record(
    container: Container, make_holder: Any, person_id: int, new_device_key: Any, inbox: Any
) -> None:
    from motorcred.services import binding

    holder = make_holder("wang.xm")
    binding.start_binding(container, holder.account_id, "11010519491231002X", "王小明")
    binding.confirm_binding(container, holder.account_id, inbox.last_code())
    bind(container, holder.account_id, new_device_key())
    bind(container, holder.account_id, new_device_key())
    [message] = inbox.deliver()
    assert message.recipient == "13912345678"
