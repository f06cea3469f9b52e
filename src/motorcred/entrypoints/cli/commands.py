"""Registers every sub-command group on the root app. Add a group: one line here."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from motorcred.entrypoints.cli import serve

    serve.register(app)
    from motorcred.entrypoints.cli import pki

    pki.register(app)
    from motorcred.entrypoints.cli import db

    db.register(app)
    from motorcred.entrypoints.cli import mdoc

    mdoc.register(app)
    from motorcred.entrypoints.cli import notify

    notify.register(app)
    from motorcred.entrypoints.cli import photo

    photo.register(app)
    from motorcred.entrypoints.cli import working_days

    working_days.register(app)
    from motorcred.entrypoints.cli import registry

    registry.register(app)
    from motorcred.entrypoints.cli import demo

    demo.register(app)
    from motorcred.entrypoints.cli import offline_code

    offline_code.register(app)
    from motorcred.entrypoints.cli import keys

    keys.register(app)
    from motorcred.entrypoints.cli import status_lists

    status_lists.register(app)
    from motorcred.entrypoints.cli import verifiers

    verifiers.register(app)
    from motorcred.entrypoints.cli import audit

    audit.register(app)
    from motorcred.entrypoints.cli import review

    review.register(app)
