"""e-DL issuance on the database under test: verify, status through the published list,
supersede, idempotency and a crash between signing and storing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from cbor2 import CBORTag
from cryptography.hazmat.primitives.asymmetric import ec
from signing_fixtures import Clock, Pki, device_key, make_subject

from motorcred.bootstrap import Container
from motorcred.errors import Conflict, InvalidInput, NotFound, Refused
from motorcred.formats.cbor import dumps, encoded24
from motorcred.formats.cose_keys import LocalSigner
from motorcred.formats.mdoc.device_auth import present
from motorcred.formats.mdoc.device_response import DeviceResponse
from motorcred.formats.mdoc.doctypes import CN_DL_NS, MDL_NS
from motorcred.formats.mdoc.issuer_signed import IssuedDocument
from motorcred.formats.mdoc.verifier import VerificationReport, verify_presentation
from motorcred.formats.mdoc.verify_status import StatusListProvider
from motorcred.formats.status_list import decode_status_list_token
from motorcred.formats.trust import TrustStore
from motorcred.formats.x509 import public_key_of
from motorcred.services.device_events import DeviceReplaced
from motorcred.services.issuance import EdlRequest, IssuanceService, IssuedCredential
from motorcred.services.issuance_steps import SignedDocument

SESSION = encoded24(dumps([CBORTag(24, dumps({0: "1.0"})), CBORTag(24, dumps({1: 2})), None]))


def _verify(
    container: Container,
    pki: Pki,
    clock: Clock,
    credential: IssuedCredential,
    holder: ec.EllipticCurvePrivateKey,
) -> VerificationReport:
    """Present on the holder's device and verify as a reader would, status from the API list."""
    issued = IssuedDocument.decode(credential.document)
    document = present(issued, device_signer=LocalSigner(holder), session_transcript=SESSION)
    published = container.status_lists.publish(credential.status_list_id)
    uri = container.status_lists.uri(credential.status_list_id)
    token = decode_status_list_token(
        published.token, now=clock(), expected_uri=uri, verify_key=public_key_of(pki.ds)
    )
    return verify_presentation(
        DeviceResponse([document]).encode(),
        trust=TrustStore(container.keystore.trust_anchors()),
        now=clock(),
        session_transcript_bytes=SESSION,
        status=StatusListProvider({uri: token.status_list}),
    )


def _issue(container: Container, application: str, key: Any, **subject: Any) -> IssuedCredential:
    return container.issuance.issue_edl(
        account_id=None,
        subject=make_subject(**subject),
        device_key=key.public_key(),
        application_id=application,
    )


def test_issued_edl_verifies_and_follows_its_status(
    container: Container, pki: Pki, clock: Clock
) -> None:
    holder = device_key()
    credential = _issue(container, "app-1", holder)
    assert credential.state == "active"
    report = _verify(container, pki, clock, credential, holder)
    assert report.valid, report.to_json()
    (doc,) = report.documents
    assert doc.device_auth == "ok"
    assert doc.status == "valid"
    assert doc.elements[MDL_NS]["family_name"] == "OUYANG"  # ISO 18013-5: Latin-1 only
    assert doc.elements[MDL_NS]["given_name"] == "XIAOMING"
    assert doc.elements[MDL_NS]["family_name_national_character"] == "欧阳"
    assert doc.elements[MDL_NS]["given_name_national_character"] == "小明"
    assert doc.elements[MDL_NS]["issuing_country"] == "CN"
    assert doc.elements[MDL_NS]["document_number"] == "11010519491231002X"
    assert doc.elements[CN_DL_NS]["licence_status"] == "A"
    assert doc.elements[CN_DL_NS]["permitted_classes"] == "C1"
    assert doc.valid_until == datetime(2027, 11, 23, 8, 0, tzinfo=UTC)  # settings: 365 days

    issuance = container.issuance
    assert issuance.suspend(1)
    assert not issuance.suspend(1)  # already suspended
    suspended = _verify(container, pki, clock, credential, holder)
    assert suspended.documents[0].status == "suspended"
    assert "MDOC_STATUS_SUSPENDED" in {f.code for f in suspended.documents[0].failures}

    assert issuance.unsuspend(1)
    assert _verify(container, pki, clock, credential, holder).documents[0].status == "valid"

    assert issuance.revoke(1)
    revoked = _verify(container, pki, clock, credential, holder)
    assert revoked.documents[0].status == "invalid"
    assert "MDOC_STATUS_REVOKED" in {f.code for f in revoked.documents[0].failures}
    with pytest.raises(NotFound) as info:
        issuance.current_edl(1)
    assert info.value.code == "CREDENTIAL_NONE"
    assert not issuance.suspend(1)  # nothing active to suspend


