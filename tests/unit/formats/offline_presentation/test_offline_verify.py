"""verify_offline_code: a good code passes, and every check fails with its own code."""

from __future__ import annotations

import os
import zlib
from datetime import date, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from offline_fixture import (
    NOW,
    SIGNED,
    STATUS_IDX,
    STATUS_URI,
    Pki,
    edl_elements,
    issue_credential,
    make_code,
    make_pki,
    status_token,
    trust_list,
)

from motorcred.errors import InvalidInput
from motorcred.formats.base45 import b45encode
from motorcred.formats.cbor import dumps, loads
from motorcred.formats.cose import LocalSigner
from motorcred.formats.mdoc import CN_DL_NS, MDL_DOCTYPE, MDL_NS, issue
from motorcred.formats.offline_code import decode_offline_code, encode_offline_code
from motorcred.formats.offline_presentation import (
    MemoryReplayLog,
    OfflineResult,
    StatusCache,
    offline_elements,
    verify_offline_code,
)
from motorcred.formats.status_list import StatusReference
from motorcred.formats.trust_list import TrustList


@pytest.fixture(scope="module")
def pki() -> Pki:
    return make_pki()


@pytest.fixture(scope="module")
def device_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="module")
def tl(pki: Pki) -> TrustList:
    return trust_list(pki)


@pytest.fixture(scope="module")
def code(pki: Pki, device_key: ec.EllipticCurvePrivateKey) -> str:
    return make_code(issue_credential(pki, device_key), device_key)


def cache_with(pki: Pki, tl: TrustList, status: int = 0, **kwargs: Any) -> StatusCache:
    cache, problems = StatusCache.load(
        [status_token(pki, status, **kwargs)], trust_list=tl, now=NOW
    )
    assert problems == []
    return cache


def codes(result: OfflineResult) -> list[str]:
    return [f.code for f in result.failures]


def warnings(result: OfflineResult) -> list[str]:
    return [f.code for f in result.warnings]


def test_good_code_verifies_with_front_page_elements(pki: Pki, tl: TrustList, code: str) -> None:
    result = verify_offline_code(code, tl, cache_with(pki, tl), NOW)
    assert result.valid, result.failures
    assert result.warnings == []
    assert result.device_auth == "ok" and result.status == "valid"
    assert result.doctype == MDL_DOCTYPE
    assert result.elements[MDL_NS]["document_number"] == "110105199001011234"
    assert result.elements[CN_DL_NS]["permitted_classes"] == "C1D"
    assert "portrait" not in result.elements[MDL_NS]
    assert "resident_address" not in result.elements[MDL_NS]  # second page: not offline
    assert result.age_seconds == 20
    out = result.to_json()
    assert out["valid"] is True and out["issuer"]["kid"] == pki.kid.hex()


def test_selective_disclosure_carries_the_other_digests(
    pki: Pki, tl: TrustList, device_key: ec.EllipticCurvePrivateKey
) -> None:
    credential = issue_credential(pki, device_key)
    text = make_code(
        credential, device_key, disclose={MDL_NS: ["family_name", "given_name", "expiry_date"]}
    )
    result = verify_offline_code(text, tl, cache_with(pki, tl), NOW)
    assert result.valid, result.failures
    assert set(result.elements) == {MDL_NS}
    assert set(result.elements[MDL_NS]) == {"family_name", "given_name", "expiry_date"}
    body = loads(decode_offline_code(text))
    carried = body[2]["valueDigests"]
    assert sum(len(d) for d in carried.values()) == 13 - 3


def test_standard_mdoc_with_x5chain_can_be_presented_offline(
    pki: Pki, tl: TrustList, device_key: ec.EllipticCurvePrivateKey
) -> None:
    # The kid replaces the x5chain in the unsigned header; the issuer signature still holds.
    elements = edl_elements()
    elements[MDL_NS]["un_distinguishing_sign"] = "CHN"
    standard = issue(
        doctype=MDL_DOCTYPE,
        namespaces=elements,
        device_key=device_key.public_key(),
        signed=SIGNED,
        valid_from=SIGNED,
        valid_until=SIGNED + timedelta(days=300),
        cert_chain=[pki.ds_der],
        signer=LocalSigner(pki.ds_key),
        random=os.urandom,
    )
    text = make_code(standard, device_key, disclose={MDL_NS: ["family_name", "birth_date"]})
    result = verify_offline_code(text, tl, None, NOW)
    assert result.valid, result.failures
    assert result.elements == {MDL_NS: {"family_name": "ZHANG", "birth_date": date(1990, 1, 1)}}
    assert warnings(result) == ["OFFLINE_STATUS_UNKNOWN"]
    # Presenting "everything" leaves the portrait out by itself.
    everything = verify_offline_code(make_code(standard, device_key), tl, None, NOW)
    assert everything.valid and "portrait" not in everything.elements[MDL_NS]


