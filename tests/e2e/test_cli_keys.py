"""``motorcred keys``: register an issuer, add DS keys, rotate, list — as an administrator does."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from typer.testing import CliRunner

from motorcred.adapters.keystore import FileKeystore
from motorcred.entrypoints.cli import commands, keys
from motorcred.formats.x509 import (
    IssuerName,
    certificate_pem,
    create_document_signer,
    create_iaca,
)

runner = CliRunner()
START = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)


def keys_cli() -> typer.Typer:
    app = typer.Typer(name="motorcred", no_args_is_help=True)
    keys.register(app)
    return app


class Pki:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.iaca_key = ec.generate_private_key(ec.SECP256R1())
        self.iaca = create_iaca(
            self.iaca_key,
            name=IssuerName("CN", "keys CLI IACA"),
            not_before=START - timedelta(days=10),
            not_after=START + timedelta(days=3650),
            serial_number=1,
            issuer_alt_name="https://iaca.example",
        )
        (tmp / "iaca.pem").write_bytes(certificate_pem(self.iaca))

    def ds(self, name: str, *, days: int = 365, start: datetime = START) -> tuple[Path, Path]:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = create_document_signer(
            key.public_key(),
            iaca_cert=self.iaca,
            iaca_key=self.iaca_key,
            common_name=name,
            not_before=start,
            not_after=start + timedelta(days=days),
            serial_number=x509.random_serial_number(),
        )
        key_path, cert_path = self.tmp / f"{name}.key", self.tmp / f"{name}.pem"
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        cert_path.write_bytes(certificate_pem(cert))
        return key_path, cert_path


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MOTORCRED_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def run(*args: str | Path) -> tuple[int, dict[str, Any]]:
    result = runner.invoke(keys_cli(), ["keys", *map(str, args), "--json"])
    return result.exit_code, json.loads(result.stdout)


def test_keys_group_is_registered_with_help() -> None:
    app = typer.Typer(name="motorcred", no_args_is_help=True)
    commands.register(app)
    result = runner.invoke(app, ["keys", "--help"])
    assert result.exit_code == 0
    for command in ("list", "add-issuer", "add", "use"):
        assert command in result.output
        assert runner.invoke(app, ["keys", command, "--help"]).exit_code == 0


def test_rotation_through_the_cli(tmp_path: Path, data_dir: Path) -> None:
    pki = Pki(tmp_path)
    assert run("add-issuer", "cn", "--iaca", tmp_path / "iaca.pem")[0] == 0
    key1, cert1 = pki.ds("ds-a")
    code, out = run("add", "cn", "ds-a", "--key", key1, "--cert", cert1, "--current")
    assert code == 0 and out["current"] is True and out["active"] is True
    key2, cert2 = pki.ds("ds-b")
    code, out = run("add", "cn", "ds-b", "--key", key2, "--cert", cert2)
    assert code == 0 and out["current"] is False

    keystore = FileKeystore.in_data_dir(data_dir)
    assert keystore.signer("cn", now=datetime.now(UTC)).key_id == "ds-a"
    code, out = run("use", "cn", "ds-b")
    assert code == 0 and out["current"] is True
    assert keystore.signer("cn", now=datetime.now(UTC)).key_id == "ds-b"

    code, listing = run("list")
    assert code == 0
    (issuer,) = listing["issuers"]
    assert issuer["issuer"] == "cn"
    assert [(k["key_id"], k["current"], k["active"]) for k in issuer["keys"]] == [
        ("ds-a", False, True),
        ("ds-b", True, True),
    ]
    text = runner.invoke(keys_cli(), ["keys", "list"])
    assert text.exit_code == 0 and "ds-b" in text.output and "current" in text.output


def test_refusals_exit_1_and_name_their_code(tmp_path: Path, data_dir: Path) -> None:
    pki = Pki(tmp_path)
    run("add-issuer", "cn", "--iaca", tmp_path / "iaca.pem")
    code, out = run("use", "cn", "nope")
    assert code == 1 and out["errors"][0]["code"] == "KEYSTORE_KEY_UNKNOWN"
    # A key from another IACA is refused and nothing is written.
    (tmp_path / "other").mkdir()
    other = Pki(tmp_path / "other")
    key, cert = other.ds("foreign")
    code, out = run("add", "cn", "foreign", "--key", key, "--cert", cert)
    assert code == 1
    assert out["errors"][0]["code"] == "KEYSTORE_CERT_NOT_FROM_IACA"
    # An expired key can be stored (its old signatures still verify) but not made current.
    expired_key, expired_cert = pki.ds("old", days=1, start=START - timedelta(days=5))
    code, out = run("add", "cn", "old", "--key", expired_key, "--cert", expired_cert)
    assert code == 0 and out["active"] is False
    code, out = run("use", "cn", "old")
    assert code == 2 and out["errors"][0]["code"] == "KEYSTORE_KEY_NOT_VALID"
    code, out = run("add-issuer", "cn", "--iaca", tmp_path / "missing.pem")
    assert code == 2 and out["errors"][0]["code"] == "FILE_UNREADABLE"
