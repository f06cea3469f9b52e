"""Verifier organisations, their API keys / OAuth2 clients and issued bearer tokens.

Secrets are random (256 bits) and stored only as SHA-256 digests: a slow
password hash buys nothing against a secret nobody can guess, and a fast one
keeps every verifier request cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, insert, select, update

from motorcred.adapters.db.repositories.accounts import aware
from motorcred.adapters.db.repositories.base import Repository
from motorcred.adapters.db.verification_tables import (
    verifier_keys,
    verifier_orgs,
    verifier_tokens,
)


@dataclass(frozen=True)
class VerifierOrg:
    id: int
    name: str
    role: str
    contact: str
    created_at: datetime


@dataclass(frozen=True)
class VerifierKey:
    id: int
    org_id: int
    kind: str
    prefix: str
    secret_hash: bytes
    label: str
    created_at: datetime
    revoked_at: datetime | None


def _org(row: Row[Any]) -> VerifierOrg:
    return VerifierOrg(
        id=int(row.id),
        name=row.name,
        role=row.role,
        contact=row.contact,
        created_at=aware(row.created_at),
    )


def _key(row: Row[Any]) -> VerifierKey:
    return VerifierKey(
        id=int(row.id),
        org_id=int(row.org_id),
        kind=row.kind,
        prefix=row.prefix,
        secret_hash=bytes(row.secret_hash),
        label=row.label,
        created_at=aware(row.created_at),
        revoked_at=aware(row.revoked_at),
    )


class VerifierRepository(Repository):
    # ------------------------------------------------------------------ organisations
    def add_org(self, name: str, role: str, contact: str, *, now: datetime) -> int:
        result = self.connection.execute(
            insert(verifier_orgs)
            .values(name=name, role=role, contact=contact, created_at=now)
            .returning(verifier_orgs.c.id)
        )
        return int(result.scalar_one())

    def get_org(self, org_id: int) -> VerifierOrg | None:
        row = self.connection.execute(
            select(verifier_orgs).where(verifier_orgs.c.id == org_id)
        ).first()
        return None if row is None else _org(row)

    def org_by_name(self, name: str) -> VerifierOrg | None:
        row = self.connection.execute(
            select(verifier_orgs).where(verifier_orgs.c.name == name)
        ).first()
        return None if row is None else _org(row)

    def orgs(self) -> list[VerifierOrg]:
        rows = self.connection.execute(select(verifier_orgs).order_by(verifier_orgs.c.id))
        return [_org(r) for r in rows]

    def org_names(self, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        rows = self.connection.execute(
            select(verifier_orgs.c.id, verifier_orgs.c.name).where(verifier_orgs.c.id.in_(ids))
        )
        return {int(r.id): r.name for r in rows}

    # ------------------------------------------------------------------ keys
    def add_key(
        self, org_id: int, kind: str, prefix: str, secret_hash: bytes, label: str, *, now: datetime
    ) -> int:
        result = self.connection.execute(
            insert(verifier_keys)
            .values(
                org_id=org_id,
                kind=kind,
                prefix=prefix,
                secret_hash=secret_hash,
                label=label,
                created_at=now,
            )
            .returning(verifier_keys.c.id)
        )
        return int(result.scalar_one())

    def key_by_prefix(self, prefix: str) -> VerifierKey | None:
        row = self.connection.execute(
            select(verifier_keys).where(verifier_keys.c.prefix == prefix)
        ).first()
        return None if row is None else _key(row)

    def get_key(self, key_id: int) -> VerifierKey | None:
        row = self.connection.execute(
            select(verifier_keys).where(verifier_keys.c.id == key_id)
        ).first()
        return None if row is None else _key(row)

    def keys_of(self, org_id: int) -> list[VerifierKey]:
        rows = self.connection.execute(
            select(verifier_keys)
            .where(verifier_keys.c.org_id == org_id)
            .order_by(verifier_keys.c.id)
        )
        return [_key(r) for r in rows]

    def revoke_key(self, key_id: int, *, now: datetime) -> bool:
        """Revoke a key and every token issued under it; False when already revoked."""
        result = self.connection.execute(
            update(verifier_keys)
            .where(verifier_keys.c.id == key_id, verifier_keys.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        self.connection.execute(delete(verifier_tokens).where(verifier_tokens.c.key_id == key_id))
        return result.rowcount > 0

    # ------------------------------------------------------------------ tokens
    def add_token(
        self, key_id: int, token_hash: bytes, *, now: datetime, expires_at: datetime
    ) -> None:
        self.connection.execute(
            insert(verifier_tokens).values(
                key_id=key_id, token_hash=token_hash, created_at=now, expires_at=expires_at
            )
        )

    def token(self, token_hash: bytes) -> tuple[VerifierKey, datetime] | None:
        """The key a bearer token was issued under and when the token expires."""
        row = self.connection.execute(
            select(verifier_keys, verifier_tokens.c.expires_at)
            .join(verifier_tokens, verifier_tokens.c.key_id == verifier_keys.c.id)
            .where(verifier_tokens.c.token_hash == token_hash)
        ).first()
        return None if row is None else (_key(row), aware(row.expires_at))

    def purge_tokens(self, *, now: datetime) -> int:
        result = self.connection.execute(
            delete(verifier_tokens).where(verifier_tokens.c.expires_at <= now)
        )
        return result.rowcount