def test_portrait_is_refused_when_asked_for(
    pki: Pki, device_key: ec.EllipticCurvePrivateKey
) -> None:
    standard_like = issue_credential(pki, device_key)
    with pytest.raises(InvalidInput) as exc:
        make_code(standard_like, device_key, disclose={MDL_NS: ["portrait"]})
    assert exc.value.code == "OFFLINE_PORTRAIT_NOT_ALLOWED"
    with pytest.raises(InvalidInput) as exc:
        make_code(standard_like, device_key, disclose={MDL_NS: ["resident_address"]})
    assert exc.value.code == "OFFLINE_ELEMENT_NOT_HELD"


# ----------------------------------------------------------------------------- negatives


def test_wrong_device_key(pki: Pki, tl: TrustList, device_key: ec.EllipticCurvePrivateKey) -> None:
    credential = issue_credential(pki, device_key)
    other = ec.generate_private_key(ec.SECP256R1())
    result = verify_offline_code(make_code(credential, other), tl, cache_with(pki, tl), NOW)
    assert codes(result) == ["OFFLINE_DEVICE_SIGNATURE_INVALID"]
    assert result.device_auth == "failed"


def test_wrong_issuer_key(pki: Pki, tl: TrustList, device_key: ec.EllipticCurvePrivateKey) -> None:
    forged = issue_credential(pki, device_key, signer_key=ec.generate_private_key(ec.SECP256R1()))
    result = verify_offline_code(make_code(forged, device_key), tl, None, NOW)
    assert codes(result) == ["OFFLINE_ISSUER_SIGNATURE_INVALID"]
    assert result.elements == {}  # nothing unauthenticated is shown


def test_unknown_kid(pki: Pki, tl: TrustList, device_key: ec.EllipticCurvePrivateKey) -> None:
    credential = issue_credential(pki, device_key, kid=b"\x01" * 8)
    result = verify_offline_code(make_code(credential, device_key), tl, None, NOW)
    assert codes(result) == ["OFFLINE_UNKNOWN_KID"]


def test_wrong_trust_list(code: str) -> None:
    other = trust_list(make_pki())
    result = verify_offline_code(code, other, None, NOW)
    assert codes(result) == ["OFFLINE_UNKNOWN_KID"]


def test_expired_credential(
    pki: Pki, tl: TrustList, device_key: ec.EllipticCurvePrivateKey
) -> None:
    credential = issue_credential(pki, device_key, valid_until=NOW - timedelta(days=1))
    result = verify_offline_code(make_code(credential, device_key), tl, cache_with(pki, tl), NOW)
    assert codes(result) == ["MDOC_EXPIRED"]


def test_expired_ds_certificate(device_key: ec.EllipticCurvePrivateKey) -> None:
    short = make_pki(ds_days=100)
    tl = trust_list(short)
    credential = issue_credential(short, device_key)
    result = verify_offline_code(make_code(credential, device_key), tl, None, NOW)
    assert "MDOC_CERT_EXPIRED" in codes(result)


@pytest.mark.parametrize(
    ("value", "expected"), [(1, "MDOC_STATUS_REVOKED"), (2, "MDOC_STATUS_SUSPENDED")]
)
def test_revoked_and_suspended(
    pki: Pki, tl: TrustList, code: str, value: int, expected: str
) -> None:
    outcome = verify_offline_code(code, tl, cache_with(pki, tl, value), NOW)
    assert codes(outcome) == [expected]
    assert outcome.status == ("invalid" if value == 1 else "suspended")


