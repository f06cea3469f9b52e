"""Every failure code the mdoc verifier can report has a scenario that produces it.

The codes are read from the verifier's source (string literals ``MDOC_*`` /
``COSE_*`` in the modules that run the checks), so adding a check with a new
code and no scenario here fails :func:`test_every_code_has_a_scenario`. Each
scenario builds a credential broken in exactly one way and runs the real
verifier over it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cbor2 import CBORTag
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from mdoc_test_builder import (
    MDL,
    NOW,
    NS,
    SIGNED,
    device_signed_mac,
    device_signed_sig,
    document,
    issue,
    make_pki,
    response,
    transcript,
)

import motorcred.formats
from motorcred.errors import NotFound
from motorcred.formats.cbor import dumps, loads
from motorcred.formats.cose import H_ALG, H_CRIT, mac0
from motorcred.formats.mdoc.verifier import VerificationReport, verify_presentation
from motorcred.formats.mdoc.verify_status import StatusListProvider
from motorcred.formats.status_list import StatusList
from motorcred.formats.trust import TrustStore
from motorcred.formats.x509 import MDL_DS_EKU

FORMATS = Path(motorcred.formats.__file__).parent
#: The modules whose checks the verifier runs (x509: certificate parsing of the x5chain).
VERIFIER_SOURCES = (
    FORMATS / "mdoc" / "verifier.py",
    *sorted((FORMATS / "mdoc").glob("verify_*.py")),
    FORMATS / "trust.py",
    FORMATS / "x509.py",
)
#: Codes raised by the COSE layer while the verifier parses, reported unchanged.
PASSED_THROUGH = {"COSE_CRIT_UNSUPPORTED"}
_CODE = re.compile(r"(MDOC|COSE)_[A-Z0-9_]+")

PKI = make_pki()
SESSION = transcript()
STATUS_URI = "https://status.example/lists/1"

Scenario = tuple[bytes, dict[str, Any]]


def source_codes() -> set[str]:
    found: set[str] = set()
    for path in VERIFIER_SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and _CODE.fullmatch(node.value):
                found.add(node.value)
    return found


# ------------------------------------------------------------------ scenario helpers


def _doc(**kwargs: Any) -> bytes:
    return dumps(document(issue(PKI, **kwargs)))


def _tamper_item(value: Any = None, *, digest_id: int | None = None) -> bytes:
    built = issue(PKI)
    item = loads(built.items[NS][0])
    if digest_id is not None:
        item["digestID"] = digest_id
    else:
        item["elementValue"] = value
    built.items[NS][0] = dumps(item)
    return dumps(document(built))


def _tampered_mso() -> Scenario:
    built = issue(PKI)
    protected, unprotected, payload, signature = built.issuer_auth
    mso = loads(loads(payload).value)
    mso["validityInfo"]["validUntil"] = SIGNED + timedelta(days=9999)
    built.issuer_auth = [protected, unprotected, dumps(CBORTag(24, dumps(mso))), signature]
    return dumps(document(built)), {}


def _hmac_issuer_auth() -> Scenario:
    built = issue(PKI)
    forged = mac0(built.issuer_auth[2], PKI.ds_der)
    built.issuer_auth = [forged.protected_bytes, built.issuer_auth[1], forged.payload, forged.tag]
    return dumps(document(built)), {}


def _unknown_critical_header() -> Scenario:
    built = issue(PKI)
    built.issuer_auth[0] = dumps({H_ALG: -7, H_CRIT: [99], 99: "must be understood"})
    return dumps(document(built)), {}


def _no_x5chain() -> Scenario:
    built = issue(PKI)
    built.issuer_auth[1] = {}
    return dumps(document(built)), {}


def _x5chain_of_wrong_type() -> Scenario:
    built = issue(PKI)
    built.issuer_auth[1] = {33: 7}
    return dumps(document(built)), {}


def _ds_with_profile(
    *, digital_signature: bool = True, eku: bool = True, ds_oid: bool = True, ca: bool = False
) -> Scenario:
    """A DS certificate issued by the trusted IACA, off the Annex B profile in one way."""
    key = ec.generate_private_key(ec.SECP256R1())
    usage = dict.fromkeys(
        (
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "off-profile DS")]))
        .issuer_name(PKI.iaca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(PKI.ds.not_valid_before_utc)
        .not_valid_after(PKI.ds.not_valid_after_utc)
        .add_extension(x509.KeyUsage(digital_signature=digital_signature, **usage), critical=True)
    )
    if eku:
        purpose = MDL_DS_EKU if ds_oid else ExtendedKeyUsageOID.CODE_SIGNING
        builder = builder.add_extension(x509.ExtendedKeyUsage([purpose]), critical=True)
    if ca:
        builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
    cert = builder.sign(PKI.iaca_key, hashes.SHA256())
    return _doc(signer_key=key, x5chain=[cert.public_bytes(Encoding.DER)]), {}


def _iaca_as_signer() -> Scenario:
    """The IACA, trusted directly, signs the MSO itself: it lacks the mdoc DS key usage."""
    iaca_der = PKI.iaca.public_bytes(Encoding.DER)
    return _doc(signer_key=PKI.iaca_key, x5chain=[iaca_der]), {"trust": TrustStore([PKI.iaca])}


def _regional(jurisdiction: str) -> Scenario:
    regional = make_pki(state="CN-SC")
    data = dumps(document(issue(regional, elements={NS: {"issuing_jurisdiction": jurisdiction}})))
    return data, {"trust": regional.trust()}


def _with_status(idx: int) -> Scenario:
    status_list = StatusList(16, bits=2)
    status_list.set(3, 1)  # invalid (revoked)
    status_list.set(4, 2)  # suspended
    status = {"status_list": {"idx": idx, "uri": STATUS_URI}}
    provider = StatusListProvider({STATUS_URI: status_list})
    return _doc(status=status), {"status": provider}


class _UnreachableStatus:
    def status_of(self, uri: str, idx: int, *, now: Any) -> str:
        raise NotFound("STATUS_LIST_NOT_FOUND", f"no list at {uri}")


def _device(kind: str) -> Scenario:
    built = issue(PKI)
    if kind == "missing":
        return dumps(document(built)), {"session_transcript_bytes": SESSION[0]}
    if kind == "wrong-key":
        signed = device_signed_sig(built, SESSION, key=ec.generate_private_key(ec.SECP256R1()))
    elif kind == "replayed":
        signed = device_signed_sig(built, transcript(b"an earlier session"))
    else:  # "mac": a deviceMac with no reader key to derive EMacKey from
        reader = ec.generate_private_key(ec.SECP256R1())
        signed = device_signed_mac(built, SESSION, reader.public_key())
    return response(document(built, signed)), {"session_transcript_bytes": SESSION[0]}


SCENARIOS: dict[str, Callable[[], Scenario]] = {
    "MDOC_MALFORMED": lambda: (b"\xa1\x61", {}),
    "MDOC_NO_DOCUMENTS": lambda: (response(), {}),
    "MDOC_RESPONSE_STATUS": lambda: (response(document(issue(PKI)), status=20), {}),
    "COSE_ALG_NOT_ALLOWED": _hmac_issuer_auth,
    "COSE_CRIT_UNSUPPORTED": _unknown_critical_header,
    "MDOC_X5CHAIN_MISSING": _no_x5chain,
    "MDOC_CERT_MALFORMED": lambda: (_doc(x5chain=[b"\x30\x03\x02\x01\x01"]), {}),
    "MDOC_UNTRUSTED_ISSUER": lambda: (_doc(), {"trust": make_pki().trust()}),
    "MDOC_CERT_NOT_DS": _iaca_as_signer,
    "MDOC_CERT_EXPIRED": lambda: (_doc(), {"now": PKI.ds.not_valid_after_utc + timedelta(1)}),
    "MDOC_CERT_NOT_YET_VALID": lambda: (
        _doc(),
        {"now": PKI.ds.not_valid_before_utc - timedelta(1)},
    ),
    "MDOC_SIGNED_OUTSIDE_CERT_VALIDITY": lambda: (
        _doc(signed=PKI.ds.not_valid_before_utc - timedelta(days=1)),
        {},
    ),
    "MDOC_ISSUER_SIGNATURE_INVALID": _tampered_mso,
    "MDOC_DOCTYPE_MISMATCH": lambda: (_doc(mso_doctype="org.iso.7367.1.mVRC"), {}),
    "MDOC_VALIDITY_INCONSISTENT": lambda: (_doc(valid_from=SIGNED - timedelta(days=1)), {}),
    "MDOC_SIGNED_IN_FUTURE": lambda: (_doc(signed=NOW + timedelta(hours=1)), {}),
    "MDOC_NOT_YET_VALID": lambda: (_doc(valid_from=NOW + timedelta(days=1)), {}),
    "MDOC_EXPIRED": lambda: (_doc(valid_until=SIGNED + timedelta(days=30)), {}),
    "MDOC_DIGEST_ALG_NOT_ALLOWED": lambda: (_doc(digest_algorithm="MD5"), {}),
    "MDOC_DIGEST_MISSING": lambda: (_tamper_item(digest_id=4242), {}),
    "MDOC_DIGEST_MISMATCH": lambda: (_tamper_item("Li"), {}),
    "MDOC_ELEMENT_TYPE": lambda: (_doc(elements={NS: {"birth_date": "1990-05-17"}}), {}),
    "MDOC_COUNTRY_MISMATCH": lambda: (_doc(elements={NS: {"issuing_country": "US"}}), {}),
    "MDOC_JURISDICTION_MISMATCH": lambda: _regional("CN-BJ"),
    "MDOC_SESSION_TRANSCRIPT_MALFORMED": lambda: (
        _device("wrong-key")[0],
        {"session_transcript_bytes": dumps([1, 2])},
    ),
    "MDOC_DEVICE_AUTH_MISSING": lambda: _device("missing"),
    "MDOC_DEVICE_AUTH_FAILED": lambda: _device("wrong-key"),
    "MDOC_READER_KEY_REQUIRED": lambda: _device("mac"),
    "MDOC_STATUS_REVOKED": lambda: _with_status(3),
    "MDOC_STATUS_SUSPENDED": lambda: _with_status(4),
    "MDOC_STATUS_UNAVAILABLE": lambda: (
        _doc(status={"status_list": {"idx": 0, "uri": STATUS_URI}}),
        {"status": _UnreachableStatus()},
    ),
}

#: Further scenarios for codes whose check has more than one way to fail.
MORE_SCENARIOS: list[tuple[str, Callable[[], Scenario]]] = [
    ("MDOC_DEVICE_AUTH_FAILED", lambda: _device("replayed")),
    ("MDOC_MALFORMED", lambda: (dumps({"version": "1.0", "documents": [{"docType": MDL}]}), {})),
    ("MDOC_MALFORMED", lambda: (dumps({"docType": MDL, "issuerSigned": {"issuerAuth": 1}}), {})),
    ("MDOC_MALFORMED", _x5chain_of_wrong_type),
    ("MDOC_CERT_NOT_DS", lambda: _ds_with_profile(digital_signature=False)),
    ("MDOC_CERT_NOT_DS", lambda: _ds_with_profile(eku=False)),
    ("MDOC_CERT_NOT_DS", lambda: _ds_with_profile(ds_oid=False)),
    ("MDOC_CERT_NOT_DS", lambda: _ds_with_profile(ca=True)),
    ("MDOC_ELEMENT_TYPE", lambda: (_doc(elements={NS: {"age_over_18": "yes"}}), {})),
    # ISO 18013-5 Table 5: family_name is Latin-1; 张 belongs in *_national_character.
    ("MDOC_ELEMENT_TYPE", lambda: (_doc(elements={NS: {"family_name": "张"}}), {})),
    (
        "MDOC_STATUS_UNAVAILABLE",
        lambda: (_doc(status={"status_list": 5}), {"status": StatusListProvider({})}),
    ),
]


def run(scenario: Scenario) -> VerificationReport:
    data, kwargs = scenario
    kwargs = {"trust": PKI.trust(), "now": NOW, **kwargs}
    return verify_presentation(data, **kwargs)


def reported(report: VerificationReport) -> list[str]:
    return [failure.code for failure in report.errors]


def test_every_code_has_a_scenario() -> None:
    expected = source_codes() | PASSED_THROUGH
    missing = expected - SCENARIOS.keys()
    assert not missing, f"verifier codes without a negative test: {sorted(missing)}"
    stale = SCENARIOS.keys() - expected
    assert not stale, f"scenarios for codes the verifier no longer has: {sorted(stale)}"


def test_the_unbroken_credential_passes() -> None:
    built = issue(PKI, status={"status_list": {"idx": 0, "uri": STATUS_URI}})
    data = response(document(built, device_signed_sig(built, SESSION)))
    provider = StatusListProvider({STATUS_URI: StatusList(16, bits=2)})
    report = run((data, {"session_transcript_bytes": SESSION[0], "status": provider}))
    assert report.valid, reported(report)
    assert report.documents[0].status == "valid"


@pytest.mark.parametrize("code", sorted(SCENARIOS))
def test_scenario_produces_its_code(code: str) -> None:
    report = run(SCENARIOS[code]())
    assert not report.valid
    assert code in reported(report), reported(report)
    assert report.to_json()["valid"] is False


@pytest.mark.parametrize(
    ("code", "index"), [(code, i) for i, (code, _) in enumerate(MORE_SCENARIOS)]
)
def test_more_scenarios(code: str, index: int) -> None:
    report = run(MORE_SCENARIOS[index][1]())
    assert code in reported(report), reported(report)


def test_the_off_profile_builder_without_deviation_passes() -> None:
    """So each MDOC_CERT_NOT_DS scenario above fails for its own deviation only."""
    report = run(_ds_with_profile())
    assert report.valid, reported(report)
