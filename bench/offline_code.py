"""Benchmark: MC1 offline code — size and QR version beside an HC1-style code, verify time.

Builds a real e-DL offline code (13 front-page elements from the compact offline
credential, device-signed) and an EU Digital COVID Certificate-style code
(``HC1:`` + base45(zlib(COSE_Sign1 over a CWT))) carrying the same 13 values
under the same kind of key, then reports:

* sizes: CBOR, zlib and text bytes of each, and the QR version at level M
  (the product limit is version 25);
* ``verify_us``: :func:`verify_offline_code` (envelope, trust list lookup, chain
  cache, MSO rebuild, issuer and device signatures, freshness, status lookup);
* ``raw_floor_us``: the two ECDSA P-256 verifications any offline check must do
  (issuer signature + device signature), timed alone; target verify ≤ 2× floor.

Run: ``python bench/offline_code.py [--json] [--rounds N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import zlib
from datetime import date, timedelta
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from _mdl_fixture import make_pki
from _timing import median_us
from motorcred.adapters.codes.render import qr_version
from motorcred.formats.base45 import b45encode
from motorcred.formats.cbor import dumps
from motorcred.formats.cose import H_KID, LocalSigner, sig_structure, sign1
from motorcred.formats.mdoc import CN_DL_NS, MDL_DOCTYPE, MDL_NS
from motorcred.formats.offline_code import decode_offline_code
from motorcred.formats.offline_presentation import (
    StatusCache,
    issue_offline_credential,
    offline_code,
    present_offline,
    verify_offline_code,
)
from motorcred.formats.offline_presentation.wire import (
    OfflinePresentation,
    device_authentication_bytes,
    disclosed_digest,
    rebuild_mso,
)
from motorcred.formats.status_list import (
    StatusList,
    StatusReference,
    build_status_list_token,
)
from motorcred.formats.trust_list import (
    build_trust_list,
    certificate_kid,
    load_trust_list,
)

STATUS_URI = "https://status.motorcred.example/dl/1"
QR_LIMIT = 25


def front_page() -> dict[str, dict[str, Any]]:
    return {
        MDL_NS: {
            "family_name": "ZHANG",
            "given_name": "XIAOSAN",
            "sex": 1,
            "nationality": "CN",
            "birth_date": date(1990, 1, 1),
            "document_number": "110105199001011234",
            "issue_date": date(2020, 3, 1),
            "expiry_date": date(2030, 3, 1),
        },
        CN_DL_NS: {
            "permitted_classes": "C1D",
            "licence_status": "A",
            "cumulative_points": 3,
            "first_issue_date": date(2010, 5, 1),
            "file_number": "110100123456",
        },
    }


def hc1_code(pki: Any, now: Any) -> str:
    """The same 13 values as an HC1-style CWT: ``{1: iss, 4: exp, 6: iat, -260: {1: claims}}``."""
    claims = {ident: value for ns in front_page().values() for ident, value in ns.items()}
    cwt = {
        1: "CN",
        4: int((now + timedelta(days=365)).timestamp()),
        6: int(now.timestamp()),
        -260: {1: claims},
    }
    message = sign1(
        dumps(cwt),
        LocalSigner(pki.ds_key),
        extra_protected={H_KID: certificate_kid(pki.ds_cert)},
    )
    return "HC1:" + b45encode(zlib.compress(message.encode(tagged=True), 9))


def _raw_verify(key: ec.EllipticCurvePublicKey, data: bytes, signature: bytes) -> None:
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    key.verify(der, data, ec.ECDSA(hashes.SHA256()))


def run(rounds: int) -> dict[str, Any]:
    pki = make_pki()
    now = pki.ds_cert.not_valid_before_utc + timedelta(days=1)
    kid = certificate_kid(pki.ds_cert)
    credential = issue_offline_credential(
        doctype=MDL_DOCTYPE,
        namespaces=front_page(),
        device_key=pki.device_key.public_key(),
        signed=now,
        valid_from=now,
        valid_until=now + timedelta(days=300),
        kid=kid,
        status=StatusReference(7, STATUS_URI),
        signer=LocalSigner(pki.ds_key),
        random=os.urandom,
    )
    presented = now + timedelta(hours=1)
    presentation = present_offline(
        credential,
        device_signer=LocalSigner(pki.device_key),
        presented_at=presented,
        nonce=os.urandom(16),
    )
    text = offline_code(presentation)
    trust = load_trust_list(
        build_trust_list(
            issuer="bench",
            seq=1,
            issued=now,
            next_update=now + timedelta(days=7),
            iaca=[pki.iaca_cert],
            ds=[pki.ds_cert],
            signer=LocalSigner(pki.iaca_key),
            signer_chain=[pki.iaca_cert],
        )
    )
    token = build_status_list_token(
        StatusList(100_000, bits=2),
        uri=STATUS_URI,
        issued_at=presented - timedelta(minutes=30),
        expires_at=None,
        ttl=86400,
        signer=LocalSigner(pki.ds_key),
        kid=kid,
    )
    cache, problems = StatusCache.load([token], trust_list=trust, now=presented)
    assert not problems
    at = presented + timedelta(seconds=30)
    result = verify_offline_code(text, trust, cache, at)
    assert result.valid, result.failures

    cbor = decode_offline_code(text)
    parsed = OfflinePresentation.decode(cbor)
    mso_bytes = rebuild_mso(parsed.mso_rest, parsed.elements)
    issuer_tbs = sig_structure(parsed.issuer_auth.protected_bytes, mso_bytes)
    device_tbs = sig_structure(
        parsed.device_signature.protected_bytes,
        device_authentication_bytes(
            MDL_DOCTYPE,
            parsed.presented_at,
            parsed.nonce,
            mso_bytes,
            disclosed_digest(parsed.elements),
        ),
    )
    ds_key = pki.ds_cert.public_key()
    device_key = pki.device_key.public_key()
    assert isinstance(ds_key, ec.EllipticCurvePublicKey)

    def floor() -> None:
        _raw_verify(ds_key, issuer_tbs, parsed.issuer_auth.signature)
        _raw_verify(device_key, device_tbs, parsed.device_signature.signature)

    floor()
    verify_us = median_us(lambda: verify_offline_code(text, trust, cache, at), rounds)
    floor_us = median_us(floor, rounds)
    hc1 = hc1_code(pki, now)
    mc1_version, hc1_version = qr_version(text, "M"), qr_version(hc1, "M")
    return {
        "elements": sum(len(v) for v in front_page().values()),
        "mc1_cbor_bytes": len(cbor),
        "mc1_zlib_bytes": len(zlib.compress(cbor, 9)),
        "mc1_text_bytes": len(text),
        "mc1_qr_version": mc1_version,
        "hc1_text_bytes": len(hc1),
        "hc1_qr_version": hc1_version,
        "mc1_to_hc1_size_ratio": round(len(text) / len(hc1), 2),
        "verify_us": round(verify_us, 1),
        "raw_floor_us": round(floor_us, 1),
        "verify_to_floor_ratio": round(verify_us / floor_us, 2),
        "verify_per_s": round(1e6 / verify_us),
        "targets_met": {
            "qr_version_le_25": mc1_version <= QR_LIMIT,
            "verify_le_2x_floor": verify_us <= 2 * floor_us,
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", dest="as_json", action="store_true", help="one JSON object")
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args(argv)
    result = run(args.rounds)
    if args.as_json:
        print(json.dumps(result))
        return 0
    print("MC1 offline code: size and verification")
    width = max(map(len, result))
    for key, value in result.items():
        print(f"  {key:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
