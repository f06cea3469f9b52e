"""``motorcred db``: registered on the root command, migrates the configured database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from motorcred.entrypoints.cli import commands

runner = CliRunner()


def build_cli() -> typer.Typer:
    """A fresh root command with every group registered, as ``motorcred`` builds it."""
    app = typer.Typer(name="motorcred", no_args_is_help=True)
    commands.register(app)
    return app


app = build_cli()


def test_db_group_listed_in_root_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    assert " db " in result.output


@pytest.mark.sqlite_only
def test_db_upgrade_then_current_on_a_fresh_sqlite_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTORCRED_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    up = runner.invoke(app, ["db", "upgrade", "--json"])
    assert up.exit_code == 0, up.output
    revision = json.loads(up.stdout)["revision"]
    assert revision
    current = runner.invoke(app, ["db", "current", "--json"])
    assert json.loads(current.stdout) == {
        "revision": revision,
        "head": revision,
        "up_to_date": True,
    }


def test_db_upgrade_unknown_revision_is_a_clean_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTORCRED_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    result = runner.invoke(app, ["db", "upgrade", "nope", "--json"])
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert body["errors"][0]["code"] == "DB_REVISION_UNKNOWN"
    assert "Traceback" not in result.output
