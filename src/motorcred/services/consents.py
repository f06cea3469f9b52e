"""Standing consent: a holder lets a named organisation check them repeatedly.

A consent names the organisation, the purpose and the period; the holder can
list and revoke consents, and a revocation takes effect at the next check
(nothing is cached). Checks under a consent are in :mod:`verifications`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from motorcred.adapters.db.repositories.checks import Consent
from motorcred.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from motorcred.bootstrap import Container

MAX_PERIOD: Final = timedelta(days=366)
MAX_PURPOSE: Final = 128


def check_purpose(purpose: str | None, code: str = "PURPOSE_INVALID") -> str | None:
    """A purpose is free text for people, 1..128 printable characters, or absent."""
    if purpose is None or not purpose.strip():
        return None
    purpose = purpose.strip()
    if len(purpose) > MAX_PURPOSE or any(ord(c) < 0x20 for c in purpose):
        raise InvalidInput(code, f"the purpose must be 1 to {MAX_PURPOSE} printable characters")
    return purpose


def _status(consent: Consent, now: datetime) -> str:
    if consent.revoked_at is not None:
        return "revoked"
    if now >= consent.valid_until:
        return "expired"
    if now < consent.valid_from:
        return "pending"
    return "live"


def view(consent: Consent, org_name: str, now: datetime) -> dict[str, object]:
    return {
        "id": consent.id,
        "organisation_id": consent.org_id,
        "organisation": org_name,
        "purpose": consent.purpose,
        "valid_from": consent.valid_from.isoformat(),
        "valid_until": consent.valid_until.isoformat(),
        "revoked_at": None if consent.revoked_at is None else consent.revoked_at.isoformat(),
        "status": _status(consent, now),
    }


def grant(
    container: Container,
    account_id: int,
    org_id: int,
    purpose: str,
    valid_until: datetime,
    valid_from: datetime | None = None,
) -> dict[str, object]:
    now = container.clock()
    start = valid_from or now
    text = check_purpose(purpose, "CONSENT_PURPOSE_INVALID")
    if text is None:
        raise InvalidInput("CONSENT_PURPOSE_INVALID", "state what the organisation may check for")
    if start.utcoffset() is None or valid_until.utcoffset() is None:
        raise InvalidInput("CONSENT_PERIOD_INVALID", "times must carry a time zone")
    if not start < valid_until or valid_until <= now or valid_until - start > MAX_PERIOD:
        raise InvalidInput(
            "CONSENT_PERIOD_INVALID",
            "the period must end after it starts, in the future, and last at most a year",
        )
    with container.unit_of_work() as uow:
        account = uow.accounts.get(account_id)
        if account is None or account.person_id is None:
            raise NotFound(
                "ACCOUNT_NOT_BOUND", "bind the account to your registry record before consenting"
            )
        org = uow.verifiers.get_org(org_id)
        if org is None:
            raise NotFound("VERIFIER_UNKNOWN", f"no verifier organisation {org_id}")
        consent_id = uow.consents.add(
            account_id, org_id, text, valid_from=start, valid_until=valid_until, now=now
        )
        consent = uow.consents.get(consent_id)
        uow.commit()
    assert consent is not None
    return view(consent, org.name, now)


def list_for(container: Container, account_id: int) -> list[dict[str, object]]:
    now = container.clock()
    with container.unit_of_work() as uow:
        items = uow.consents.of_account(account_id)
        names = uow.verifiers.org_names({c.org_id for c in items})
    return [view(c, names.get(c.org_id, ""), now) for c in items]


def revoke(container: Container, account_id: int, consent_id: int) -> dict[str, object]:
    """Revoke at once (idempotent); someone else's consent looks like a missing one."""
    now = container.clock()
    with container.unit_of_work() as uow:
        consent = uow.consents.get(consent_id)
        if consent is None or consent.account_id != account_id:
            raise NotFound("CONSENT_UNKNOWN", "you gave no consent with this id")
        uow.consents.revoke(consent_id, now=now)
        after = uow.consents.get(consent_id)
        names = uow.verifiers.org_names({consent.org_id})
        uow.commit()
    assert after is not None
    return view(after, names.get(consent.org_id, ""), now)
