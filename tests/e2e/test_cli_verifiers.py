"""``motorcred verifiers`` and ``motorcred audit verify`` as staff use them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from motorcred.entrypoints.cli import audit, verifiers

runner = CliRunner()


def cli() -> typer.Typer:
    app = typer.Typer(name="motorcred", no_args_is_help=True)
    verifiers.register(app)
    audit.register(app)
    return app


@pytest.fixture(autouse=True)
def _database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTORCRED_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("MOTORCRED_DATABASE_URL", raising=False)
    monkeypatch.setenv("MOTORCRED_PROFILE", "demo")


def _json(*args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = runner.invoke(cli(), [*args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_add_list_revoke_and_audit() -> None:
    code, made = _json("verifiers", "add", "City Rental", "--role", "rental", "--contact", "ops")
    assert code == 0 and made["role"] == "rental"
    assert made["key"]["api_key"].startswith(made["key"]["prefix"] + "_")
    code, client = _json("verifiers", "add-key", str(made["id"]), "--kind", "client")
    assert code == 0 and client["client_id"] == client["prefix"] and client["client_secret"]

    code, listed = _json("verifiers", "list")
    assert code == 0
    keys = listed["items"][0]["keys"]
    assert [k["kind"] for k in keys] == ["api_key", "client"]
    assert made["key"]["api_key"] not in json.dumps(listed)

    code, revoked = _json("verifiers", "revoke-key", str(made["key"]["id"]))
    assert (code, revoked["changed"]) == (0, True)
    code, again = _json("verifiers", "revoke-key", str(made["key"]["id"]))
    assert (code, again["changed"]) == (0, False)

    code, report = _json("audit", "verify")
    assert (code, report["ok"], report["checked"]) == (0, True, 0)


def test_refusals_exit_1_and_usage_errors_exit_2() -> None:
    code, body = _json("verifiers", "add", "Spy Co", "--role", "spy", "--contact", "x")
    assert code == 1 and body["errors"][0]["code"] == "VERIFIER_ROLE_UNKNOWN"
    _json("verifiers", "add", "Bank", "--role", "bank", "--contact", "x", "--key", "none")
    code, body = _json("verifiers", "add", "Bank", "--role", "bank", "--contact", "x")
    assert code == 1 and body["errors"][0]["code"] == "VERIFIER_EXISTS"
    code, body = _json("verifiers", "revoke-key", "999")
    assert code == 1 and body["errors"][0]["code"] == "VERIFIER_KEY_UNKNOWN"
    code, body = _json("verifiers", "add", "X", "--role", "bank", "--contact", "x", "--key", "?")
    assert code == 2 and body["errors"][0]["code"] == "VERIFIER_KEY_KIND"


def test_every_command_has_help() -> None:
    for args in (["verifiers"], ["verifiers", "add"], ["verifiers", "list"], ["audit", "verify"]):
        result = runner.invoke(cli(), [*args, "--help"])
        assert result.exit_code == 0 and "Usage" in result.stdout
