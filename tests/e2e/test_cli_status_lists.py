"""``motorcred status-lists publish`` writes every signed list for static hosting."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import typer
from cryptography.hazmat.primitives.asymmetric import ec
from typer.testing import CliRunner

from motorcred.bootstrap import build_container, upgrade_database
from motorcred.config import Settings
from motorcred.domain.licence import DrivingLicence
from motorcred.domain.person import Person
from motorcred.entrypoints.cli import commands
from motorcred.formats.status_list import decode_status_list_token
from motorcred.formats.x509 import IssuerName, create_document_signer, create_iaca, public_key_of
from motorcred.services.issuance import LicenceSubject

runner = CliRunner()


def build_cli() -> typer.Typer:
    app = typer.Typer(name="motorcred", no_args_is_help=True)
    commands.register(app)
    return app


def test_status_lists_group_has_help() -> None:
    result = runner.invoke(build_cli(), ["status-lists", "publish", "--help"])
    assert result.exit_code == 0
    assert "--out" in result.output


def _subject() -> LicenceSubject:
    person = Person.create(id_number="11010519491231002X", name="王小明")
    licence = DrivingLicence.create(
        number=person.id_number,
        file_number="110100123456",
        class_grants={"C1": date(2014, 5, 1)},
        first_issue_date=date(2014, 5, 1),
        valid_from=date(2026, 5, 1),
        valid_until=date(2032, 5, 1),
        validity_years=6,
        issuing_authority_code="110000",
        issuing_authority_name="北京市公安局公安交通管理局",
    )
    return LicenceSubject(1, licence, person, b"\xff\xd8\xff\xd9")


@pytest.mark.sqlite_only
def test_publish_writes_each_signed_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'status.db'}"
    monkeypatch.setenv("MOTORCRED_DATABASE_URL", url)
    monkeypatch.setenv("MOTORCRED_DATA_DIR", str(tmp_path / "var"))
    settings = Settings()
    upgrade_database(settings)
    container = build_container(settings)
    now = datetime.now(UTC)
    iaca_key, ds_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    iaca = create_iaca(
        iaca_key,
        name=IssuerName("CN", "test IACA"),
        not_before=now - timedelta(days=1),
        not_after=now + timedelta(days=3650),
        serial_number=1,
        issuer_alt_name="https://iaca.motorcred.invalid",
    )
    ds = create_document_signer(
        ds_key.public_key(),
        iaca_cert=iaca,
        iaca_key=iaca_key,
        common_name="test DS",
        not_before=now - timedelta(days=1),
        not_after=now + timedelta(days=365),
        serial_number=2,
    )
    container.keystore.add_issuer(settings.keystore_issuer, iaca)
    container.keystore.add_document_signer(
        settings.keystore_issuer, "ds1", ds_key, ds, make_current=True
    )
    app = build_cli()
    out = tmp_path / "lists"
    empty = runner.invoke(app, ["status-lists", "publish", "--out", str(out), "--json"])
    assert empty.exit_code == 0, empty.output
    assert json.loads(empty.stdout) == {"ok": True, "lists": []}

    credential = container.issuance.issue_edl(
        account_id=None,
        subject=_subject(),
        device_key=ec.generate_private_key(ec.SECP256R1()).public_key(),
        application_id="app-1",
    )
    assert container.issuance.revoke(1)
    container.close()

    result = runner.invoke(app, ["status-lists", "publish", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    (listed,) = json.loads(result.stdout)["lists"]
    path = out / f"{credential.status_list_id}.cwt"
    assert listed["file"] == str(path)
    token = decode_status_list_token(path.read_bytes(), now=now, verify_key=public_key_of(ds))
    assert token.status(credential.status_index) == "invalid"
    assert listed["bytes"] == path.stat().st_size
    assert [p.name for p in out.iterdir()] == [path.name]  # no temporary files left

    text = runner.invoke(app, ["status-lists", "publish", "--out", str(out)])
    assert text.exit_code == 0
    assert "version" in text.output


def test_out_must_be_a_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTORCRED_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("MOTORCRED_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    target = tmp_path / "a-file"
    target.write_text("x")
    result = runner.invoke(build_cli(), ["status-lists", "publish", "--out", str(target), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["errors"][0]["code"] == "STATUS_LIST_OUT_INVALID"
