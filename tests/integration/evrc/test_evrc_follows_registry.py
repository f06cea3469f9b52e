"""A transfer of ownership invalidates the old owner's e-VRC at once; the new owner applies."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from device_key_helper import DeviceKey
from edl_fixtures import signed_up_holder
from evrc_fixtures import OTHER_ID, Holder, Registry, apply, verify
from fastapi.testclient import TestClient
from signing_fixtures import Clock, Pki

from motorcred.bootstrap import Container
from motorcred.errors import InvalidInput


def transfer(container: Container, registry: Registry, key: str = "transfer-1") -> None:
    container.registry_events.record(
        "vehicle",
        registry.vehicle_id,
        "ownership_transferred",
        {"on": "2026-11-20", "new_owner_id_number": OTHER_ID},
        recorded_by="staff",
        idempotency_key=key,
    )


def new_owner(client: TestClient) -> Holder:
    """The buyer (李四), signed up, bound and with a device key."""
    auth = signed_up_holder(client, login="13800138002")
    notifier = client.app.state.notifier  # type: ignore[attr-defined]
    started = client.post(
        "/api/v1/accounts/me/binding", json={"id_number": OTHER_ID, "name": "李四"}, headers=auth
    )
    assert started.status_code == 202, started.text
    code = re.search(r"\b(\d{6})\b", notifier.sent[-1].body)
    assert code
    confirmed = client.post(
        "/api/v1/accounts/me/binding/confirm", json={"code": code.group(1)}, headers=auth
    )
    assert confirmed.status_code == 200, confirmed.text
    device = DeviceKey.generate()
    account_id = client.get("/api/v1/accounts/me", headers=auth).json()["id"]
    nonce = client.post("/api/v1/accounts/me/device/nonce", headers=auth).json()["nonce"]
    bound = client.post(
        "/api/v1/accounts/me/device",
        json={"jwk": device.jwk, "nonce": nonce, "signature": device.sign(nonce, account_id)},
        headers=auth,
    )
    assert bound.status_code == 200, bound.text
    return Holder(auth, device)


def test_transfer_invalidates_the_old_owners_evrc_and_the_new_owner_applies(
    client: TestClient,
    container: Container,
    pki: Pki,
    clock: Clock,
    holder: Holder,
    registry: Registry,
) -> None:
    old = apply(client, holder).json()["credential"]
    assert verify(container, pki, clock, old, holder).documents[0].status == "valid"
    transfer(container, registry)
    report = verify(container, pki, clock, old, holder)
    assert report.documents[0].status == "invalid"
    assert "MDOC_STATUS_REVOKED" in {f.code for f in report.errors}
    listed = client.get("/api/v1/evrc/credentials", headers=holder.auth).json()["items"]
    assert [i for i in listed if i["kind"] == "evrc"] == []
    refused = apply(client, holder, key="evrc-key-0002")
    assert refused.status_code == 422 and refused.json()["code"] == "VEHICLE_NOT_OWNED"

    buyer = new_owner(client)
    answer = apply(client, buyer, key="buyer-key-0001")
    assert answer.status_code == 201, answer.text
    fresh = answer.json()["credential"]
    assert fresh["superseded_id"] is None
    report = verify(container, pki, clock, fresh, buyer)
    assert report.valid, report.to_json()
    assert report.documents[0].elements["org.iso.7367.1"]["registered_owner"] == {
        "name_unicode": "李四"
    }


def test_a_refused_transfer_leaves_the_evrc_valid(
    client: TestClient,
    container: Container,
    pki: Pki,
    clock: Clock,
    holder: Holder,
    registry: Registry,
) -> None:
    issued = apply(client, holder).json()["credential"]
    registry.set_vehicle(container, replace(registry.vehicle, mortgaged=True))
    with pytest.raises(InvalidInput) as refused:
        transfer(container, registry)
    assert refused.value.code == "EVENT_NOT_APPLICABLE"
    assert verify(container, pki, clock, issued, holder).documents[0].status == "valid"


def test_deregistration_invalidates_the_evrc(
    client: TestClient,
    container: Container,
    pki: Pki,
    clock: Clock,
    holder: Holder,
    registry: Registry,
) -> None:
    issued = apply(client, holder).json()["credential"]
    container.registry_events.record(
        "vehicle",
        registry.vehicle_id,
        "deregistered",
        {"on": "2026-11-20", "reason": "scrapped"},
        recorded_by="staff",
    )
    assert verify(container, pki, clock, issued, holder).documents[0].status == "invalid"
