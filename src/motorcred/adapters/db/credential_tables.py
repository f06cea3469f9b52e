"""Tables of the signing service: status lists, their entries, and issued credentials.

Imported at the end of :mod:`motorcred.adapters.db.tables` so that the one
``metadata`` holds them (migration checks and test clean-up walk it).

* ``status_lists`` — one Token Status List (draft-ietf-oauth-status-list) per
  purpose and region, of a fixed ``size``; ``allocated`` counts the indices handed
  out (a counter that only grows, bumped by a single ``UPDATE``, so two
  transactions can never take the same slot); the counter is mapped to the
  published index through a keyed permutation (``permutation_key``) so an index
  says nothing about when a credential was issued. ``version`` grows with every
  status change; the signed token is cached with the version it was built from.
* ``status_entries`` — one row per allocated index with its 2-bit status; the
  primary key ``(list_id, idx)`` is the database's own guarantee that no index is
  handed out twice.
* ``credentials`` — every issued document. A row is written *before* signing
  (``state = 'pending'``, status index reserved, keyed by the application's
  idempotency key) and completed after, so a crash between signing and storing
  is resumed by the retry instead of losing the application or issuing twice.
  The document holds personal data and is sealed like every other PII column;
  so is ``offline_document_enc``, the compact offline credential of an e-DL.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
    text,
)

from motorcred.adapters.db.tables import TS, Id, metadata

CREDENTIAL_STATES = ("pending", "active", "superseded", "revoked")

status_lists = Table(
    "status_lists",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("purpose", String(32), nullable=False),
    Column("region", String(16), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("bits", Integer, nullable=False),
    Column("size", Integer, nullable=False),
    Column("allocated", Integer, nullable=False, default=0),
    Column("permutation_key", LargeBinary(32), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("token", LargeBinary, nullable=True),
    Column("token_version", Integer, nullable=True),
    Column("token_issued_at", TS, nullable=True),
    Column("token_expires_at", TS, nullable=True),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("purpose", "region", "seq"),
    CheckConstraint("bits IN (1, 2, 4, 8)", name="bits"),
    CheckConstraint("allocated >= 0 AND allocated <= size", name="allocated"),
)

status_entries = Table(
    "status_entries",
    metadata,
    Column(
        "list_id",
        Id,
        ForeignKey("status_lists.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("idx", Integer, primary_key=True, autoincrement=False),
    Column("status", Integer, nullable=False, default=0),
    Column("updated_at", TS, nullable=False),
    CheckConstraint("status >= 0 AND status <= 255", name="status"),
)

credentials = Table(
    "credentials",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(8), nullable=False),
    Column("subject_kind", String(16), nullable=False),
    Column("subject_id", Id, nullable=False),
    Column("account_id", Id, ForeignKey("accounts.id"), nullable=True, index=True),
    Column("device_key", LargeBinary, nullable=False),
    Column("status_list_id", Id, ForeignKey("status_lists.id"), nullable=False),
    Column("status_index", Integer, nullable=False),
    Column("doctype", String(64), nullable=False),
    Column("document_enc", LargeBinary, nullable=True),
    # The compact offline credential signed beside an e-DL (sealed like the document).
    Column("offline_document_enc", LargeBinary, nullable=True),
    Column("signer_key_id", String(64), nullable=True),
    Column("issued_at", TS, nullable=True),
    Column("valid_from", TS, nullable=True),
    Column("valid_until", TS, nullable=True),
    Column("state", String(10), nullable=False),
    Column("superseded_by", Id, ForeignKey("credentials.id"), nullable=True),
    Column("idempotency_key", String(128), nullable=False, unique=True),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("status_list_id", "status_index"),
    Index("ix_credentials_subject_kind_subject_id", "subject_kind", "subject_id"),
    # At most one active credential per subject and kind, also under concurrent issuance.
    Index(
        "uq_credentials_active_subject",
        "kind",
        "subject_kind",
        "subject_id",
        unique=True,
        sqlite_where=text("state = 'active'"),
        postgresql_where=text("state = 'active'"),
    ),
    CheckConstraint(
        "state IN ('pending', 'active', 'superseded', 'revoked')",
        name="state",
    ),
    CheckConstraint("kind IN ('edl', 'evrc')", name="kind"),
)
