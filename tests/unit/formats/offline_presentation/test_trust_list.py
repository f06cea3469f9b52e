"""The signed trust list (formats/trust_list.py): publish, load, every way a list is refused.

Kept beside the offline presentation tests, which share its PKI fixture.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from hypothesis import given, settings
from hypothesis import strategies as st
from offline_fixture import NOW, SIGNED, T0, make_pki, trust_list_bytes

from motorcred.errors import InvalidInput, MalformedData, VerificationFailed
from motorcred.formats.cbor import dumps, loads
from motorcred.formats.cose import LocalSigner
from motorcred.formats.trust_list import (
    build_trust_list,
    certificate_kid,
    complete_trust_list,
    load_trust_list,
    prepare_trust_list,
)
from motorcred.formats.x509 import create_document_signer


def test_round_trip_and_kid_lookup() -> None:
    pki = make_pki()
    tl = load_trust_list(trust_list_bytes(pki))
    assert tl.seq == 7 and tl.issued == SIGNED and not tl.pinned
    assert tl.ds_for_kid(certificate_kid(pki.ds)) == pki.ds
    assert tl.ds_for_kid(b"\x00" * 8) is None
    assert certificate_kid(pki.ds) == certificate_kid(pki.ds_der)
    assert tl.time_problem(NOW) is None
    info = tl.describe()
    assert info["ds"][0]["kid"] == pki.kid.hex() and info["iaca"] == 1


def test_pinned_anchor() -> None:
    pki, other = make_pki(), make_pki()
    data = trust_list_bytes(pki)
    assert load_trust_list(data, anchors=[pki.iaca]).pinned
    with pytest.raises(VerificationFailed) as exc:
        load_trust_list(data, anchors=[other.iaca])
    assert exc.value.code == "TRUST_LIST_UNTRUSTED_SIGNER"


def test_pinned_list_cannot_bring_a_new_root() -> None:
    pki, rogue = make_pki(), make_pki()
    data = build_trust_list(
        issuer="x",
        seq=1,
        issued=SIGNED,
        next_update=NOW + timedelta(days=1),
        iaca=[pki.iaca, rogue.iaca],
        ds=[pki.ds, rogue.ds],
        signer=LocalSigner(pki.iaca_key),
        signer_chain=[pki.iaca],
    )
    assert len(load_trust_list(data).iaca) == 2  # unpinned: the file is the root of trust
    pinned = load_trust_list(data, anchors=[pki.iaca])
    assert pinned.iaca == (pki.iaca,)
    with pytest.raises(VerificationFailed):
        pinned.store.trusted_path([rogue.ds_der])


def test_signed_by_a_list_signer_under_the_iaca() -> None:
    pki = make_pki()
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = create_document_signer(
        signer_key.public_key(),
        iaca_cert=pki.iaca,
        iaca_key=pki.iaca_key,
        common_name="trust list signer",
        not_before=T0,
        not_after=T0 + timedelta(days=365),
        serial_number=99,
    )
    tl = load_trust_list(trust_list_bytes(pki, signer=(signer_key, signer)))
    assert tl.signer == signer


def test_signer_outside_the_list_is_untrusted() -> None:
    pki, stranger = make_pki(), make_pki()
    data = trust_list_bytes(pki, signer=(stranger.iaca_key, stranger.iaca))
    with pytest.raises(VerificationFailed) as exc:
        load_trust_list(data)
    assert exc.value.code == "TRUST_LIST_UNTRUSTED_SIGNER"


def test_tampered_list_fails_its_signature() -> None:
    pki, stranger = make_pki(), make_pki()
    message = loads(trust_list_bytes(pki))
    body = loads(message.value[2])
    body["ds"].append(stranger.ds_der)  # slip in a foreign DS
    message.value[2] = dumps(body)
    with pytest.raises(VerificationFailed) as exc:
        load_trust_list(dumps(message))
    assert exc.value.code == "TRUST_LIST_SIGNATURE_INVALID"


def test_ds_of_a_foreign_iaca_cannot_be_published() -> None:
    pki, stranger = make_pki(), make_pki()
    with pytest.raises(InvalidInput) as exc:
        trust_list_bytes(pki, ds=[stranger.ds])
    assert exc.value.code == "TRUST_LIST_DS_UNANCHORED"


@pytest.mark.parametrize(
    ("at", "code"),
    [
        (NOW + timedelta(days=8), "TRUST_LIST_EXPIRED"),
        (SIGNED - timedelta(days=1), "TRUST_LIST_NOT_YET_VALID"),
    ],
)
def test_time_problems(at: datetime, code: str) -> None:
    tl = load_trust_list(trust_list_bytes(make_pki()))
    problem = tl.time_problem(at)
    assert problem is not None and problem.code == code


def test_signed_outside_the_signer_validity() -> None:
    pki = make_pki()
    late = datetime(2040, 1, 1, tzinfo=UTC)
    tl = load_trust_list(trust_list_bytes(pki, issued=late, next_update=late + timedelta(days=1)))
    problem = tl.time_problem(late + timedelta(hours=1))
    assert problem is not None and problem.code == "TRUST_LIST_SIGNER_NOT_VALID"


def _signed(payload: bytes, pki_key: ec.EllipticCurvePrivateKey, cert: x509.Certificate) -> bytes:
    prepared = prepare_trust_list(payload, algorithm=-7, signer_chain=[cert])
    return complete_trust_list(prepared, LocalSigner(pki_key).sign(prepared.to_be_signed))


@pytest.mark.parametrize(
    "payload",
    [
        {"version": 1},
        {
            "version": 2,
            "issuer": "x",
            "seq": 1,
            "issued": SIGNED,
            "nextUpdate": NOW,
            "iaca": [],
            "ds": [],
        },
        {
            "version": 1,
            "issuer": "x",
            "seq": 1,
            "issued": SIGNED,
            "nextUpdate": NOW,
            "iaca": [b"not a certificate"],
            "ds": [],
        },
        {
            "version": 1,
            "issuer": "x",
            "seq": -1,
            "issued": SIGNED,
            "nextUpdate": NOW,
            "iaca": [b""],
            "ds": [],
        },
    ],
)
def test_malformed_payloads(payload: dict[str, object]) -> None:
    pki = make_pki()
    with pytest.raises(MalformedData) as exc:
        load_trust_list(_signed(dumps(payload), pki.iaca_key, pki.iaca))
    assert exc.value.code == "TRUST_LIST_MALFORMED"


def test_wrong_typ_and_hmac_are_refused() -> None:
    pki = make_pki()
    message = loads(trust_list_bytes(pki))
    message.value[0] = dumps({1: -7, 16: "application/other"})
    with pytest.raises(MalformedData) as exc:
        load_trust_list(dumps(message))
    assert exc.value.code == "TRUST_LIST_MALFORMED"
    message.value[0] = dumps({1: 5, 16: "application/motorcred-trust-list+cbor"})
    with pytest.raises(VerificationFailed) as exc2:
        load_trust_list(dumps(message))
    assert exc2.value.code == "TRUST_LIST_SIGNATURE_INVALID"


def test_der_of_a_listed_certificate_is_kept_exactly() -> None:
    pki = make_pki()
    tl = load_trust_list(trust_list_bytes(pki))
    assert tl.iaca[0].public_bytes(Encoding.DER) == pki.iaca.public_bytes(Encoding.DER)


def test_build_checks_its_inputs() -> None:
    pki = make_pki()
    with pytest.raises(InvalidInput) as exc:
        build_trust_list(
            issuer="x",
            seq=1,
            issued=NOW,
            next_update=NOW,
            iaca=[pki.iaca],
            ds=[],
            signer=LocalSigner(pki.iaca_key),
            signer_chain=[pki.iaca],
        )
    assert exc.value.code == "TRUST_LIST_INVALID"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_loader_only_raises_its_own_errors(data: bytes) -> None:
    with pytest.raises((MalformedData, VerificationFailed)) as exc:
        load_trust_list(data)
    assert exc.value.code.startswith("TRUST_LIST_")
