"""Applying for an e-DL: checks, refusals kept on record, the two photo paths.

One command, :meth:`EdlApplicationService.apply`, idempotent by the client's key:

1. the account must be bound to a registry person and hold an active device key
   (the e-licence is bound to it); at most one open application per licence
   (``APPLICATION_ALREADY_OPEN`` names it); no application while a malicious-photo
   flag stands (``PHOTO_FLAGGED_MALICIOUS``);
2. rollout and eligibility (``domain/eligibility.py``): every refusal is stored as a
   ``refused`` application with all its codes, then raised as ``Refused`` — a
   replay with the same key answers the same refusal;
3. path (a) ``on_file``: the photo on file and a real-person check through the
   ``IdentityVerifier`` port → ``approved`` → generation at once;
   paths (b) ``camera`` / (c) ``album``: the upload is decoded and pre-checked
   (``PHOTO_PRECHECK_FAILED`` lists every finding), stored, and queued
   ``in_review`` with its SLA due time from the working-day calendar.

The slow steps (real-person check over HTTP, photo decoding) run between two
units of work, never inside a transaction; the second one re-checks the open
application, and a partial unique index settles any remaining race.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any, Literal

from motorcred.adapters.db.repositories.applications import (
    ApplicationRepository,
    ApplicationRow,
    PhotoRepository,
)
from motorcred.adapters.db.uow import UnitOfWork
from motorcred.adapters.identity import IdentityVerifier
from motorcred.domain.eligibility import Refusal, check_eligibility, rollout_refusal
from motorcred.domain.rollout import RolloutCalendar
from motorcred.domain.working_days import WorkingDayCalendar
from motorcred.errors import Conflict, InvalidInput, NotFound, Refused
from motorcred.services.application_views import ApplicationView, view_of
from motorcred.services.devices import active_device
from motorcred.services.edl_generation import (
    ApprovedApplication,
    EdlGenerator,
    JobRunner,
    generate_approved,
    run_inline,
)
from motorcred.services.photo_intake import intake_photo
from motorcred.services.registry_mapping import stored_licence

if TYPE_CHECKING:
    from motorcred.bootstrap import Container

PhotoPath = Literal["on_file", "camera", "album"]
PHOTO_PATHS: tuple[PhotoPath, ...] = ("on_file", "camera", "album")
_KEY = re.compile(r"[A-Za-z0-9._:\-]{8,128}")


@dataclass(frozen=True)
class ApplyRequest:
    idempotency_key: str
    photo_path: str
    photo: bytes | None = None
    """The upload (camera or album paths)."""
    live_photo: bytes | None = None
    """The selfie for the real-person check (photo-on-file path)."""

    def digest(self) -> bytes:
        """What makes a replay "the same request" (its key must not be reused for another)."""
        h = hashlib.sha256(self.photo_path.encode())
        for part in (self.photo, self.live_photo):
            h.update(b"\x00" if part is None else hashlib.sha256(part).digest())
        return h.digest()


@dataclass(frozen=True)
class ApplyOutcome:
    application: ApplicationView
    replayed: bool


@dataclass(frozen=True)
class _Checked:
    licence_id: int
    photo_ref: str | None


def validate_request(request: ApplyRequest) -> None:
    if not _KEY.fullmatch(request.idempotency_key):
        raise InvalidInput(
            "IDEMPOTENCY_KEY_INVALID",
            "send an Idempotency-Key of 8-128 letters, digits or . _ : -",
            details={"field": "idempotency_key"},
        )
    if request.photo_path not in PHOTO_PATHS:
        raise InvalidInput(
            "PHOTO_PATH_UNKNOWN",
            f"photo_path must be one of {', '.join(PHOTO_PATHS)}",
            details={"field": "photo_path", "value": request.photo_path},
        )
    if request.photo_path == "on_file" and (request.live_photo is None or request.photo):
        raise InvalidInput(
            "LIVE_PHOTO_REQUIRED",
            "the photo-on-file path needs a live photo for the real-person check (and no upload)",
            details={"field": "live_photo"},
        )
    if request.photo_path != "on_file" and (request.photo is None or request.live_photo):
        raise InvalidInput(
            "PHOTO_REQUIRED",
            "the camera and album paths need the new photo (and no live photo)",
            details={"field": "photo"},
        )


class EdlApplicationService:
    def __init__(
        self,
        container: Container,
        *,
        verifier: IdentityVerifier,
        rollout: RolloutCalendar,
        working_days: WorkingDayCalendar,
        generator: EdlGenerator | None = None,
        run_job: JobRunner = run_inline,
        review_working_days: int = 1,
    ) -> None:
        self._c = container
        self._verifier = verifier
        self._rollout = rollout
        self._working_days = working_days
        self._generator = generator
        self._run_job = run_job
        self._review_days = review_working_days

    def _repos(self, uow: UnitOfWork) -> tuple[ApplicationRepository, PhotoRepository]:
        c = self._c
        return (
            ApplicationRepository(uow.connection, c.cipher, c.blind_index),
            PhotoRepository(uow.connection, c.cipher, c.blind_index),
        )

    # ------------------------------------------------------------------ apply

    def apply(self, account_id: int, request: ApplyRequest) -> ApplyOutcome:
        validate_request(request)
        digest = request.digest()
        now = self._c.clock()
        with self._c.unit_of_work() as uow:
            apps, photos = self._repos(uow)
            replay = self._replay(apps, account_id, request.idempotency_key, digest)
            if replay is not None:
                return replay
            checked = self._check(uow, apps, account_id, request, digest)
            on_file = photos.get(checked.photo_ref) if checked.photo_ref else None
            if request.photo_path == "on_file" and on_file is None:
                raise Refused(
                    "PHOTO_ON_FILE_MISSING",
                    "there is no usable photo on file for this licence; apply with a new photo "
                    "taken with the camera or chosen from the album",
                )
        # Slow steps outside any transaction.
        stored_jpeg: bytes | None = None
        extra: dict[str, Any] = {}
        refusals: list[Refusal] = []
        if request.photo_path == "on_file":
            assert on_file is not None
            assert request.live_photo is not None
            result = self._verifier.verify(
                on_file=on_file, live=request.live_photo, request_id=request.idempotency_key
            )
            extra["identity_check"] = result.to_dict()
            if not result.matched:
                refusals.append(_IDENTITY_FAILED)
        else:
            assert request.photo is not None
            intake = intake_photo(request.photo)
            if not intake.passed:
                raise InvalidInput(
                    "PHOTO_PRECHECK_FAILED",
                    "the photo does not meet the licence photo rules: "
                    + "; ".join(f.message_en for f in intake.precheck.findings),
                    details={"findings": [f.to_dict() for f in intake.precheck.findings]},
                )
            stored_jpeg = intake.photo.jpeg
            extra["precheck"] = {
                "rules_version": intake.precheck.rules_version,
                "codes": list(intake.precheck.codes),
            }
        now = self._c.clock()
        with self._c.unit_of_work() as uow:
            apps, photos = self._repos(uow)
            replay = self._replay(apps, account_id, request.idempotency_key, digest)
            if replay is not None:
                return replay
            checked = self._check(uow, apps, account_id, request, digest)
            base = {
                "account_id": account_id,
                "licence_id": checked.licence_id,
                "idempotency_key": request.idempotency_key,
                "request_hash": digest,
                "photo_path": request.photo_path,
                **extra,
            }
            if refusals:
                self._refuse(uow, apps, base, refusals, now)
            if stored_jpeg is not None:
                ref = photos.put(stored_jpeg, now=now)
                # Stored in UTC (SQLite keeps no zone); the calendar answers in Beijing time.
                due = self._working_days.review_due(now, self._review_days).astimezone(UTC)
                app_id = apps.add(now=now, state="in_review", photo_ref=ref, due_at=due, **base)
            else:
                app_id = apps.add(now=now, state="approved", photo_ref=checked.photo_ref, **base)
            device = active_device(uow, account_id)
            assert device is not None  # checked above, same transaction
            uow.commit()
        if request.photo_path == "on_file":
            assert on_file is not None
            approved = ApprovedApplication(
                app_id, account_id, checked.licence_id, on_file, device.public_key
            )
            generate_approved(self._c, self._generator, approved, run_job=self._run_job)
        return ApplyOutcome(self.get(account_id, app_id), replayed=False)

    def _replay(
        self, apps: ApplicationRepository, account_id: int, key: str, digest: bytes
    ) -> ApplyOutcome | None:
        found = apps.by_key(account_id, key)
        if found is None:
            return None
        if found.request_hash != digest:
            raise Conflict(
                "IDEMPOTENCY_KEY_REUSED",
                "this Idempotency-Key was used for a different application; use a new key",
                details={"application_id": found.id},
            )
        if found.state == "refused":
            raise _refused_error(found)
        return ApplyOutcome(view_of(found), replayed=True)

    def _check(
        self,
        uow: UnitOfWork,
        apps: ApplicationRepository,
        account_id: int,
        request: ApplyRequest,
        digest: bytes,
    ) -> _Checked:
        """Who may apply: bound account, device key, one open application, no flag,
        rollout and eligibility (a refusal is recorded and raised)."""
        account = uow.accounts.get(account_id)
        if account is None or account.person_id is None:
            raise Refused(
                "ACCOUNT_NOT_BOUND",
                "bind the account to your registry record (ID number, name, code) first",
            )
        if active_device(uow, account_id) is None:
            raise Refused(
                "DEVICE_NOT_BOUND",
                "register this phone's device key first; the e-licence is bound to it",
            )
        record = uow.licences.get_by_person(account.person_id)
        if record is None:
            raise Refused("LICENCE_NOT_FOUND", "the registry holds no driving licence for you")
        stored = stored_licence(record)
        open_app = apps.open_for_licence(stored.id)
        if open_app is not None:
            raise Conflict(
                "APPLICATION_ALREADY_OPEN",
                f"application {open_app.id} for this licence is still open; wait for its answer",
                details={"application_id": open_app.id, "state": open_app.state},
            )
        if apps.active_flag(stored.id) is not None:
            raise Refused(
                "PHOTO_FLAGGED_MALICIOUS",
                "a photo you submitted was flagged as deliberately unacceptable and your "
                "e-licence was stopped; visit a vehicle administration office to clear it",
            )
        now = self._c.clock()
        today = self._working_days.local_date(now)
        refusals: list[Refusal] = []
        area = stored.city_code or stored.licence.number[:6]
        rollout = rollout_refusal(self._rollout, area, today)
        if rollout is not None:
            refusals.append(rollout)
        refusals.extend(check_eligibility(stored.licence, today).refusals)
        if refusals:
            base = {
                "account_id": account_id,
                "licence_id": stored.id,
                "idempotency_key": request.idempotency_key,
                "request_hash": digest,
                "photo_path": request.photo_path,
            }
            self._refuse(uow, apps, base, refusals, now)
        return _Checked(stored.id, stored.licence.photo_ref)

    @staticmethod
    def _refuse(
        uow: UnitOfWork,
        apps: ApplicationRepository,
        base: dict[str, Any],
        refusals: list[Refusal],
        now: Any,
    ) -> None:
        app_id = apps.add(
            now=now, state="refused", refusals=[r.to_dict() for r in refusals], **base
        )
        uow.commit()  # a refusal is kept on record
        found = apps.get(app_id)
        assert found is not None
        raise _refused_error(found)

    # ------------------------------------------------------------------ reading

    def get(self, account_id: int, application_id: int) -> ApplicationView:
        with self._c.unit_of_work() as uow:
            apps, _ = self._repos(uow)
            found = apps.get(application_id)
        if found is None or found.account_id != account_id:
            raise NotFound("APPLICATION_NOT_FOUND", f"no application {application_id} of yours")
        return view_of(found)

    def list_mine(self, account_id: int) -> list[ApplicationView]:
        with self._c.unit_of_work() as uow:
            apps, _ = self._repos(uow)
            return [view_of(a) for a in apps.for_account(account_id)]


_IDENTITY_FAILED = Refusal(
    "IDENTITY_CHECK_FAILED",
    "实人认证未通过：自拍照与档案照片不一致",
    "the real-person check failed: the live photo does not match the photo on file",
    "请重新拍摄清晰的正面自拍，或改为上传新照片",
    "retake a clear frontal selfie, or apply with a new photo instead",
)


def _refused_error(row: ApplicationRow) -> Refused:
    first = row.refusals[0]
    return Refused(
        str(first["code"]),
        "; ".join(str(r["message"]["en"]) for r in row.refusals),
        details={"application_id": row.id, "refusals": row.refusals},
    )
