"""Status List Token (CWT): the draft's example, build/verify round trips, every check."""

from __future__ import annotations

import base64
import json
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import cbor2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.errors import (
    InvalidInput,
    MalformedData,
    MotorcredError,
    UsageError,
    VerificationFailed,
)
from motorcred.formats.cose import LocalSigner, sig_structure
from motorcred.formats.status_list import (
    TYP_STATUSLIST_CWT,
    StatusList,
    StatusType,
    TokenKeyInfo,
    build_status_list_token,
    complete_status_list_token,
    decode_status_list_token,
    prepare_status_list_token,
)

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "status_list"
URI = "https://status.motorcred.example/lists/7"
T0 = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
KEY = ec.derive_private_key(0x5EED_0001, ec.SECP256R1())
OTHER_KEY = ec.derive_private_key(0x5EED_0002, ec.SECP256R1())


def _b64(s: str) -> int:
    return int.from_bytes(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)), "big")


def _draft_vector() -> tuple[bytes, ec.EllipticCurvePublicKey, dict[str, Any]]:
    vec = json.loads((VECTORS / "cwt_1bit.json").read_text())
    jwk = vec["public_key"]
    pub = ec.EllipticCurvePublicNumbers(_b64(jwk["x"]), _b64(jwk["y"]), ec.SECP256R1())
    return bytes.fromhex("".join(vec["cbor_hex_lines"])), pub.public_key(), vec["expected"]


