"""What a verifier sees of a licence: live status and the fields its role may see.

The view is built from the authoritative records at the time of the check —
the registry (person, licence) and the credential store (state, status-list
entry, validity) — and then cut down by the masking policy
(:mod:`motorcred.domain.masking`), whose output names are the "fields seen"
the audit log records.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from motorcred.adapters.db.records import Licence, Person
from motorcred.adapters.db.repositories.credentials import CredentialRow
from motorcred.adapters.db.uow import UnitOfWork
from motorcred.domain.masking import apply_policy
from motorcred.errors import MalformedData, NotFound
from motorcred.formats.mdoc.doctypes import MDL_NS
from motorcred.formats.mdoc.issuer_signed import IssuedDocument
from motorcred.services.status_lists import STATUS_INVALID, STATUS_SUSPENDED

KIND_EDL: Final = "edl"
SUBJECT_LICENCE: Final = "licence"
LIVE_STATUSES: Final = ("valid", "suspended", "revoked", "expired")


@dataclass(frozen=True)
class Subject:
    """The licence a check is about, with its credential (if one was issued)."""

    licence: Licence
    person: Person
    credential: CredentialRow | None


def load_subject(uow: UnitOfWork, licence: Licence, credential: CredentialRow | None) -> Subject:
    person = uow.persons.get(licence.data.person_id)
    if person is None:  # pragma: no cover - a licence always references its person
        raise NotFound("PERSON_NOT_FOUND", "the licence's holder is not in the registry")
    return Subject(licence, person, credential)


def subject_of_credential(uow: UnitOfWork, credential_id: int) -> Subject:
    credential = uow.credentials.get(credential_id)
    if credential is None or credential.subject_kind != SUBJECT_LICENCE:
        raise NotFound("CREDENTIAL_UNKNOWN", "no such credential")
    licence = uow.licences.get(credential.subject_id)
    if licence is None:
        raise NotFound("LICENCE_NOT_FOUND", "the credential's licence is not in the registry")
    return load_subject(uow, licence, credential)


def live_status(uow: UnitOfWork, subject: Subject, now: datetime) -> str:
    """valid, suspended, revoked or expired — from the credential store and the registry.

    Revocation wins over expiry, expiry over suspension: a revoked credential
    must never look merely expired.
    """
    credential = subject.credential
    entry: int | None = None
    if credential is not None:
        if credential.state in ("revoked", "superseded"):
            return "revoked"
        entry = uow.status_lists.entry_status(credential.status_list_id, credential.status_index)
        if entry == STATUS_INVALID:
            return "revoked"
        if credential.valid_until is not None and now >= credential.valid_until:
            return "expired"
    valid_until = subject.licence.data.valid_until
    if valid_until is not None and now.date() > valid_until:
        return "expired"
    if entry == STATUS_SUSPENDED:
        return "suspended"
    return "valid"


def _portrait(credential: CredentialRow | None) -> str | None:
    if credential is None or credential.document is None:
        return None
    try:
        item = IssuedDocument.decode(credential.document).item(MDL_NS, "portrait")
    except MalformedData:
        return None
    if item is None or not isinstance(item.value, bytes):
        return None
    return base64.b64encode(item.value).decode()


def all_fields(subject: Subject, status: str) -> dict[str, Any]:
    """Every field of the licence a policy may show, by the policy's field names."""
    person, licence = subject.person.data, subject.licence.data
    fields: dict[str, Any] = {
        "name": person.name,
        "sex": person.sex,
        "nationality": person.nationality,
        "birth_date": person.birth_date.isoformat(),
        "licence_number": licence.number,
        "classes": licence.classes,
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": None if licence.valid_until is None else licence.valid_until.isoformat(),
        "status": status,
        "points": licence.points,
        "file_number": licence.file_number,
        "issuing_authority": licence.issuing_authority,
        "first_issue_date": licence.first_issue_date.isoformat(),
    }
    if person.address:
        fields["address"] = person.address
    portrait = _portrait(subject.credential)
    if portrait is not None:
        fields["portrait"] = portrait
    return fields


def role_view(uow: UnitOfWork, subject: Subject, role: str, now: datetime) -> dict[str, Any]:
    """The response of a successful check for ``role``."""
    status = live_status(uow, subject, now)
    shown = apply_policy(KIND_EDL, role, all_fields(subject, status))
    return {
        "kind": KIND_EDL,
        "credential_id": None if subject.credential is None else subject.credential.id,
        "status": status,
        "checked_at": now.isoformat(),
        "role": role,
        "fields": shown,
        "fields_seen": sorted(shown),
    }
