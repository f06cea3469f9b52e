"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from motorcred import __version__

router = APIRouter(prefix="/api/v1", tags=["health"])


@router.get("/health", summary="Service health")
def health(request: Request) -> dict[str, Any]:
    container = request.app.state.container
    database = "unknown"
    check = getattr(container, "check_database", None)
    if callable(check):
        database = "ok" if check() else "unavailable"
    return {
        "status": "ok" if database != "unavailable" else "degraded",
        "version": __version__,
        "profile": request.app.state.settings.profile,
        "database": database,
    }
