"""Status lists: index allocation, status changes, and publication as signed CWT tokens.

One Token Status List (draft-ietf-oauth-status-list) per purpose (``edl``,
``evrc``) and region, 2 bits per entry (0 valid, 1 invalid, 2 suspended), of a
fixed size from the settings; when a list is full the next one is opened.

* :meth:`StatusListService.allocate` runs inside the caller's unit of work: it
  bumps the open list's counter (one row-locking ``UPDATE``, so concurrent
  transactions never share a counter) and maps the counter to the published
  index with the list's keyed permutation (:mod:`motorcred.domain.status_permutation`),
  so an index reveals nothing about issuance order.
* :meth:`StatusListService.set_status` changes an entry inside the caller's unit
  of work and bumps the list's version.
* :meth:`StatusListService.publish` builds the bit list from the stored entries,
  signs the token with the keystore's current document-signer key (through the
  Signer port, prepare → sign → complete) and caches it in the database until the
  list's version changes or the token nears its expiry, so a busy endpoint signs
  once per change, not once per request.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Protocol

from motorcred.adapters.db.repositories.status_lists import CachedToken, StatusListRow
from motorcred.adapters.db.uow import UnitOfWork
from motorcred.config import Settings
from motorcred.domain.status_permutation import KEY_BYTES, IndexPermutation
from motorcred.errors import Conflict, InvalidInput, NotFound
from motorcred.formats.signer import DocumentSigner
from motorcred.formats.status_list import StatusList, StatusType, build_status_list_token

BITS: Final = 2
STATUS_VALID: Final = int(StatusType.VALID)
STATUS_INVALID: Final = int(StatusType.INVALID)
STATUS_SUSPENDED: Final = int(StatusType.SUSPENDED)
_STATUSES: Final = frozenset({STATUS_VALID, STATUS_INVALID, STATUS_SUSPENDED})
PURPOSES: Final = frozenset({"edl", "evrc"})
API_PATH: Final = "/api/v1/status-lists"
_MAX_LIST_ATTEMPTS: Final = 8


class SignerSource(Protocol):
    """Where the current document-signer key comes from (the keystore adapter)."""

    def signer(self, issuer: str, *, now: datetime) -> DocumentSigner: ...


@dataclass(frozen=True)
class Allocation:
    list_id: int
    index: int
    uri: str

    @property
    def status_claim(self) -> dict[str, dict[str, int | str]]:
        """The MSO ``status`` field pointing at this entry."""
        return {"status_list": {"idx": self.index, "uri": self.uri}}


@dataclass(frozen=True)
class PublishedStatusList:
    list_id: int
    token: bytes
    version: int
    issued_at: datetime
    expires_at: datetime
    max_age: int
    """Seconds a client may cache the token (HTTP ``Cache-Control: max-age``)."""

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.token).hexdigest()[:32] + '"'


class StatusListService:
    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        clock: Callable[[], datetime],
        settings: Settings,
        signers: SignerSource,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._settings = settings
        self._signers = signers

    def uri(self, list_id: int) -> str:
        return f"{self._settings.public_base_url.rstrip('/')}{API_PATH}/{list_id}"

    # ------------------------------------------------------------------ in a caller's unit of work
    def allocate(self, uow: UnitOfWork, purpose: str, region: str = "CN") -> Allocation:
        """Take a fresh index (status VALID) in the open list of ``purpose``/``region``."""
        if purpose not in PURPOSES:
            raise InvalidInput("STATUS_PURPOSE_UNKNOWN", f"no status lists for {purpose!r}")
        now = self._clock()
        for _ in range(_MAX_LIST_ATTEMPTS):
            current = uow.status_lists.open_list(purpose, region) or self._open_new(
                uow, purpose, region, now
            )
            counter = uow.status_lists.take_slot(current.id, now=now)
            if counter is None:  # filled up by concurrent allocations meanwhile
                continue
            index = IndexPermutation(current.permutation_key, current.size)(counter)
            uow.status_lists.add_entry(current.id, index, STATUS_VALID, now=now)
            return Allocation(current.id, index, self.uri(current.id))
        raise Conflict("STATUS_LIST_BUSY", "could not allocate a status index; retry")

    def allocate_many(
        self, uow: UnitOfWork, purpose: str, count: int, region: str = "CN"
    ) -> list[Allocation]:
        """``count`` fresh indices with one counter bump per list touched (bulk issuance)."""
        if purpose not in PURPOSES:
            raise InvalidInput("STATUS_PURPOSE_UNKNOWN", f"no status lists for {purpose!r}")
        now = self._clock()
        taken: list[Allocation] = []
        while len(taken) < count:
            current = uow.status_lists.open_list(purpose, region) or self._open_new(
                uow, purpose, region, now
            )
            want = min(count - len(taken), current.size - current.allocated)
            first = uow.status_lists.take_slots(current.id, want, now=now)
            if first is None:  # others allocated meanwhile: fall back to one at a time
                taken.append(self.allocate(uow, purpose, region))
                continue
            permute = IndexPermutation(current.permutation_key, current.size)
            indices = [permute(counter) for counter in range(first, first + want)]
            uow.status_lists.add_entries(current.id, indices, now=now)
            uri = self.uri(current.id)
            taken.extend(Allocation(current.id, index, uri) for index in indices)
        return taken

    def _open_new(self, uow: UnitOfWork, purpose: str, region: str, now: datetime) -> StatusListRow:
        return uow.status_lists.create(
            purpose=purpose,
            region=region,
            seq=uow.status_lists.last_seq(purpose, region) + 1,
            bits=BITS,
            size=self._settings.status_list_size,
            permutation_key=secrets.token_bytes(KEY_BYTES),
            now=now,
        )

    def set_status(self, uow: UnitOfWork, list_id: int, index: int, status: int) -> bool:
        """Set entry ``index`` to VALID/INVALID/SUSPENDED; True when it changed."""
        if status not in _STATUSES:
            raise InvalidInput("STATUS_VALUE_INVALID", f"status {status!r} is not 0, 1 or 2")
        if uow.status_lists.entry_status(list_id, index) is None:
            raise NotFound(
                "STATUS_ENTRY_UNKNOWN", f"status list {list_id} has no allocated index {index}"
            )
        return uow.status_lists.set_status(list_id, index, status, now=self._clock())

    # ------------------------------------------------------------------ commands
    def status_of(self, list_id: int, index: int) -> int:
        with self._uow() as uow:
            status = uow.status_lists.entry_status(list_id, index)
        if status is None:
            raise NotFound(
                "STATUS_ENTRY_UNKNOWN", f"status list {list_id} has no allocated index {index}"
            )
        return status

    def list_ids(self) -> list[int]:
        with self._uow() as uow:
            return uow.status_lists.ids()

    def publish_all(self) -> list[PublishedStatusList]:
        """Every list's current token (for static hosting or a verifier's offline cache)."""
        return [self.publish(list_id) for list_id in self.list_ids()]

    def publish(self, list_id: int) -> PublishedStatusList:
        """The current signed token of a list: cached, or built and signed now."""
        now = self._clock()
        validity = timedelta(hours=self._settings.status_list_validity_hours)
        with self._uow() as uow:
            current = uow.status_lists.get(list_id)
            if current is None:
                raise NotFound("STATUS_LIST_UNKNOWN", f"there is no status list {list_id}")
            cached = uow.status_lists.cached_token(list_id)
            # Serve the cached token while it matches the list and has half its life left.
            if (
                cached is not None
                and cached.version == current.version
                and now < cached.expires_at - validity / 2
            ):
                return self._published(list_id, cached, now)
            status_list = StatusList(current.size, current.bits)
            for index, status in uow.status_lists.flagged_entries(list_id):
                status_list.set(index, status)
            issued_at = now.replace(microsecond=0)
            expires_at = issued_at + validity
            signer = self._signers.signer(self._settings.keystore_issuer, now=now)
            token = build_status_list_token(
                status_list,
                uri=self.uri(list_id),
                issued_at=issued_at,
                expires_at=expires_at,
                ttl=self._settings.status_list_ttl_seconds,
                signer=signer,
                cert_chain=signer.certificate_chain,
            )
            fresh = CachedToken(token, current.version, issued_at, expires_at)
            uow.status_lists.store_token(list_id, fresh)
            uow.commit()
        return self._published(list_id, fresh, now)

    def _published(self, list_id: int, token: CachedToken, now: datetime) -> PublishedStatusList:
        remaining = int((token.expires_at - now).total_seconds())
        max_age = max(0, min(self._settings.status_list_ttl_seconds, remaining))
        return PublishedStatusList(
            list_id, token.token, token.version, token.issued_at, token.expires_at, max_age
        )
