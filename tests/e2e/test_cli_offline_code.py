"""Offline check from files, as a user runs it: trust list, offline credential, code, verify.

The verifier's process runs with sockets disabled, so the check provably needs
no network.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from motorcred.entrypoints.cli.pki import load_private_key
from motorcred.formats.cose import LocalSigner
from motorcred.formats.status_list import StatusList, build_status_list_token
from motorcred.formats.trust_list import certificate_kid
from motorcred.formats.x509 import load_certificate

STATUS_URI = "https://status.motorcred.example/dl/9"
STATUS_IDX = 5

_NO_NETWORK = (
    "import socket\n"
    "def _refuse(*args, **kwargs):\n"
    "    raise OSError('network disabled in this test')\n"
    "socket.socket.connect = _refuse\n"
    "socket.socket.connect_ex = _refuse\n"
    "socket.socket.sendto = _refuse\n"
    "socket.create_connection = _refuse\n"
    "socket.getaddrinfo = _refuse\n"
)
_RUN = "from motorcred.entrypoints.cli.main import run; run()"


def motorcred(
    *args: str | Path, cwd: Path, offline: bool = False
) -> subprocess.CompletedProcess[str]:
    code = (_NO_NETWORK if offline else "") + _RUN
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def ok_json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stdout + result.stderr
    out: dict[str, Any] = json.loads(result.stdout)
    return out


def status_token(tmp: Path, value: int, name: str = "dl-9.cwt") -> Path:
    ds_key = load_private_key(tmp / "ds.key")
    ds_cert = load_certificate((tmp / "ds.pem").read_bytes())
    lst = StatusList(64, bits=2)
    lst.set(STATUS_IDX, value)
    token = build_status_list_token(
        lst,
        uri=STATUS_URI,
        issued_at=datetime.now(UTC) - timedelta(minutes=10),
        expires_at=None,
        ttl=3600,
        signer=LocalSigner(ds_key),  # type: ignore[arg-type]
        kid=certificate_kid(ds_cert),
    )
    directory = tmp / f"status-{value}"
    directory.mkdir(exist_ok=True)
    (directory / name).write_bytes(token)
    return directory


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("offline")
    ok_json(
        motorcred(
            "pki", "init-iaca", "--country", "CN", "--state", "CN-BJ", "--name", "BJ IACA",
            "--issuer-alt-name", "https://pki.example.cn", "--key-out", "iaca.key",
            "--cert-out", "iaca.pem", "--json", cwd=tmp,
        )
    )  # fmt: skip
    ok_json(
        motorcred(
            "pki", "issue-ds", "--iaca-cert", "iaca.pem", "--iaca-key", "iaca.key",
            "--name", "BJ DS 1", "--key-out", "ds.key", "--cert-out", "ds.pem", "--json",
            cwd=tmp,
        )
    )  # fmt: skip
    listed = ok_json(
        motorcred(
            "pki", "trust-list", "--iaca", "iaca.pem", "--ds", "ds.pem", "--signer-key",
            "iaca.key", "--signer-cert", "iaca.pem", "--issuer", "BJ traffic", "-o",
            "trust.cbor", "--json", cwd=tmp,
        )
    )  # fmt: skip
    assert len(listed["ds"]) == 1
    device = ec.generate_private_key(ec.SECP256R1())
    (tmp / "device.pem").write_bytes(
        device.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    elements = {
        "org.iso.18013.5.1": {
            "family_name": "ZHANG", "given_name": "XIAOSAN", "sex": 1, "nationality": "CN",
            "birth_date": "1990-01-01", "document_number": "110105199001011234",
            "issue_date": "2020-03-01", "expiry_date": "2030-03-01",
            "issuing_country": "CN", "resident_address": "1 Jianguo Road, Chaoyang, Beijing",
        },
        "cn.gov.mps.dl.1": {
            "permitted_classes": "C1D", "licence_status": "A", "cumulative_points": 3,
            "first_issue_date": "2010-05-01", "file_number": "110100123456",
        },
    }  # fmt: skip
    (tmp / "elements.json").write_text(json.dumps(elements, ensure_ascii=False))
    issued = ok_json(
        motorcred(
            "mdoc", "issue-offline", "--doctype", "org.iso.18013.5.1.mDL",
            "--elements", "elements.json", "--key", "ds.key", "--cert", "ds.pem",
            "--device-key", "device.pem", "--status-uri", STATUS_URI,
            "--status-idx", str(STATUS_IDX), "-o", "offline.cbor", "--json", cwd=tmp,
        )
    )  # fmt: skip
    assert "resident_address" not in issued["elements"]["org.iso.18013.5.1"]
    return tmp


def make_code(tmp: Path, *extra: str) -> dict[str, Any]:
    return ok_json(
        motorcred(
            "mdoc", "offline-code", "offline.cbor", "--device-key", "device.pem", "--json",
            *extra, cwd=tmp,
        )
    )  # fmt: skip


def test_code_verifies_offline_from_text_and_from_the_qr_image(setting: Path) -> None:
    made = make_code(setting, "--qr-out", "code.png", "--force")
    assert made["code"].startswith("MC1:") and made["qr_version"] <= 25
    cache = status_token(setting, 0)
    for source in ([made["code"]], ["--image", "code.png"]):
        result = motorcred(
            "verify-code", *source, "--trust-list", "trust.cbor", "--status-cache", cache,
            "--json", cwd=setting, offline=True,
        )  # fmt: skip
        out = ok_json(result)
        assert out["valid"] is True and out["status"] == "valid"
        assert out["device_auth"] == "ok"
        assert out["elements"]["org.iso.18013.5.1"]["document_number"] == "110105199001011234"
        assert out["elements"]["cn.gov.mps.dl.1"]["permitted_classes"] == "C1D"
        assert out["trust_list"]["issuer"] == "BJ traffic"
        assert out["status_cache"] == {"lists": 1, "rejected": []}


def test_text_output_and_stdin(setting: Path) -> None:
    code = make_code(setting)["code"]
    result = subprocess.run(
        [sys.executable, "-c", _RUN, "verify-code", "-", "--trust-list", "trust.cbor"],
        cwd=setting,
        input=code,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "VALID" in result.stdout and "OFFLINE_STATUS_UNKNOWN" in result.stdout


def test_revoked_after_the_code_was_shown(setting: Path) -> None:
    code = make_code(setting)["code"]
    cache = status_token(setting, 1)
    result = motorcred(
        "verify-code", code, "--trust-list", "trust.cbor", "--status-cache", cache, "--json",
        cwd=setting, offline=True,
    )  # fmt: skip
    assert result.returncode == 1
    out = json.loads(result.stdout)
    assert [e["code"] for e in out["errors"]] == ["MDOC_STATUS_REVOKED"]


def test_stale_code_and_selective_disclosure(setting: Path) -> None:
    made = make_code(setting, "--disclose", "org.iso.18013.5.1/family_name")
    assert made["disclosed"] == ["org.iso.18013.5.1/family_name"]
    later = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
    result = motorcred(
        "verify-code", made["code"], "--trust-list", "trust.cbor", "--at", later, "--json",
        cwd=setting,
    )  # fmt: skip
    assert result.returncode == 1
    out = json.loads(result.stdout)
    assert [e["code"] for e in out["errors"]] == ["OFFLINE_CODE_STALE"]
    assert out["elements"] == {"org.iso.18013.5.1": {"family_name": "ZHANG"}}


def test_trust_list_of_another_authority(setting: Path, tmp_path: Path) -> None:
    ok_json(
        motorcred(
            "pki", "init-iaca", "--country", "CN", "--name", "Other IACA", "--issuer-alt-name",
            "https://other.example.cn", "--key-out", "o.key", "--cert-out", "o.pem", "--json",
            cwd=tmp_path,
        )
    )  # fmt: skip
    ok_json(
        motorcred(
            "pki", "trust-list", "--iaca", "o.pem", "--signer-key", "o.key", "--signer-cert",
            "o.pem", "-o", "other.cbor", "--json", cwd=tmp_path,
        )
    )  # fmt: skip
    code = make_code(setting)["code"]
    result = motorcred(
        "verify-code", code, "--trust-list", tmp_path / "other.cbor", "--json", cwd=setting
    )
    assert result.returncode == 1
    assert [e["code"] for e in json.loads(result.stdout)["errors"]] == ["OFFLINE_UNKNOWN_KID"]
    pinned = motorcred(
        "verify-code", code, "--trust-list", "trust.cbor", "--trust-anchor", tmp_path / "o.pem",
        "--json", cwd=setting,
    )  # fmt: skip
    assert pinned.returncode == 2
    assert json.loads(pinned.stdout)["errors"][0]["code"] == "TRUST_LIST_UNTRUSTED_SIGNER"


def test_tampered_trust_list_and_usage_errors(setting: Path) -> None:
    data = bytearray((setting / "trust.cbor").read_bytes())
    data[len(data) // 2] ^= 0x01
    (setting / "tampered.cbor").write_bytes(bytes(data))
    code = make_code(setting)["code"]
    result = motorcred("verify-code", code, "--trust-list", "tampered.cbor", cwd=setting)
    assert result.returncode == 2
    assert "TRUST_LIST_" in result.stderr
    missing = motorcred("verify-code", "--trust-list", "trust.cbor", cwd=setting)
    assert missing.returncode == 2 and "CODE_MISSING" in missing.stderr
    garbage = motorcred("verify-code", "MC1:XYZ", "--trust-list", "trust.cbor", cwd=setting)
    assert garbage.returncode == 1 and "BASE45_INVALID" in garbage.stdout
    wrong_key = motorcred(
        "mdoc", "offline-code", "offline.cbor", "--device-key", "ds.key", cwd=setting
    )
    assert wrong_key.returncode == 2 and "MDOC_DEVICE_KEY_MISMATCH" in wrong_key.stderr


def test_the_network_guard_really_blocks_connections() -> None:
    probe = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', 9), timeout=1)\n"
        "except OSError as exc:\n"
        "    print(exc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", _NO_NETWORK + probe],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "network disabled in this test" in result.stdout