def _cert(key: ec.EllipticCurvePrivateKey) -> bytes:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "status signer")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(T0 - timedelta(days=1))
        .not_valid_after(T0 + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(Encoding.DER)


def _list() -> StatusList:
    sl = StatusList(1000, 2)
    sl.set(3, StatusType.INVALID)
    sl.set(500, StatusType.SUSPENDED)
    return sl


def _token(**overrides: Any) -> bytes:
    args: dict[str, Any] = {
        "uri": URI,
        "issued_at": T0,
        "expires_at": T0 + timedelta(days=1),
        "ttl": 3600,
        "signer": LocalSigner(KEY),
        "kid": b"status-1",
    }
    args.update(overrides)
    return build_status_list_token(_list(), **args)


def _resign(claims: Any, protected: dict[int, Any] | None = None) -> bytes:
    """A token with arbitrary claims, correctly signed with KEY (for claim checks)."""
    protected_bytes = cbor2.dumps(protected or {1: -7, 16: TYP_STATUSLIST_CWT}, canonical=True)
    payload = cbor2.dumps(claims, canonical=True)
    sig = LocalSigner(KEY).sign(sig_structure(protected_bytes, payload))
    return cbor2.dumps(cbor2.CBORTag(18, [protected_bytes, {4: b"k"}, payload, sig]))


def _claims(**overrides: Any) -> dict[int, Any]:
    claims: dict[int, Any] = {
        2: URI,
        6: int(T0.timestamp()),
        4: int((T0 + timedelta(days=1)).timestamp()),
        65534: 60,
        65533: _list().encode(),
    }
    for k, v in overrides.items():
        label = int(k.removeprefix("c"))
        if v is None:
            claims.pop(label, None)
        else:
            claims[label] = v
    return claims


# ---------------------------------------------------------------- the draft's example
def test_draft_cwt_example_verifies_and_decodes() -> None:
    token, pub, expected = _draft_vector()
    now = datetime.fromtimestamp(expected["iat"] + 10, UTC)
    decoded = decode_status_list_token(token, now=now, expected_uri=expected["sub"], verify_key=pub)
    assert decoded.uri == expected["sub"]
    assert decoded.issued_at == datetime.fromtimestamp(expected["iat"], UTC)
    assert decoded.expires_at == datetime.fromtimestamp(expected["exp"], UTC)
    assert decoded.ttl == expected["ttl"]
    assert decoded.key.kid == bytes.fromhex(expected["kid_hex"])
    assert decoded.status_list.bits == expected["bits"]
    statuses = expected["statuses"]
    assert [decoded.get(i) for i in range(len(statuses))] == statuses
    assert decoded.status(0) == "invalid" and decoded.status(1) == "valid"


def test_draft_cwt_example_with_trust_callback() -> None:
    token, pub, expected = _draft_vector()
    seen: list[TokenKeyInfo] = []

    def resolve(info: TokenKeyInfo) -> ec.EllipticCurvePublicKey:
        seen.append(info)
        if info.kid != b"12":
            raise VerificationFailed("STATUS_LIST_KEY_UNKNOWN", "no such key")
        return pub

    now = datetime.fromtimestamp(expected["iat"] + 10, UTC)
    decode_status_list_token(token, now=now, trust=resolve)
    assert seen == [TokenKeyInfo(-7, b"12", ())]


def test_draft_cwt_example_negative_checks() -> None:
    token, pub, expected = _draft_vector()
    iat, exp = expected["iat"], expected["exp"]
    ok_now = datetime.fromtimestamp(iat + 10, UTC)
    with pytest.raises(VerificationFailed) as exc:
        decode_status_list_token(token, now=datetime.fromtimestamp(exp, UTC), verify_key=pub)
    assert exc.value.code == "STATUS_LIST_EXPIRED"
    with pytest.raises(VerificationFailed) as exc:
        decode_status_list_token(token, now=ok_now, verify_key=OTHER_KEY.public_key())
    assert exc.value.code == "STATUS_LIST_SIGNATURE_INVALID"
    with pytest.raises(VerificationFailed) as exc:
        decode_status_list_token(
            token, now=ok_now, verify_key=pub, expected_uri="https://example.com/statuslists/2"
        )
    assert exc.value.code == "STATUS_LIST_URI_MISMATCH"
    tampered = bytearray(token)
    tampered[-70] ^= 0x01  # a byte of the payload (the lst)
    with pytest.raises(MotorcredError) as exc2:
        decode_status_list_token(bytes(tampered), now=ok_now, verify_key=pub)
    assert exc2.value.code in {"STATUS_LIST_SIGNATURE_INVALID", "STATUS_LIST_MALFORMED"}


# ---------------------------------------------------------------- our tokens
def test_build_and_decode_round_trip_with_kid() -> None:
    token = _token()
    outer = cbor2.loads(token)
    assert outer.tag == 18
    protected = cbor2.loads(outer.value[0])
    assert protected == {1: -7, 16: "application/statuslist+cwt"}
    assert outer.value[1] == {4: b"status-1"}
    decoded = decode_status_list_token(
        token, now=T0 + timedelta(hours=1), expected_uri=URI, verify_key=KEY.public_key()
    )
    assert decoded.uri == URI
    assert decoded.issued_at == T0
    assert decoded.expires_at == T0 + timedelta(days=1)
    assert decoded.ttl == 3600
    assert decoded.status(3) == "invalid"
    assert decoded.status(500) == "suspended"
    assert decoded.status(4) == "valid"
    assert decoded.refresh_due(T0) == T0 + timedelta(hours=1)
    assert decoded.refresh_due(T0 + timedelta(hours=23, minutes=30)) == T0 + timedelta(days=1)
    with pytest.raises(InvalidInput) as exc:
        decoded.get(decoded.status_list.size)
    assert exc.value.code == "STATUS_INDEX_OUT_OF_RANGE"


def test_x5chain_in_unprotected_header_and_trust_callback() -> None:
    der = _cert(KEY)
    token = _token(kid=None, cert_chain=[der], ttl=None, expires_at=None)
    outer = cbor2.loads(token)
    assert outer.value[1] == {33: der}

    def resolve(info: TokenKeyInfo) -> ec.EllipticCurvePublicKey:
        assert info.x5chain == (der,)
        key = x509.load_der_x509_certificate(info.x5chain[0]).public_key()
        assert isinstance(key, ec.EllipticCurvePublicKey)
        return key

    decoded = decode_status_list_token(token, now=T0, trust=resolve)
    assert decoded.expires_at is None and decoded.ttl is None
    assert decoded.refresh_due(T0) is None
    two = _token(kid=None, cert_chain=[der, der])
    assert list(cbor2.loads(two).value[1][33]) == [der, der]


def test_prepare_complete_split_matches_one_call() -> None:
    prepared = prepare_status_list_token(
        _list(),
        uri=URI,
        issued_at=T0,
        expires_at=None,
        ttl=None,
        algorithm=-7,
        kid=b"hsm-key",
    )
    signature = LocalSigner(KEY).sign(prepared.to_be_signed)  # e.g. on an HSM
    token = complete_status_list_token(prepared, signature)
    assert decode_status_list_token(token, now=T0, verify_key=KEY.public_key()).uri == URI


def test_cwt_tag_61_wrapper_is_accepted() -> None:
    inner = cbor2.loads(_token())
    wrapped = cbor2.dumps(cbor2.CBORTag(61, inner))
    assert decode_status_list_token(wrapped, now=T0, verify_key=KEY.public_key()).uri == URI


@settings(max_examples=25, deadline=None)
@given(
    bits=st.sampled_from([1, 2, 4, 8]),
    size=st.integers(1, 5000),
    marks=st.lists(st.integers(0, 4999), max_size=20),
    ttl=st.one_of(st.none(), st.integers(1, 10**6)),
)
def test_round_trip_property(bits: int, size: int, marks: list[int], ttl: int | None) -> None:
    sl = StatusList(size, bits)
    for m in marks:
        if m < size:
            sl.set(m, 1)
    token = build_status_list_token(
        sl, uri=URI, issued_at=T0, expires_at=None, ttl=ttl, signer=LocalSigner(KEY), kid=b"k"
    )
    decoded = decode_status_list_token(token, now=T0, verify_key=KEY.public_key())
    assert decoded.ttl == ttl
    assert all(decoded.get(i) == sl.get(i) for i in range(size))


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_raises_only_project_errors(blob: bytes) -> None:
    with pytest.raises(MotorcredError):
        decode_status_list_token(blob, now=T0, verify_key=KEY.public_key())


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 255))
def test_fuzz_bit_flips(position: int, flip: int) -> None:
    token = bytearray(_token())
    token[position % len(token)] ^= flip
    try:
        decode_status_list_token(bytes(token), now=T0, verify_key=KEY.public_key())
    except MotorcredError as exc:
        assert exc.code.startswith("STATUS_LIST_")


