"""Online checks by verifiers: a shown code, a police lookup, or a standing consent.

Every check — answered or refused — is appended to the audit log: an answer in
the same unit of work as the consumption of the code (both or neither), a
refusal in a unit of work of its own after the check's own work was rolled
back. Refusals carry no data of the holder (DOMAIN.md section 4: nobody sees a
holder's data without the holder's authorisation).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from motorcred.adapters.db.uow import UnitOfWork
from motorcred.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    MotorcredError,
    NotFound,
    VerificationFailed,
)
from motorcred.services import audit
from motorcred.services.consents import check_purpose
from motorcred.services.online_codes import handle_digest
from motorcred.services.verification_view import (
    KIND_EDL,
    SUBJECT_LICENCE,
    Subject,
    load_subject,
    role_view,
    subject_of_credential,
)
from motorcred.services.verifiers import VerifierPrincipal

if TYPE_CHECKING:
    from motorcred.bootstrap import Container

CODE_PURPOSE: Final = "online code shown by the holder"
LOOKUP_ROLES: Final = ("police",)


class _Check:
    """One check in progress: who asks, for what, and whom it turned out to be about."""

    def __init__(
        self, container: Container, principal: VerifierPrincipal, action: str, purpose: str
    ) -> None:
        self.container = container
        self.principal = principal
        self.action = action
        self.purpose = purpose
        self.subject_ref = audit.UNKNOWN_SUBJECT

    def about(self, subject: Subject) -> None:
        self.subject_ref = audit.subject_ref(self.container, subject.licence.data.number)

    def entry(self, outcome: str, fields: tuple[str, ...] = ()) -> audit.Check:
        return audit.Check(
            actor=self.principal.actor,
            role=self.principal.role,
            purpose=self.purpose,
            action=self.action,
            outcome=outcome,
            subject_ref=self.subject_ref,
            fields_seen=fields,
        )

    def run(self, body: Callable[[UnitOfWork, datetime], Subject]) -> dict[str, Any]:
        """Find the subject with ``body``, answer with the role's view, audit either way."""
        now = self.container.clock()
        try:
            with self.container.unit_of_work() as uow:
                subject = body(uow, now)
                self.about(subject)
                result = role_view(uow, subject, self.principal.role, now)
                result["organisation"] = self.principal.org_name
                result["purpose"] = self.purpose
                fields = tuple(result["fields_seen"])
                audit.record(uow, audit.chain_key(self.container), self.entry("ok", fields), now)
                uow.commit()
                return result
        except MotorcredError as refusal:
            audit.record_alone(self.container, self.entry(refusal.code))
            raise


def check_code(
    container: Container, principal: VerifierPrincipal, code: str, purpose: str | None = None
) -> dict[str, Any]:
    """Check a shown online code: consumed at once, whatever the outcome after."""
    check = _Check(container, principal, "online_check", CODE_PURPOSE)
    check.purpose = check_purpose(purpose) or CODE_PURPOSE

    def body(uow: UnitOfWork, now: datetime) -> Subject:
        digest = handle_digest(code)
        credential_id = uow.online_codes.consume(digest, principal.org_id, now=now)
        if credential_id is not None:
            return subject_of_credential(uow, credential_id)
        stored = uow.online_codes.get(digest)
        if stored is None:
            raise NotFound("CODE_UNKNOWN", "this code was never issued; ask the holder to refresh")
        check.about(subject_of_credential(uow, stored.credential_id))
        if stored.used_at is not None:
            raise Conflict(
                "CODE_ALREADY_USED", "this code was already checked; codes are single use"
            )
        raise VerificationFailed("CODE_EXPIRED", "this code has expired; ask the holder to refresh")

    return check.run(body)


def lookup_licence(
    container: Container, principal: VerifierPrincipal, licence_number: str, purpose: str | None
) -> dict[str, Any]:
    """Police only: look a licence up by number, for a stated purpose (both audited)."""
    stated = check_purpose(purpose, "LOOKUP_PURPOSE_INVALID")
    check = _Check(container, principal, "lookup", stated or "none stated")

    def body(uow: UnitOfWork, now: datetime) -> Subject:
        if principal.role not in LOOKUP_ROLES:
            raise Forbidden(
                "LOOKUP_FORBIDDEN", "only police terminals may look a licence up by number"
            )
        if stated is None:
            raise InvalidInput(
                "LOOKUP_PURPOSE_REQUIRED", "state the purpose of the lookup; it is logged"
            )
        licence = uow.licences.get_by_number(licence_number.strip())
        if licence is None:
            raise NotFound("LICENCE_NOT_FOUND", "no licence with this number")
        credential = uow.credentials.active_for_subject(KIND_EDL, SUBJECT_LICENCE, licence.id)
        return load_subject(uow, licence, credential)

    return check.run(body)


def check_consent(
    container: Container, principal: VerifierPrincipal, consent_id: int
) -> dict[str, Any]:
    """A check under a standing consent, only while it is live and given to this verifier."""
    check = _Check(container, principal, "consent_check", "standing consent")

    def body(uow: UnitOfWork, now: datetime) -> Subject:
        consent = uow.consents.get(consent_id)
        if consent is None or consent.org_id != principal.org_id:
            raise Forbidden(
                "CONSENT_REQUIRED", "no holder has given your organisation a consent with this id"
            )
        check.purpose = consent.purpose
        if consent.revoked_at is not None:
            raise Forbidden("CONSENT_REVOKED", "the holder has revoked this consent")
        if not consent.valid_from <= now < consent.valid_until:
            raise Forbidden("CONSENT_EXPIRED", "this consent is outside its period")
        credentials = [
            c for c in uow.credentials.active_for_account(consent.account_id) if c.kind == KIND_EDL
        ]
        if not credentials:
            raise NotFound("CREDENTIAL_NONE", "the holder has no active e-licence")
        return subject_of_credential(uow, credentials[0].id)

    return check.run(body)