def test_a_new_edl_supersedes_the_old_one_in_the_same_unit_of_work(
    container: Container, pki: Pki, clock: Clock
) -> None:
    old_key, new_key = device_key(), device_key()
    old = _issue(container, "app-1", old_key)
    clock.advance(minutes=10)
    new = _issue(container, "app-2", new_key, classes="C1,D")
    assert new.superseded_id == old.id
    assert container.issuance.current_edl(1).id == new.id
    assert _verify(container, pki, clock, old, old_key).documents[0].status == "invalid"
    assert _verify(container, pki, clock, new, new_key).documents[0].status == "valid"
    with container.unit_of_work() as uow:
        rows = uow.credentials.for_subject("licence", 1)
    assert [(r.id, r.state, r.superseded_by) for r in rows] == [
        (old.id, "superseded", new.id),
        (new.id, "active", None),
    ]


def test_retry_with_the_same_application_id_returns_the_same_credential(
    container: Container, pki: Pki
) -> None:
    holder = device_key()
    first = _issue(container, "app-1", holder)
    again = _issue(container, "app-1", holder)
    assert again == first
    with container.unit_of_work() as uow:
        assert len(uow.credentials.for_subject("licence", 1)) == 1
    with pytest.raises(Conflict) as info:
        _issue(container, "app-1", device_key())  # same application, another device
    assert info.value.code == "IDEMPOTENCY_KEY_REUSED"