# ---------------------------------------------------------------- negative: decoding
def test_wrong_key_and_usage() -> None:
    token = _token()
    with pytest.raises(VerificationFailed) as exc:
        decode_status_list_token(token, now=T0, verify_key=OTHER_KEY.public_key())
    assert exc.value.code == "STATUS_LIST_SIGNATURE_INVALID"
    with pytest.raises(UsageError):
        decode_status_list_token(token, now=T0)
    with pytest.raises(UsageError):
        decode_status_list_token(
            token, now=T0, verify_key=KEY.public_key(), trust=lambda _: KEY.public_key()
        )
    with pytest.raises(UsageError):
        decode_status_list_token(token, now=datetime(2026, 1, 1), verify_key=KEY.public_key())


def test_trust_callback_refusal_propagates() -> None:
    def refuse(info: TokenKeyInfo) -> ec.EllipticCurvePublicKey:
        raise VerificationFailed("STATUS_LIST_KEY_UNTRUSTED", "not a status signer we trust")

    with pytest.raises(VerificationFailed) as exc:
        decode_status_list_token(_token(), now=T0, trust=refuse)
    assert exc.value.code == "STATUS_LIST_KEY_UNTRUSTED"


def test_time_checks() -> None:
    token = _token()
    with pytest.raises(VerificationFailed) as exc:
        decode_status_list_token(token, now=T0 + timedelta(days=1), verify_key=KEY.public_key())
    assert exc.value.code == "STATUS_LIST_EXPIRED"
    with pytest.raises(VerificationFailed) as exc:
        decode_status_list_token(token, now=T0 - timedelta(hours=1), verify_key=KEY.public_key())
    assert exc.value.code == "STATUS_LIST_NOT_YET_VALID"
    # within the clock skew is fine
    decode_status_list_token(token, now=T0 - timedelta(minutes=4), verify_key=KEY.public_key())
    nbf = _resign(_claims(c5=int((T0 + timedelta(hours=2)).timestamp())))
    with pytest.raises(VerificationFailed) as exc:
        decode_status_list_token(nbf, now=T0 + timedelta(hours=1), verify_key=KEY.public_key())
    assert exc.value.code == "STATUS_LIST_NOT_YET_VALID"


def test_uri_mismatch() -> None:
    with pytest.raises(VerificationFailed) as exc:
        decode_status_list_token(
            _token(), now=T0, expected_uri=URI + "0", verify_key=KEY.public_key()
        )
    assert exc.value.code == "STATUS_LIST_URI_MISMATCH"


@pytest.mark.parametrize(
    "claims",
    [
        _claims(c2=None),
        _claims(c6=None),
        _claims(c65533=None),
        _claims(c2=7),
        _claims(c2="not a uri"),
        _claims(c6="2026-11-22"),
        _claims(c6=-5),
        _claims(c6=True),
        _claims(c4=10**30),
        _claims(c65534=0),
        _claims(c65534=-1),
        _claims(c65534="60"),
        _claims(c1=5),
        _claims(c65533={"bits": 3, "lst": zlib.compress(b"\x00")}),
        _claims(c65533={"bits": 1, "lst": b"not zlib"}),
        _claims(c65533=[1]),
        [1, 2, 3],
    ],
)
def test_malformed_claims(claims: Any) -> None:
    with pytest.raises(MalformedData) as exc:
        decode_status_list_token(_resign(claims), now=T0, verify_key=KEY.public_key())
    assert exc.value.code == "STATUS_LIST_MALFORMED"


