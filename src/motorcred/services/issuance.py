"""Issuing e-DLs and e-VRCs: reserve → sign → store, supersede, follow the registry, suspend.

A crash between signing and storing must neither lose the application nor
issue twice, so issuance is three steps keyed by the application id:

1. **reserve** (one unit of work, committed): a ``pending`` credential row with
   the application's idempotency key, the device key and a freshly allocated
   status-list index. A retry finds the row and reuses index and key.
2. **sign** (no transaction open): the elements, the MSO pointing at the status
   entry, IssuerAuth by the keystore's current document-signer key.
3. **store** (one unit of work): the pending row becomes ``active`` with the
   sealed document; the subject's previous credential becomes ``superseded``
   and its status entry INVALID — both or neither.

A signed document that was never stored never left the process, so signing
again on retry issues nothing twice; a retry after the store returns the stored
credential. At most one credential per subject is active (a unique index), so
two racing applications cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from typing import Final, Protocol

from cryptography.hazmat.primitives.asymmetric import ec

from motorcred.adapters.db.repositories.credentials import CredentialRow
from motorcred.adapters.db.uow import UnitOfWork
from motorcred.config import Settings
from motorcred.domain.licence import DrivingLicence
from motorcred.errors import Conflict, InvalidInput, NotFound, Refused
from motorcred.formats.device_proof import cose_key_bytes, public_key_from_cose_bytes
from motorcred.formats.mdoc.doctypes import MDL_DOCTYPE, MVRC_DOCTYPE
from motorcred.services.issuance_steps import (
    EdlRequest,
    EvrcRequest,
    IssuedCredential,
    LicenceSubject,
    SignedDocument,
    VehicleSubject,
    issued,
    sign_edl,
    sign_evrc,
)
from motorcred.services.status_lists import (
    STATUS_INVALID,
    STATUS_SUSPENDED,
    STATUS_VALID,
    SignerSource,
    StatusListService,
)

__all__ = [
    "EdlRequest",
    "EvrcRequest",
    "IssuanceService",
    "IssuedCredential",
    "LicenceSubject",
    "VehicleSubject",
]

KIND_EDL: Final = "edl"
SUBJECT_LICENCE: Final = "licence"
KIND_EVRC: Final = "evrc"
SUBJECT_VEHICLE: Final = "vehicle"
MAX_BATCH: Final = 1000
_RESERVE_ATTEMPTS: Final = 3


@dataclass(frozen=True)
class _Target:
    """What kind of credential a request issues, and for which kind of registry record."""

    kind: str
    subject_kind: str
    doctype: str


_EDL: Final = _Target(KIND_EDL, SUBJECT_LICENCE, MDL_DOCTYPE)
_EVRC: Final = _Target(KIND_EVRC, SUBJECT_VEHICLE, MVRC_DOCTYPE)


class _Request(Protocol):
    """What reserving needs of an e-DL or e-VRC request."""

    @property
    def account_id(self) -> int | None: ...
    @property
    def device_key(self) -> ec.EllipticCurvePublicKey: ...
    @property
    def key(self) -> str: ...
    @property
    def subject_id(self) -> int: ...


def _issued(uow: UnitOfWork, row: CredentialRow) -> IssuedCredential:
    return issued(row, uow.credentials.predecessor_id(row.id))


class IssuanceService:
    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        clock: Callable[[], datetime],
        settings: Settings,
        status_lists: StatusListService,
        signers: SignerSource,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._settings = settings
        self._status_lists = status_lists
        self._signers = signers

    # ------------------------------------------------------------------ issuing
    def issue_edl(
        self,
        *,
        account_id: int | None,
        subject: LicenceSubject,
        device_key: ec.EllipticCurvePublicKey,
        application_id: str,
    ) -> IssuedCredential:
        """Issue (or, on retry, return) the e-DL of application ``application_id``."""
        request = EdlRequest(account_id, subject, device_key, application_id)
        return self.issue_edl_many([request])[0]

    def issue_edl_many(self, requests: Sequence[EdlRequest]) -> list[IssuedCredential]:
        """Issue many e-DLs with three transactions in all (bulk and counter issuance).

        Same guarantees as :meth:`issue_edl` for each request; the results are in
        request order. A batch names each application and each licence once.
        """
        if not 0 < len(requests) <= MAX_BATCH:
            raise InvalidInput("ISSUE_BATCH_SIZE", f"a batch holds 1 to {MAX_BATCH} requests")
        if len({r.key for r in requests}) != len(requests) or len(
            {r.subject.licence_id for r in requests}
        ) != len(requests):
            raise InvalidInput(
                "ISSUE_BATCH_DUPLICATE", "a batch names each application and licence once"
            )
        now = self._clock().astimezone(UTC).replace(microsecond=0)
        # Refuse before reserving anything.
        validity = {r.key: self._valid_until(r.subject.licence, now) for r in requests}
        reserved = self._reserve(requests)
        pending = [r for r in requests if reserved[r.key].state == "pending"]
        if pending:
            signer = self._signers.signer(self._settings.keystore_issuer, now=now)
            signed = [
                sign_edl(
                    request,
                    reserved[request.key],
                    signer=signer,
                    status_uri=self._status_lists.uri(reserved[request.key].status_list_id),
                    now=now,
                    valid_until=validity[request.key],
                )
                for request in pending
            ]
            stored = {s.key: s for s in self._store(signed)}
        else:
            stored = {}
        # Build the answer from what this call stored (no need to read the sealed
        # documents back); read only what a concurrent retry stored instead.
        unknown = [r.key for r in requests if reserved[r.key].state == "pending"]
        unknown = [key for key in unknown if key not in stored]
        with self._uow() as uow:
            rows = {**reserved, **uow.credentials.by_idempotency_keys(unknown)}
            previous = uow.credentials.predecessor_ids([row.id for row in rows.values()])
        results = []
        for request in requests:
            row = rows[request.key]
            mine = stored.get(request.key)
            if mine is not None:
                row = replace(
                    row,
                    state="active",
                    document=mine.document,
                    offline_document=mine.offline_document,
                    issued_at=mine.issued_at,
                    valid_from=mine.issued_at,
                    valid_until=mine.valid_until,
                )
            results.append(issued(row, previous.get(row.id)))
        return results

    def issue_evrc(
        self,
        *,
        account_id: int | None,
        subject: VehicleSubject,
        device_key: ec.EllipticCurvePublicKey,
        application_id: str,
    ) -> IssuedCredential:
        """Issue (or, on retry, return) the e-VRC of ``application_id``; same three steps.

        The vehicle's previous e-VRC, if any, is superseded (INVALID in its status list).
        """
        request = EvrcRequest(account_id, subject, device_key, application_id)
        now = self._clock().astimezone(UTC).replace(microsecond=0)
        reserved = self._reserve([request], _EVRC)[request.key]
        if reserved.state == "pending":
            signer = self._signers.signer(self._settings.keystore_issuer, now=now)
            signed = sign_evrc(
                request,
                reserved,
                signer=signer,
                status_uri=self._status_lists.uri(reserved.status_list_id),
                now=now,
                valid_until=now + timedelta(days=self._settings.credential_validity_days),
            )
            self._store([signed])
        with self._uow() as uow:
            row = uow.credentials.by_idempotency_key(request.key)
            assert row is not None  # reserved above; credential rows are never deleted
            return _issued(uow, row)

    def _valid_until(self, licence: DrivingLicence, now: datetime) -> datetime:
        until = now + timedelta(days=self._settings.credential_validity_days)
        if licence.valid_until is not None:
            licence_end = datetime.combine(licence.valid_until, time.max, UTC).replace(
                microsecond=0
            )
            until = min(until, licence_end)
        if until <= now:
            raise Refused(
                "LICENCE_EXPIRED",
                "the licence is past its validity period; renew it before applying",
            )
        return until

    def _reserve(
        self, requests: Sequence[_Request], target: _Target = _EDL
    ) -> dict[str, CredentialRow]:
        """Step 1: a pending row and a status index per new request (one transaction)."""
        keys = [r.key for r in requests]
        for attempt in range(_RESERVE_ATTEMPTS):
            try:
                with self._uow() as uow:
                    existing = uow.credentials.by_idempotency_keys(keys)
                    fresh = [r for r in requests if r.key not in existing]
                    for request in requests:
                        _same_request(request, existing.get(request.key))
                    if not fresh:
                        return existing
                    allocations = self._status_lists.allocate_many(uow, target.kind, len(fresh))
                    uow.credentials.reserve_many(
                        [
                            {
                                "kind": target.kind,
                                "subject_kind": target.subject_kind,
                                "subject_id": request.subject_id,
                                "account_id": request.account_id,
                                "device_key": cose_key_bytes(request.device_key),
                                "status_list_id": allocation.list_id,
                                "status_index": allocation.index,
                                "doctype": target.doctype,
                                "idempotency_key": request.key,
                            }
                            for request, allocation in zip(fresh, allocations, strict=True)
                        ],
                        now=self._clock(),
                    )
                    uow.commit()
            except Conflict as exc:
                # A concurrent retry of the same application, or two new lists opened at
                # once: read again (the other transaction's rows are now visible).
                if exc.code != "RECORD_CONFLICT" or attempt == _RESERVE_ATTEMPTS - 1:
                    raise
                continue
            with self._uow() as uow:
                return uow.credentials.by_idempotency_keys(keys)
        raise Conflict("RECORD_CONFLICT", "could not reserve the credentials; retry")

    def _store(self, signed: Sequence[SignedDocument]) -> list[SignedDocument]:
        """Step 3: activate the signed credentials and supersede what they replace.

        Returns the documents stored by this call (a concurrent retry may have
        stored some of them first; those are left alone)."""
        now = self._clock()
        with self._uow() as uow:
            rows = uow.credentials.by_idempotency_keys([s.key for s in signed])
            todo = [s for s in signed if rows[s.key].state == "pending"]
            if not todo:
                return []
            subjects = {rows[s.key].subject_id: rows[s.key].id for s in todo}
            # One call stores one kind of credential (e-DLs or an e-VRC).
            first = rows[todo[0].key]
            current = uow.credentials.active_for_subjects(
                first.kind, first.subject_kind, list(subjects)
            )
            for subject_id, previous in current.items():
                self._invalidate(uow, previous, "superseded", superseded_by=subjects[subject_id])
            uow.credentials.complete_many(
                [
                    {
                        "id": s.credential_id,
                        "document": s.document,
                        "offline_document": s.offline_document,
                        "signer_key_id": s.signer_key_id,
                        "issued_at": s.issued_at,
                        "valid_from": s.issued_at,
                        "valid_until": s.valid_until,
                    }
                    for s in todo
                ],
                now=now,
            )
            uow.commit()
        return todo

    def _invalidate(
        self,
        uow: UnitOfWork,
        row: CredentialRow,
        state: str,
        *,
        superseded_by: int | None = None,
    ) -> None:
        uow.credentials.set_state(row.id, state, now=self._clock(), superseded_by=superseded_by)
        self._status_lists.set_status(uow, row.status_list_id, row.status_index, STATUS_INVALID)

    # ------------------------------------------------------------------ following the registry
    def reissue_for_subject(
        self, subject: LicenceSubject, *, event_id: str
    ) -> IssuedCredential | None:
        """Re-issue after a registry change, bound to the same account and device.

        ``event_id`` names the registry event, so handling it twice re-issues once.
        ``None`` when the licence has no active e-DL (nothing to follow).
        """
        with self._uow() as uow:
            current = uow.credentials.active_for_subject(
                KIND_EDL, SUBJECT_LICENCE, subject.licence_id
            )
            done = uow.credentials.by_idempotency_key(f"edl:reissue:{event_id}")
            if done is not None and done.state != "pending":
                return _issued(uow, done)
        source = current if done is None else done
        if source is None:
            return None
        return self.issue_edl(
            account_id=source.account_id,
            subject=subject,
            device_key=public_key_from_cose_bytes(source.device_key),
            application_id=f"reissue:{event_id}",
        )

    def current_edl(self, licence_id: int) -> IssuedCredential:
        with self._uow() as uow:
            row = uow.credentials.active_for_subject(KIND_EDL, SUBJECT_LICENCE, licence_id)
            if row is None:
                raise NotFound("CREDENTIAL_NONE", "this licence has no active e-licence")
            return _issued(uow, row)

    def suspend(self, licence_id: int) -> bool:
        """Mark the licence's e-DL SUSPENDED in its status list; True when it changed."""
        return self._set_status(licence_id, STATUS_SUSPENDED)

    def unsuspend(self, licence_id: int) -> bool:
        """Mark the licence's e-DL VALID again; True when it changed."""
        return self._set_status(licence_id, STATUS_VALID)

    def _set_status(self, licence_id: int, status: int) -> bool:
        with self._uow() as uow:
            row = uow.credentials.active_for_subject(KIND_EDL, SUBJECT_LICENCE, licence_id)
            if row is None:
                return False
            changed = self._status_lists.set_status(
                uow, row.status_list_id, row.status_index, status
            )
            uow.commit()
        return changed

    def revoke(self, licence_id: int) -> bool:
        """Revoke the licence's e-DL (INVALID for good); True when there was one."""
        with self._uow() as uow:
            row = uow.credentials.active_for_subject(KIND_EDL, SUBJECT_LICENCE, licence_id)
            if row is None:
                return False
            self._invalidate(uow, row, "revoked")
            uow.commit()
        return True

    def revoke_evrc_in(self, uow: UnitOfWork, vehicle_id: int) -> bool:
        """Inside the caller's unit of work (a registry event): revoke the vehicle's e-VRC."""
        row = uow.credentials.active_for_subject(KIND_EVRC, SUBJECT_VEHICLE, vehicle_id)
        if row is None:
            return False
        self._invalidate(uow, row, "revoked")
        return True

    def follow_licence_in(self, uow: UnitOfWork, licence_id: int, status: int) -> bool:
        """Inside the caller's unit of work (a licence event): set the e-DL's status.

        INVALID revokes it for good; VALID only lifts a SUSPENDED entry, so a revoked
        e-DL is never brought back. True when the status list changed."""
        row = uow.credentials.active_for_subject(KIND_EDL, SUBJECT_LICENCE, licence_id)
        if row is None:
            return False
        if status == STATUS_INVALID:
            self._invalidate(uow, row, "revoked")
            return True
        current = uow.status_lists.entry_status(row.status_list_id, row.status_index)
        if current == status or (status == STATUS_VALID and current != STATUS_SUSPENDED):
            return False
        return self._status_lists.set_status(uow, row.status_list_id, row.status_index, status)

    def revoke_for_account(self, uow: UnitOfWork, account_id: int) -> int:
        """Inside the caller's unit of work (the device-replaced hook): revoke what the
        account holds, since it is bound to the device key being replaced."""
        rows = uow.credentials.active_for_account(account_id)
        for row in rows:
            self._invalidate(uow, row, "revoked")
        return len(rows)


def _same_request(request: _Request, row: CredentialRow | None) -> None:
    if row is None:
        return
    if row.device_key != cose_key_bytes(request.device_key) or row.subject_id != request.subject_id:
        raise Conflict(
            "IDEMPOTENCY_KEY_REUSED",
            "this application id was used for another licence, vehicle or device",
        )