def test_crash_between_signing_and_storing_then_retry_issues_exactly_once(
    container: Container, pki: Pki, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    holder = device_key()
    signed: list[bytes] = []
    real_store = IssuanceService._store

    def crash_after_signing(self: IssuanceService, documents: list[SignedDocument]) -> Any:
        signed.extend(d.document for d in documents)  # signed, never stored
        raise RuntimeError("process killed after signing")

    monkeypatch.setattr(IssuanceService, "_store", crash_after_signing)
    with pytest.raises(RuntimeError):
        _issue(container, "app-1", holder)
    assert len(signed) == 1
    with container.unit_of_work() as uow:
        (pending,) = uow.credentials.for_subject("licence", 1)
    assert pending.state == "pending"
    assert pending.document is None

    monkeypatch.setattr(IssuanceService, "_store", real_store)
    credential = _issue(container, "app-1", holder)
    again = _issue(container, "app-1", holder)
    assert again == credential
    with container.unit_of_work() as uow:
        rows = uow.credentials.for_subject("licence", 1)
        allocated = uow.status_lists.allocated_indices(credential.status_list_id)
    assert [(r.id, r.state) for r in rows] == [(pending.id, "active")]
    assert (credential.status_list_id, credential.status_index) == (
        pending.status_list_id,
        pending.status_index,
    )
    assert allocated == [credential.status_index]  # the retry reused the reserved index
    assert _verify(container, pki, clock, credential, holder).valid


def test_reissue_for_a_registry_event_keeps_the_device_and_runs_once(
    container: Container, pki: Pki, clock: Clock
) -> None:
    holder = device_key()
    assert container.issuance.reissue_for_subject(make_subject(), event_id="e1") is None
    first = _issue(container, "app-1", holder)
    clock.advance(hours=1)
    reissued = container.issuance.reissue_for_subject(make_subject(classes="C1,D"), event_id="e2")
    assert reissued is not None
    assert reissued.superseded_id == first.id
    assert container.issuance.reissue_for_subject(make_subject(), event_id="e2") == reissued
    report = _verify(container, pki, clock, reissued, holder)  # still bound to the same device
    assert report.valid, report.to_json()
    privileges = report.documents[0].elements[MDL_NS]["driving_privileges"]
    assert [p["vehicle_category_code"] for p in privileges] == ["C1", "D"]


def test_long_term_licence_and_validity_capped_by_the_licence(
    container: Container, pki: Pki, clock: Clock
) -> None:
    holder = device_key()
    long_term = _issue(container, "app-1", holder, valid_until=None)
    report = _verify(container, pki, clock, long_term, holder)
    assert report.valid, report.to_json()
    assert report.documents[0].elements[MDL_NS]["expiry_date"] == date(9999, 12, 31)

    ending = _issue(container, "app-2", holder, licence_id=2, valid_until=date(2027, 1, 31))
    assert ending.valid_until == datetime(2027, 1, 31, 23, 59, 59, tzinfo=UTC)


def test_expired_licence_is_refused_before_anything_is_reserved(
    container: Container, pki: Pki
) -> None:
    with pytest.raises(Refused) as info:
        _issue(container, "app-1", device_key(), valid_until=date(2026, 11, 1))
    assert info.value.code == "LICENCE_EXPIRED"
    with container.unit_of_work() as uow:
        assert uow.credentials.for_subject("licence", 1) == []
        assert uow.credentials.by_idempotency_key("edl:app-1") is None


def test_binding_a_new_device_revokes_the_credentials_of_the_account(
    container: Container, pki: Pki, clock: Clock
) -> None:
    with container.unit_of_work() as uow:
        account_id = uow.accounts.add("username", "holder-1", "not-a-hash", now=clock())
        uow.commit()
    holder = device_key()
    credential = container.issuance.issue_edl(
        account_id=account_id,
        subject=make_subject(),
        device_key=holder.public_key(),
        application_id="app-1",
    )
    other = _issue(container, "app-2", device_key(), licence_id=2)  # another holder's
    event = DeviceReplaced(account_id, 1, "old", 2, "new", clock())
    with container.unit_of_work() as uow:
        for hook in container.device_replaced_hooks:
            hook(uow, event)
        uow.commit()
    with container.unit_of_work() as uow:
        row = uow.credentials.get(credential.id)
        assert row is not None and row.state == "revoked"
        assert uow.credentials.active_for_account(account_id) == []
    assert _verify(container, pki, clock, credential, holder).documents[0].status == "invalid"
    assert container.issuance.current_edl(2).id == other.id


def _requests(keys: list[ec.EllipticCurvePrivateKey], first: int, count: int) -> list[EdlRequest]:
    return [
        EdlRequest(None, make_subject(n), keys[n % len(keys)].public_key(), f"bulk-{n}")
        for n in range(first, first + count)
    ]


def test_batch_issuance_spans_lists_and_each_credential_verifies(
    container: Container, pki: Pki, clock: Clock
) -> None:
    keys = [device_key() for _ in range(4)]
    issued = container.issuance.issue_edl_many(_requests(keys, 1, 100))  # lists hold 64
    assert [c.state for c in issued] == ["active"] * 100
    assert len({c.status_list_id for c in issued}) == 2
    assert len({(c.status_list_id, c.status_index) for c in issued}) == 100
    for n in (0, 63, 64, 99):
        report = _verify(container, pki, clock, issued[n], keys[(n + 1) % 4])
        assert report.valid, report.to_json()

    # A retried batch with some new requests: the old ones come back unchanged.
    again = container.issuance.issue_edl_many(_requests(keys, 91, 20))
    assert again[:10] == issued[90:]
    assert all(c.superseded_id is None for c in again)
    with container.unit_of_work() as uow:
        assert (
            len(uow.credentials.by_idempotency_keys([f"edl:bulk-{n}" for n in range(1, 111)]))
            == 110
        )


def test_batch_supersedes_and_refuses_duplicates(
    container: Container, pki: Pki, clock: Clock
) -> None:
    holder = device_key()
    old = _issue(container, "app-1", holder)
    batch = [EdlRequest(None, make_subject(1), holder.public_key(), "app-2")]
    batch += _requests([holder], 2, 3)
    issued = container.issuance.issue_edl_many(batch)
    assert issued[0].superseded_id == old.id
    assert _verify(container, pki, clock, old, holder).documents[0].status == "invalid"
    with pytest.raises(InvalidInput) as duplicate:
        container.issuance.issue_edl_many(_requests([holder], 5, 1) * 2)
    assert duplicate.value.code == "ISSUE_BATCH_DUPLICATE"
    same_licence = [
        EdlRequest(None, make_subject(7), holder.public_key(), "x"),
        EdlRequest(None, make_subject(7), holder.public_key(), "y"),
    ]
    with pytest.raises(InvalidInput):
        container.issuance.issue_edl_many(same_licence)
    with pytest.raises(InvalidInput) as empty:
        container.issuance.issue_edl_many([])
    assert empty.value.code == "ISSUE_BATCH_SIZE"


def test_batch_crash_after_signing_then_retry_issues_each_once(
    container: Container, pki: Pki, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = [device_key()]
    real_store = IssuanceService._store

    def crash(self: IssuanceService, documents: list[SignedDocument]) -> Any:
        raise RuntimeError("process killed after signing")

    monkeypatch.setattr(IssuanceService, "_store", crash)
    with pytest.raises(RuntimeError):
        container.issuance.issue_edl_many(_requests(keys, 1, 30))
    monkeypatch.setattr(IssuanceService, "_store", real_store)
    issued = container.issuance.issue_edl_many(_requests(keys, 1, 30))
    with container.unit_of_work() as uow:
        rows = uow.credentials.by_idempotency_keys([f"edl:bulk-{n}" for n in range(1, 31)])
        allocated = uow.status_lists.allocated_indices(issued[0].status_list_id)
    assert sorted(r.state for r in rows.values()) == ["active"] * 30
    assert sorted(allocated) == sorted(c.status_index for c in issued)  # no index wasted