def test_stale_timestamp(pki: Pki, tl: TrustList, device_key: ec.EllipticCurvePrivateKey) -> None:
    credential = issue_credential(pki, device_key)
    old = make_code(credential, device_key, at=NOW - timedelta(minutes=6))
    result = verify_offline_code(old, tl, cache_with(pki, tl), NOW)
    assert codes(result) == ["OFFLINE_CODE_STALE"]
    wider = verify_offline_code(old, tl, cache_with(pki, tl), NOW, max_age=timedelta(minutes=10))
    assert wider.valid


def test_timestamp_from_the_future(
    pki: Pki, tl: TrustList, device_key: ec.EllipticCurvePrivateKey
) -> None:
    credential = issue_credential(pki, device_key)
    ahead = make_code(credential, device_key, at=NOW + timedelta(minutes=3))
    result = verify_offline_code(ahead, tl, cache_with(pki, tl), NOW)
    assert codes(result) == ["OFFLINE_CODE_FROM_FUTURE"]
    slight = make_code(credential, device_key, at=NOW + timedelta(seconds=30))
    assert verify_offline_code(slight, tl, cache_with(pki, tl), NOW).valid


def test_replay_within_the_window_is_noted(pki: Pki, tl: TrustList, code: str) -> None:
    log = MemoryReplayLog()
    first = verify_offline_code(code, tl, cache_with(pki, tl), NOW, replay_log=log)
    again = verify_offline_code(code, tl, cache_with(pki, tl), NOW, replay_log=log)
    assert first.valid and not first.replayed
    assert again.valid and again.replayed
    assert warnings(again) == ["OFFLINE_CODE_REPLAYED"]
    later = verify_offline_code(
        code, tl, cache_with(pki, tl), NOW + timedelta(minutes=10), replay_log=log
    )
    assert not later.replayed and codes(later) == ["OFFLINE_CODE_STALE"]


def test_stale_status_cache_is_reported_not_trusted(pki: Pki, tl: TrustList, code: str) -> None:
    cache = cache_with(pki, tl, 0, issued=NOW - timedelta(days=2), ttl=3600)
    result = verify_offline_code(code, tl, cache, NOW)
    assert result.valid and result.status_stale is True
    assert warnings(result) == ["OFFLINE_STATUS_STALE"]
    strict = verify_offline_code(code, tl, cache, NOW, require_fresh_status=True)
    assert codes(strict) == ["OFFLINE_STATUS_STALE"]


def test_expired_status_token_still_reports_a_known_revocation(
    pki: Pki, tl: TrustList, code: str
) -> None:
    cache = cache_with(pki, tl, 1, issued=NOW - timedelta(days=3), expires=NOW - timedelta(days=1))
    result = verify_offline_code(code, tl, cache, NOW)
    assert codes(result) == ["MDOC_STATUS_REVOKED"]
    assert warnings(result) == ["OFFLINE_STATUS_STALE"]


def test_status_not_cached(pki: Pki, tl: TrustList, code: str) -> None:
    other = cache_with(pki, tl, 0, uri="https://status.motorcred.example/dl/other")
    for cache in (None, other):
        result = verify_offline_code(code, tl, cache, NOW)
        assert result.valid and result.status == "unknown"
        assert warnings(result) == ["OFFLINE_STATUS_UNKNOWN"]


def test_status_reference_is_the_one_signed(
    pki: Pki, tl: TrustList, device_key: ec.EllipticCurvePrivateKey
) -> None:
    credential = issue_credential(pki, device_key, status=StatusReference(7, STATUS_URI))
    cache = cache_with(pki, tl, 1)  # entry 42 revoked, entry 7 valid
    result = verify_offline_code(make_code(credential, device_key), tl, cache, NOW)
    assert result.valid and result.status == "valid"
    assert STATUS_IDX != 7


