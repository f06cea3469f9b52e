"""Benchmark: offline code size and QR version, beside an EU-DCC (HC1)-style payload.

Builds a typical e-DL offline presentation (12 disclosed elements with 32-byte
salts, an MSO with SHA-256 digests for 22 elements, a P-256 device key, a
64-byte issuer signature and a 64-byte device signature over a timestamp and
nonce) and an HC1-style COSE_Sign1/CWT carrying the same 12 claims; reports the
encoded sizes, the QR version at error correction M, and encode/decode,
render and read times.

Run: ``python bench/codes.py [--json] [--rounds N]``.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import cbor2

from motorcred.adapters.codes.read import read_code
from motorcred.adapters.codes.render import qr_version, render_qr_png
from motorcred.formats.base45 import b45encode
from motorcred.formats.offline_code import decode_offline_code, encode_offline_code

DOCTYPE = "org.iso.18013.5.1.mDL"
NAMESPACE = "org.iso.18013.5.1"
V25_M_ALNUM_CAPACITY = 1499  # characters of QR alphanumeric mode, version 25, level M
NOW = datetime(2026, 5, 1, 8, 30, tzinfo=UTC)

# The 12 elements an offline code discloses (the portrait is never included).
CLAIMS: dict[str, Any] = {
    "family_name": "ZHANG",
    "given_name": "XIAOSAN",
    "birth_date": cbor2.CBORTag(1004, "1990-01-01"),
    "sex": 1,
    "nationality": "CN",
    "issue_date": cbor2.CBORTag(1004, "2020-01-01"),
    "expiry_date": cbor2.CBORTag(1004, "2026-01-01"),
    "issuing_country": "CN",
    "issuing_authority": "北京市公安局公安交通管理局",
    "document_number": "110105199001011234",
    "driving_privileges": [{"vehicle_category_code": "C1"}],
    "un_distinguishing_sign": "CHN",
}


def _tdate(dt: datetime) -> cbor2.CBORTag:
    return cbor2.CBORTag(0, dt.strftime("%Y-%m-%dT%H:%M:%SZ"))


def mc1_payload(rng: random.Random, *, salt_len: int = 32, mso_digests: int = 22) -> bytes:
    """CBOR of a device-signed presentation as an MC1 code carries it.

    Defaults: the full e-DL MSO (22 digests) and 32-byte salts. The "compact"
    variant measured beside it uses 16-byte salts (the ISO 18013-5 minimum) and
    an MSO covering only the 12 disclosed elements.
    """
    items = [
        cbor2.CBORTag(
            24,
            cbor2.dumps(
                {
                    "digestID": i,
                    "random": rng.randbytes(salt_len),
                    "elementIdentifier": name,
                    "elementValue": value,
                }
            ),
        )
        for i, (name, value) in enumerate(CLAIMS.items())
    ]
    mso = {
        "version": "1.0",
        "digestAlgorithm": "SHA-256",
        "valueDigests": {NAMESPACE: {i: rng.randbytes(32) for i in range(mso_digests)}},
        "deviceKeyInfo": {"deviceKey": {1: 2, -1: 1, -2: rng.randbytes(32), -3: rng.randbytes(32)}},
        "docType": DOCTYPE,
        "validityInfo": {
            "signed": _tdate(NOW),
            "validFrom": _tdate(NOW),
            "validUntil": _tdate(NOW.replace(year=2027)),
        },
    }
    issuer_auth = [
        cbor2.dumps({1: -7}),
        {4: rng.randbytes(8)},  # kid of the DS certificate, not the certificate
        cbor2.dumps(cbor2.CBORTag(24, cbor2.dumps(mso))),
        rng.randbytes(64),
    ]
    presentation = {
        "docType": DOCTYPE,
        "issuerSigned": {"nameSpaces": {NAMESPACE: items}, "issuerAuth": issuer_auth},
        "deviceSigned": {"t": _tdate(NOW), "n": rng.randbytes(16), "sig": rng.randbytes(64)},
    }
    return bytes(cbor2.dumps(presentation))


def mc1_packed_payload(rng: random.Random) -> bytes:
    """A what-if layout: the same content with positional arrays instead of ISO map keys.

    12 items as ``[digestID, random(16), value]`` (element identifiers implied by
    digestID order), an MSO covering only those 12 elements as a digest array,
    the device key as a compressed P-256 point. Measures how far the ISO
    encoding is from the QR version 25 budget; it is not a format motorcred
    emits.
    """
    items = [[i, rng.randbytes(16), value] for i, value in enumerate(CLAIMS.values())]
    mso = [1, [rng.randbytes(32) for _ in CLAIMS], rng.randbytes(33), 1777624200, 1809160200]
    issuer_auth = [cbor2.dumps({1: -7}), rng.randbytes(8), cbor2.dumps(mso), rng.randbytes(64)]
    device = [1777624200, rng.randbytes(16), rng.randbytes(64)]
    return bytes(cbor2.dumps([1, items, issuer_auth, device]))


def hc1_payload(rng: random.Random) -> bytes:
    """An EU-DCC-style COSE_Sign1 over a CWT carrying the same claims."""
    cwt = {1: "CN", 4: int(NOW.timestamp()) + 86400 * 365, 6: int(NOW.timestamp()),
           -260: {1: CLAIMS}}  # fmt: skip
    sign1 = [cbor2.dumps({1: -7, 4: rng.randbytes(8)}), {}, cbor2.dumps(cwt), rng.randbytes(64)]
    return bytes(cbor2.dumps(cbor2.CBORTag(18, sign1)))


def _time_us(fn: Callable[[], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e6)
    return round(statistics.median(samples), 1)


def run(rounds: int) -> dict[str, Any]:
    rng = random.Random(2026)
    mc1 = mc1_payload(rng)
    hc1 = hc1_payload(rng)
    mc1_text = encode_offline_code(mc1)
    compact = mc1_payload(rng, salt_len=16, mso_digests=len(CLAIMS))
    compact_text = encode_offline_code(compact)
    packed = mc1_packed_payload(rng)
    packed_text = encode_offline_code(packed)
    hc1_text = "HC1:" + b45encode(zlib.compress(hc1, 9))
    # max_version=40: the benchmark reports the version needed even beyond the
    # product's limit of 25 (fits_v25_m says whether the limit holds).
    png = render_qr_png(mc1_text, scale=3, border=4, max_version=40)
    assert decode_offline_code(mc1_text) == mc1
    assert read_code(png) == mc1_text

    def render() -> bytes:
        return render_qr_png(mc1_text, scale=3, max_version=40)

    return {
        "mc1_cbor_bytes": len(mc1),
        "mc1_zlib_bytes": len(zlib.compress(mc1, 9)),
        "mc1_text_bytes": len(mc1_text),
        "mc1_qr_version": qr_version(mc1_text, "M"),
        "mc1_fits_v25_m": qr_version(mc1_text, "M") <= 25,
        "hc1_cbor_bytes": len(hc1),
        "hc1_zlib_bytes": len(zlib.compress(hc1, 9)),
        "hc1_text_bytes": len(hc1_text),
        "hc1_qr_version": qr_version(hc1_text, "M"),
        "mc1_png_bytes": len(png),
        "mc1_encode_us": _time_us(lambda: encode_offline_code(mc1), rounds),
        "mc1_decode_us": _time_us(lambda: decode_offline_code(mc1_text), rounds),
        "mc1_compact_cbor_bytes": len(compact),
        "mc1_compact_text_bytes": len(compact_text),
        "mc1_compact_qr_version": qr_version(compact_text, "M"),
        "mc1_packed_cbor_bytes": len(packed),
        "mc1_packed_text_bytes": len(packed_text),
        "mc1_packed_qr_version": qr_version(packed_text, "M"),
        "qr_v25_m_max_text_bytes": V25_M_ALNUM_CAPACITY,
        "qr_render_us": _time_us(render, max(rounds // 10, 3)),
        "qr_read_us": _time_us(lambda: read_code(png), max(rounds // 10, 3)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", dest="as_json", action="store_true", help="one JSON object")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    result = run(args.rounds)
    if args.as_json:
        print(json.dumps(result))
        return
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
