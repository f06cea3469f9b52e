"""The FastAPI application factory (nothing is built at import time)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from motorcred import __version__
from motorcred.config import Settings
from motorcred.entrypoints.api import problems, routes


def create_app(settings: Settings | None = None, *, container: Any = None) -> FastAPI:
    """Build the API + web app.

    ``container`` is the wired service container from :mod:`motorcred.bootstrap`;
    when omitted it is built from ``settings``.
    """
    settings = settings or Settings()
    settings.check_secure()
    if container is None:
        from motorcred.bootstrap import build_container

        container = build_container(settings)
    app = FastAPI(
        title="motorcred",
        version=__version__,
        description="Electronic driving licences and vehicle registrations (ISO/IEC 18013-5).",
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.container = container
    problems.install(app)
    for router in routes.routers():
        app.include_router(router)
    return app
