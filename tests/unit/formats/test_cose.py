"""COSE_Sign1 / COSE_Mac0 / COSE_Key: our own messages, every header rule, and fuzzing.

The published cose-wg examples live in test_cose_vectors.py; this file covers
what they do not: EdDSA, x5chain forms, detached payloads, the algorithm
allow-list in both directions, critical headers and key/algorithm mismatches.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from cbor2 import CBORTag
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.errors import InvalidInput, MalformedData, MotorcredError, VerificationFailed
from motorcred.formats.cbor import dumps
from motorcred.formats.cose import (
    ALG_EDDSA,
    ALG_ES256,
    ALG_ES384,
    ALG_HMAC256,
    H_ALG,
    H_CRIT,
    H_KID,
    H_X5CHAIN,
    CoseMac0,
    CoseSign1,
    LocalSigner,
    PrivateKey,
    cose_key_from_public,
    mac0,
    prepare_sign1,
    public_key_from_cose_key,
    sig_structure,
    sign1,
)

P256 = ec.generate_private_key(ec.SECP256R1())
P384 = ec.generate_private_key(ec.SECP384R1())
ED = Ed25519PrivateKey.generate()
KEYS: dict[int, PrivateKey] = {ALG_ES256: P256, ALG_ES384: P384, ALG_EDDSA: ED}
MAC_KEY = b"k" * 32


def _fail(fn: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(MotorcredError) as exc:
        fn(*args, **kwargs)
    return exc.value.code


def _forge(protected: dict[Any, Any], unprotected: dict[Any, Any] | None = None) -> CoseSign1:
    """A Sign1 with arbitrary headers, correctly signed by P-256 over its own protected bytes."""
    protected_bytes = dumps(protected)
    signer = LocalSigner(P256)
    prepared = prepare_sign1(b"payload", algorithm=ALG_ES256, unprotected=unprotected)
    # Signed over the forged protected header, so only the header rules can refuse it.
    signature = signer.sign(sig_structure(protected_bytes, b"payload"))
    body = [protected_bytes, dict(unprotected or {}), prepared.payload, signature]
    return CoseSign1.decode(dumps(body))


# ------------------------------------------------------------------ Sign1 round trips


@pytest.mark.parametrize("alg", [ALG_ES256, ALG_ES384, ALG_EDDSA])
@pytest.mark.parametrize("tagged", [True, False])
def test_sign_and_verify_each_algorithm(alg: int, tagged: bool) -> None:
    key = KEYS[alg]
    message = sign1(b"hello mdoc", LocalSigner(key))
    assert message.algorithm == alg
    decoded = CoseSign1.decode(message.encode(tagged=tagged))
    assert decoded.payload == b"hello mdoc"
    decoded.verify(key.public_key())
    expected_len = {ALG_ES256: 64, ALG_ES384: 96, ALG_EDDSA: 64}[alg]
    assert len(decoded.signature) == expected_len  # raw r||s, not DER


def test_protected_header_is_exactly_the_algorithm() -> None:
    message = sign1(b"x", LocalSigner(P256))
    assert message.protected_bytes == bytes.fromhex("a10126")  # {1: -7}
    assert message.unprotected == {}


def test_kid_in_unprotected_or_protected_header() -> None:
    message = sign1(b"x", LocalSigner(P256), unprotected={H_KID: b"ds-2026-01"})
    assert CoseSign1.decode(message.encode()).kid == b"ds-2026-01"
    message = sign1(b"x", LocalSigner(P256), extra_protected={H_KID: b"ds-2026-02"})
    decoded = CoseSign1.decode(message.encode())
    assert decoded.kid == b"ds-2026-02"
    decoded.verify(P256.public_key())
    assert CoseSign1.decode(sign1(b"x", LocalSigner(P256)).encode()).kid is None


def test_kid_must_be_bytes() -> None:
    message = _forge({H_ALG: ALG_ES256}, {H_KID: "text-kid"})
    assert _fail(lambda: message.kid) == "COSE_MALFORMED"


def test_x5chain_one_certificate_as_bstr_several_as_array() -> None:
    one = sign1(b"x", LocalSigner(P256), unprotected={H_X5CHAIN: b"leaf"})
    assert one.encode().count(b"leaf") == 1
    assert CoseSign1.decode(one.encode()).x5chain == [b"leaf"]
    two = sign1(b"x", LocalSigner(P256), unprotected={H_X5CHAIN: [b"leaf", b"root"]})
    assert CoseSign1.decode(two.encode()).x5chain == [b"leaf", b"root"]
    assert CoseSign1.decode(sign1(b"x", LocalSigner(P256)).encode()).x5chain == []


@pytest.mark.parametrize("value", [[], "cert", 7, [b"a", "b"]])
def test_bad_x5chain_is_malformed(value: Any) -> None:
    message = _forge({H_ALG: ALG_ES256}, {H_X5CHAIN: value})
    assert _fail(lambda: message.x5chain) == "COSE_MALFORMED"


def test_detached_payload() -> None:
    message = sign1(b"device authentication", LocalSigner(P256), detached=True)
    decoded = CoseSign1.decode(message.encode())
    assert decoded.payload is None
    decoded.verify(P256.public_key(), detached_payload=b"device authentication")
    assert (
        _fail(decoded.verify, P256.public_key(), detached_payload=b"other")
        == "COSE_SIGNATURE_INVALID"
    )
    assert _fail(decoded.verify, P256.public_key()) == "COSE_PAYLOAD_MISSING"


def test_attached_and_different_detached_payload_is_refused() -> None:
    message = sign1(b"a", LocalSigner(P256))
    message.verify(P256.public_key(), detached_payload=b"a")
    assert _fail(message.verify, P256.public_key(), detached_payload=b"b") == (
        "COSE_PAYLOAD_MISMATCH"
    )


def test_external_aad_is_bound() -> None:
    message = sign1(b"x", LocalSigner(P256), external_aad=b"context")
    message.verify(P256.public_key(), external_aad=b"context")
    assert _fail(message.verify, P256.public_key()) == "COSE_SIGNATURE_INVALID"


def test_prepare_and_complete_equal_one_call_for_eddsa() -> None:
    prepared = prepare_sign1(b"x", algorithm=ALG_EDDSA)
    completed = prepared.complete(ED.sign(prepared.to_be_signed))
    assert completed.encode() == sign1(b"x", LocalSigner(ED)).encode()  # Ed25519 is deterministic


def test_prepare_refuses_bad_requests() -> None:
    assert _fail(prepare_sign1, b"x", algorithm=ALG_HMAC256) == "COSE_ALG_NOT_ALLOWED"
    assert _fail(prepare_sign1, None, algorithm=ALG_ES256) == "COSE_PAYLOAD_INVALID"
    assert (
        _fail(prepare_sign1, b"x", algorithm=ALG_ES256, detached_payload=b"x")
        == "COSE_PAYLOAD_INVALID"
    )
    prepared = prepare_sign1(b"x", algorithm=ALG_ES256)
    with pytest.raises(InvalidInput) as exc:
        prepared.complete(b"")
    assert exc.value.code == "COSE_SIGNATURE_EMPTY"


# ------------------------------------------------------------------ wrong keys and signatures


def test_wrong_key_of_the_right_type() -> None:
    message = sign1(b"x", LocalSigner(P256))
    other = ec.generate_private_key(ec.SECP256R1())
    assert _fail(message.verify, other.public_key()) == "COSE_SIGNATURE_INVALID"
    ed_message = sign1(b"x", LocalSigner(ED))
    assert (
        _fail(ed_message.verify, Ed25519PrivateKey.generate().public_key())
        == "COSE_SIGNATURE_INVALID"
    )


@pytest.mark.parametrize(
    ("alg", "key"),
    [(ALG_ES256, P384), (ALG_ES384, P256), (ALG_ES256, ED), (ALG_EDDSA, P256)],
)
def test_key_that_does_not_fit_the_algorithm(alg: int, key: PrivateKey) -> None:
    message = sign1(b"x", LocalSigner(KEYS[alg]))
    assert _fail(message.verify, key.public_key()) == "COSE_KEY_MISMATCH"


def test_signature_of_wrong_length_or_flipped_bit() -> None:
    message = sign1(b"x", LocalSigner(P256))
    header = message.protected
    short = CoseSign1(message.protected_bytes, header, {}, message.payload, message.signature[:-1])
    assert _fail(short.verify, P256.public_key()) == "COSE_SIGNATURE_INVALID"
    flipped = bytearray(message.signature)
    flipped[5] ^= 1
    bad = CoseSign1(message.protected_bytes, header, {}, message.payload, bytes(flipped))
    assert _fail(bad.verify, P256.public_key()) == "COSE_SIGNATURE_INVALID"


def test_signature_by_another_algorithm_key_cannot_be_relabelled() -> None:
    # An ES384 signature presented under an ES256 protected header must fail.
    prepared = prepare_sign1(b"x", algorithm=ALG_ES256)
    signature = LocalSigner(P384).sign(prepared.to_be_signed)
    message = prepared.complete(signature)
    assert _fail(message.verify, P384.public_key()) == "COSE_KEY_MISMATCH"
    assert _fail(message.verify, P256.public_key()) == "COSE_SIGNATURE_INVALID"


# ------------------------------------------------------------------ algorithm allow-list


def test_alg_in_unprotected_header_is_refused() -> None:
    message = _forge({}, {H_ALG: ALG_ES256})
    assert _fail(lambda: message.algorithm) == "COSE_ALG_NOT_ALLOWED"
    assert _fail(message.verify, P256.public_key()) == "COSE_ALG_NOT_ALLOWED"


def test_alg_in_both_headers_is_malformed() -> None:
    with pytest.raises(MalformedData) as exc:
        _forge({H_ALG: ALG_ES256}, {H_ALG: ALG_ES256})
    assert exc.value.code == "COSE_MALFORMED"


@pytest.mark.parametrize("alg", [None, 0, "none", "ES256", -257, -37, -65535, True, 1.5])
def test_missing_none_or_unknown_algorithm_is_refused(alg: Any) -> None:
    header = {} if alg is None else {H_ALG: alg}
    message = _forge(header)
    assert _fail(message.verify, P256.public_key()) == "COSE_ALG_NOT_ALLOWED"


def test_mac_where_a_signature_is_expected() -> None:
    """HMAC keyed with a public value (the DS certificate) must never pass as a signature."""
    forged = mac0(b"payload", b"public certificate bytes")
    as_sign1 = CoseSign1.decode(dumps(forged.to_cbor()))
    assert _fail(lambda: as_sign1.algorithm) == "COSE_ALG_NOT_ALLOWED"
    assert _fail(as_sign1.verify, P256.public_key()) == "COSE_ALG_NOT_ALLOWED"


def test_signature_where_a_mac_is_expected() -> None:
    signed = sign1(b"payload", LocalSigner(P256))
    as_mac = CoseMac0.decode(dumps(signed.to_cbor()))
    assert _fail(as_mac.verify, MAC_KEY) == "COSE_ALG_NOT_ALLOWED"


def test_verify_can_narrow_the_allow_list() -> None:
    message = sign1(b"x", LocalSigner(ED))
    assert (
        _fail(message.verify, ED.public_key(), allowed=frozenset({ALG_ES256}))
        == "COSE_ALG_NOT_ALLOWED"
    )
    # …but never widen it beyond signature algorithms.
    forged = CoseSign1.decode(dumps(mac0(b"x", MAC_KEY).to_cbor()))
    assert (
        _fail(forged.verify, P256.public_key(), allowed=frozenset({ALG_HMAC256}))
        == "COSE_ALG_NOT_ALLOWED"
    )


# ------------------------------------------------------------------ critical headers


def test_unknown_critical_header_is_refused() -> None:
    with pytest.raises(VerificationFailed) as exc:
        _forge({H_ALG: ALG_ES256, H_CRIT: [99], 99: "must understand"})
    assert exc.value.code == "COSE_CRIT_UNSUPPORTED"
    with pytest.raises(VerificationFailed) as exc:
        _forge({H_ALG: ALG_ES256, H_CRIT: ["x-ext"], "x-ext": 1})
    assert exc.value.code == "COSE_CRIT_UNSUPPORTED"


def test_understood_critical_header_is_accepted() -> None:
    message = _forge({H_ALG: ALG_ES256, H_CRIT: [H_KID], H_KID: b"k1"})
    message.verify(P256.public_key())


@pytest.mark.parametrize("crit", [[], 4, "kid"])
def test_malformed_crit_list(crit: Any) -> None:
    with pytest.raises(MalformedData) as exc:
        _forge({H_ALG: ALG_ES256, H_CRIT: crit})
    assert exc.value.code == "COSE_MALFORMED"


def test_crit_must_be_protected() -> None:
    with pytest.raises(MalformedData) as exc:
        _forge({H_ALG: ALG_ES256}, {H_CRIT: [H_KID]})
    assert exc.value.code == "COSE_MALFORMED"


# ------------------------------------------------------------------ structure


@pytest.mark.parametrize(
    "obj",
    [
        b"\x01",
        dumps([b"", {}, b""]),  # three elements
        dumps(CBORTag(17, [dumps({1: -7}), {}, b"", b""])),  # Mac0 tag on a Sign1
        dumps([dumps({1: -7}), [], b"", b""]),  # unprotected not a map
        dumps([dumps({1: -7}), {}, "text", b""]),  # payload not bytes
        dumps([dumps({1: -7}), {}, b"", None]),  # no signature
        dumps([dumps([1]), {}, b"", b""]),  # protected encodes an array
        dumps([{1: -7}, {}, b"", b""]),  # protected not wrapped in bstr
        dumps([b"\xa1\x01", {}, b"", b""]),  # protected truncated
        dumps([dumps({1: -7}), {b"x": 1}, b"", b""]),  # label of the wrong type
    ],
)
def test_malformed_sign1(obj: bytes) -> None:
    with pytest.raises(MalformedData) as exc:
        CoseSign1.decode(obj)
    assert exc.value.code == "COSE_MALFORMED"


def test_empty_protected_header_is_an_empty_map() -> None:
    message = CoseSign1.decode(dumps([b"", {}, b"x", b"sig"]))
    assert message.protected == {}
    assert _fail(lambda: message.algorithm) == "COSE_ALG_NOT_ALLOWED"


# ------------------------------------------------------------------ Mac0


def test_mac0_round_trip_attached_and_detached() -> None:
    tag = mac0(b"payload", MAC_KEY)
    decoded = CoseMac0.decode(tag.encode(tagged=True))
    assert decoded.algorithm == ALG_HMAC256
    decoded.verify(MAC_KEY)
    detached = CoseMac0.decode(mac0(b"payload", MAC_KEY, detached=True).encode())
    assert detached.payload is None
    detached.verify(MAC_KEY, detached_payload=b"payload")
    assert _fail(detached.verify, MAC_KEY) == "COSE_PAYLOAD_MISSING"


def test_mac0_wrong_key_payload_or_aad() -> None:
    tag = mac0(b"payload", MAC_KEY, external_aad=b"aad")
    tag.verify(MAC_KEY, external_aad=b"aad")
    assert _fail(tag.verify, b"q" * 32, external_aad=b"aad") == "COSE_MAC_INVALID"
    assert _fail(tag.verify, MAC_KEY) == "COSE_MAC_INVALID"
    assert _fail(tag.verify, b"", external_aad=b"aad") == "COSE_KEY_MALFORMED"


def test_mac0_alg_in_unprotected_is_refused() -> None:
    tag = mac0(b"payload", MAC_KEY)
    moved = CoseMac0.decode(dumps([b"", {H_ALG: ALG_HMAC256}, tag.payload, tag.tag]))
    assert _fail(moved.verify, MAC_KEY) == "COSE_ALG_NOT_ALLOWED"


# ------------------------------------------------------------------ COSE_Key


@pytest.mark.parametrize("alg", [ALG_ES256, ALG_ES384, ALG_EDDSA])
def test_cose_key_round_trip(alg: int) -> None:
    public = KEYS[alg].public_key()
    back = public_key_from_cose_key(cose_key_from_public(public))
    assert back == public


def test_cose_key_compressed_point() -> None:
    public = P256.public_key()
    full = cose_key_from_public(public)
    y_is_odd = public.public_numbers().y & 1 == 1
    compressed = {1: 2, -1: 1, -2: full[-2], -3: y_is_odd}
    assert public_key_from_cose_key(compressed) == public


@pytest.mark.parametrize(
    "obj",
    [
        [1, 2],
        {1: 2, -1: 1, -2: b"\x00" * 32, -3: b"\x00" * 32},  # not on the curve
        {1: 2, -1: 1, -2: b"\x00" * 31, -3: b"\x00" * 32},
        {1: 2, -1: 9, -2: b"\x00" * 32, -3: b"\x00" * 32},  # unknown curve
        {1: 2, -1: True, -2: b"\x00" * 32, -3: b"\x00" * 32},
        {1: 1, -1: 6, -2: b"\x00" * 31},
        {1: 3, -1: 1},  # RSA
        {},
    ],
)
def test_malformed_cose_key(obj: Any) -> None:
    with pytest.raises(MalformedData) as exc:
        public_key_from_cose_key(obj)
    assert exc.value.code == "COSE_KEY_MALFORMED"


# ------------------------------------------------------------------ fuzzing

_VALID_SIGN1 = sign1(b"payload", LocalSigner(P256), unprotected={H_X5CHAIN: b"cert"}).encode(
    tagged=True
)
_VALID_MAC0 = mac0(b"payload", MAC_KEY).encode(tagged=True)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_fuzz_decoders_random_bytes(data: bytes) -> None:
    for decoder in (CoseSign1.decode, CoseMac0.decode):
        with contextlib.suppress(MotorcredError):
            decoder(data)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(_VALID_SIGN1) - 1), st.integers(1, 255))
def test_fuzz_sign1_mutation_never_verifies(position: int, xor: int) -> None:
    mutated = bytearray(_VALID_SIGN1)
    mutated[position] ^= xor
    try:
        message = CoseSign1.decode(bytes(mutated))
        _ = message.x5chain, message.kid  # header accessors raise only project errors too
        message.verify(P256.public_key())
    except MotorcredError:
        return
    # Only the unprotected x5chain is outside the signature; everything else must fail.
    assert message.payload == b"payload"
    assert message.protected_bytes == bytes.fromhex("a10126")


@settings(max_examples=200, deadline=None)
@given(st.integers(0, len(_VALID_MAC0) - 1), st.integers(1, 255))
def test_fuzz_mac0_mutation_never_verifies(position: int, xor: int) -> None:
    mutated = bytearray(_VALID_MAC0)
    mutated[position] ^= xor
    try:
        CoseMac0.decode(bytes(mutated)).verify(MAC_KEY)
    except MotorcredError:
        return
    pytest.fail("a mutated COSE_Mac0 verified")


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.integers(-4, 4),
        st.none() | st.booleans() | st.integers(-10, 10) | st.binary(max_size=50),
        max_size=5,
    )
)
def test_fuzz_cose_key(obj: dict[int, Any]) -> None:
    with contextlib.suppress(MotorcredError):
        public_key_from_cose_key(obj)
