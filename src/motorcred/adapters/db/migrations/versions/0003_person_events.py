"""Registry events may belong to a person (change of address or phone).

Revision ID: 0003_person_events
Revises: 0002_accounts
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003_person_events"
down_revision: str | None = "0002_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAME = "ck_registry_events_record_kind"


def _set_kinds(condition: str) -> None:
    # SQLite cannot alter a CHECK constraint in place; batch mode rebuilds the table.
    with op.batch_alter_table("registry_events", recreate="auto") as batch:
        batch.drop_constraint(_NAME, type_="check")
        batch.create_check_constraint(_NAME, condition)


def upgrade() -> None:
    _set_kinds("record_kind IN ('licence', 'vehicle', 'person')")


def downgrade() -> None:
    op.execute("DELETE FROM registry_events WHERE record_kind = 'person'")
    _set_kinds("record_kind IN ('licence', 'vehicle')")
