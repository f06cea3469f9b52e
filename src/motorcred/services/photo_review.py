"""The staff review queue for new licence photos (paths b and c).

* :meth:`PhotoReviewService.claim` hands a reviewer the oldest due item under a
  claim token with a lease; two reviewers never get the same item (see
  ``ApplicationRepository.claim_next``), and an item whose lease ran out — the
  reviewer closed the tab — returns to the queue by itself.
* Decisions need the live claim: ``approve`` → ``approved`` → generation;
  ``reject`` with a reason the holder reads; ``flag_malicious`` rejects, flags the
  licence (no new application until staff clear it) and stops the e-licence
  through the ``CredentialStatusHook``.
* :meth:`overdue` reports what has passed its SLA (end of the next working day).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from motorcred.adapters.db.repositories.applications import (
    ApplicationRepository,
    ApplicationRow,
    PhotoRepository,
)
from motorcred.adapters.db.uow import UnitOfWork
from motorcred.errors import Conflict, InvalidInput, NotFound
from motorcred.services.devices import active_device
from motorcred.services.edl_generation import (
    ApprovedApplication,
    CredentialStatusHook,
    EdlGenerator,
    JobRunner,
    generate_approved,
    run_inline,
)

if TYPE_CHECKING:
    from motorcred.bootstrap import Container

MAX_REASON = 500


@dataclass(frozen=True)
class ClaimedItem:
    application_id: int
    claim_token: str
    claimed_by: str
    lease_expires_at: datetime
    due_at: datetime | None
    submitted_at: datetime
    photo_path: str
    precheck: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "application_id": self.application_id,
            "claim_token": self.claim_token,
            "claimed_by": self.claimed_by,
            "lease_expires_at": self.lease_expires_at.isoformat(),
            "due_at": None if self.due_at is None else self.due_at.isoformat(),
            "submitted_at": self.submitted_at.isoformat(),
            "photo_path": self.photo_path,
            "precheck": self.precheck,
            "photo_url": f"/api/v1/review/items/{self.application_id}/photo",
        }


@dataclass(frozen=True)
class OverdueReport:
    now: datetime
    waiting: int
    claimed: int
    overdue: int
    oldest_due_at: datetime | None
    oldest_overdue: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "waiting": self.waiting,
            "claimed": self.claimed,
            "overdue": self.overdue,
            "oldest_due_at": None if self.oldest_due_at is None else self.oldest_due_at.isoformat(),
            "oldest_overdue": self.oldest_overdue,
        }


class PhotoReviewService:
    def __init__(
        self,
        container: Container,
        *,
        status_hook: CredentialStatusHook,
        generator: EdlGenerator | None = None,
        run_job: JobRunner = run_inline,
        lease: timedelta = timedelta(minutes=15),
    ) -> None:
        self._c = container
        self._hook = status_hook
        self._generator = generator
        self._run_job = run_job
        self._lease = lease

    def _apps(self, uow: UnitOfWork) -> ApplicationRepository:
        return ApplicationRepository(uow.connection, self._c.cipher, self._c.blind_index)

    def claim(self, reviewer: str) -> ClaimedItem | None:
        """The oldest due item, claimed for ``reviewer``; None when nothing is waiting."""
        reviewer = _text(reviewer, "reviewer", 64)
        now = self._c.clock()
        token = secrets.token_urlsafe(24)
        with self._c.unit_of_work() as uow:
            row = self._apps(uow).claim_next(
                token=token, reviewer=reviewer, now=now, lease_until=now + self._lease
            )
            uow.commit()
        if row is None:
            return None
        assert row.claim_expires_at is not None
        return ClaimedItem(
            row.id,
            token,
            reviewer,
            row.claim_expires_at,
            row.due_at,
            row.created_at,
            row.photo_path,
            row.precheck,
        )

    def photo(self, application_id: int) -> bytes:
        with self._c.unit_of_work() as uow:
            row = self._apps(uow).get(application_id)
            if row is None or row.photo_ref is None:
                raise NotFound(
                    "APPLICATION_NOT_FOUND", f"no photo for application {application_id}"
                )
            jpeg = PhotoRepository(uow.connection, self._c.cipher, self._c.blind_index).get(
                row.photo_ref
            )
        if jpeg is None:
            raise NotFound("APPLICATION_NOT_FOUND", f"no photo for application {application_id}")
        return jpeg

    def _held(self, uow: UnitOfWork, application_id: int, token: str) -> ApplicationRow:
        """The application, if ``token`` still holds its claim (locked on PostgreSQL)."""
        row = self._apps(uow).get(application_id, for_update=True)
        if row is None:
            raise NotFound("APPLICATION_NOT_FOUND", f"no application {application_id}")
        now = self._c.clock()
        lease = row.claim_expires_at
        if (
            row.state != "in_review"
            or row.claim_token is None
            or not secrets.compare_digest(row.claim_token, token)
            or lease is None
            or lease <= now
        ):
            raise Conflict(
                "REVIEW_CLAIM_LOST",
                "this item is not (or no longer) claimed with that token; claim the next item",
                details={"application_id": application_id, "state": row.state},
            )
        return row

    def approve(self, application_id: int, token: str, reviewer: str) -> None:
        now = self._c.clock()
        with self._c.unit_of_work() as uow:
            row = self._held(uow, application_id, token)
            self._decide(uow, row, "approved", reviewer, now)
            assert row.licence_id is not None
            assert row.photo_ref is not None
            photo = PhotoRepository(uow.connection, self._c.cipher, self._c.blind_index).get(
                row.photo_ref
            )
            device = active_device(uow, row.account_id)
            uow.commit()
        if photo is None or device is None:
            return  # stays approved: generation needs the photo and a device key
        approved = ApprovedApplication(
            row.id, row.account_id, row.licence_id, photo, device.public_key
        )
        generate_approved(self._c, self._generator, approved, run_job=self._run_job)

    def reject(self, application_id: int, token: str, reviewer: str, reason: str) -> None:
        reason = _text(reason, "reason", MAX_REASON)
        now = self._c.clock()
        with self._c.unit_of_work() as uow:
            row = self._held(uow, application_id, token)
            self._decide(
                uow,
                row,
                "rejected",
                reviewer,
                now,
                reason_code="PHOTO_REJECTED",
                reason_text=reason,
            )
            uow.commit()

    def flag_malicious(self, application_id: int, token: str, reviewer: str, reason: str) -> None:
        reason = _text(reason, "reason", MAX_REASON)
        now = self._c.clock()
        with self._c.unit_of_work() as uow:
            row = self._held(uow, application_id, token)
            assert row.licence_id is not None
            self._decide(
                uow,
                row,
                "rejected",
                reviewer,
                now,
                reason_code="PHOTO_FLAGGED_MALICIOUS",
                reason_text=reason,
            )
            self._apps(uow).flag(row.licence_id, row.id, reason, reviewer, now)
            uow.commit()
        # After the flag is durable: a failure here is retried by flagging again
        # (the flag blocks new applications in the meantime).
        self._hook.stop(row.licence_id)

    def clear_flag(self, licence_id: int, staff: str) -> bool:
        """Lift a malicious-photo flag; the e-licence (if any) becomes valid again."""
        with self._c.unit_of_work() as uow:
            cleared = self._apps(uow).clear_flag(
                licence_id, _text(staff, "staff", 64), self._c.clock()
            )
            uow.commit()
        if not cleared:
            raise NotFound("PHOTO_FLAG_NOT_FOUND", f"licence {licence_id} has no active photo flag")
        self._hook.resume(licence_id)
        return True

    def _decide(
        self,
        uow: UnitOfWork,
        row: ApplicationRow,
        state: str,
        reviewer: str,
        now: datetime,
        **values: Any,
    ) -> None:
        changed = self._apps(uow).set_state(
            row.id,
            state,
            now=now,
            expect="in_review",
            decided_by=_text(reviewer, "reviewer", 64),
            decided_at=now,
            claim_token=None,
            claim_expires_at=None,
            **values,
        )
        if not changed:
            raise Conflict("REVIEW_CLAIM_LOST", "the item was decided meanwhile")

    def overdue(self, *, limit: int = 10) -> OverdueReport:
        now = self._c.clock()
        with self._c.unit_of_work() as uow:
            apps = self._apps(uow)
            summary = apps.queue_summary(now)
            oldest = apps.overdue(now, limit=limit)
        return OverdueReport(
            now=now,
            waiting=summary.waiting,
            claimed=summary.claimed,
            overdue=summary.overdue,
            oldest_due_at=summary.oldest_due_at,
            oldest_overdue=[
                {
                    "application_id": r.id,
                    "due_at": None if r.due_at is None else r.due_at.isoformat(),
                    "submitted_at": r.created_at.isoformat(),
                    "claimed_by": r.claimed_by,
                }
                for r in oldest
            ],
        )


def _text(value: str, name: str, limit: int) -> str:
    text = value.strip()
    if not text or len(text) > limit:
        raise InvalidInput(
            f"{name.upper()}_INVALID",
            f"{name} must be 1-{limit} characters",
            details={"field": name},
        )
    return text
