"""``motorcred review overdue``: counts and the oldest overdue reviews, text or JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from motorcred.adapters.db.repositories.applications import ApplicationRepository
from motorcred.bootstrap import build_container, upgrade_database
from motorcred.config import Settings
from motorcred.entrypoints.cli import commands
from motorcred.services import accounts

runner = CliRunner()


def build_cli() -> typer.Typer:
    app = typer.Typer(name="motorcred", no_args_is_help=True)
    commands.register(app)
    return app


@pytest.mark.sqlite_only
def test_overdue_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("MOTORCRED_DATABASE_URL", url)
    monkeypatch.setenv("MOTORCRED_DATA_DIR", str(tmp_path))
    app = build_cli()
    empty = runner.invoke(app, ["review", "overdue", "--json"])
    assert empty.exit_code == 0, empty.output
    assert json.loads(empty.stdout)["overdue"] == 0

    settings = Settings(database_url=url, data_dir=tmp_path, argon2_memory_kib=8192)
    upgrade_database(settings)
    container = build_container(settings)
    try:
        account = accounts.sign_up(container, "13800138000", "correct horse battery")
        now = datetime.now(UTC)
        with container.unit_of_work() as uow:
            apps = ApplicationRepository(uow.connection, container.cipher, container.blind_index)
            for i, due in enumerate([now - timedelta(days=2), now + timedelta(hours=5)]):
                apps.add(
                    now=now - timedelta(days=3),
                    account_id=account.id,
                    licence_id=None,
                    idempotency_key=f"cli-item-{i:04d}",
                    request_hash=b"\x00" * 32,
                    photo_path="album",
                    state="in_review",
                    due_at=due,
                )
            uow.commit()
    finally:
        container.close()

    result = runner.invoke(app, ["review", "overdue", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["waiting"] == 2 and report["overdue"] == 1
    assert len(report["oldest_overdue"]) == 1
    text = runner.invoke(app, ["review", "overdue"])
    assert text.exit_code == 0 and "overdue" in text.output and "Traceback" not in text.output
    assert runner.invoke(app, ["review", "--help"]).exit_code == 0
    pending = runner.invoke(app, ["review", "generate-pending", "--json"])
    assert pending.exit_code == 0, pending.output
    assert json.loads(pending.stdout) == {"ok": True, "handed_to_generation": 0}
