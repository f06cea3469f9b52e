"""Status lists on the database under test: allocation, status changes, signed publication."""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from signing_fixtures import Clock, Pki

from motorcred.bootstrap import Container
from motorcred.entrypoints.api.app import create_app
from motorcred.errors import InvalidInput, NotFound
from motorcred.formats.cose_keys import LocalSigner
from motorcred.formats.offline_presentation.status_cache import StatusCache
from motorcred.formats.status_list import TYP_STATUSLIST_CWT, decode_status_list_token
from motorcred.formats.trust_list import build_trust_list, load_trust_list
from motorcred.formats.x509 import public_key_of
from motorcred.services.status_lists import (
    STATUS_INVALID,
    STATUS_SUSPENDED,
    STATUS_VALID,
    Allocation,
)

_REGIONS = itertools.count()


def _allocate(container: Container, count: int, purpose: str = "edl") -> list[Allocation]:
    service = container.status_lists
    taken = []
    for _ in range(count):
        with container.unit_of_work() as uow:
            taken.append(service.allocate(uow, purpose))
            uow.commit()
    return taken


def test_allocation_never_repeats_and_fills_lists_in_turn(container: Container) -> None:
    taken = _allocate(container, 150)  # lists of 64 entries: 64 + 64 + 22
    per_list = Counter(a.list_id for a in taken)
    assert sorted(per_list.values()) == [22, 64, 64]
    assert len({(a.list_id, a.index) for a in taken}) == 150
    assert all(0 <= a.index < 64 for a in taken)
    first_list = [a.index for a in taken if a.list_id == taken[0].list_id]
    assert sorted(first_list) == list(range(64))  # a full list uses every index once
    assert first_list != sorted(first_list)  # …but not in issuance order
    assert (
        taken[0].uri == f"https://status.motorcred.invalid/api/v1/status-lists/{taken[0].list_id}"
    )
    with container.unit_of_work() as uow:
        assert sorted(uow.status_lists.allocated_indices(taken[0].list_id)) == list(range(64))


def test_lists_are_per_purpose(container: Container) -> None:
    edl, evrc = _allocate(container, 1, "edl")[0], _allocate(container, 1, "evrc")[0]
    assert edl.list_id != evrc.list_id
    with container.unit_of_work() as uow, pytest.raises(InvalidInput) as info:
        container.status_lists.allocate(uow, "passport")
    assert info.value.code == "STATUS_PURPOSE_UNKNOWN"


def test_an_uncommitted_allocation_is_given_back(container: Container) -> None:
    with container.unit_of_work() as uow:
        container.status_lists.allocate(uow, "edl")  # rolled back: no commit
    taken = _allocate(container, 64)
    assert len({a.index for a in taken}) == 64


