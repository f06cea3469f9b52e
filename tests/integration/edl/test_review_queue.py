"""The review queue: oldest due first, leases that expire, lost claims, and two
reviewers never getting the same item (concurrent sessions on PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from edl_fixtures import STAFF
from fastapi.testclient import TestClient
from signing_fixtures import Clock

from motorcred.adapters.db.repositories.applications import ApplicationRepository
from motorcred.bootstrap import Container
from motorcred.errors import Conflict
from motorcred.services.edl_wiring import photo_review_service

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
def account_id(client: TestClient, holder: dict[str, str]) -> int:
    return int(client.get("/api/v1/accounts/me", headers=holder).json()["id"])


def queue_items(container: Container, account_id: int, count: int) -> list[int]:
    """``count`` in-review applications, oldest due first (one hour apart)."""
    with container.unit_of_work() as uow:
        apps = ApplicationRepository(uow.connection, container.cipher, container.blind_index)
        ids = [
            apps.add(
                now=NOW,
                account_id=account_id,
                licence_id=None,
                idempotency_key=f"queue-item-{i:04d}",
                request_hash=b"\x00" * 32,
                photo_path="camera",
                state="in_review",
                due_at=NOW + timedelta(hours=i),
            )
            for i in range(count)
        ]
        uow.commit()
    return ids


def test_oldest_due_first_and_an_expired_lease_returns_the_item(
    container: Container, account_id: int, clock: Clock
) -> None:
    # Inserted newest first, so the order comes from due_at, not from the id.
    later, earlier = queue_items(container, account_id, 2)[::-1]
    review = photo_review_service(container)
    first = review.claim("alice")
    assert first is not None and first.application_id == earlier
    second = review.claim("bob")
    assert second is not None and second.application_id == later
    assert review.claim("carol") is None

    # Alice walks away: after the lease, the item goes to the next reviewer.
    clock.advance(minutes=container.settings.review_lease_minutes + 1)
    again = review.claim("carol")
    assert again is not None and again.application_id == earlier
    with pytest.raises(Conflict) as lost:
        review.reject(earlier, first.claim_token, "alice", "too late")
    assert lost.value.code == "REVIEW_CLAIM_LOST"
    review.reject(earlier, again.claim_token, "carol", "background is not white")
    with pytest.raises(Conflict):
        review.approve(earlier, again.claim_token, "carol")  # decided already


def test_decisions_need_a_reason_and_a_known_item(
    client: TestClient, container: Container, account_id: int
) -> None:
    [item_id] = queue_items(container, account_id, 1)
    item = client.post("/api/v1/review/claim", headers=STAFF).json()
    assert item["application_id"] == item_id and item["claimed_by"] == "staff-admin"
    blank = client.post(
        f"/api/v1/review/items/{item_id}/reject",
        json={"claim_token": item["claim_token"], "reason": "   "},
        headers=STAFF,
    )
    assert blank.status_code == 422 and blank.json()["code"] == "REASON_INVALID"
    wrong = client.post(
        f"/api/v1/review/items/{item_id}/approve", json={"claim_token": "nope"}, headers=STAFF
    )
    assert wrong.status_code == 409 and wrong.json()["code"] == "REVIEW_CLAIM_LOST"
    missing = client.post(
        "/api/v1/review/items/999999/approve", json={"claim_token": "x"}, headers=STAFF
    )
    assert missing.status_code == 404 and missing.json()["code"] == "APPLICATION_NOT_FOUND"
    assert client.post("/api/v1/review/claim").status_code == 401
    assert client.get("/api/v1/review/overdue").status_code == 401


def test_concurrent_reviewers_never_share_an_item(container: Container, account_id: int) -> None:
    ids = queue_items(container, account_id, 24)
    review = photo_review_service(container)
    claimed: dict[str, list[int]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def reviewer(name: str) -> None:
        mine: list[int] = []
        try:
            start.wait()
            while (item := review.claim(name)) is not None:
                mine.append(item.application_id)
        except BaseException as exc:  # reported below, not swallowed
            errors.append(exc)
        claimed[name] = mine

    threads = [threading.Thread(target=reviewer, args=(f"r{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors
    everything = [i for mine in claimed.values() for i in mine]
    assert sorted(everything) == sorted(ids)  # each item exactly once


def test_a_locked_item_is_skipped_not_waited_for(
    container: Container, account_id: int, database_kind: str
) -> None:
    if database_kind != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite serialises writers")
    first_id, second_id = queue_items(container, account_id, 2)
    lease = NOW + timedelta(minutes=15)
    # Reviewer A's claim is still uncommitted (row locked) when reviewer B asks.
    with container.unit_of_work() as a, container.unit_of_work() as b:
        repo_a = ApplicationRepository(a.connection, container.cipher, container.blind_index)
        repo_b = ApplicationRepository(b.connection, container.cipher, container.blind_index)
        got_a = repo_a.claim_next(token="token-a", reviewer="a", now=NOW, lease_until=lease)
        got_b = repo_b.claim_next(token="token-b", reviewer="b", now=NOW, lease_until=lease)
        assert got_a is not None and got_a.id == first_id
        assert got_b is not None and got_b.id == second_id
        a.commit()
        b.commit()
