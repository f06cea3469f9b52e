"""``motorcred mdoc issue`` → ``present`` → ``verify`` run like a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from motorcred.formats.cbor import dumps, loads

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "iso18013-5-annex-d"
MDL = "org.iso.18013.5.1.mDL"
NS = "org.iso.18013.5.1"
CN = "cn.gov.mps.dl.1"


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


def ok_json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode == 0, result.stdout + result.stderr
    out: dict[str, Any] = json.loads(result.stdout)
    return out


def error_code(result: subprocess.CompletedProcess[str], exit_code: int = 2) -> str:
    assert result.returncode == exit_code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    code: str = json.loads(result.stdout)["errors"][0]["code"]
    return code


ELEMENTS = {
    NS: {
        "family_name": "ZHANG",
        "given_name": "XIAOSAN",
        "birth_date": "1990-01-01",
        "issue_date": "2024-03-01",
        "expiry_date": "2030-03-01",
        "issuing_country": "CN",
        "issuing_authority": "北京市公安局公安交通管理局",
        "issuing_jurisdiction": "CN-BJ",
        "document_number": "110105199001011234",
        "portrait": {"file": "portrait.jpg"},
        "driving_privileges": [
            {"vehicle_category_code": "C1", "issue_date": "2010-05-01", "expiry_date": "2030-03-01"}
        ],
        "un_distinguishing_sign": "CHN",
        "sex": 1,
        "age_over_18": True,
        "signature_usual_mark": {"hex": "0102ff"},
    },
    CN: {"licence_status": "A", "cumulative_points": 2, "file_number": "110100123456"},
}
PORTRAIT = b"\xff\xd8" + bytes(range(256)) * 8 + b"\xff\xd9"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An IACA, a DS certificate, the elements JSON and an issued mDL."""
    tmp = tmp_path_factory.mktemp("mdoc")
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
            "--name", "bj-ds", "--key-out", "ds.key", "--cert-out", "ds.pem", "--json", cwd=tmp,
        )
    )  # fmt: skip
    (tmp / "portrait.jpg").write_bytes(PORTRAIT)
    (tmp / "mdl.json").write_text(json.dumps(ELEMENTS, ensure_ascii=False), encoding="utf-8")
    (tmp / "st.cbor").write_bytes((VECTORS / "session_transcript_bytes.cbor").read_bytes())
    return tmp


