"""Tables of verification: verifier organisations and their credentials, online
codes, standing consents and the hash-chained audit log of checks.

Imported at the end of :mod:`motorcred.adapters.db.tables` so that the one
``metadata`` holds them.

* ``verifier_orgs`` — organisations that check credentials (police, rental…),
  registered by staff; the role decides what the masking policy shows them.
* ``verifier_keys`` — their credentials: API keys and OAuth2 clients. Only a
  SHA-256 of the random secret is stored; the public ``prefix`` identifies the
  key in listings and lookups. A revoked key stays (``revoked_at``) for audit.
* ``verifier_tokens`` — short-lived bearer tokens from the OAuth2 client
  credentials grant, stored hashed.
* ``online_codes`` — one row per online code shown by a holder; ``used_at`` is
  set by a single conditional ``UPDATE`` so a code is consumed exactly once.
* ``consents`` — standing consents a holder grants an organisation.
* ``audit_log`` — every check, chained (``prev_hash`` → ``hash``) by
  :mod:`motorcred.domain.audit_chain`; ``id`` is the storage order ``motorcred
  audit verify`` walks. ``audit_chain_head`` holds the last ``seq`` and hash in a
  single row that every append updates first, which serialises appends (a row
  lock on PostgreSQL, the write lock on SQLite) so the chain never forks.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
)

from motorcred.adapters.db.tables import TS, Id, metadata

VERIFIER_ROLE_CHECK = "role IN ('police', 'rental', 'insurer', 'employer', 'dealer', 'bank')"

verifier_orgs = Table(
    "verifier_orgs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("contact", String(128), nullable=False),
    Column("created_at", TS, nullable=False),
    CheckConstraint(VERIFIER_ROLE_CHECK, name="role"),
)

verifier_keys = Table(
    "verifier_keys",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column(
        "org_id", Id, ForeignKey("verifier_orgs.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("kind", String(8), nullable=False),
    Column("prefix", String(32), nullable=False, unique=True),
    Column("secret_hash", LargeBinary(32), nullable=False),
    Column("label", String(64), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("revoked_at", TS, nullable=True),
    CheckConstraint("kind IN ('api_key', 'client')", name="kind"),
)

verifier_tokens = Table(
    "verifier_tokens",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column(
        "key_id", Id, ForeignKey("verifier_keys.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("token_hash", LargeBinary(32), nullable=False, unique=True),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False, index=True),
)

online_codes = Table(
    "online_codes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("credential_id", Id, ForeignKey("credentials.id"), nullable=False, index=True),
    Column("handle_hash", LargeBinary(32), nullable=False, unique=True),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False, index=True),
    Column("used_at", TS, nullable=True),
    Column("used_by", Id, ForeignKey("verifier_orgs.id"), nullable=True),
)

consents = Table(
    "consents",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", Id, ForeignKey("accounts.id"), nullable=False, index=True),
    Column("org_id", Id, ForeignKey("verifier_orgs.id"), nullable=False, index=True),
    Column("purpose", String(128), nullable=False),
    Column("valid_from", TS, nullable=False),
    Column("valid_until", TS, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("revoked_at", TS, nullable=True),
    CheckConstraint("valid_until > valid_from", name="period"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("seq", Id, nullable=False, unique=True),
    Column("at", TS, nullable=False),
    Column("actor", String(128), nullable=False),
    Column("role", String(16), nullable=False),
    Column("purpose", String(128), nullable=False),
    Column("action", String(32), nullable=False),
    Column("outcome", String(64), nullable=False),
    Column("subject_ref", LargeBinary(64), nullable=False),
    Column("fields_seen", JSON, nullable=False),
    Column("prev_hash", LargeBinary(32), nullable=False),
    Column("hash", LargeBinary(32), nullable=False),
    Index("ix_audit_log_subject_ref", "subject_ref"),
)

audit_chain_head = Table(
    "audit_chain_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", Id, nullable=False),
    Column("hash", LargeBinary(32), nullable=False),
    CheckConstraint("id = 1", name="single_row"),
)
