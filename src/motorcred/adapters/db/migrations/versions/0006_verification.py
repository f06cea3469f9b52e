"""Verification: verifier organisations, keys and tokens, online codes, consents, audit log.

Revision ID: 0006_verification
Revises: 0005_applications
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_verification"
down_revision: str | None = "0005_applications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)
ROLE_CHECK = "role IN ('police', 'rental', 'insurer', 'employer', 'dealer', 'bank')"


def _fk(
    table: str, column: str, target: str, ondelete: str | None = None
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "verifier_orgs",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("contact", sa.String(128), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_verifier_orgs"),
        sa.UniqueConstraint("name", name="uq_verifier_orgs_name"),
        sa.CheckConstraint(ROLE_CHECK, name="ck_verifier_orgs_role"),
    )
    op.create_table(
        "verifier_keys",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("org_id", Id, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("prefix", sa.String(32), nullable=False),
        sa.Column("secret_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_verifier_keys"),
        _fk("verifier_keys", "org_id", "verifier_orgs", ondelete="CASCADE"),
        sa.UniqueConstraint("prefix", name="uq_verifier_keys_prefix"),
        sa.CheckConstraint("kind IN ('api_key', 'client')", name="ck_verifier_keys_kind"),
    )
    op.create_index("ix_verifier_keys_org_id", "verifier_keys", ["org_id"])
    op.create_table(
        "verifier_tokens",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("key_id", Id, nullable=False),
        sa.Column("token_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_verifier_tokens"),
        _fk("verifier_tokens", "key_id", "verifier_keys", ondelete="CASCADE"),
        sa.UniqueConstraint("token_hash", name="uq_verifier_tokens_token_hash"),
    )
    op.create_index("ix_verifier_tokens_key_id", "verifier_tokens", ["key_id"])
    op.create_index("ix_verifier_tokens_expires_at", "verifier_tokens", ["expires_at"])
    op.create_table(
        "online_codes",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("credential_id", Id, nullable=False),
        sa.Column("handle_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS, nullable=True),
        sa.Column("used_by", Id, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_online_codes"),
        _fk("online_codes", "credential_id", "credentials"),
        sa.ForeignKeyConstraint(
            ["used_by"], ["verifier_orgs.id"], name="fk_online_codes_used_by_verifier_orgs"
        ),
        sa.UniqueConstraint("handle_hash", name="uq_online_codes_handle_hash"),
    )
    op.create_index("ix_online_codes_credential_id", "online_codes", ["credential_id"])
    op.create_index("ix_online_codes_expires_at", "online_codes", ["expires_at"])
    op.create_table(
        "consents",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("account_id", Id, nullable=False),
        sa.Column("org_id", Id, nullable=False),
        sa.Column("purpose", sa.String(128), nullable=False),
        sa.Column("valid_from", TS, nullable=False),
        sa.Column("valid_until", TS, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_consents"),
        _fk("consents", "account_id", "accounts"),
        _fk("consents", "org_id", "verifier_orgs"),
        sa.CheckConstraint("valid_until > valid_from", name="ck_consents_period"),
    )
    op.create_index("ix_consents_account_id", "consents", ["account_id"])
    op.create_index("ix_consents_org_id", "consents", ["org_id"])
    op.create_table(
        "audit_log",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("seq", Id, nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("purpose", sa.String(128), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(64), nullable=False),
        sa.Column("subject_ref", sa.LargeBinary(64), nullable=False),
        sa.Column("fields_seen", sa.JSON, nullable=False),
        sa.Column("prev_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("hash", sa.LargeBinary(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
        sa.UniqueConstraint("seq", name="uq_audit_log_seq"),
    )
    op.create_index("ix_audit_log_subject_ref", "audit_log", ["subject_ref"])
    op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("seq", Id, nullable=False),
        sa.Column("hash", sa.LargeBinary(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_chain_head"),
        sa.CheckConstraint("id = 1", name="ck_audit_chain_head_single_row"),
    )


def downgrade() -> None:
    op.drop_table("audit_chain_head")
    op.drop_index("ix_audit_log_subject_ref", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index("ix_consents_org_id", table_name="consents")
    op.drop_index("ix_consents_account_id", table_name="consents")
    op.drop_table("consents")
    op.drop_index("ix_online_codes_expires_at", table_name="online_codes")
    op.drop_index("ix_online_codes_credential_id", table_name="online_codes")
    op.drop_table("online_codes")
    op.drop_index("ix_verifier_tokens_expires_at", table_name="verifier_tokens")
    op.drop_index("ix_verifier_tokens_key_id", table_name="verifier_tokens")
    op.drop_table("verifier_tokens")
    op.drop_index("ix_verifier_keys_org_id", table_name="verifier_keys")
    op.drop_table("verifier_keys")
    op.drop_table("verifier_orgs")
