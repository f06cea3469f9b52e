"""``motorcred notify dispatch`` delivers the outbox of the configured database."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from motorcred.bootstrap import build_container, upgrade_database
from motorcred.config import Settings
from motorcred.entrypoints.cli import commands
from motorcred.services.notifications import queue_sms

runner = CliRunner()


def build_cli() -> typer.Typer:
    app = typer.Typer(name="motorcred", no_args_is_help=True)
    commands.register(app)
    return app


def test_notify_group_has_help() -> None:
    result = runner.invoke(build_cli(), ["notify", "dispatch", "--help"])
    assert result.exit_code == 0
    assert "--limit" in result.output


@pytest.mark.sqlite_only
def test_dispatch_sends_queued_messages_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'notify.db'}"
    monkeypatch.setenv("MOTORCRED_DATABASE_URL", url)
    settings = Settings(database_url=url)
    upgrade_database(settings)
    container = build_container(settings)
    with container.unit_of_work() as uow:
        queue_sms(
            uow,
            kind="test",
            phone="13912345678",
            subject="code",
            body="Your code is 654321.",
            now=container.clock(),
        )
        uow.commit()
    container.close()

    app = build_cli()
    with caplog.at_level(logging.WARNING, logger="motorcred.notify"):
        first = runner.invoke(app, ["notify", "dispatch", "--json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.stdout) == {"ok": True, "sent": 1, "retrying": 0, "failed": 0}
    assert "654321" in caplog.text
    again = runner.invoke(app, ["notify", "dispatch", "--json"])
    assert json.loads(again.stdout)["sent"] == 0


def test_bad_limit_is_a_usage_error() -> None:
    result = runner.invoke(build_cli(), ["notify", "dispatch", "--limit", "0"])
    assert result.exit_code == 2
