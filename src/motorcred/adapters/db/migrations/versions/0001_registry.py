"""Registry: persons, licences and their classes, vehicles, events, cities, idempotency keys.

Revision ID: 0001_registry
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_registry"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("content_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "persons",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("id_number_index", sa.LargeBinary(32), nullable=False),
        sa.Column("id_number_enc", sa.LargeBinary, nullable=False),
        sa.Column("name_enc", sa.LargeBinary, nullable=False),
        sa.Column("birth_date_enc", sa.LargeBinary, nullable=False),
        sa.Column("phone_enc", sa.LargeBinary, nullable=True),
        sa.Column("address_enc", sa.LargeBinary, nullable=True),
        sa.Column("sex", sa.String(1), nullable=False),
        sa.Column("nationality", sa.String(3), nullable=False),
        sa.Column("city_code", sa.String(6), nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_persons"),
        sa.UniqueConstraint("id_number_index", name="uq_persons_id_number_index"),
    )
    op.create_index("ix_persons_city_code", "persons", ["city_code"])

    op.create_table(
        "licences",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("person_id", Id, nullable=False),
        sa.Column("number_index", sa.LargeBinary(32), nullable=False),
        sa.Column("number_enc", sa.LargeBinary, nullable=False),
        sa.Column("file_number", sa.String(12), nullable=False),
        sa.Column("classes", sa.String(32), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("points", sa.Integer, nullable=False),
        sa.Column("first_issue_date", sa.Date, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("issuing_authority", sa.String(64), nullable=False),
        sa.Column("city_code", sa.String(6), nullable=True),
        sa.Column("state", sa.JSON, nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_licences"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name="fk_licences_person_id_persons"
        ),
        sa.UniqueConstraint("person_id", name="uq_licences_person_id"),
        sa.UniqueConstraint("number_index", name="uq_licences_number_index"),
        sa.UniqueConstraint("file_number", name="uq_licences_file_number"),
    )
    op.create_index("ix_licences_status", "licences", ["status"])
    op.create_index("ix_licences_city_code", "licences", ["city_code"])

    op.create_table(
        "licence_classes",
        sa.Column("licence_id", Id, nullable=False),
        sa.Column("class_code", sa.String(2), nullable=False),
        sa.Column("granted_on", sa.Date, nullable=True),
        sa.PrimaryKeyConstraint("licence_id", "class_code", name="pk_licence_classes"),
        sa.ForeignKeyConstraint(
            ["licence_id"], ["licences.id"], ondelete="CASCADE",
            name="fk_licence_classes_licence_id_licences",
        ),
    )
    op.create_index("ix_licence_classes_class_code", "licence_classes", ["class_code"])

    op.create_table(
        "vehicles",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("plate", sa.String(16), nullable=False),
        sa.Column("plate_type", sa.String(2), nullable=False),
        sa.Column("vin", sa.String(17), nullable=False),
        sa.Column("owner_id", Id, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("use_character", sa.String(2), nullable=False),
        sa.Column("registration_date", sa.Date, nullable=False),
        sa.Column("inspection_valid_until", sa.Date, nullable=True),
        sa.Column("city_code", sa.String(6), nullable=True),
        sa.Column("state", sa.JSON, nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_vehicles"),
        sa.ForeignKeyConstraint(["owner_id"], ["persons.id"], name="fk_vehicles_owner_id_persons"),
        sa.UniqueConstraint("plate", name="uq_vehicles_plate"),
        sa.UniqueConstraint("vin", name="uq_vehicles_vin"),
    )
    op.create_index("ix_vehicles_owner_id", "vehicles", ["owner_id"])
    op.create_index("ix_vehicles_status", "vehicles", ["status"])
    op.create_index("ix_vehicles_city_code", "vehicles", ["city_code"])

    op.create_table(
        "registry_events",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("record_kind", sa.String(16), nullable=False),
        sa.Column("record_id", Id, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("event_type", sa.String(48), nullable=False),
        sa.Column("payload_enc", sa.LargeBinary, nullable=False),
        sa.Column("occurred_at", TS, nullable=False),
        sa.Column("recorded_at", TS, nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_registry_events"),
        sa.UniqueConstraint(
            "record_kind", "record_id", "seq",
            name="uq_registry_events_record_kind_record_id_seq",
        ),
        sa.CheckConstraint(
            "record_kind IN ('licence', 'vehicle')", name="ck_registry_events_record_kind"
        ),
    )

    op.create_table(
        "cities",
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("province", sa.String(8), nullable=False),
        sa.Column("edl_from", sa.Date, nullable=True),
        sa.Column("evrc_from", sa.Date, nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_cities"),
    )

    op.create_table(
        "idempotency_keys",
        sa.Column("scope", sa.String(48), nullable=False),
        sa.Column("key", sa.String(128), nullable=False),
        sa.Column("request_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name="pk_idempotency_keys"),
    )
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"])


def downgrade() -> None:
    op.drop_table("idempotency_keys")
    op.drop_table("cities")
    op.drop_table("registry_events")
    op.drop_table("vehicles")
    op.drop_table("licence_classes")
    op.drop_table("licences")
    op.drop_table("persons")
