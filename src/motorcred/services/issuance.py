"""Issuing e-DLs: reserve → sign → store, supersede, follow the registry, suspend.

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

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric import ec

from motorcred.adapters.db.repositories.credentials import CredentialRow
from motorcred.adapters.db.uow import UnitOfWork
from motorcred.config import Settings
from motorcred.domain.licence import DrivingLicence
from motorcred.domain.person import Person
from motorcred.errors import Conflict, NotFound, Refused
from motorcred.formats.device_proof import cose_key_bytes, public_key_from_cose_bytes
from motorcred.formats.mdoc.doctypes import MDL_DOCTYPE
from motorcred.formats.mdoc.issuance import issue
from motorcred.services.credential_elements import edl_elements
from motorcred.services.status_lists import (
    STATUS_INVALID,
    STATUS_SUSPENDED,
    STATUS_VALID,
    SignerSource,
    StatusListService,
)

KIND_EDL: Final = "edl"
SUBJECT_LICENCE: Final = "licence"
_RESERVE_ATTEMPTS: Final = 3


@dataclass(frozen=True)
class LicenceSubject:
    """What an e-DL is made from: the registry licence, its holder, and the portrait."""

    licence_id: int
    licence: DrivingLicence
    person: Person
    portrait: bytes
    records: Sequence[Mapping[str, Any]] = ()


@dataclass(frozen=True)
class IssuedCredential:
    id: int
    kind: str
    state: str
    document: bytes
    """IssuerSigned CBOR (what the holder app stores and presents)."""
    status_list_id: int
    status_index: int
    issued_at: datetime
    valid_until: datetime
    superseded_id: int | None = None


def _issued(uow: UnitOfWork, row: CredentialRow) -> IssuedCredential:
    assert row.document is not None
    assert row.issued_at is not None
    assert row.valid_until is not None
    return IssuedCredential(
        row.id,
        row.kind,
        row.state,
        row.document,
        row.status_list_id,
        row.status_index,
        row.issued_at,
        row.valid_until,
        uow.credentials.predecessor_id(row.id),
    )


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
        key = f"edl:{application_id}"
        now = self._clock().astimezone(UTC).replace(microsecond=0)
        valid_until = self._valid_until(subject.licence, now)  # refuse before reserving
        reserved = self._reserve(key, account_id, subject.licence_id, cose_key_bytes(device_key))
        if reserved.state != "pending":
            with self._uow() as uow:
                return _issued(uow, reserved)
        signer = self._signers.signer(self._settings.keystore_issuer, now=now)
        status = {
            "status_list": {
                "idx": reserved.status_index,
                "uri": self._status_lists.uri(reserved.status_list_id),
            }
        }
        document = issue(
            doctype=MDL_DOCTYPE,
            namespaces=edl_elements(
                subject.licence,
                subject.person,
                portrait=subject.portrait,
                generated_at=now,
                records=subject.records,
            ),
            device_key=public_key_from_cose_bytes(reserved.device_key),
            signed=now,
            valid_from=now,
            valid_until=valid_until,
            status=status,
            cert_chain=signer.certificate_chain,
            signer=signer,
            random=secrets.token_bytes,
        ).encode()
        return self._store(reserved.id, document, signer.key_id, now, valid_until)

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
        self, key: str, account_id: int | None, licence_id: int, device_key: bytes
    ) -> CredentialRow:
        for attempt in range(_RESERVE_ATTEMPTS):
            try:
                with self._uow() as uow:
                    existing = uow.credentials.by_idempotency_key(key)
                    if existing is not None:
                        if existing.device_key != device_key or existing.subject_id != licence_id:
                            raise Conflict(
                                "IDEMPOTENCY_KEY_REUSED",
                                "this application id was used for another licence or device",
                            )
                        return existing
                    allocation = self._status_lists.allocate(uow, KIND_EDL)
                    uow.credentials.reserve(
                        kind=KIND_EDL,
                        subject_kind=SUBJECT_LICENCE,
                        subject_id=licence_id,
                        account_id=account_id,
                        device_key=device_key,
                        status_list_id=allocation.list_id,
                        status_index=allocation.index,
                        doctype=MDL_DOCTYPE,
                        idempotency_key=key,
                        now=self._clock(),
                    )
                    uow.commit()
            except Conflict as exc:
                # A concurrent retry of the same application, or two new lists opened at
                # once: read again (the other transaction's row is now visible).
                if exc.code != "RECORD_CONFLICT" or attempt == _RESERVE_ATTEMPTS - 1:
                    raise
                continue
            with self._uow() as uow:
                row = uow.credentials.by_idempotency_key(key)
            assert row is not None
            return row
        raise Conflict("RECORD_CONFLICT", "could not reserve the credential; retry")

    def _store(
        self,
        credential_id: int,
        document: bytes,
        signer_key_id: str,
        now: datetime,
        valid_until: datetime,
    ) -> IssuedCredential:
        with self._uow() as uow:
            row = uow.credentials.get(credential_id)
            assert row is not None
            if row.state != "pending":  # a concurrent retry stored it first
                return _issued(uow, row)
            previous = uow.credentials.active_for_subject(
                row.kind, row.subject_kind, row.subject_id
            )
            if previous is not None:
                self._invalidate(uow, previous, "superseded", superseded_by=row.id)
            uow.credentials.complete(
                row.id,
                document=document,
                signer_key_id=signer_key_id,
                issued_at=now,
                valid_from=now,
                valid_until=valid_until,
                now=now,
            )
            uow.commit()
            stored = uow.credentials.get(row.id)
            assert stored is not None
            return _issued(uow, stored)

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

    def revoke_for_account(self, uow: UnitOfWork, account_id: int) -> int:
        """Inside the caller's unit of work (the device-replaced hook): revoke what the
        account holds, since it is bound to the device key being replaced."""
        rows = uow.credentials.active_for_account(account_id)
        for row in rows:
            self._invalidate(uow, row, "revoked")
        return len(rows)