def test_wrong_or_missing_typ() -> None:
    for protected in ({1: -7}, {1: -7, 16: "application/cwt"}, {1: -7, 16: "statuslist+jwt"}):
        with pytest.raises(MalformedData) as exc:
            decode_status_list_token(
                _resign(_claims(), protected), now=T0, verify_key=KEY.public_key()
            )
        assert exc.value.code == "STATUS_LIST_MALFORMED"


def test_disallowed_algorithms() -> None:
    for protected in ({1: 5, 16: TYP_STATUSLIST_CWT}, {1: 0, 16: TYP_STATUSLIST_CWT}):
        with pytest.raises(VerificationFailed) as exc:
            decode_status_list_token(
                _resign(_claims(), protected), now=T0, verify_key=KEY.public_key()
            )
        assert exc.value.code == "STATUS_LIST_SIGNATURE_INVALID"
    crit = {1: -7, 2: [99], 16: TYP_STATUSLIST_CWT, 99: 1}
    with pytest.raises(VerificationFailed) as exc:
        decode_status_list_token(_resign(_claims(), crit), now=T0, verify_key=KEY.public_key())
    assert exc.value.code == "STATUS_LIST_SIGNATURE_INVALID"


def test_decompression_bomb_in_token() -> None:
    bomb = {"bits": 1, "lst": zlib.compress(b"\x00" * 2_000_000, 9)}
    with pytest.raises(MalformedData) as exc:
        decode_status_list_token(
            _resign(_claims(c65533=bomb)), now=T0, verify_key=KEY.public_key(), max_size=1_000_000
        )
    assert exc.value.code == "STATUS_LIST_TOO_LARGE"


def test_token_size_limit() -> None:
    with pytest.raises(MalformedData) as exc:
        decode_status_list_token(_token(), now=T0, verify_key=KEY.public_key(), max_token_bytes=50)
    assert exc.value.code == "STATUS_LIST_TOO_LARGE"


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"\xa0",
        cbor2.dumps(cbor2.CBORTag(17, [b"", {}, b"", b""])),
        cbor2.dumps(cbor2.CBORTag(18, [b"", {}, None, b"sig"])),
        cbor2.dumps(cbor2.CBORTag(1, 5)),
    ],
)
def test_not_a_sign1(blob: bytes) -> None:
    with pytest.raises(MotorcredError) as exc:
        decode_status_list_token(blob, now=T0, verify_key=KEY.public_key())
    assert exc.value.code in {"STATUS_LIST_MALFORMED", "STATUS_LIST_SIGNATURE_INVALID"}


def test_detached_payload_is_malformed() -> None:
    protected_bytes = cbor2.dumps({1: -7, 16: TYP_STATUSLIST_CWT}, canonical=True)
    blob = cbor2.dumps(cbor2.CBORTag(18, [protected_bytes, {4: b"k"}, None, b"\x00" * 64]))
    with pytest.raises(MotorcredError) as exc:
        decode_status_list_token(blob, now=T0, verify_key=KEY.public_key())
    assert exc.value.code in {"STATUS_LIST_MALFORMED", "STATUS_LIST_SIGNATURE_INVALID"}


# ---------------------------------------------------------------- negative: building
@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"kid": None}, "STATUS_LIST_KEY_ID_MISSING"),
        ({"kid": b""}, "STATUS_LIST_KEY_ID_MISSING"),
        ({"cert_chain": [b""]}, "STATUS_LIST_CERT_INVALID"),
        ({"uri": "relative"}, "STATUS_URI_INVALID"),
        ({"issued_at": datetime(2026, 1, 1)}, "STATUS_LIST_TIME_INVALID"),
        ({"expires_at": T0}, "STATUS_LIST_TIME_INVALID"),
        ({"ttl": 0}, "STATUS_LIST_TTL_INVALID"),
        ({"ttl": 1.5}, "STATUS_LIST_TTL_INVALID"),
        ({"issuer": ""}, "STATUS_LIST_ISSUER_INVALID"),
    ],
)
def test_build_rejects(overrides: dict[str, Any], code: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        _token(**overrides)
    assert exc.value.code == code


def test_issuer_claim_round_trip() -> None:
    token = _token(issuer="https://motorcred.example")
    decoded = decode_status_list_token(token, now=T0, verify_key=KEY.public_key())
    assert decoded.issuer == "https://motorcred.example"
