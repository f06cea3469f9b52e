"""The audit log of checks: append (serialised, never forking), verify, list per holder.

Each check (success or refusal) becomes one chained entry
(:mod:`motorcred.domain.audit_chain`). The chain is keyed: the HMAC key is
derived from the blind-index key, so someone who can write the table but does
not hold the server's keys cannot recompute a valid chain after an edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Final

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from motorcred.adapters.db.repositories.audit import chained_action
from motorcred.adapters.db.uow import UnitOfWork
from motorcred.domain.audit_chain import (
    AuditEntry,
    ChainedEntry,
    ChainReport,
    link_hash,
    verify_chain,
)
from motorcred.errors import NotFound

if TYPE_CHECKING:
    from motorcred.bootstrap import Container

#: The subject of a refused check whose credential could not be identified.
UNKNOWN_SUBJECT: Final = bytes(16)
SUBJECT_KIND: Final = "audit_subject"
OUTCOME_OK: Final = "ok"


def chain_key(container: Container) -> bytes:
    """The audit chain's HMAC key, derived from the blind-index key (HKDF-SHA256)."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"motorcred audit chain v1"
    ).derive(container.settings.key_bytes("blind_index_key"))


def subject_ref(container: Container, licence_number: str) -> bytes:
    """Blind index of the checked licence: who was checked, without naming them."""
    return container.blind_index.digest(licence_number, kind=SUBJECT_KIND)


@dataclass(frozen=True)
class Check:
    """What a check did, as the audit log records it."""

    actor: str
    role: str
    purpose: str
    action: str
    outcome: str
    subject_ref: bytes = UNKNOWN_SUBJECT
    fields_seen: tuple[str, ...] = ()


def record(uow: UnitOfWork, key: bytes, check: Check, at: datetime) -> ChainedEntry:
    """Append ``check`` inside the caller's unit of work (the caller commits).

    The chain head is locked first, so concurrent appends queue up; an entry is
    never dated before its predecessor even if clocks of replicas disagree.
    """
    seq, prev_hash = uow.audit.lock_head()
    last_at = uow.audit.last_at(seq) if seq else None
    if last_at is not None and at < last_at:
        at = last_at
    entry = AuditEntry(
        seq=seq + 1,
        at=at,
        actor=check.actor,
        role=check.role,
        purpose=check.purpose,
        action=chained_action(check.action, check.outcome),
        subject_ref=check.subject_ref,
        fields_seen=check.fields_seen,
    )
    item = ChainedEntry(entry, prev_hash, link_hash(prev_hash, entry, key=key))
    uow.audit.append(item, check.action, check.outcome)
    return item


def record_alone(container: Container, check: Check) -> None:
    """Append ``check`` in a unit of work of its own (refusals: nothing else is written)."""
    with container.unit_of_work() as uow:
        record(uow, chain_key(container), check, container.clock())
        uow.commit()


def verify(container: Container) -> ChainReport:
    """Walk the whole log in storage order; the first edited/deleted/reordered entry."""
    with container.unit_of_work() as uow:
        return verify_chain((row.chained for row in uow.audit.walk()), key=chain_key(container))


def checks_of_account(
    container: Container, account_id: int, limit: int = 100
) -> list[dict[str, object]]:
    """Who checked the holder's licence: organisation, role, purpose, fields, outcome."""
    with container.unit_of_work() as uow:
        account = uow.accounts.get(account_id)
        if account is None or account.person_id is None:
            raise NotFound(
                "ACCOUNT_NOT_BOUND", "bind the account to your registry record to see checks"
            )
        licence = uow.licences.get_by_person(account.person_id)
        if licence is None:
            return []
        rows = uow.audit.for_subject(subject_ref(container, licence.data.number), limit)
        org_ids = {
            int(r.chained.entry.actor.split(":", 1)[1])
            for r in rows
            if r.chained.entry.actor.startswith("verifier:")
        }
        names = uow.verifiers.org_names(org_ids)
    out: list[dict[str, object]] = []
    for row in rows:
        entry = row.chained.entry
        org_id = int(entry.actor.split(":", 1)[1]) if entry.actor.startswith("verifier:") else None
        out.append(
            {
                "at": entry.at.isoformat(),
                "organisation": names.get(org_id, entry.actor) if org_id else entry.actor,
                "role": entry.role,
                "purpose": entry.purpose,
                "action": row.action,
                "outcome": row.outcome,
                "fields_seen": list(entry.fields_seen),
            }
        )
    return out