@pytest.mark.usefixtures("database_kind")
def test_concurrent_units_of_work_never_share_an_index(
    container: Container, database_kind: str
) -> None:
    if database_kind != "postgresql":
        pytest.skip("row-level concurrency is a PostgreSQL property (SQLite serialises writers)")
    _allocate(container, 1)  # the list exists before the race
    service = container.status_lists
    results: list[Allocation] = []
    errors: list[BaseException] = []
    holding = threading.Event()
    release = threading.Event()

    def first() -> None:
        try:
            with container.unit_of_work() as uow:
                results.append(service.allocate(uow, "edl"))
                holding.set()
                release.wait(10)  # keep the transaction (and the row lock) open
                uow.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
            holding.set()

    def second() -> None:
        try:
            holding.wait(10)
            with container.unit_of_work() as uow:
                results.append(service.allocate(uow, "edl"))  # waits for the first to commit
                uow.commit()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    holding.wait(10)
    release.set()
    for thread in threads:
        thread.join(20)
    assert not errors
    assert len(results) == 2
    assert results[0].index != results[1].index

    # And a burst from two workers at once: every index distinct.
    burst: list[Allocation] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(20):
            with container.unit_of_work() as uow:
                allocation = service.allocate(uow, "edl")
                uow.commit()
            with lock:
                burst.append(allocation)

    workers = [threading.Thread(target=worker) for _ in range(2)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(60)
    assert len(burst) == 40
    assert len({(a.list_id, a.index) for a in burst + results}) == 42


def test_set_status_bumps_the_version_only_on_change(container: Container) -> None:
    allocation = _allocate(container, 1)[0]
    service = container.status_lists
    with container.unit_of_work() as uow:
        before = uow.status_lists.get(allocation.list_id)
        assert service.set_status(uow, allocation.list_id, allocation.index, STATUS_SUSPENDED)
        assert not service.set_status(uow, allocation.list_id, allocation.index, STATUS_SUSPENDED)
        after = uow.status_lists.get(allocation.list_id)
        uow.commit()
    assert before is not None and after is not None
    assert after.version == before.version + 1
    assert service.status_of(allocation.list_id, allocation.index) == STATUS_SUSPENDED


def test_set_status_refuses_bad_values_and_unallocated_indices(container: Container) -> None:
    allocation = _allocate(container, 1)[0]
    service = container.status_lists
    with container.unit_of_work() as uow:
        with pytest.raises(InvalidInput) as bad:
            service.set_status(uow, allocation.list_id, allocation.index, 3)
        assert bad.value.code == "STATUS_VALUE_INVALID"
        free = next(i for i in range(64) if i != allocation.index)
        with pytest.raises(NotFound) as unknown:
            service.set_status(uow, allocation.list_id, free, STATUS_INVALID)
        assert unknown.value.code == "STATUS_ENTRY_UNKNOWN"


def test_publication_round_trip(container: Container, pki: Pki, clock: Clock) -> None:
    a, b, c = _allocate(container, 3)
    service = container.status_lists
    with container.unit_of_work() as uow:
        service.set_status(uow, b.list_id, b.index, STATUS_INVALID)
        service.set_status(uow, c.list_id, c.index, STATUS_SUSPENDED)
        uow.commit()
    published = service.publish(a.list_id)
    token = decode_status_list_token(
        published.token, now=clock(), expected_uri=a.uri, verify_key=public_key_of(pki.ds)
    )
    assert token.key.x5chain == (pki.ds.public_bytes(Encoding.DER),)
    assert token.status_list.bits == 2
    assert token.status(a.index) == "valid"
    assert token.status(b.index) == "invalid"
    assert token.status(c.index) == "suspended"
    assert token.ttl == container.settings.status_list_ttl_seconds
    assert token.expires_at is not None and token.expires_at > clock()
    assert published.max_age == container.settings.status_list_ttl_seconds


def test_the_signed_token_is_cached_until_the_list_changes(
    container: Container, pki: Pki, clock: Clock
) -> None:
    a = _allocate(container, 1)[0]
    service = container.status_lists
    first = service.publish(a.list_id)
    clock.advance(minutes=5)
    assert service.publish(a.list_id).token == first.token  # nothing changed: same bytes
    with container.unit_of_work() as uow:
        service.set_status(uow, a.list_id, a.index, STATUS_INVALID)
        uow.commit()
    changed = service.publish(a.list_id)
    assert changed.token != first.token
    assert changed.etag != first.etag
    assert changed.version == first.version + 1
    # A token past half its life is re-signed even without a change.
    clock.advance(hours=container.settings.status_list_validity_hours)
    renewed = service.publish(a.list_id)
    assert renewed.token != changed.token
    assert renewed.issued_at > changed.issued_at
    with container.unit_of_work() as uow:
        service.set_status(uow, a.list_id, a.index, STATUS_VALID)
        uow.commit()
    token = decode_status_list_token(
        service.publish(a.list_id).token, now=clock(), verify_key=public_key_of(pki.ds)
    )
    assert token.status(a.index) == "valid"


def test_unknown_list_is_not_found(container: Container, pki: Pki) -> None:
    with pytest.raises(NotFound) as info:
        container.status_lists.publish(999_999)
    assert info.value.code == "STATUS_LIST_UNKNOWN"


def test_api_serves_the_token_with_etag_and_304(
    container: Container, pki: Pki, clock: Clock
) -> None:
    a = _allocate(container, 1)[0]
    client = TestClient(create_app(container.settings, container=container))
    response = client.get(f"/api/v1/status-lists/{a.list_id}")
    assert response.status_code == 200
    assert response.headers["content-type"] == TYP_STATUSLIST_CWT
    etag = response.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert response.headers["cache-control"] == (
        f"public, max-age={container.settings.status_list_ttl_seconds}"
    )
    token = decode_status_list_token(
        response.content, now=clock(), expected_uri=a.uri, verify_key=public_key_of(pki.ds)
    )
    assert token.status(a.index) == "valid"

    again = client.get(f"/api/v1/status-lists/{a.list_id}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    weak = client.get(
        f"/api/v1/status-lists/{a.list_id}", headers={"If-None-Match": f'"x", W/{etag}'}
    )
    assert weak.status_code == 304

    with container.unit_of_work() as uow:
        container.status_lists.set_status(uow, a.list_id, a.index, STATUS_SUSPENDED)
        uow.commit()
    stale = client.get(f"/api/v1/status-lists/{a.list_id}", headers={"If-None-Match": etag})
    assert stale.status_code == 200
    assert stale.headers["etag"] != etag

    missing = client.get("/api/v1/status-lists/424242")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["code"] == "STATUS_LIST_UNKNOWN"
    assert client.get("/api/v1/status-lists/abc").status_code == 422


def test_published_tokens_feed_the_offline_verifiers_status_cache(
    container: Container, pki: Pki, clock: Clock
) -> None:
    """What a police terminal caches (verify-code --status-cache) accepts our tokens."""
    a, b = _allocate(container, 2)
    with container.unit_of_work() as uow:
        container.status_lists.set_status(uow, b.list_id, b.index, STATUS_SUSPENDED)
        uow.commit()
    trust_list = load_trust_list(
        build_trust_list(
            issuer="motorcred test",
            seq=1,
            issued=clock(),
            next_update=clock() + timedelta(days=7),
            iaca=[pki.iaca],
            ds=[pki.ds],
            signer=LocalSigner(pki.ds_key),
            signer_chain=[pki.ds],
        ),
        anchors=[pki.iaca],
    )
    published = container.status_lists.publish(a.list_id)
    cache, problems = StatusCache.load_named(
        {f"{a.list_id}.cwt": published.token}, trust_list=trust_list, now=clock()
    )
    assert problems == {}
    valid, suspended = (
        cache.lookup(a.uri, a.index, now=clock()),
        cache.lookup(b.uri, b.index, now=clock()),
    )
    assert valid is not None and (valid.word, valid.stale) == ("valid", False)
    assert suspended is not None and suspended.word == "suspended"


@given(
    operations=st.lists(
        st.one_of(
            st.just(("allocate", 0, 0)),
            st.tuples(st.just("set"), st.integers(0, 200), st.sampled_from([0, 1, 2])),
        ),
        max_size=40,
    )
)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_published_list_always_matches_the_recorded_statuses(
    container: Container, pki: Pki, clock: Clock, operations: list[tuple[str, int, int]]
) -> None:
    region = f"T{next(_REGIONS)}"  # a fresh list per example
    service = container.status_lists
    model: dict[int, int] = {}
    list_id: int | None = None
    for op, pick, status in operations:
        with container.unit_of_work() as uow:
            if op == "allocate":
                allocation = service.allocate(uow, "edl", region)
                list_id = allocation.list_id
                assert allocation.index not in model
                model[allocation.index] = 0
            elif model:
                index = sorted(model)[pick % len(model)]
                assert list_id is not None
                service.set_status(uow, list_id, index, status)
                model[index] = status
            uow.commit()
    if list_id is None:
        return
    token = decode_status_list_token(
        service.publish(list_id).token, now=clock(), verify_key=public_key_of(pki.ds)
    )
    assert {index: token.get(index) for index in model} == model
    unallocated = set(range(64)) - set(model)
    assert all(token.get(index) == 0 for index in unallocated)
