"""Generation of an approved application's e-licence, behind a small port.

Approval (at once on the photo-on-file path, or by a reviewer) leaves the
application ``approved``; :func:`generate_approved` then runs the
``EdlGenerator`` inside a job boundary and, when it returns a credential id,
moves the application to ``issued``. Generation is keyed by the application id,
so running it again after a crash returns the same credential instead of
issuing twice. When no generator is wired the application simply stays
``approved`` — the hand-off point for the issuance service.

``CredentialStatusHook`` is how the review workflow stops (and later resumes)
the e-licence of a holder who submitted a malicious photo.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from cryptography.hazmat.primitives.asymmetric import ec

from motorcred.adapters.db.repositories.applications import ApplicationRepository, PhotoRepository
from motorcred.domain.eligibility import check_eligibility
from motorcred.errors import MotorcredError, NotFound
from motorcred.services.devices import active_device
from motorcred.services.issuance import LicenceSubject
from motorcred.services.registry_mapping import stored_licence, stored_person

if TYPE_CHECKING:
    from motorcred.bootstrap import Container

log = logging.getLogger("motorcred.edl")


@dataclass(frozen=True)
class ApprovedApplication:
    application_id: int
    account_id: int
    licence_id: int
    portrait: bytes
    """The approved photo (JPEG): the photo on file, or the reviewed upload."""
    device_key: ec.EllipticCurvePublicKey


class EdlGenerator(Protocol):
    def __call__(self, application: ApprovedApplication) -> int:
        """Issue (or on retry return) the e-licence; returns the credential id."""
        ...


class CredentialStatusHook(Protocol):
    def stop(self, licence_id: int) -> bool:
        """Stop the licence's current e-licence (status list); True when one changed."""
        ...

    def resume(self, licence_id: int) -> bool:
        """Make it valid again after staff cleared the flag; True when one changed."""
        ...


JobRunner = Callable[[Callable[[], None]], None]


def run_inline(job: Callable[[], None]) -> None:
    """The embedded profile's job boundary: run now, in this process."""
    job()


def generate_approved(
    container: Container,
    generator: EdlGenerator | None,
    approved: ApprovedApplication,
    *,
    run_job: JobRunner = run_inline,
) -> None:
    """Run generation for an approved application as a job; failures leave it approved."""
    if generator is None:
        return

    def job() -> None:
        try:
            credential_id = generator(approved)
        except MotorcredError as exc:
            # The application stays approved; a retry (same key) picks it up again.
            log.warning("generation of application %s failed: %s", approved.application_id, exc)
            return
        with container.unit_of_work() as uow:
            repo = ApplicationRepository(uow.connection, container.cipher, container.blind_index)
            repo.set_state(
                approved.application_id,
                "issued",
                now=container.clock(),
                expect="approved",
                credential_id=credential_id,
            )
            uow.commit()

    run_job(job)


def generate_pending(
    container: Container,
    generator: EdlGenerator,
    *,
    limit: int = 100,
    run_job: JobRunner = run_inline,
) -> int:
    """Re-run generation for applications left ``approved`` (a crash, a signer outage).

    Safe to run at any time and as often as wanted: generation is keyed by the
    application id, so an application is never issued twice. Returns how many
    applications were handed to generation.
    """
    with container.unit_of_work() as uow:
        apps = ApplicationRepository(uow.connection, container.cipher, container.blind_index)
        photos = PhotoRepository(uow.connection, container.cipher, container.blind_index)
        pending: list[ApprovedApplication] = []
        for row in apps.in_state("approved", limit=limit):
            photo = photos.get(row.photo_ref) if row.photo_ref else None
            device = active_device(uow, row.account_id)
            if row.licence_id is None or photo is None or device is None:
                log.warning("approved application %s cannot be generated yet", row.id)
                continue
            pending.append(
                ApprovedApplication(
                    row.id, row.account_id, row.licence_id, photo, device.public_key
                )
            )
    for approved in pending:
        generate_approved(container, generator, approved, run_job=run_job)
    return len(pending)


class IssuanceGenerator:
    """The generator of the signing service: the registry licence, its holder and the
    approved photo become an e-DL bound to the holder's device key."""

    def __init__(self, container: Container) -> None:
        self._c = container

    def __call__(self, application: ApprovedApplication) -> int:
        with self._c.unit_of_work() as uow:
            record = uow.licences.get(application.licence_id)
            if record is None:
                raise NotFound("LICENCE_NOT_FOUND", "the licence of this application is gone")
            licence = stored_licence(record)
            person_record = uow.persons.get(licence.person_id)
            if person_record is None:
                raise NotFound("PERSON_NOT_FOUND", "the holder of this licence is gone")
            person = stored_person(person_record).person
        subject = LicenceSubject(
            licence_id=licence.id,
            licence=licence.licence,
            person=person,
            portrait=application.portrait,
        )
        issued = self._c.issuance.issue_edl(
            account_id=application.account_id,
            subject=subject,
            device_key=application.device_key,
            application_id=str(application.application_id),
        )
        return issued.id


class IssuanceStatusHook:
    """Stops an e-licence by suspending it in its status list; resumes it only when
    nothing else on the licence keeps it from being valid."""

    def __init__(self, container: Container) -> None:
        self._c = container

    def stop(self, licence_id: int) -> bool:
        return self._c.issuance.suspend(licence_id)

    def resume(self, licence_id: int) -> bool:
        with self._c.unit_of_work() as uow:
            record = uow.licences.get(licence_id)
        if record is None:
            return False
        today = self._c.clock().date()
        if not check_eligibility(stored_licence(record).licence, today).eligible:
            return False  # suspended for another reason too: the registry decides
        return self._c.issuance.unsuspend(licence_id)
