"""Status for the verifier from verified Status List Tokens: revoked, suspended, stale, expired."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from mdoc_test_builder import NOW, document, issue, make_pki

from motorcred.errors import InvalidInput, VerificationFailed
from motorcred.formats.cbor import dumps
from motorcred.formats.cose import LocalSigner
from motorcred.formats.mdoc.verifier import verify_presentation
from motorcred.formats.mdoc.verify_status import TokenStatusProvider
from motorcred.formats.status_list import (
    StatusList,
    StatusListToken,
    build_status_list_token,
    decode_status_list_token,
)

PKI = make_pki()
URI = "https://status.example/lists/3"
STATUS_KEY = ec.generate_private_key(ec.SECP256R1())


def token(
    *,
    issued_at: datetime | None = None,
    lifetime: timedelta | None = timedelta(days=1),
    ttl: int | None = 3600,
    revoked: int = 5,
) -> StatusListToken:
    issued = NOW - timedelta(minutes=10) if issued_at is None else issued_at
    status = StatusList(16, bits=2)
    status.set(revoked, 1)
    status.set(6, 2)
    raw = build_status_list_token(
        status,
        uri=URI,
        issued_at=issued,
        expires_at=None if lifetime is None else issued + lifetime,
        ttl=ttl,
        signer=LocalSigner(STATUS_KEY),
        kid=b"status-1",
    )
    return decode_status_list_token(
        raw, now=issued, expected_uri=URI, verify_key=STATUS_KEY.public_key()
    )


def verify_with(provider: TokenStatusProvider, idx: int, *, now: datetime = NOW) -> list[str]:
    data = dumps(document(issue(PKI, status={"status_list": {"idx": idx, "uri": URI}})))
    report = verify_presentation(data, trust=PKI.trust(), now=now, status=provider)
    return [f.code for f in report.errors]


def test_valid_revoked_suspended_through_the_verifier() -> None:
    provider = TokenStatusProvider([(token(), NOW - timedelta(minutes=5))])
    assert verify_with(provider, 0) == []
    assert verify_with(provider, 5) == ["MDOC_STATUS_REVOKED"]
    assert verify_with(provider, 6) == ["MDOC_STATUS_SUSPENDED"]


def test_expired_token_is_unavailable_not_valid() -> None:
    provider = TokenStatusProvider()
    provider.add(token(lifetime=timedelta(minutes=5), ttl=None), fetched_at=NOW)
    with pytest.raises(VerificationFailed) as exc:
        provider.status_of(URI, 0, now=NOW)
    assert exc.value.code == "STATUS_LIST_EXPIRED"
    assert verify_with(provider, 0) == ["MDOC_STATUS_UNAVAILABLE"]


def test_token_past_its_ttl_is_stale() -> None:
    fetched = NOW - timedelta(hours=2)
    provider = TokenStatusProvider([(token(issued_at=fetched, ttl=3600), fetched)])
    with pytest.raises(VerificationFailed) as exc:
        provider.status_of(URI, 0, now=NOW)
    assert exc.value.code == "STATUS_LIST_STALE"
    assert provider.status_of(URI, 0, now=fetched + timedelta(minutes=59)) == "valid"
    assert verify_with(provider, 5) == ["MDOC_STATUS_UNAVAILABLE"]


def test_token_without_exp_or_ttl_never_goes_stale() -> None:
    provider = TokenStatusProvider([(token(lifetime=None, ttl=None), NOW)])
    assert provider.status_of(URI, 5, now=NOW + timedelta(days=400)) == "invalid"


def test_newer_token_replaces_older_but_not_the_reverse() -> None:
    older = token(issued_at=NOW - timedelta(hours=1), revoked=5)
    newer = token(issued_at=NOW - timedelta(minutes=1), revoked=7)
    provider = TokenStatusProvider([(older, NOW)])
    provider.add(newer, fetched_at=NOW)
    assert provider.status_of(URI, 7, now=NOW) == "invalid"
    provider.add(older, fetched_at=NOW)  # a replayed old list does not win
    assert provider.status_of(URI, 7, now=NOW) == "invalid"
    assert provider.status_of(URI, 5, now=NOW) == "valid"


def test_unknown_list_or_index_is_unknown() -> None:
    provider = TokenStatusProvider([(token(), NOW)])
    assert provider.status_of("https://status.example/other", 0, now=NOW) == "unknown"
    assert provider.status_of(URI, 10_000, now=NOW) == "unknown"


def test_fetch_time_must_be_aware() -> None:
    with pytest.raises(InvalidInput) as exc:
        TokenStatusProvider([(token(), NOW.replace(tzinfo=None))])
    assert exc.value.code == "STATUS_LIST_TIME_INVALID"