def test_expired_trust_list(pki: Pki, code: str) -> None:
    tl = trust_list(pki, next_update=NOW - timedelta(hours=1))
    result = verify_offline_code(code, tl, None, NOW)
    assert codes(result) == ["TRUST_LIST_EXPIRED"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("HC1:NCFOXN%TS3DH", "CODE_PREFIX_UNKNOWN"),
        ("MC1:abc", "BASE45_INVALID"),
        ("MC1:" + b45encode(b"not zlib"), "CODE_MALFORMED"),
        ("MC1:" + b45encode(zlib.compress(b"\x00" * 40000)), "CODE_TOO_LARGE"),
        (encode_offline_code(b"\xff"), "OFFLINE_MALFORMED"),
        (encode_offline_code(dumps({"a": 1})), "OFFLINE_MALFORMED"),
        (encode_offline_code(dumps([2, 0, 0, 0, 0])), "OFFLINE_VERSION_UNSUPPORTED"),
        (encode_offline_code(dumps([1, [], {}, {}, []])), "OFFLINE_MALFORMED"),
    ],
)
def test_malformed_codes(tl: TrustList, text: str, code: str) -> None:
    result = verify_offline_code(text, tl, None, NOW)
    assert codes(result) == [code]


def _reencode(text: str, edit: Any) -> str:
    body = loads(decode_offline_code(text))
    edit(body)
    return encode_offline_code(dumps(body))


def _set_value(body: list[Any], ident_alias: int, value: Any) -> None:
    for entries in body[3].values():
        for entry in entries:
            if entry[2] == ident_alias:
                entry[3] = value


_SIG = "OFFLINE_ISSUER_SIGNATURE_INVALID"
_DEV = "OFFLINE_DEVICE_SIGNATURE_INVALID"


@pytest.mark.parametrize(
    ("name", "edit", "expected"),
    [
        ("value", lambda b: _set_value(b, 13, 0), _SIG),
        ("salt", lambda b: b[3][0][0].__setitem__(1, bytes(16)), _SIG),
        ("digest id", lambda b: b[3][0][0].__setitem__(0, 99), _SIG),
        ("identifier", lambda b: b[3][0][0].__setitem__(2, "age_over_18"), _SIG),
        ("removed element", lambda b: b[3][0].pop(), _SIG),
        (
            "validity",
            lambda b: b[2]["validityInfo"].__setitem__("validUntil", NOW + timedelta(days=9999)),
            _SIG,
        ),
        ("status reference", lambda b: b[2].pop("status"), _SIG),
        ("issuer sig", lambda b: b[1].__setitem__(3, bytes(64)), _SIG),
        ("timestamp", lambda b: b[4].__setitem__(0, b[4][0] + 1), _DEV),
        ("nonce", lambda b: b[4].__setitem__(1, bytes(16)), _DEV),
        ("device sig", lambda b: b[4][2].__setitem__(3, bytes(64)), _DEV),
        ("hmac alg", lambda b: b[1].__setitem__(0, dumps({1: 5})), "COSE_ALG_NOT_ALLOWED"),
        ("kid", lambda b: b[1].__setitem__(1, {4: b"\x00" * 8}), "OFFLINE_UNKNOWN_KID"),
        (
            "digest twice",
            lambda b: b[2]["valueDigests"].__setitem__(MDL_NS, {b[3][0][0][0]: bytes(32)}),
            "OFFLINE_MALFORMED",
        ),
    ],
)
def test_tampered_parts(
    pki: Pki, tl: TrustList, code: str, name: str, edit: Any, expected: str
) -> None:
    result = verify_offline_code(_reencode(code, edit), tl, cache_with(pki, tl), NOW)
    assert [f.code for f in result.failures][:1] == [expected], name


def test_a_bit_flip_anywhere_is_caught(pki: Pki, tl: TrustList, code: str) -> None:
    data = decode_offline_code(code)
    cache = cache_with(pki, tl)
    for position in range(len(data)):
        flipped = bytearray(data)
        flipped[position] ^= 0x01
        result = verify_offline_code(encode_offline_code(bytes(flipped)), tl, cache, NOW)
        assert not result.valid, f"flip at byte {position} went unnoticed"


def test_elements_of_a_credential_without_profile_must_be_listed(
    pki: Pki, device_key: ec.EllipticCurvePrivateKey
) -> None:
    with pytest.raises(InvalidInput) as exc:
        offline_elements("org.example.unknown", {})
    assert exc.value.code == "OFFLINE_PROFILE_UNKNOWN"
    with pytest.raises(InvalidInput) as exc:
        issue_credential(pki, device_key, elements={MDL_NS: {"portrait": b"\xff\xd8\xff\xd9"}})
    assert exc.value.code == "OFFLINE_PORTRAIT_NOT_ALLOWED"
