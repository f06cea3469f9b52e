"""Credential status for the verifier: the port and a provider over decoded status lists.

The MSO's ``status`` field points at entry ``idx`` of the Token Status List
published at ``uri`` (draft-ietf-oauth-status-list). How that list reaches the
verifier differs by deployment — fetched online, cached on disk for offline
police terminals, pushed with a trust-list update — so the verifier only sees
the :class:`StatusProvider` port. Fetching and token signature checks live
behind it (adapters); :class:`StatusListProvider` covers the common case of
lists already fetched, checked and decoded; :class:`TokenStatusProvider` holds
verified Status List Tokens and refuses to answer from one that has expired or
is past its time to live, so an offline terminal with an old list reports the
status as unavailable instead of vouching for a revoked licence.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Protocol

from motorcred.errors import InvalidInput, VerificationFailed
from motorcred.formats.status_list import StatusList, StatusListToken, StatusWord


class StatusProvider(Protocol):
    """Answers "what is the status of entry ``idx`` of the list at ``uri``" at ``now``.

    Returns ``"valid"``, ``"invalid"`` (revoked), ``"suspended"`` or ``"unknown"``
    (list not available or stale). May raise a ``MotorcredError``; the verifier
    reports it as ``MDOC_STATUS_UNAVAILABLE``.
    """

    def status_of(self, uri: str, idx: int, *, now: datetime) -> str: ...


class StatusListProvider:
    """Status from status lists the caller already holds, keyed by their ``uri``."""

    def __init__(self, lists: Mapping[str, StatusList]) -> None:
        self._lists = dict(lists)

    def status_of(self, uri: str, idx: int, *, now: datetime) -> StatusWord:
        status_list = self._lists.get(uri)
        if status_list is None:
            return "unknown"
        try:
            return status_list.status(idx)
        except InvalidInput:
            # An index beyond the list is not a revocation we can assert.
            return "unknown"


class TokenStatusProvider:
    """Status from verified Status List Tokens, each with the time it was fetched.

    ``exp`` (4) is a hard limit and ``ttl`` (65534) counts from the fetch
    (draft-ietf-oauth-status-list §13.7): past either, the answer is
    ``STATUS_LIST_EXPIRED`` / ``STATUS_LIST_STALE`` (the verifier reports
    ``MDOC_STATUS_UNAVAILABLE``), never an old "valid".
    """

    def __init__(self, tokens: Iterable[tuple[StatusListToken, datetime]] = ()) -> None:
        self._tokens: dict[str, tuple[StatusListToken, datetime]] = {}
        for token, fetched_at in tokens:
            self.add(token, fetched_at=fetched_at)

    def add(self, token: StatusListToken, *, fetched_at: datetime) -> None:
        """Hold ``token`` (replacing an older one for the same URI)."""
        if fetched_at.tzinfo is None or fetched_at.utcoffset() is None:
            raise InvalidInput("STATUS_LIST_TIME_INVALID", "fetched_at must be timezone-aware")
        held = self._tokens.get(token.uri)
        if held is None or held[0].issued_at <= token.issued_at:
            self._tokens[token.uri] = (token, fetched_at)

    def status_of(self, uri: str, idx: int, *, now: datetime) -> StatusWord:
        held = self._tokens.get(uri)
        if held is None:
            return "unknown"
        token, fetched_at = held
        if token.expires_at is not None and now >= token.expires_at:
            raise VerificationFailed(
                "STATUS_LIST_EXPIRED",
                f"the status list at {uri} expired at {token.expires_at.isoformat()}",
            )
        due = token.refresh_due(fetched_at)
        if due is not None and now > due:
            raise VerificationFailed(
                "STATUS_LIST_STALE",
                f"the status list at {uri} should have been fetched again by {due.isoformat()}",
            )
        try:
            return token.status(idx)
        except InvalidInput:
            return "unknown"