def issue(tmp: Path, out: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return motorcred(
        "mdoc", "issue", "--doctype", MDL, "--elements", "mdl.json", "--key", "ds.key",
        "--cert", "ds.pem", "-o", out, "--json", *extra, cwd=tmp,
    )  # fmt: skip


def test_issue_present_verify_round_trip(workdir: Path) -> None:
    info = ok_json(issue(workdir, "mdl.cbor"))
    assert info["doctype"] == MDL and info["device_key_file"] == "mdl.device-key.pem"
    assert set(info["elements"][NS]) == set(ELEMENTS[NS])
    assert (workdir / "mdl.device-key.pem").stat().st_mode & 0o777 == 0o600
    issued = loads((workdir / "mdl.cbor").read_bytes())
    assert issued["version"] == "1.0" and "deviceSigned" not in issued["documents"][0]

    # The issued credential verifies on its own (no session: device auth not checked).
    report = ok_json(
        motorcred("mdoc", "verify", "mdl.cbor", "--trust", "iaca.pem", "--json", cwd=workdir)
    )
    assert report["valid"] is True and report["errors"] == []
    doc = report["documents"][0]
    assert doc["device_auth"] == "not_checked" and doc["status"] == "unknown"
    assert doc["issuer"]["subject"] == "CN=bj-ds,ST=CN-BJ,C=CN"
    elements = doc["elements"][NS]
    assert elements["birth_date"] == "1990-01-01"
    assert elements["portrait"] == PORTRAIT.hex()
    assert elements["signature_usual_mark"] == "0102ff"
    assert elements["driving_privileges"][0]["issue_date"] == "2010-05-01"
    assert doc["elements"][CN]["cumulative_points"] == 2
    assert set(doc["validity"]) == {"signed", "validFrom", "validUntil"}

    presented = ok_json(
        motorcred(
            "mdoc", "present", "mdl.cbor", "--device-key", "mdl.device-key.pem",
            "--session-transcript", "st.cbor", "--disclose", f"{NS}/family_name",
            "--disclose", f"{NS}/age_over_18", "--disclose", f"{CN}/licence_status",
            "-o", "resp.cbor", "--json", cwd=workdir,
        )
    )  # fmt: skip
    assert presented["disclosed"] == {NS: ["family_name", "age_over_18"], CN: ["licence_status"]}
    result = motorcred(
        "mdoc", "verify", "resp.cbor", "--trust", "iaca.pem", "--session-transcript", "st.cbor",
        "--json", cwd=workdir,
    )  # fmt: skip
    report = ok_json(result)
    doc = report["documents"][0]
    assert doc["device_auth"] == "ok"
    assert doc["elements"] == {
        NS: {"family_name": "ZHANG", "age_over_18": True},
        CN: {"licence_status": "A"},
    }

    # Another session's transcript: the device signature does not carry over (replay).
    other = loads((workdir / "st.cbor").read_bytes())
    transcript = loads(other.value)
    transcript[2] = None
    (workdir / "st-other.cbor").write_bytes(dumps(other.__class__(24, dumps(transcript))))
    result = motorcred(
        "mdoc", "verify", "resp.cbor", "--trust", "iaca.pem", "--session-transcript",
        "st-other.cbor", "--json", cwd=workdir,
    )  # fmt: skip
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert [e["code"] for e in report["errors"]] == ["MDOC_DEVICE_AUTH_FAILED"]


def test_verify_human_output(workdir: Path) -> None:
    if not (workdir / "mdl.cbor").exists():
        ok_json(issue(workdir, "mdl.cbor"))
    result = motorcred("mdoc", "verify", "mdl.cbor", "--trust", "iaca.pem", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert "VALID" in result.stdout and "family_name" in result.stdout
    assert "JPEG" in result.stdout  # the portrait is summarised, not dumped
    result = motorcred(
        "mdoc", "verify", "mdl.cbor", "--trust", "iaca.pem", "--at", "2099-01-01T00:00:00Z",
        cwd=workdir,
    )  # fmt: skip
    assert result.returncode == 1
    assert "INVALID" in result.stdout and "MDOC_EXPIRED" in result.stdout


def test_verify_untrusted_and_malformed(workdir: Path, tmp_path: Path) -> None:
    if not (workdir / "mdl.cbor").exists():
        ok_json(issue(workdir, "mdl.cbor"))
    # A trust anchor that is not the issuer: invalid (exit 1), not a usage error.
    result = motorcred(
        "mdoc", "verify", "mdl.cbor", "--trust", str(VECTORS / "iaca_root.der"), "--json",
        cwd=workdir,
    )  # fmt: skip
    assert result.returncode == 1
    assert json.loads(result.stdout)["errors"][0]["code"] == "MDOC_UNTRUSTED_ISSUER"
    (tmp_path / "junk.cbor").write_bytes(b"\xa1\x61")
    result = motorcred(
        "mdoc", "verify", str(tmp_path / "junk.cbor"), "--trust", "iaca.pem", "--json",
        cwd=workdir,
    )  # fmt: skip
    assert result.returncode == 1
    assert json.loads(result.stdout)["errors"][0]["code"] == "MDOC_MALFORMED"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--trust", "ds.key"], "PKI_CERT_MALFORMED"),
        (["--trust", "missing.pem"], "FILE_UNREADABLE"),
        (["--trust", "iaca.pem", "--at", "yesterday"], "TIME_INVALID"),
        (
            ["--trust", "iaca.pem", "--session-transcript", "mdl.json"],
            "MDOC_SESSION_TRANSCRIPT_MALFORMED",
        ),
        (["--trust", "iaca.pem", "--reader-key", "ds.key"], "MDOC_SESSION_TRANSCRIPT_REQUIRED"),
        (
            ["--trust", "iaca.pem", "--session-transcript", "st.cbor", "--reader-key", "mdl.json"],
            "KEY_UNREADABLE",
        ),
    ],
)
def test_verify_usage_errors(workdir: Path, args: list[str], code: str) -> None:
    result = motorcred("mdoc", "verify", "st.cbor", *args, "--json", cwd=workdir)
    assert error_code(result) == code


