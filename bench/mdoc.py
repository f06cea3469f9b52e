"""Benchmark: issuing and verifying an mDL, against the raw ES256 floor and pymdoccbor.

All figures are measured in the same run on the same 22-element mDL with a
10 kB portrait (``_mdl_fixture``):

* the floor: one raw ES256 sign and one raw verify with ``cryptography``;
* our issue: salts, digests, MSO, IssuerAuth signature, DeviceResponse encoding;
* our verify: a presented DeviceResponse (all 22 elements, deviceSignature) through
  every check — decode, chain (validated once per DS certificate, then cached by
  the TrustStore), IssuerAuth signature, validity, 22 digests, element types,
  device signature over DeviceAuthentication. It needs two signature
  verifications, so its floor is twice the raw verify;
* pymdoccbor's issue and verify (issuer signature, chain, digests — no device auth);
* a token-status-list lookup (``StatusList.status``) in a 1 M-entry list.

Targets (issue 4): verify ≤ 2× its floor, issue ≤ 3× a raw sign, both ≥ 10× faster
than pymdoccbor, status lookup well under a microsecond.

Run: ``python bench/mdoc.py [--json] [--rounds N]``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from rich.console import Console
from rich.table import Table

from _mdl_fixture import DOCTYPE, NAMESPACE, elements, make_pki
from _timing import median_us, median_us_prepared
from motorcred.formats.cbor import dumps, encoded24
from motorcred.formats.cose import LocalSigner, sig_structure
from motorcred.formats.mdoc import DeviceResponse, Document, issue, present
from motorcred.formats.mdoc.verifier import verify_presentation
from motorcred.formats.status_list import StatusList, StatusType
from motorcred.formats.trust import TrustStore

STATUS_ENTRIES = 1_000_000
_ECDSA = ec.ECDSA(hashes.SHA256())


def _status_lookup_us(lookups: int, seed: int) -> float:
    """Mean time of one ``StatusList.status(idx)``, the loop's own cost subtracted."""
    rng = random.Random(seed)
    status_list = StatusList(STATUS_ENTRIES, 2)
    status_list.set_many(rng.sample(range(STATUS_ENTRIES), 10_000), StatusType.INVALID)
    probe = [rng.randrange(STATUS_ENTRIES) for _ in range(max(lookups, 1))]
    lookup = status_list.status
    start = time.perf_counter()
    for idx in probe:
        lookup(idx)
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    for idx in probe:
        int(idx)
    baseline = time.perf_counter() - start
    return max(elapsed - baseline, 0.0) / len(probe) * 1e6


def run(rounds: int = 200, peer_rounds: int = 20, lookups: int = 200_000) -> dict[str, Any]:
    now = datetime.now(UTC).replace(microsecond=0)
    pki = make_pki(now)
    ds_signer = LocalSigner(pki.ds_key)
    chain = [pki.ds_cert.public_bytes(Encoding.DER)]
    namespaces = {NAMESPACE: elements()}
    trust = TrustStore([pki.iaca_cert])
    transcript = encoded24(dumps([None, None, ["bench", b"\x00" * 16]]))
    at = now + timedelta(minutes=1)

    def our_issue() -> bytes:
        issued = issue(
            doctype=DOCTYPE,
            namespaces=namespaces,
            device_key=pki.device_key.public_key(),
            signed=now,
            valid_from=now,
            valid_until=now + timedelta(days=365),
            cert_chain=chain,
            signer=ds_signer,
            random=os.urandom,
        )
        return DeviceResponse([Document(DOCTYPE, issued)]).encode()

    issued = issue(
        doctype=DOCTYPE,
        namespaces=namespaces,
        device_key=pki.device_key.public_key(),
        signed=now,
        valid_from=now,
        valid_until=now + timedelta(days=365),
        cert_chain=chain,
        signer=ds_signer,
        random=os.urandom,
    )
    presented = DeviceResponse(
        [present(issued, device_signer=LocalSigner(pki.device_key), session_transcript=transcript)]
    ).encode()

    def our_verify() -> None:
        report = verify_presentation(
            presented, trust=trust, now=at, session_transcript_bytes=transcript
        )
        if not report.valid or report.documents[0].device_auth != "ok":
            raise SystemExit(
                f"our verifier refused the benchmark mDL: {report.to_json()['errors']}"
            )

    # The floor signs and verifies what IssuerAuth signs: the MSO's Sig_structure.
    to_be_signed = sig_structure(
        issued.issuer_auth.protected_bytes, issued.issuer_auth.payload or b""
    )
    ds_public = pki.ds_key.public_key()
    raw_signature = pki.ds_key.sign(to_be_signed, _ECDSA)

    result: dict[str, Any] = {
        "elements": len(namespaces[NAMESPACE]),
        "presentation_bytes": len(presented),
        "raw_sign_us": median_us(lambda: pki.ds_key.sign(to_be_signed, _ECDSA), rounds),
        "raw_verify_us": median_us(
            lambda: ds_public.verify(raw_signature, to_be_signed, _ECDSA), rounds
        ),
        "issue_us": median_us(our_issue, rounds),
        "verify_us": median_us(our_verify, rounds),
    }
    result.update(_peer(pki, presented, peer_rounds))
    result["status_lookup_us"] = _status_lookup_us(lookups, seed=2026)
    return _with_ratios(result)


