"""The registry's tables (SQLAlchemy Core), the single source for repositories.

Migrations under ``migrations/versions`` spell their tables out on their own
(a migration is a frozen snapshot); ``tests/integration/adapters`` checks that
the migrated schema matches this metadata.

Personal data (name, ID number, phone, address, birth date, and every event
payload, which may carry any of them) lives only in ``*_enc`` columns sealed by
:class:`~motorcred.adapters.db.pii.FieldCipher`; exact-match lookups go through
``*_index`` blind-index columns. Licence numbers equal ID numbers, so licences
get the same treatment. Plates and VINs identify vehicles, not people, and stay
in clear so they can be searched.

Scale notes: every lookup column has an index; ids are BIGINT on PostgreSQL
(499 M drivers); events are ordered per record by ``(record_kind, record_id,
seq)``, which is also the primary lookup for history.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

# Stable constraint names, so migrations can refer to them on both databases.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# BIGINT on PostgreSQL; SQLite only auto-increments an "INTEGER PRIMARY KEY".
Id = BigInteger().with_variant(Integer(), "sqlite")

TS = DateTime(timezone=True)

persons = Table(
    "persons",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("id_number_index", LargeBinary(32), nullable=False, unique=True),
    Column("id_number_enc", LargeBinary, nullable=False),
    Column("name_enc", LargeBinary, nullable=False),
    Column("birth_date_enc", LargeBinary, nullable=False),
    Column("phone_enc", LargeBinary, nullable=True),
    Column("address_enc", LargeBinary, nullable=True),
    Column("sex", String(1), nullable=False),
    Column("nationality", String(3), nullable=False),
    Column("city_code", String(6), nullable=True, index=True),
    Column("content_hash", LargeBinary(32), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
)

licences = Table(
    "licences",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("person_id", Id, ForeignKey("persons.id"), nullable=False, unique=True),
    Column("number_index", LargeBinary(32), nullable=False, unique=True),
    Column("number_enc", LargeBinary, nullable=False),
    Column("file_number", String(12), nullable=False, unique=True),
    Column("classes", String(32), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("points", Integer, nullable=False, default=0),
    Column("first_issue_date", Date, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date, nullable=True),
    Column("issuing_authority", String(64), nullable=False),
    Column("city_code", String(6), nullable=True, index=True),
    Column("state", JSON, nullable=False),
    Column("content_hash", LargeBinary(32), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
)

licence_classes = Table(
    "licence_classes",
    metadata,
    Column("licence_id", Id, ForeignKey("licences.id", ondelete="CASCADE"), primary_key=True),
    Column("class_code", String(2), primary_key=True),
    Column("granted_on", Date, nullable=True),
    Index("ix_licence_classes_class_code", "class_code"),
)

vehicles = Table(
    "vehicles",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("plate", String(16), nullable=False, unique=True),
    Column("plate_type", String(2), nullable=False),
    Column("vin", String(17), nullable=False, unique=True),
    Column("owner_id", Id, ForeignKey("persons.id"), nullable=True, index=True),
    Column("status", String(20), nullable=False, index=True),
    Column("use_character", String(2), nullable=False),
    Column("registration_date", Date, nullable=False),
    Column("inspection_valid_until", Date, nullable=True),
    Column("city_code", String(6), nullable=True, index=True),
    Column("state", JSON, nullable=False),
    Column("content_hash", LargeBinary(32), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
)

registry_events = Table(
    "registry_events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("record_kind", String(16), nullable=False),
    Column("record_id", Id, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("event_type", String(48), nullable=False),
    Column("payload_enc", LargeBinary, nullable=False),
    Column("occurred_at", TS, nullable=False),
    Column("recorded_at", TS, nullable=False),
    Column("recorded_by", String(64), nullable=False),
    UniqueConstraint("record_kind", "record_id", "seq"),
    CheckConstraint("record_kind IN ('licence', 'vehicle', 'person')", name="record_kind"),
)

cities = Table(
    "cities",
    metadata,
    Column("code", String(6), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("province", String(8), nullable=False),
    Column("edl_from", Date, nullable=True),
    Column("evrc_from", Date, nullable=True),
    Column("updated_at", TS, nullable=False),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", String(48), primary_key=True),
    Column("key", String(128), primary_key=True),
    Column("request_hash", LargeBinary(32), nullable=False),
    Column("result", JSON, nullable=False),
    Column("created_at", TS, nullable=False, index=True),
)

# --------------------------------------------------------------------------- holder accounts
# Accounts of the holder app, their sessions, the one-time codes that bind an
# account to a registry person, the device keys credentials are bound to, and
# the notification outbox. Secrets (passwords, session tokens, one-time codes,
# nonces) are stored only as hashes; the login name and every message body are
# sealed like other personal data.

accounts = Table(
    "accounts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("login_kind", String(8), nullable=False),
    Column("login_index", LargeBinary(32), nullable=False, unique=True),
    Column("login_enc", LargeBinary, nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("person_id", Id, ForeignKey("persons.id"), nullable=True, unique=True),
    Column("bound_at", TS, nullable=True),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", TS, nullable=True),
    Column("created_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    CheckConstraint("login_kind IN ('phone', 'username')", name="login_kind"),
)

account_sessions = Table(
    "account_sessions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column(
        "account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("token_hash", LargeBinary(32), nullable=False, unique=True),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Column("revoked_at", TS, nullable=True),
)

binding_challenges = Table(
    "binding_challenges",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column(
        "account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    # NULL when the ID number and name matched nobody: the attempt still counts
    # for resend throttling, but there is no code to confirm.
    Column("person_id", Id, ForeignKey("persons.id"), nullable=True),
    Column("code_hash", LargeBinary(32), nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Column("consumed_at", TS, nullable=True),
)

devices = Table(
    "devices",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column(
        "account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("cose_key", LargeBinary, nullable=False),
    Column("thumbprint", String(64), nullable=False),
    Column("status", String(10), nullable=False),
    Column("bound_at", TS, nullable=False),
    Column("replaced_at", TS, nullable=True),
    Column("replaced_by", Id, ForeignKey("devices.id"), nullable=True),
    CheckConstraint("status IN ('active', 'replaced')", name="status"),
)

device_nonces = Table(
    "device_nonces",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column(
        "account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    Column("nonce_hash", LargeBinary(32), nullable=False, unique=True),
    Column("purpose", String(32), nullable=False),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Column("used_at", TS, nullable=True),
)

notification_outbox = Table(
    "notification_outbox",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("channel", String(8), nullable=False),
    Column("recipient_enc", LargeBinary, nullable=False),
    Column("subject", String(128), nullable=False),
    Column("body_enc", LargeBinary, nullable=False),
    Column("status", String(8), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", TS, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("sent_at", TS, nullable=True),
    Column("last_error", String(255), nullable=True),
    Index("ix_notification_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    CheckConstraint("channel IN ('sms', 'email')", name="channel"),
    CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
)

# The signing service's tables and the e-DL application tables live in their own
# modules; importing them here puts them in ``metadata`` (they import ``metadata``,
# ``Id`` and ``TS`` from this module).
import motorcred.adapters.db.application_tables  # noqa: E402
import motorcred.adapters.db.credential_tables  # noqa: E402
import motorcred.adapters.db.verification_tables  # noqa: E402, F401