def test_issue_refuses_bad_input(workdir: Path) -> None:
    def write(name: str, elements: Any) -> str:
        (workdir / name).write_text(json.dumps(elements), encoding="utf-8")
        return name

    bad_date = {NS: {**ELEMENTS[NS], "birth_date": "01/01/1990"}}
    cases = {
        "MDOC_ELEMENTS_JSON": write("bad-date.json", bad_date),
        "MDOC_MANDATORY_MISSING": write("missing.json", {NS: {"family_name": "ZHANG"}}),
        "MDOC_ELEMENT_TYPE": write("type.json", {NS: {**ELEMENTS[NS], "sex": "male"}}),
        "MDOC_COUNTRY_MISMATCH": write(
            "country.json", {NS: {**ELEMENTS[NS], "issuing_country": "US"}}
        ),
    }
    for code, name in cases.items():
        result = motorcred(
            "mdoc", "issue", "--doctype", MDL, "--elements", name, "--key", "ds.key",
            "--cert", "ds.pem", "-o", f"{code}.cbor", "--json", cwd=workdir,
        )  # fmt: skip
        assert error_code(result) == code, name
        assert not (workdir / f"{code}.cbor").exists()
    result = motorcred(
        "mdoc", "issue", "--doctype", MDL, "--elements", "mdl.json", "--key", "iaca.key",
        "--cert", "ds.pem", "-o", "x.cbor", "--json", cwd=workdir,
    )  # fmt: skip
    assert error_code(result) == "KEY_CERT_MISMATCH"
    result = issue(
        workdir, "late.cbor", "--valid-from", "2099-01-01T00:00:00Z", "--valid-until", "2098-01-01"
    )
    assert error_code(result) == "MDOC_VALIDITY_INVALID"
    ok_json(issue(workdir, "twice.cbor"))
    assert error_code(issue(workdir, "twice.cbor")) == "FILE_EXISTS"
    assert error_code(issue(workdir, "no-such-dir/x.cbor")) == "FILE_UNWRITABLE"
    assert not (workdir / "no-such-dir").exists()


