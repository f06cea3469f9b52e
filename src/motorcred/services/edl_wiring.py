"""Builds the e-DL application and photo review services from the container.

The identity verifier follows ``Settings.identity_verifier``; the local one is
refused outside the demo and test profiles, because it is no biometric match
(see ``adapters/identity/local.py``). Calendars are package data, parsed once.
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING

from motorcred.adapters.identity import IdentityVerifier
from motorcred.adapters.identity.http import HttpIdentityVerifier
from motorcred.adapters.identity.local import LocalIdentityVerifier
from motorcred.adapters.rollout_data import load_bundled_calendar
from motorcred.adapters.working_day_calendar import load_official_calendar
from motorcred.config import Settings
from motorcred.domain.rollout import RolloutCalendar
from motorcred.domain.working_days import WorkingDayCalendar
from motorcred.errors import ConfigurationError
from motorcred.services.edl_applications import EdlApplicationService
from motorcred.services.edl_generation import IssuanceGenerator, IssuanceStatusHook
from motorcred.services.photo_review import PhotoReviewService

if TYPE_CHECKING:
    from motorcred.bootstrap import Container


def build_identity_verifier(settings: Settings) -> IdentityVerifier:
    if settings.identity_verifier == "http":
        if not settings.identity_http_url.startswith(("https://", "http://")):
            raise ConfigurationError(
                "CONFIG_IDENTITY_URL",
                "MOTORCRED_IDENTITY_HTTP_URL must name the verification service (https://…)",
            )
        return HttpIdentityVerifier(
            settings.identity_http_url,
            settings.identity_http_token,
            timeout_seconds=settings.identity_http_timeout_seconds,
        )
    if settings.profile not in ("demo", "test"):
        raise ConfigurationError(
            "CONFIG_IDENTITY_LOCAL",
            f"profile {settings.profile!r} needs a real verification service "
            "(MOTORCRED_IDENTITY_VERIFIER=http); the local comparison is for the demo only",
        )
    return LocalIdentityVerifier(settings.identity_match_threshold)


@cache
def rollout_calendar() -> RolloutCalendar:
    return load_bundled_calendar()


@cache
def review_calendar() -> WorkingDayCalendar:
    # Past the years the shipped schedule covers, deadlines fall back to weekends only
    # rather than refusing every submission; add the next year's notice to the data.
    return load_official_calendar(outside_coverage="weekends")


def edl_application_service(
    container: Container, *, verifier: IdentityVerifier | None = None
) -> EdlApplicationService:
    settings = container.settings
    return EdlApplicationService(
        container,
        verifier=verifier or build_identity_verifier(settings),
        rollout=rollout_calendar(),
        working_days=review_calendar(),
        generator=IssuanceGenerator(container),
        review_working_days=settings.review_working_days,
    )


def photo_review_service(container: Container) -> PhotoReviewService:
    return PhotoReviewService(
        container,
        status_hook=IssuanceStatusHook(container),
        generator=IssuanceGenerator(container),
        lease=timedelta(minutes=container.settings.review_lease_minutes),
    )
