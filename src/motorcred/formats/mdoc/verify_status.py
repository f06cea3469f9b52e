"""Credential status for the verifier: the port and a provider over decoded status lists.

The MSO's ``status`` field points at entry ``idx`` of the Token Status List
published at ``uri`` (draft-ietf-oauth-status-list). How that list reaches the
verifier differs by deployment — fetched online, cached on disk for offline
police terminals, pushed with a trust-list update — so the verifier only sees
the :class:`StatusProvider` port. Fetching and token signature checks live
behind it (adapters); :class:`StatusListProvider` covers the common case of
lists already fetched, checked and decoded.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from motorcred.errors import InvalidInput
from motorcred.formats.status_list import StatusList, StatusWord


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
