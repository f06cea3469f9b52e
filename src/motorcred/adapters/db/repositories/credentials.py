"""Issued credentials: reserve (pending) → complete (active) → superseded or revoked.

The issued document (IssuerSigned CBOR) carries the holder's name, ID number and
portrait, so it is stored sealed (``document_enc``) like every other personal
field; the cipher works on text, so the bytes travel base64-encoded inside it.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from motorcred.adapters.db.credential_tables import credentials
from motorcred.adapters.db.repositories.accounts import aware
from motorcred.adapters.db.repositories.base import Repository

_DOCUMENT_CTX = "credentials.document"
_OFFLINE_CTX = "credentials.offline_document"


@dataclass(frozen=True)
class CredentialRow:
    id: int
    kind: str
    subject_kind: str
    subject_id: int
    account_id: int | None
    device_key: bytes
    status_list_id: int
    status_index: int
    doctype: str
    state: str
    idempotency_key: str
    superseded_by: int | None
    signer_key_id: str | None
    issued_at: datetime | None
    valid_from: datetime | None
    valid_until: datetime | None
    document: bytes | None
    """IssuerSigned CBOR; ``None`` while the credential is pending."""
    offline_document: bytes | None = None
    """The compact offline credential (IssuerSigned CBOR) of an e-DL; ``None`` otherwise."""


class CredentialRepository(Repository):
    def _record(self, row: Any) -> CredentialRow:
        document = None
        if row.document_enc is not None:
            text = self.cipher.decrypt(bytes(row.document_enc), context=_DOCUMENT_CTX)
            document = base64.b64decode(text)
        offline = None
        if row.offline_document_enc is not None:
            text = self.cipher.decrypt(bytes(row.offline_document_enc), context=_OFFLINE_CTX)
            offline = base64.b64decode(text)
        return CredentialRow(
            id=int(row.id),
            kind=row.kind,
            subject_kind=row.subject_kind,
            subject_id=int(row.subject_id),
            account_id=None if row.account_id is None else int(row.account_id),
            device_key=bytes(row.device_key),
            status_list_id=int(row.status_list_id),
            status_index=int(row.status_index),
            doctype=row.doctype,
            state=row.state,
            idempotency_key=row.idempotency_key,
            superseded_by=None if row.superseded_by is None else int(row.superseded_by),
            signer_key_id=row.signer_key_id,
            issued_at=aware(row.issued_at),
            valid_from=aware(row.valid_from),
            valid_until=aware(row.valid_until),
            document=document,
            offline_document=offline,
        )

    def _one(self, *where: Any) -> CredentialRow | None:
        row = self.connection.execute(select(credentials).where(*where)).first()
        return None if row is None else self._record(row)

    def get(self, credential_id: int) -> CredentialRow | None:
        return self._one(credentials.c.id == credential_id)

    def by_idempotency_key(self, key: str) -> CredentialRow | None:
        return self._one(credentials.c.idempotency_key == key)

    def by_idempotency_keys(self, keys: list[str]) -> dict[str, CredentialRow]:
        if not keys:
            return {}
        rows = self.connection.execute(
            select(credentials).where(credentials.c.idempotency_key.in_(keys))
        )
        return {r.idempotency_key: self._record(r) for r in rows}

    def active_for_subjects(
        self, kind: str, subject_kind: str, subject_ids: list[int]
    ) -> dict[int, CredentialRow]:
        if not subject_ids:
            return {}
        rows = self.connection.execute(
            select(credentials).where(
                credentials.c.kind == kind,
                credentials.c.subject_kind == subject_kind,
                credentials.c.subject_id.in_(subject_ids),
                credentials.c.state == "active",
            )
        )
        return {int(r.subject_id): self._record(r) for r in rows}

    def active_for_subject(
        self, kind: str, subject_kind: str, subject_id: int
    ) -> CredentialRow | None:
        return self._one(
            credentials.c.kind == kind,
            credentials.c.subject_kind == subject_kind,
            credentials.c.subject_id == subject_id,
            credentials.c.state == "active",
        )

    def predecessor_id(self, credential_id: int) -> int | None:
        """The credential this one superseded, if any."""
        value = self.connection.execute(
            select(credentials.c.id).where(credentials.c.superseded_by == credential_id)
        ).scalar()
        return None if value is None else int(value)

    def predecessor_ids(self, credential_ids: list[int]) -> dict[int, int]:
        """``{credential id: id of the credential it superseded}`` for those that did."""
        if not credential_ids:
            return {}
        rows = self.connection.execute(
            select(credentials.c.id, credentials.c.superseded_by).where(
                credentials.c.superseded_by.in_(credential_ids)
            )
        )
        return {int(r.superseded_by): int(r.id) for r in rows}

    def for_subject(self, subject_kind: str, subject_id: int) -> list[CredentialRow]:
        rows = self.connection.execute(
            select(credentials)
            .where(
                credentials.c.subject_kind == subject_kind,
                credentials.c.subject_id == subject_id,
            )
            .order_by(credentials.c.id)
        )
        return [self._record(r) for r in rows]

    def active_for_account(self, account_id: int) -> list[CredentialRow]:
        rows = self.connection.execute(
            select(credentials)
            .where(credentials.c.account_id == account_id, credentials.c.state == "active")
            .order_by(credentials.c.id)
        )
        return [self._record(r) for r in rows]

    def reserve_many(self, rows: list[dict[str, Any]], *, now: datetime) -> None:
        """Write many intents at once; each row has the keyword arguments of :meth:`reserve`."""
        if rows:
            self.connection.execute(
                insert(credentials),
                [{**row, "state": "pending", "created_at": now, "updated_at": now} for row in rows],
            )

    def complete_many(self, documents: list[dict[str, Any]], *, now: datetime) -> None:
        """:meth:`complete` for many rows: each has ``id``, ``document``, ``signer_key_id``,
        ``issued_at``, ``valid_from`` and ``valid_until``, and may have ``offline_document``;
        only pending rows change."""
        if not documents:
            return
        params = [
            {
                "b_id": doc["id"],
                "document_enc": self.cipher.encrypt(
                    base64.b64encode(doc["document"]).decode("ascii"), context=_DOCUMENT_CTX
                ),
                "offline_document_enc": self._seal_offline(doc.get("offline_document")),
                "signer_key_id": doc["signer_key_id"],
                "issued_at": doc["issued_at"],
                "valid_from": doc["valid_from"],
                "valid_until": doc["valid_until"],
                "state": "active",
                "updated_at": now,
            }
            for doc in documents
        ]
        self.connection.execute(
            update(credentials).where(
                credentials.c.id == bindparam("b_id"), credentials.c.state == "pending"
            ),
            params,
        )

    def _seal_offline(self, document: bytes | None) -> bytes | None:
        if document is None:
            return None
        return self.cipher.encrypt(base64.b64encode(document).decode("ascii"), context=_OFFLINE_CTX)

    def reserve(
        self,
        *,
        kind: str,
        subject_kind: str,
        subject_id: int,
        account_id: int | None,
        device_key: bytes,
        status_list_id: int,
        status_index: int,
        doctype: str,
        idempotency_key: str,
        now: datetime,
    ) -> int:
        """Write the intent to issue (state ``pending``); the row id."""
        result = self.connection.execute(
            insert(credentials)
            .values(
                kind=kind,
                subject_kind=subject_kind,
                subject_id=subject_id,
                account_id=account_id,
                device_key=device_key,
                status_list_id=status_list_id,
                status_index=status_index,
                doctype=doctype,
                state="pending",
                idempotency_key=idempotency_key,
                created_at=now,
                updated_at=now,
            )
            .returning(credentials.c.id)
        )
        return int(result.scalar_one())

    def complete(
        self,
        credential_id: int,
        *,
        document: bytes,
        signer_key_id: str,
        issued_at: datetime,
        valid_from: datetime,
        valid_until: datetime,
        now: datetime,
    ) -> bool:
        """Store the signed document and activate; False when the row is no longer pending."""
        sealed = self.cipher.encrypt(
            base64.b64encode(document).decode("ascii"), context=_DOCUMENT_CTX
        )
        result = self.connection.execute(
            update(credentials)
            .where(credentials.c.id == credential_id, credentials.c.state == "pending")
            .values(
                document_enc=sealed,
                signer_key_id=signer_key_id,
                issued_at=issued_at,
                valid_from=valid_from,
                valid_until=valid_until,
                state="active",
                updated_at=now,
            )
        )
        return bool(result.rowcount)

    def set_state(
        self,
        credential_id: int,
        state: str,
        *,
        now: datetime,
        superseded_by: int | None = None,
    ) -> None:
        self.connection.execute(
            update(credentials)
            .where(credentials.c.id == credential_id)
            .values(state=state, superseded_by=superseded_by, updated_at=now)
        )
