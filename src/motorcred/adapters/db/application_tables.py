"""Tables of e-DL applications: the applications, their photos, and photo flags.

Imported at the end of :mod:`motorcred.adapters.db.tables` so that the one
``metadata`` holds them (migration checks and test clean-up walk it).

* ``edl_applications`` — one row per application, refused ones included (a refusal
  is kept with its codes). ``state`` walks ``in_review → approved → issued`` or ends
  in ``refused``/``rejected``. At most one *open* application (``in_review`` or
  ``approved``) per licence: a partial unique index makes that hold under
  concurrent requests too. The review queue is read by ``(state, due_at)``; a
  claim writes ``claim_token`` and ``claim_expires_at`` in one statement, so a
  dropped claim returns to the queue when its lease runs out.
* ``application_photos`` — uploaded photos, content-addressed by a keyed digest
  of the stored JPEG (a plain hash of a face photo would be a biometric
  fingerprint anyone could compute); the JPEG is sealed like other personal data.
* ``photo_flags`` — a licence whose holder submitted a deliberately unacceptable
  photo: no new photo is accepted until staff clear the flag.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
    text,
)

from motorcred.adapters.db.tables import TS, Id, metadata

APPLICATION_STATES = ("refused", "in_review", "approved", "issued", "rejected")
OPEN_STATES = ("in_review", "approved")
PHOTO_PATHS = ("on_file", "camera", "album")

edl_applications = Table(
    "edl_applications",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", Id, ForeignKey("accounts.id"), nullable=False),
    Column("licence_id", Id, ForeignKey("licences.id"), nullable=True),
    Column("idempotency_key", String(128), nullable=False),
    Column("request_hash", LargeBinary(32), nullable=False),
    Column("photo_path", String(8), nullable=False),
    Column("photo_ref", String(64), nullable=True),
    Column("state", String(10), nullable=False),
    Column("refusals", JSON, nullable=True),
    Column("identity_check", JSON, nullable=True),
    Column("precheck", JSON, nullable=True),
    Column("due_at", TS, nullable=True),
    Column("claim_token", String(64), nullable=True),
    Column("claimed_by", String(64), nullable=True),
    Column("claim_expires_at", TS, nullable=True),
    Column("decided_by", String(64), nullable=True),
    Column("decided_at", TS, nullable=True),
    Column("reason_code", String(64), nullable=True),
    Column("reason_text", String(500), nullable=True),
    Column("credential_id", Id, ForeignKey("credentials.id"), nullable=True),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    UniqueConstraint("account_id", "idempotency_key"),
    Index("ix_edl_applications_account_id_created_at", "account_id", "created_at"),
    Index("ix_edl_applications_licence_id", "licence_id"),
    # The review queue: the oldest due item in one state first.
    Index("ix_edl_applications_state_due_at", "state", "due_at"),
    # One open application per licence, also under concurrent submissions.
    Index(
        "uq_edl_applications_open_licence",
        "licence_id",
        unique=True,
        sqlite_where=text("state IN ('in_review', 'approved')"),
        postgresql_where=text("state IN ('in_review', 'approved')"),
    ),
    CheckConstraint(
        "state IN ('refused', 'in_review', 'approved', 'issued', 'rejected')", name="state"
    ),
    CheckConstraint("photo_path IN ('on_file', 'camera', 'album')", name="photo_path"),
)

application_photos = Table(
    "application_photos",
    metadata,
    Column("ref", String(64), primary_key=True),
    Column("jpeg_enc", LargeBinary, nullable=False),
    Column("created_at", TS, nullable=False),
)

photo_flags = Table(
    "photo_flags",
    metadata,
    Column("licence_id", Id, ForeignKey("licences.id"), primary_key=True, autoincrement=False),
    Column("application_id", Id, ForeignKey("edl_applications.id"), nullable=False),
    Column("reason_text", String(500), nullable=False),
    Column("flagged_by", String(64), nullable=False),
    Column("flagged_at", TS, nullable=False),
    Column("cleared_by", String(64), nullable=True),
    Column("cleared_at", TS, nullable=True),
)
