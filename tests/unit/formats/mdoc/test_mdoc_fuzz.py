"""Round trips and fuzzing of the mdoc decoders and of the verifier.

Random and mutated inputs may only raise the project's own errors (decoders)
or produce a report (the verifier, which never raises) — never another
exception, and never a silent pass: a mutated presentation that still verifies
must report exactly the data the issuer signed.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mdoc_test_builder import MDL, NOW, NS, SIGNED, default_elements, make_pki, transcript
from test_verifier_codes import PASSED_THROUGH, source_codes

from motorcred.errors import MotorcredError
from motorcred.formats.cbor import CBORTag, dumps
from motorcred.formats.cose import LocalSigner
from motorcred.formats.mdoc import (
    DeviceResponse,
    Document,
    IssuedDocument,
    ItemsRequest,
    MobileSecurityObject,
    issue,
    present,
    present_mac,
)
from motorcred.formats.mdoc.verifier import VerificationReport, verify_presentation
from motorcred.formats.mdoc.verify_parse import session_transcript_parts
from motorcred.formats.mdoc.verify_status import StatusListProvider
from motorcred.formats.status_list import StatusList

PKI = make_pki()
TRUST = PKI.trust()
SESSION = transcript()
DEVICE_KEY = ec.generate_private_key(ec.SECP256R1())
STATUS_URI = "https://status.example/lists/9"
STATUS = StatusListProvider({STATUS_URI: StatusList(8, bits=2)})
KNOWN_CODES = source_codes() | PASSED_THROUGH


def _elements() -> dict[str, dict[str, Any]]:
    elements = default_elements()
    elements[NS].update(
        issuing_authority="Traffic Police",
        portrait=b"\xff\xd8" + b"\x11" * 60 + b"\xff\xd9",
        un_distinguishing_sign="CHN",
        age_over_18=True,
    )
    return elements


def _issued() -> IssuedDocument:
    return issue(
        doctype=MDL,
        namespaces=_elements(),
        device_key=DEVICE_KEY.public_key(),
        signed=SIGNED,
        valid_from=SIGNED,
        valid_until=SIGNED + timedelta(days=365),
        status={"status_list": {"idx": 1, "uri": STATUS_URI}},
        cert_chain=[PKI.ds_der],
        signer=LocalSigner(PKI.ds_key),
        random=os.urandom,
    )


ISSUED = _issued()
PRESENTED = present(ISSUED, device_signer=LocalSigner(DEVICE_KEY), session_transcript=SESSION[0])
RESPONSE = DeviceResponse([PRESENTED]).encode()
READER_KEY = ec.generate_private_key(ec.SECP256R1())
MAC_RESPONSE = DeviceResponse(
    [
        present_mac(
            ISSUED,
            device_private_key=DEVICE_KEY,
            reader_public_key=READER_KEY.public_key(),
            session_transcript_bytes=SESSION[0],
        )
    ]
).encode()


def verify(data: bytes) -> VerificationReport:
    return verify_presentation(
        data,
        trust=TRUST,
        now=NOW,
        session_transcript_bytes=SESSION[0],
        reader_private_key=READER_KEY,
        status=STATUS,
    )


@pytest.mark.parametrize("data", [RESPONSE, MAC_RESPONSE], ids=["signature", "mac"])
def test_the_presentation_verifies(data: bytes) -> None:
    report = verify(data)
    assert report.valid, report.to_json()["errors"]
    assert report.documents[0].elements == ISSUED.elements()
    assert report.documents[0].device_auth == "ok"
    assert report.documents[0].status == "valid"


# ------------------------------------------------------------------ round trips


def test_issued_document_round_trip() -> None:
    back = IssuedDocument.decode(ISSUED.encode())
    assert back.elements() == ISSUED.elements()
    assert back.mso == ISSUED.mso
    assert back.encode() == ISSUED.encode()


def test_document_and_device_response_round_trip() -> None:
    assert Document.decode(PRESENTED.encode()).encode() == PRESENTED.encode()
    response = DeviceResponse.decode(RESPONSE)
    assert response.encode() == RESPONSE
    assert response.documents[0].doctype == MDL


def test_mso_round_trip() -> None:
    payload = ISSUED.issuer_auth.payload
    assert payload is not None
    mso = MobileSecurityObject.decode(payload)
    assert mso == ISSUED.mso and mso.encode() == payload


_element_values = st.one_of(
    st.text(max_size=30),
    st.integers(0, 2**32),
    st.booleans(),
    st.binary(max_size=40),
    st.dates(),
    st.lists(st.text(max_size=5), max_size=3),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12),
        _element_values,
        min_size=1,
        max_size=6,
    )
)
def test_issue_present_verify_round_trip_for_any_extra_elements(extra: dict[str, Any]) -> None:
    elements = _elements()
    elements["org.example.custom.1"] = extra
    issued = issue(
        doctype=MDL,
        namespaces=elements,
        device_key=DEVICE_KEY.public_key(),
        signed=SIGNED,
        valid_from=SIGNED,
        valid_until=SIGNED + timedelta(days=365),
        cert_chain=[PKI.ds_der],
        signer=LocalSigner(PKI.ds_key),
        random=os.urandom,
    )
    decoded = IssuedDocument.decode(issued.encode())
    assert decoded.elements() == elements
    document = present(
        decoded, device_signer=LocalSigner(DEVICE_KEY), session_transcript=SESSION[0]
    )
    report = verify(DeviceResponse([document]).encode())
    assert report.valid, report.to_json()["errors"]
    assert report.documents[0].elements == elements


# ------------------------------------------------------------------ decoders: only project errors

ANNEX_D = Path(__file__).resolve().parents[3] / "vectors" / "iso18013-5-annex-d"
_DECODERS: dict[str, tuple[Callable[[bytes], Any], bytes]] = {
    "IssuedDocument": (IssuedDocument.decode, ISSUED.encode()),
    "Document": (Document.decode, PRESENTED.encode()),
    "DeviceResponse": (DeviceResponse.decode, RESPONSE),
    "MobileSecurityObject": (MobileSecurityObject.decode, ISSUED.issuer_auth.payload or b""),
    "ItemsRequest": (ItemsRequest.decode, (ANNEX_D / "items_request.cbor").read_bytes()),
    "SessionTranscript": (
        session_transcript_parts,
        (ANNEX_D / "session_transcript_bytes.cbor").read_bytes(),
    ),
}


@pytest.mark.parametrize("name", sorted(_DECODERS))
@settings(max_examples=80, deadline=None)
@given(blob=st.binary(max_size=200))
def test_fuzz_decoder_random_bytes(name: str, blob: bytes) -> None:
    decoder, _ = _DECODERS[name]
    try:
        decoder(blob)
    except MotorcredError:
        return


@pytest.mark.parametrize("name", sorted(_DECODERS))
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_fuzz_decoder_mutated_bytes(name: str, data: st.DataObject) -> None:
    decoder, valid = _DECODERS[name]
    mutated = _mutate(valid, data)
    try:
        decoder(mutated)
    except MotorcredError:
        return


_cbor_leaves = (
    st.none()
    | st.booleans()
    | st.integers(-(2**20), 2**20)
    | st.text(max_size=10)
    | st.binary(max_size=40)
    | st.sampled_from(["docType", "issuerSigned", "issuerAuth", "nameSpaces", MDL, NS])
)
_cbor_trees = st.recursive(
    _cbor_leaves,
    lambda kids: (
        st.lists(kids, max_size=4)
        | st.dictionaries(_cbor_leaves.filter(lambda v: not isinstance(v, bytes)), kids, max_size=4)
        | st.builds(lambda inner: CBORTag(24, dumps(inner)), kids)
        | st.builds(lambda inner: CBORTag(18, inner), kids)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(_cbor_trees)
def test_fuzz_structured_inputs(tree: Any) -> None:
    """Well-formed CBOR of the wrong shape: decoders raise project errors, verifier reports."""
    for shape in (
        tree,
        {"version": "1.0", "status": 0, "documents": [tree]},
        {"docType": MDL, "issuerSigned": tree},
        {"docType": MDL, "issuerSigned": {"issuerAuth": tree, "nameSpaces": {NS: [tree]}}},
    ):
        data = dumps(shape)
        for decoder, _ in _DECODERS.values():
            with contextlib.suppress(MotorcredError):
                decoder(data)
        report = verify(data)
        assert not report.valid
        assert {f.code for f in report.errors} <= KNOWN_CODES


# ------------------------------------------------------------------ verifier on mutated bytes


def _mutate(valid: bytes, data: st.DataObject) -> bytes:
    out = bytearray(valid)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        kind = data.draw(st.sampled_from(["flip", "set", "delete", "insert", "truncate"]))
        position = data.draw(st.integers(0, len(out) - 1), label="position")
        if kind == "flip":
            out[position] ^= 1 << data.draw(st.integers(0, 7))
        elif kind == "set":
            out[position] = data.draw(st.integers(0, 255))
        elif kind == "delete":
            del out[position]
        elif kind == "insert":
            out.insert(position, data.draw(st.integers(0, 255)))
        else:
            del out[max(position, 1) :]
        if not out:
            out.append(0)
    return bytes(out)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_fuzz_verifier_never_raises_and_never_silently_passes(data: st.DataObject) -> None:
    mutated = _mutate(data.draw(st.sampled_from([RESPONSE, MAC_RESPONSE]), label="seed"), data)
    report = verify(mutated)  # must not raise, whatever the bytes
    codes = {f.code for f in report.errors}
    assert codes <= KNOWN_CODES, codes - KNOWN_CODES
    if report.valid:
        # Only unauthenticated framing changed (the response version text, a renamed
        # optional field that hides some items): every element the verifier vouches
        # for must be exactly what the issuer signed.
        doc = report.documents[0]
        signed = ISSUED.elements()
        for namespace, elements in doc.elements.items():
            for identifier, value in elements.items():
                assert signed[namespace][identifier] == value
        assert doc.doctype == MDL
        assert (doc.signed, doc.valid_from, doc.valid_until) == (
            ISSUED.mso.validity.signed,
            ISSUED.mso.validity.valid_from,
            ISSUED.mso.validity.valid_until,
        )
        assert doc.device_auth == "ok" and doc.status == "valid"
