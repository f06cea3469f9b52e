"""Credentials: the compact offline credential signed beside an e-DL (sealed, nullable).

Revision ID: 0007_offline_credential
Revises: 0006_verification
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_offline_credential"
down_revision: str | None = "0006_verification"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("credentials", sa.Column("offline_document_enc", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        batch.drop_column("offline_document_enc")
