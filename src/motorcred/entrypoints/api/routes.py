"""The routers the API serves. Add a feature's router: one line here."""

from __future__ import annotations

from fastapi import APIRouter


def routers() -> list[APIRouter]:
    from motorcred.entrypoints.api import (
        accounts,
        edl_applications,
        evrc,
        health,
        photos,
        registry,
        review,
        status_lists,
        trust_list,
        verifications,
        verifiers,
    )

    return [
        health.router,
        accounts.router,
        photos.router,
        registry.router,
        status_lists.router,
        edl_applications.router,
        evrc.router,
        review.router,
        verifiers.router,
        verifications.router,
        trust_list.router,
    ]
