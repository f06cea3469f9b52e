"""Holder accounts: accounts, sessions, binding codes, device keys, notification outbox.

Revision ID: 0002_accounts
Revises: 0001_registry
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_accounts"
down_revision: str | None = "0001_registry"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def _account_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["account_id"],
        ["accounts.id"],
        ondelete="CASCADE",
        name=f"fk_{table}_account_id_accounts",
    )


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("login_kind", sa.String(8), nullable=False),
        sa.Column("login_index", sa.LargeBinary(32), nullable=False),
        sa.Column("login_enc", sa.LargeBinary, nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("person_id", Id, nullable=True),
        sa.Column("bound_at", TS, nullable=True),
        sa.Column("failed_logins", sa.Integer, nullable=False),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name="fk_accounts_person_id_persons"
        ),
        sa.UniqueConstraint("login_index", name="uq_accounts_login_index"),
        sa.UniqueConstraint("person_id", name="uq_accounts_person_id"),
        sa.CheckConstraint("login_kind IN ('phone', 'username')", name="ck_accounts_login_kind"),
    )

    op.create_table(
        "account_sessions",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("account_id", Id, nullable=False),
        sa.Column("token_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_account_sessions"),
        _account_fk("account_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_account_sessions_token_hash"),
    )
    op.create_index("ix_account_sessions_account_id", "account_sessions", ["account_id"])

    op.create_table(
        "binding_challenges",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("account_id", Id, nullable=False),
        sa.Column("person_id", Id, nullable=True),
        sa.Column("code_hash", sa.LargeBinary(32), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("consumed_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_binding_challenges"),
        _account_fk("binding_challenges"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name="fk_binding_challenges_person_id_persons"
        ),
    )
    op.create_index("ix_binding_challenges_account_id", "binding_challenges", ["account_id"])

    op.create_table(
        "devices",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("account_id", Id, nullable=False),
        sa.Column("cose_key", sa.LargeBinary, nullable=False),
        sa.Column("thumbprint", sa.String(64), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("bound_at", TS, nullable=False),
        sa.Column("replaced_at", TS, nullable=True),
        sa.Column("replaced_by", Id, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_devices"),
        _account_fk("devices"),
        sa.ForeignKeyConstraint(
            ["replaced_by"], ["devices.id"], name="fk_devices_replaced_by_devices"
        ),
        sa.CheckConstraint("status IN ('active', 'replaced')", name="ck_devices_status"),
    )
    op.create_index("ix_devices_account_id", "devices", ["account_id"])

    op.create_table(
        "device_nonces",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("account_id", Id, nullable=False),
        sa.Column("nonce_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_device_nonces"),
        _account_fk("device_nonces"),
        sa.UniqueConstraint("nonce_hash", name="uq_device_nonces_nonce_hash"),
    )
    op.create_index("ix_device_nonces_account_id", "device_nonces", ["account_id"])

    op.create_table(
        "notification_outbox",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False),
        sa.Column("recipient_enc", sa.LargeBinary, nullable=False),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("body_enc", sa.LargeBinary, nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("sent_at", TS, nullable=True),
        sa.Column("last_error", sa.String(255), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_notification_outbox"),
        sa.CheckConstraint("channel IN ('sms', 'email')", name="ck_notification_outbox_channel"),
        sa.CheckConstraint(
            "status IN ('pending', 'sent', 'failed')", name="ck_notification_outbox_status"
        ),
    )
    op.create_index(
        "ix_notification_outbox_status_next_attempt_at",
        "notification_outbox",
        ["status", "next_attempt_at"],
    )


def downgrade() -> None:
    op.drop_table("notification_outbox")
    op.drop_table("device_nonces")
    op.drop_table("devices")
    op.drop_table("binding_challenges")
    op.drop_table("account_sessions")
    op.drop_table("accounts")