def test_issue_with_given_device_key_and_status(workdir: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    holder = ec.generate_private_key(ec.SECP256R1())
    (workdir / "holder.pub").write_bytes(
        holder.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    info = ok_json(
        issue(workdir, "given.cbor", "--device-key", "holder.pub", "--status-uri",
              "https://status.example.cn/1", "--status-idx", "42")
    )  # fmt: skip
    assert info["device_key_file"] is None
    assert not (workdir / "given.device-key.pem").exists()
    mso = loads(
        loads(
            loads((workdir / "given.cbor").read_bytes())["documents"][0]["issuerSigned"][
                "issuerAuth"
            ][2]
        ).value
    )
    assert mso["status"] == {"status_list": {"idx": 42, "uri": "https://status.example.cn/1"}}
    assert mso["deviceKeyInfo"]["deviceKey"][-2] == holder.public_key().public_numbers().x.to_bytes(
        32, "big"
    )


def test_present_usage_errors(workdir: Path) -> None:
    if not (workdir / "mdl.cbor").exists():
        ok_json(issue(workdir, "mdl.cbor"))
    base = ["mdoc", "present", "mdl.cbor", "--session-transcript", "st.cbor", "--json"]
    result = motorcred(*base, "--device-key", "ds.key", "-o", "p1.cbor", cwd=workdir)
    assert error_code(result) == "MDOC_DEVICE_KEY_MISMATCH"
    key = ["--device-key", "mdl.device-key.pem"]
    result = motorcred(*base, *key, "-o", "p2.cbor", "--disclose", "family_name", cwd=workdir)
    assert error_code(result) == "MDOC_DISCLOSE_INVALID"
    result = motorcred(*base, *key, "-o", "p3.cbor", "--disclose", f"{NS}/height", cwd=workdir)
    assert error_code(result) == "MDOC_DISCLOSE_UNKNOWN"
    result = motorcred(
        "mdoc", "present", "mdl.json", *key, "--session-transcript", "st.cbor", "-o", "p4.cbor",
        "--json", cwd=workdir,
    )  # fmt: skip
    assert result.returncode == 2 and "not an mdoc credential" in result.stdout
    assert not any((workdir / f"p{i}.cbor").exists() for i in range(1, 5))


def test_every_mdoc_command_has_help(workdir: Path) -> None:
    for command in ("issue", "present", "verify"):
        result = motorcred("mdoc", command, "--help", cwd=workdir)
        assert result.returncode == 0 and "Usage" in result.stdout


def _annex_d_verify(tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return motorcred(
        "mdoc", "verify", str(VECTORS / "device_response.cbor"),
        "--trust", str(VECTORS / "iaca_root.der"),
        "--session-transcript", str(VECTORS / "session_transcript_bytes.cbor"),
        "--json", *extra, cwd=tmp,
    )  # fmt: skip


def test_annex_d_verifies_through_the_cli(tmp_path: Path) -> None:
    keys = json.loads((VECTORS / "keys.json").read_text())
    (tmp_path / "reader.json").write_text(json.dumps(keys["ephemeral_reader_key"]))
    result = _annex_d_verify(
        tmp_path, "--reader-key", "reader.json", "--at", "2021-01-01T00:00:00Z"
    )
    report = ok_json(result)
    doc = report["documents"][0]
    assert doc["device_auth"] == "ok"
    assert doc["issuer"]["subject"] == "C=US,CN=utopia ds"
    assert doc["validity"]["signed"].startswith("2020-10-01T13:30:02")
    elements = doc["elements"][NS]
    assert elements["family_name"] == "Doe"
    assert elements["document_number"] == "123456789"
    assert elements["issue_date"] == "2019-10-20"
    assert elements["portrait"] == (VECTORS / "portrait.jpg").read_bytes().hex()
    assert [p["vehicle_category_code"] for p in elements["driving_privileges"]] == ["A", "B"]

    # The same reader key as PEM.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.derive_private_key(int(keys["ephemeral_reader_key"]["d"], 16), ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    (tmp_path / "reader.pem").write_bytes(pem)
    ok_json(_annex_d_verify(tmp_path, "--reader-key", "reader.pem", "--at", "2021-01-01"))

    # Today the DS certificate and the MSO have expired: invalid, exit 1.
    result = _annex_d_verify(tmp_path, "--reader-key", "reader.json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert [e["code"] for e in report["errors"]] == ["MDOC_CERT_EXPIRED", "MDOC_EXPIRED"]

    # A reader key whose x/y do not belong to d is a usage error.
    bad = dict(keys["ephemeral_reader_key"], x=keys["ephemeral_device_key"]["x"])
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    assert error_code(_annex_d_verify(tmp_path, "--reader-key", "bad.json")) == "KEY_UNREADABLE"


def test_documented_example_elements_issue(workdir: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "mdl-elements.json"
    result = motorcred(
        "mdoc", "issue", "--doctype", MDL, "--elements", str(example), "--key", "ds.key",
        "--cert", "ds.pem", "-o", "example.cbor", "--json", cwd=workdir,
    )  # fmt: skip
    info = ok_json(result)
    assert "records" in info["elements"][CN]
    report = ok_json(
        motorcred("mdoc", "verify", "example.cbor", "--trust", "iaca.pem", "--json", cwd=workdir)
    )
    assert (
        report["documents"][0]["elements"][NS]["portrait_capture_date"]
        == "2026-11-20T01:30:00+00:00"
    )


def _status_token(workdir: Path, name: str, *, revoked: int, kid_only: bool = False) -> str:
    from datetime import UTC, datetime, timedelta

    from motorcred.entrypoints.cli.pki import load_private_key
    from motorcred.formats.cose import LocalSigner
    from motorcred.formats.status_list import StatusList, StatusType, build_status_list_token
    from motorcred.formats.x509 import load_certificate

    status_list = StatusList(64, 2)
    status_list.set(revoked, StatusType.INVALID)
    status_list.set(revoked + 1, StatusType.SUSPENDED)
    der = load_certificate((workdir / "ds.pem").read_bytes()).public_bytes(Encoding.DER)
    now = datetime.now(UTC)
    token = build_status_list_token(
        status_list,
        uri="https://status.example.cn/dl/1",
        issued_at=now - timedelta(minutes=1),
        expires_at=now + timedelta(days=1),
        ttl=3600,
        signer=LocalSigner(load_private_key(workdir / "ds.key")),
        cert_chain=() if kid_only else (der,),
        kid=b"ds-1" if kid_only else None,
    )
    (workdir / name).write_bytes(token)
    return name


@pytest.mark.parametrize(
    ("idx", "status", "code"),
    [
        (7, "valid", None),
        (5, "invalid", "MDOC_STATUS_REVOKED"),
        (6, "suspended", "MDOC_STATUS_SUSPENDED"),
    ],
)
def test_verify_checks_status_from_a_status_list_token(
    workdir: Path, idx: int, status: str, code: str | None
) -> None:
    out = f"status-{idx}.cbor"
    ok_json(
        issue(
            workdir, out, "--status-uri", "https://status.example.cn/dl/1", "--status-idx", str(idx)
        )
    )
    token = _status_token(workdir, "status.cwt", revoked=5)
    result = motorcred(
        "mdoc", "verify", out, "--trust", "iaca.pem", "--status-list", token, "--json", cwd=workdir
    )
    report = json.loads(result.stdout)
    assert report["documents"][0]["status"] == status
    assert result.returncode == (0 if code is None else 1)
    assert [e["code"] for e in report["errors"]] == ([] if code is None else [code])


def test_status_list_tokens_must_be_trusted(workdir: Path, tmp_path: Path) -> None:
    ok_json(
        issue(
            workdir,
            "status-x.cbor",
            "--status-uri",
            "https://status.example.cn/dl/1",
            "--status-idx",
            "5",
        )
    )
    token = _status_token(workdir, "kid-only.cwt", revoked=5, kid_only=True)
    base = ["mdoc", "verify", "status-x.cbor", "--json", "--status-list", token]
    assert (
        error_code(motorcred(*base, "--trust", "iaca.pem", cwd=workdir))
        == "STATUS_LIST_KEY_UNKNOWN"
    )
    token = _status_token(workdir, "signed.cwt", revoked=5)
    other = str(VECTORS / "iaca_root.der")
    result = motorcred(
        "mdoc",
        "verify",
        "status-x.cbor",
        "--json",
        "--status-list",
        token,
        "--trust",
        other,
        cwd=workdir,
    )
    assert error_code(result) == "MDOC_UNTRUSTED_ISSUER"
    (tmp_path / "junk.cwt").write_bytes(b"\x01\x02")
    result = motorcred(
        *base[:4], "--status-list", str(tmp_path / "junk.cwt"), "--trust", "iaca.pem", cwd=workdir
    )
    assert error_code(result) == "STATUS_LIST_MALFORMED"
