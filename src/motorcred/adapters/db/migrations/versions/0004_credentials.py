"""Signing service: status lists, status entries, issued credentials.

Revision ID: 0004_credentials
Revises: 0003_person_events
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_credentials"
down_revision: str | None = "0003_person_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "status_lists",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("region", sa.String(16), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("bits", sa.Integer, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("allocated", sa.Integer, nullable=False),
        sa.Column("permutation_key", sa.LargeBinary(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("token", sa.LargeBinary, nullable=True),
        sa.Column("token_version", sa.Integer, nullable=True),
        sa.Column("token_issued_at", TS, nullable=True),
        sa.Column("token_expires_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_status_lists"),
        sa.UniqueConstraint("purpose", "region", "seq", name="uq_status_lists_purpose_region_seq"),
        sa.CheckConstraint("bits IN (1, 2, 4, 8)", name="ck_status_lists_bits"),
        sa.CheckConstraint(
            "allocated >= 0 AND allocated <= size", name="ck_status_lists_allocated"
        ),
    )

    op.create_table(
        "status_entries",
        sa.Column("list_id", Id, nullable=False),
        sa.Column("idx", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("list_id", "idx", name="pk_status_entries"),
        sa.ForeignKeyConstraint(
            ["list_id"],
            ["status_lists.id"],
            ondelete="CASCADE",
            name="fk_status_entries_list_id_status_lists",
        ),
        sa.CheckConstraint("status >= 0 AND status <= 255", name="ck_status_entries_status"),
    )

    op.create_table(
        "credentials",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("subject_kind", sa.String(16), nullable=False),
        sa.Column("subject_id", Id, nullable=False),
        sa.Column("account_id", Id, nullable=True),
        sa.Column("device_key", sa.LargeBinary, nullable=False),
        sa.Column("status_list_id", Id, nullable=False),
        sa.Column("status_index", sa.Integer, nullable=False),
        sa.Column("doctype", sa.String(64), nullable=False),
        sa.Column("document_enc", sa.LargeBinary, nullable=True),
        sa.Column("signer_key_id", sa.String(64), nullable=True),
        sa.Column("issued_at", TS, nullable=True),
        sa.Column("valid_from", TS, nullable=True),
        sa.Column("valid_until", TS, nullable=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("superseded_by", Id, nullable=True),
        sa.Column("idempotency_key", sa.String(128), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_credentials"),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name="fk_credentials_account_id_accounts"
        ),
        sa.ForeignKeyConstraint(
            ["status_list_id"],
            ["status_lists.id"],
            name="fk_credentials_status_list_id_status_lists",
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by"],
            ["credentials.id"],
            name="fk_credentials_superseded_by_credentials",
        ),
        sa.UniqueConstraint("idempotency_key", name="uq_credentials_idempotency_key"),
        sa.UniqueConstraint(
            "status_list_id", "status_index", name="uq_credentials_status_list_id_status_index"
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'active', 'superseded', 'revoked')",
            name="ck_credentials_state",
        ),
        sa.CheckConstraint("kind IN ('edl', 'evrc')", name="ck_credentials_kind"),
    )
    op.create_index("ix_credentials_account_id", "credentials", ["account_id"])
    op.create_index(
        "ix_credentials_subject_kind_subject_id", "credentials", ["subject_kind", "subject_id"]
    )
    op.create_index(
        "uq_credentials_active_subject",
        "credentials",
        ["kind", "subject_kind", "subject_id"],
        unique=True,
        sqlite_where=sa.text("state = 'active'"),
        postgresql_where=sa.text("state = 'active'"),
    )


def downgrade() -> None:
    op.drop_index("uq_credentials_active_subject", table_name="credentials")
    op.drop_index("ix_credentials_subject_kind_subject_id", table_name="credentials")
    op.drop_index("ix_credentials_account_id", table_name="credentials")
    op.drop_table("credentials")
    op.drop_table("status_entries")
    op.drop_table("status_lists")
