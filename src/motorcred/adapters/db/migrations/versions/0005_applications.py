"""e-DL applications, uploaded application photos, photo flags.

Revision ID: 0005_applications
Revises: 0004_credentials
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_applications"
down_revision: str | None = "0004_credentials"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)
OPEN = sa.text("state IN ('in_review', 'approved')")


def upgrade() -> None:
    op.create_table(
        "edl_applications",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("account_id", Id, nullable=False),
        sa.Column("licence_id", Id, nullable=True),
        sa.Column("idempotency_key", sa.String(128), nullable=False),
        sa.Column("request_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("photo_path", sa.String(8), nullable=False),
        sa.Column("photo_ref", sa.String(64), nullable=True),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("refusals", sa.JSON, nullable=True),
        sa.Column("identity_check", sa.JSON, nullable=True),
        sa.Column("precheck", sa.JSON, nullable=True),
        sa.Column("due_at", TS, nullable=True),
        sa.Column("claim_token", sa.String(64), nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claim_expires_at", TS, nullable=True),
        sa.Column("decided_by", sa.String(64), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("reason_code", sa.String(64), nullable=True),
        sa.Column("reason_text", sa.String(500), nullable=True),
        sa.Column("credential_id", Id, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_edl_applications"),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name="fk_edl_applications_account_id_accounts"
        ),
        sa.ForeignKeyConstraint(
            ["licence_id"], ["licences.id"], name="fk_edl_applications_licence_id_licences"
        ),
        sa.ForeignKeyConstraint(
            ["credential_id"],
            ["credentials.id"],
            name="fk_edl_applications_credential_id_credentials",
        ),
        sa.UniqueConstraint(
            "account_id", "idempotency_key", name="uq_edl_applications_account_id_idempotency_key"
        ),
        sa.CheckConstraint(
            "state IN ('refused', 'in_review', 'approved', 'issued', 'rejected')",
            name="ck_edl_applications_state",
        ),
        sa.CheckConstraint(
            "photo_path IN ('on_file', 'camera', 'album')", name="ck_edl_applications_photo_path"
        ),
    )
    op.create_index(
        "ix_edl_applications_account_id_created_at",
        "edl_applications",
        ["account_id", "created_at"],
    )
    op.create_index("ix_edl_applications_licence_id", "edl_applications", ["licence_id"])
    op.create_index("ix_edl_applications_state_due_at", "edl_applications", ["state", "due_at"])
    op.create_index(
        "uq_edl_applications_open_licence",
        "edl_applications",
        ["licence_id"],
        unique=True,
        sqlite_where=OPEN,
        postgresql_where=OPEN,
    )

    op.create_table(
        "application_photos",
        sa.Column("ref", sa.String(64), nullable=False),
        sa.Column("jpeg_enc", sa.LargeBinary, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("ref", name="pk_application_photos"),
    )

    op.create_table(
        "photo_flags",
        sa.Column("licence_id", Id, nullable=False, autoincrement=False),
        sa.Column("application_id", Id, nullable=False),
        sa.Column("reason_text", sa.String(500), nullable=False),
        sa.Column("flagged_by", sa.String(64), nullable=False),
        sa.Column("flagged_at", TS, nullable=False),
        sa.Column("cleared_by", sa.String(64), nullable=True),
        sa.Column("cleared_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("licence_id", name="pk_photo_flags"),
        sa.ForeignKeyConstraint(
            ["licence_id"], ["licences.id"], name="fk_photo_flags_licence_id_licences"
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["edl_applications.id"],
            name="fk_photo_flags_application_id_edl_applications",
        ),
    )


def downgrade() -> None:
    op.drop_table("photo_flags")
    op.drop_table("application_photos")
    op.drop_index("uq_edl_applications_open_licence", table_name="edl_applications")
    op.drop_index("ix_edl_applications_state_due_at", table_name="edl_applications")
    op.drop_index("ix_edl_applications_licence_id", table_name="edl_applications")
    op.drop_index("ix_edl_applications_account_id_created_at", table_name="edl_applications")
    op.drop_table("edl_applications")
