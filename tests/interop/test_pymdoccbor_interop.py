"""Interop both ways with pymdoccbor, an independent Python mdoc implementation.

* An mDL pymdoccbor issues passes our verifier (and a tampered one does not).
* An mDL we issue — and the DeviceResponse a holder presents from it, with
  selective disclosure and a deviceSignature — passes pymdoccbor's verifier.

pymdoccbor's limits, so these tests do not claim more than it checks: its
verifier covers the IssuerAuth signature, the DS certificate against the given
roots and the value digests, but not device authentication nor validityInfo; its
issuer takes dates as ISO strings and tags only ``birth_date``, ``issue_date`` and
``expiry_date`` itself (full-date, tag 1004), and it validates certificates
against the wall clock, so the PKI here is built around the current time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cbor2 import CBORTag
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from pymdoccbor.mdoc import issuer as pymdoccbor_issuer
from pymdoccbor.mdoc import verifier as pymdoccbor_verifier

from motorcred.formats.cbor import dumps, encoded24, loads
from motorcred.formats.cose import LocalSigner
from motorcred.formats.mdoc import DeviceResponse, Document, issue, present
from motorcred.formats.mdoc.verifier import VerificationReport, verify_presentation
from motorcred.formats.trust import TrustStore
from motorcred.formats.x509 import IssuerName, create_document_signer, create_iaca

MDL = "org.iso.18013.5.1.mDL"
NS = "org.iso.18013.5.1"
NOW = datetime.now(UTC).replace(microsecond=0)
VERIFY_LATER = timedelta(minutes=5)


class Pki:
    def __init__(self) -> None:
        self.iaca_key = ec.generate_private_key(ec.SECP256R1())
        self.iaca = create_iaca(
            self.iaca_key,
            name=IssuerName("CN", "interop IACA", state="CN-BJ"),
            not_before=NOW - timedelta(days=30),
            not_after=NOW + timedelta(days=3650),
            serial_number=x509.random_serial_number(),
            issuer_alt_name="https://pki.example.cn",
        )
        self.ds_key = ec.generate_private_key(ec.SECP256R1())
        self.ds = create_document_signer(
            self.ds_key.public_key(),
            iaca_cert=self.iaca,
            iaca_key=self.iaca_key,
            common_name="interop DS",
            not_before=NOW - timedelta(days=1),
            not_after=NOW + timedelta(days=365),
            serial_number=x509.random_serial_number(),
        )
        self.device_key = ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def pki() -> Pki:
    return Pki()


def elements() -> dict[str, Any]:
    return {
        "family_name": "ZHANG",
        "given_name": "XIAOSAN",
        "birth_date": date(1990, 1, 1),
        "issue_date": date(2024, 3, 1),
        "expiry_date": date(2030, 3, 1),
        "issuing_country": "CN",
        "issuing_authority": "北京市公安局公安交通管理局",
        "issuing_jurisdiction": "CN-BJ",
        "document_number": "110105199001011234",
        "portrait": b"\xff\xd8" + os.urandom(2048) + b"\xff\xd9",
        "driving_privileges": [{"vehicle_category_code": "C1"}],
        "un_distinguishing_sign": "CHN",
        "sex": 1,
        "age_over_18": True,
    }


def ours_verify(data: bytes, pki: Pki, **kwargs: Any) -> VerificationReport:
    # pymdoccbor stamps validityInfo.signed from the wall clock when it issues; verify a
    # few minutes later so a clock adjustment between issue and verify cannot fail the test.
    now = datetime.now(UTC) + VERIFY_LATER
    return verify_presentation(data, trust=TrustStore([pki.iaca]), now=now, **kwargs)


def theirs_verify(data: bytes, pki: Pki) -> bool:
    mdoc = pymdoccbor_verifier.MdocCbor()
    mdoc.loads(data)
    ok: bool = mdoc.verify(trusted_root_certs=[pki.iaca])
    return ok


def theirs_issue(pki: Pki, values: dict[str, Any]) -> bytes:
    plain = {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
    d = pki.ds_key.private_numbers().private_value.to_bytes(32, "big")
    issuer = pymdoccbor_issuer.MdocCborIssuer(
        private_key={"KTY": "EC2", "CURVE": "P_256", "ALG": "ES256", "D": d, "KID": b"ds"},
        alg="ES256",
    )
    pub = pki.device_key.public_key().public_numbers()
    issuer.new(
        data={NS: plain},
        doctype=MDL,
        validity={
            "issuance_date": (NOW - timedelta(days=1)).date().isoformat(),
            "expiry_date": (NOW + timedelta(days=365)).date().isoformat(),
        },
        devicekeyinfo={
            "KTY": "EC2",
            "CURVE": "P_256",
            "X": pub.x.to_bytes(32, "big"),
            "Y": pub.y.to_bytes(32, "big"),
        },
        x509_chain=[pki.ds],
    )
    blob: bytes = issuer.dump()
    return blob


def ours_issue(pki: Pki) -> Any:
    return issue(
        doctype=MDL,
        namespaces={NS: elements()},
        device_key=pki.device_key.public_key(),
        signed=NOW,
        valid_from=NOW,
        valid_until=NOW + timedelta(days=365),
        cert_chain=[pki.ds.public_bytes(Encoding.DER)],
        signer=LocalSigner(pki.ds_key),
        random=os.urandom,
    )


# ------------------------------------------------------------------ theirs → ours


def test_pymdoccbor_issued_mdl_passes_our_verifier(pki: Pki) -> None:
    values = elements()
    report = ours_verify(theirs_issue(pki, values), pki)
    assert report.valid, [f.to_dict() for f in report.errors]
    (doc,) = report.documents
    assert doc.doctype == MDL
    assert doc.issuer_subject == pki.ds.subject.rfc4514_string()
    assert doc.elements[NS] == values  # dates come back as full-dates, bytes as bytes


def test_tampered_pymdoccbor_mdl_fails_our_verifier(pki: Pki) -> None:
    top = loads(theirs_issue(pki, elements()))
    items = top["documents"][0]["issuerSigned"]["nameSpaces"][NS]
    for index, tagged in enumerate(items):
        item = loads(tagged.value)
        if item["elementIdentifier"] == "family_name":
            item["elementValue"] = "李"
            items[index] = CBORTag(24, dumps(item))
    report = ours_verify(dumps(top), pki)
    assert [f.code for f in report.errors] == ["MDOC_DIGEST_MISMATCH"]


def test_pymdoccbor_mdl_from_an_untrusted_issuer_fails_our_verifier(pki: Pki) -> None:
    report = verify_presentation(
        theirs_issue(pki, elements()),
        trust=TrustStore([Pki().iaca]),
        now=datetime.now(UTC) + VERIFY_LATER,
    )
    assert [f.code for f in report.errors] == ["MDOC_UNTRUSTED_ISSUER"]


# ------------------------------------------------------------------ ours → theirs


def test_our_issued_mdl_passes_pymdoccbor(pki: Pki) -> None:
    issued = ours_issue(pki)
    assert theirs_verify(DeviceResponse([Document(MDL, issued)]).encode(), pki)


def test_our_presentation_passes_pymdoccbor_and_ours(pki: Pki) -> None:
    issued = ours_issue(pki)
    transcript = encoded24(dumps([None, None, ["interop", b"\x01" * 16]]))
    doc = present(
        issued,
        device_signer=LocalSigner(pki.device_key),
        session_transcript=transcript,
        request={NS: ["family_name", "portrait", "age_over_18"]},
    )
    data = DeviceResponse([doc]).encode()
    assert theirs_verify(data, pki)
    report = ours_verify(data, pki, session_transcript_bytes=transcript)
    assert report.valid and report.documents[0].device_auth == "ok"
    assert set(report.documents[0].elements[NS]) == {"family_name", "portrait", "age_over_18"}


def test_pymdoccbor_rejects_our_mdl_when_tampered(pki: Pki) -> None:
    """The check above can fail: pymdoccbor does catch a changed value in what we issue."""
    top = loads(DeviceResponse([Document(MDL, ours_issue(pki))]).encode())
    items = top["documents"][0]["issuerSigned"]["nameSpaces"][NS]
    item = loads(items[0].value)
    item["elementValue"] = "tampered" if isinstance(item["elementValue"], str) else 7
    items[0] = CBORTag(24, dumps(item))
    assert not theirs_verify(dumps(top), pki)
    other = Pki()
    assert not theirs_verify(DeviceResponse([Document(MDL, ours_issue(pki))]).encode(), other)


def test_pymdoccbor_issued_mdl_passes_motorcred_mdoc_verify(pki: Pki, tmp_path: Path) -> None:
    """The same through the command line a third party would use."""
    (tmp_path / "theirs.cbor").write_bytes(theirs_issue(pki, elements()))
    (tmp_path / "iaca.der").write_bytes(pki.iaca.public_bytes(Encoding.DER))
    code = "from motorcred.entrypoints.cli.main import run; run()"
    result = subprocess.run(
        [sys.executable, "-c", code, "mdoc", "verify", "theirs.cbor", "--trust", "iaca.der",
         "--at", (datetime.now(UTC) + VERIFY_LATER).isoformat(), "--json"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert report["documents"][0]["elements"][NS]["birth_date"] == "1990-01-01"
