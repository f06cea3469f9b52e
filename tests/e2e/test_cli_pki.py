"""``motorcred pki init-iaca`` / ``issue-ds`` run like a user runs them."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from motorcred.formats.trust import TrustStore, validate_chain
from motorcred.formats.x509 import MDL_DS_EKU, issuer_state, load_certificate


def motorcred(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    code = "from motorcred.entrypoints.cli.main import run; run()"
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def init_iaca(tmp: Path, state: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return motorcred(
        "pki", "init-iaca", "--country", "CN", "--state", state, "--name", f"{state} IACA",
        "--issuer-alt-name", "https://pki.example.cn", "--not-before", "2026-01-01T00:00:00Z",
        "--key-out", f"{state}.key", "--cert-out", f"{state}.pem", "--json", *extra, cwd=tmp,
    )  # fmt: skip


def issue_ds(tmp: Path, state: str, name: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return motorcred(
        "pki", "issue-ds", "--iaca-cert", f"{state}.pem", "--iaca-key", f"{state}.key",
        "--name", name, "--not-before", "2026-01-01T00:00:00Z", "--days", "365",
        "--key-out", f"{name}.key", "--cert-out", f"{name}.pem", "--json", *extra, cwd=tmp,
    )  # fmt: skip


def test_init_iaca_and_issue_two_ds_per_region(tmp_path: Path) -> None:
    for state in ("Beijing", "Sichuan"):
        result = init_iaca(tmp_path, state)
        assert result.returncode == 0, result.stderr
        info = json.loads(result.stdout)
        assert info["subject"] == f"CN={state} IACA,ST={state},C=CN"
        assert stat.S_IMODE((tmp_path / f"{state}.key").stat().st_mode) == 0o600
    trust = TrustStore(
        [load_certificate((tmp_path / f"{s}.pem").read_bytes()) for s in ("Beijing", "Sichuan")]
    )
    for state, name in (("Beijing", "bj-ds-a"), ("Beijing", "bj-ds-b"), ("Sichuan", "sc-ds")):
        result = issue_ds(tmp_path, state, name)
        assert result.returncode == 0, result.stderr
        assert stat.S_IMODE((tmp_path / f"{name}.key").stat().st_mode) == 0o600
        ds = load_certificate((tmp_path / f"{name}.pem").read_bytes())
        assert MDL_DS_EKU in ds.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        path = validate_chain(
            trust,
            [ds.public_bytes(Encoding.DER)],
            now=datetime(2026, 6, 1, tzinfo=UTC),
        )
        assert issuer_state(path.leaf) == state


def test_refuses_to_overwrite_keys(tmp_path: Path) -> None:
    assert init_iaca(tmp_path, "Beijing").returncode == 0
    before = (tmp_path / "Beijing.key").read_bytes()
    result = init_iaca(tmp_path, "Beijing")
    assert result.returncode == 2
    assert json.loads(result.stdout)["errors"][0]["code"] == "FILE_EXISTS"
    assert (tmp_path / "Beijing.key").read_bytes() == before
    assert init_iaca(tmp_path, "Beijing", "--force").returncode == 0


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--country", "cn"], "PKI_COUNTRY_INVALID"),
        (["--curve", "P-192"], "PKI_CURVE_UNSUPPORTED"),
        (["--issuer-alt-name", "nonsense"], "PKI_ISSUER_ALT_NAME_INVALID"),
        (["--not-before", "yesterday"], "TIME_INVALID"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], code: str) -> None:
    base = {
        "--country": "CN",
        "--name": "x",
        "--issuer-alt-name": "https://x.example",
        "--key-out": "k.pem",
        "--cert-out": "c.pem",
    }
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = [item for pair in base.items() for item in pair]
    result = motorcred("pki", "init-iaca", *argv, "--json", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert json.loads(result.stdout)["errors"][0]["code"] == code
    assert "Traceback" not in result.stderr


def test_issue_ds_with_bad_key_file(tmp_path: Path) -> None:
    assert init_iaca(tmp_path, "Beijing").returncode == 0
    (tmp_path / "Beijing.key").write_text("not a key")
    result = issue_ds(tmp_path, "Beijing", "ds")
    assert result.returncode == 2
    assert json.loads(result.stdout)["errors"][0]["code"] == "KEY_UNREADABLE"
