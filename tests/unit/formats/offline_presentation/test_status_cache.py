"""Cached status lists: verified against the trust list, fresh or stale by their own TTL."""

from __future__ import annotations

from datetime import timedelta

from offline_fixture import NOW, STATUS_IDX, STATUS_URI, make_pki, status_token, trust_list

from motorcred.formats.cose import LocalSigner
from motorcred.formats.offline_presentation import StatusCache
from motorcred.formats.status_list import StatusList, build_status_list_token


def test_fresh_token_answers() -> None:
    pki = make_pki()
    tl = trust_list(pki)
    cache, problems = StatusCache.load([status_token(pki, 2)], trust_list=tl, now=NOW)
    assert problems == [] and len(cache) == 1
    lookup = cache.lookup(STATUS_URI, STATUS_IDX, now=NOW)
    assert lookup is not None
    assert (lookup.word, lookup.stale) == ("suspended", False)
    assert lookup.fresh_until == NOW - timedelta(hours=2) + timedelta(days=1)
    assert cache.lookup(STATUS_URI, 10**6, now=NOW).word == "unknown"  # type: ignore[union-attr]
    assert cache.lookup("https://elsewhere.example/1", 0, now=NOW) is None


def test_stale_after_ttl_and_default_ttl() -> None:
    pki = make_pki()
    tl = trust_list(pki)
    cache, _ = StatusCache.load([status_token(pki, ttl=None)], trust_list=tl, now=NOW)
    assert cache.lookup(STATUS_URI, 0, now=NOW).stale is False  # type: ignore[union-attr]
    later = NOW + timedelta(days=1)
    assert cache.lookup(STATUS_URI, 0, now=later).stale is True  # type: ignore[union-attr]


def test_newest_copy_of_a_list_wins() -> None:
    pki = make_pki()
    tl = trust_list(pki)
    old = status_token(pki, 0, issued=NOW - timedelta(hours=5))
    new = status_token(pki, 1, issued=NOW - timedelta(hours=1))
    cache, _ = StatusCache.load([new, old], trust_list=tl, now=NOW)
    assert cache.lookup(STATUS_URI, STATUS_IDX, now=NOW).word == "invalid"  # type: ignore[union-attr]


def test_token_from_an_unknown_signer_is_set_aside() -> None:
    pki, stranger = make_pki(), make_pki()
    tl = trust_list(pki)
    cache, problems = StatusCache.load([status_token(stranger, 0)], trust_list=tl, now=NOW)
    assert len(cache) == 0
    assert [p.code for p in problems] == ["STATUS_LIST_SIGNER_UNKNOWN"]


def test_token_signed_with_x5chain_is_checked_against_the_iaca() -> None:
    pki = make_pki()
    tl = trust_list(pki)
    lst = StatusList(64, bits=2)
    token = build_status_list_token(
        lst,
        uri=STATUS_URI,
        issued_at=NOW - timedelta(minutes=5),
        expires_at=None,
        ttl=600,
        signer=LocalSigner(pki.ds_key),
        cert_chain=[pki.ds_der],
    )
    cache, problems = StatusCache.load([token, b"garbage"], trust_list=tl, now=NOW)
    assert len(cache) == 1
    assert [p.code for p in problems] == ["STATUS_LIST_MALFORMED"]