def _peer(pki: Any, presented: bytes, rounds: int) -> dict[str, Any]:
    """pymdoccbor on the same mDL (its logger is quietened: it logs every verification)."""
    import _pymdoccbor_peer as peer

    logging.getLogger("pymdoccbor").setLevel(logging.CRITICAL)
    issuer = peer.make_issuer(pki)
    theirs = peer.issue(issuer, pki, peer.issuer_input())
    if not peer.verify(theirs, pki) or not peer.verify(presented, pki):
        raise SystemExit("pymdoccbor refused the benchmark mDL")
    return {
        "pymdoccbor_issue_us": median_us_prepared(
            peer.issuer_input, lambda data: peer.issue(issuer, pki, data), rounds
        ),
        "pymdoccbor_verify_us": median_us(lambda: peer.verify(theirs, pki), rounds),
    }


def _with_ratios(r: dict[str, Any]) -> dict[str, Any]:
    verify_floor = 2 * r["raw_verify_us"]  # IssuerAuth + deviceSignature
    r["verify_floor_us"] = verify_floor
    r["verify_vs_floor"] = r["verify_us"] / verify_floor
    r["issue_vs_raw_sign"] = r["issue_us"] / r["raw_sign_us"]
    r["pymdoccbor_issue_vs_ours"] = r["pymdoccbor_issue_us"] / r["issue_us"]
    r["pymdoccbor_verify_vs_ours"] = r["pymdoccbor_verify_us"] / r["verify_us"]
    r["issue_per_s"] = 1e6 / r["issue_us"]
    r["verify_per_s"] = 1e6 / r["verify_us"]
    r["targets_met"] = {
        "verify_le_2x_floor": r["verify_vs_floor"] <= 2,
        "issue_le_3x_raw_sign": r["issue_vs_raw_sign"] <= 3,
        "issue_10x_pymdoccbor": r["pymdoccbor_issue_vs_ours"] >= 10,
        "verify_10x_pymdoccbor": r["pymdoccbor_verify_vs_ours"] >= 10,
        "status_lookup_under_1us": r["status_lookup_us"] < 1,
    }
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()}


def render(r: dict[str, Any]) -> None:
    table = Table(
        title=f"mDL issue and verify ({r['elements']} elements, 10 kB portrait; median µs)"
    )
    table.add_column("operation")
    table.add_column("µs", justify="right")
    table.add_column("compared with", justify="right")
    rows = [
        ("raw ES256 sign (cryptography)", r["raw_sign_us"], "floor"),
        ("raw ES256 verify (cryptography)", r["raw_verify_us"], "floor"),
        ("motorcred issue", r["issue_us"], f"{r['issue_vs_raw_sign']:.2f}× raw sign (≤ 3)"),
        (
            "motorcred verify (issuer + device sig.)",
            r["verify_us"],
            f"{r['verify_vs_floor']:.2f}× 2 raw verifies (≤ 2)",
        ),
        (
            "pymdoccbor issue",
            r["pymdoccbor_issue_us"],
            f"{r['pymdoccbor_issue_vs_ours']:.1f}× ours",
        ),
        (
            "pymdoccbor verify (no device auth)",
            r["pymdoccbor_verify_us"],
            f"{r['pymdoccbor_verify_vs_ours']:.1f}× ours",
        ),
        ("status-list lookup (1 M entries)", r["status_lookup_us"], "< 1 µs"),
    ]
    for name, value, note in rows:
        table.add_row(name, f"{value:,.1f}" if value >= 1 else f"{value:.3f}", note)
    console = Console()
    console.print(table)
    missed = [name for name, ok in r["targets_met"].items() if not ok]
    console.print("targets: " + ("[green]all met[/]" if not missed else f"[red]missed {missed}[/]"))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", dest="as_json", action="store_true", help="one JSON object")
    parser.add_argument("--rounds", type=int, default=200, help="timed calls per figure (ours)")
    parser.add_argument("--peer-rounds", type=int, default=20, help="timed calls for pymdoccbor")
    parser.add_argument("--lookups", type=int, default=200_000, help="status-list lookups")
    args = parser.parse_args(argv)
    result = run(args.rounds, args.peer_rounds, args.lookups)
    if args.as_json:
        print(json.dumps(result))
    else:
        render(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
