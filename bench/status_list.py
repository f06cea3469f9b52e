"""Benchmark: a national-scale token status list — build, compress, sign, decode, look up.

Builds a list of 10 M entries (default 2 bits: VALID / INVALID / SUSPENDED),
marks 1 % of them invalid and 0.1 % suspended at random indices, compresses it
the way it is published (ZLIB, level 9), inflates it again as a verifier does
(bounded decoder), wraps it in a signed Status List Token (CWT) and verifies
that, and times a single-index lookup, both the checked
``StatusList.get`` and the bare ``status_at`` on the raw bytes.

Run: ``python bench/status_list.py [--json] [--entries N] [--bits B] [--lookups N]``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from rich.console import Console
from rich.table import Table

from motorcred.formats.cose import LocalSigner
from motorcred.formats.status_list import (
    StatusList,
    StatusType,
    build_status_list_token,
    decode_status_list_token,
    status_at,
)

URI = "https://status.motorcred.example/lists/1"
ISSUED = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def _once(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return (time.perf_counter() - start) * 1e6, value


def _per_call_us(fn: Callable[[int], int], indices: Sequence[int]) -> float:
    """Mean time of ``fn(idx)`` over ``indices``, loop overhead subtracted."""
    start = time.perf_counter()
    for idx in indices:
        fn(idx)
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    for idx in indices:
        int(idx)
    baseline = time.perf_counter() - start
    return max(elapsed - baseline, 0.0) / len(indices) * 1e6


def run(
    entries: int = 10_000_000,
    bits: int = 2,
    lookups: int = 1_000_000,
    invalid_rate: float = 0.01,
    suspended_rate: float = 0.001,
    seed: int = 2026,
) -> dict[str, Any]:
    rng = random.Random(seed)
    n_invalid = int(entries * invalid_rate)
    n_suspended = int(entries * suspended_rate) if bits >= 2 else 0
    marked = rng.sample(range(entries), n_invalid + n_suspended)

    def build() -> StatusList:
        sl = StatusList(entries, bits)
        sl.set_many(marked[:n_invalid], StatusType.INVALID)
        sl.set_many(marked[n_invalid:], StatusType.SUSPENDED)
        return sl

    build_us, status_list = _once(build)
    compress_us, lst = _once(status_list.compressed)
    decompress_us, decoded = _once(lambda: StatusList.from_compressed(lst, bits, max_size=entries))
    assert decoded.to_bytes() == status_list.to_bytes()

    probe = [rng.randrange(entries) for _ in range(max(lookups, 1))]
    lookup_us = _per_call_us(decoded.get, probe)
    raw = decoded.to_bytes()
    bare_us = _per_call_us(lambda idx: status_at(raw, bits, idx), probe)
    for idx in marked[:100]:
        assert decoded.get(idx) != StatusType.VALID

    # The published form: a signed CWT around the compressed list (sign + verify + inflate).
    key = ec.derive_private_key(0x57A7_0001, ec.SECP256R1())
    token_build_us, token = _once(
        lambda: build_status_list_token(
            status_list,
            uri=URI,
            issued_at=ISSUED,
            expires_at=ISSUED + timedelta(days=1),
            ttl=3600,
            signer=LocalSigner(key),
            kid=b"status-signer-1",
        )
    )
    token_decode_us, verified = _once(
        lambda: decode_status_list_token(
            token,
            now=ISSUED + timedelta(minutes=1),
            expected_uri=URI,
            verify_key=key.public_key(),
            max_size=entries,
        )
    )
    assert verified.get(marked[0]) == StatusType.INVALID

    return {
        "entries": entries,
        "bits": bits,
        "marked_entries": len(marked),
        "raw_bytes": len(raw),
        "compressed_bytes": len(lst),
        "build_us": round(build_us, 1),
        "compress_us": round(compress_us, 1),
        "decompress_us": round(decompress_us, 1),
        "token_bytes": len(token),
        "token_build_us": round(token_build_us, 1),
        "token_decode_us": round(token_decode_us, 1),
        "status_lookup_us": round(lookup_us, 4),
        "status_at_us": round(bare_us, 4),
        "status_lookup_per_s": round(1 / lookup_us * 1e6) if lookup_us else None,
        "compression_ratio": round(len(raw) / len(lst), 2),
    }


def render(result: dict[str, Any]) -> None:
    table = Table(
        title=f"Token status list: {result['entries']:,} entries x {result['bits']} bit(s)"
    )
    table.add_column("figure")
    table.add_column("value", justify="right")
    rows = [
        ("entries marked invalid/suspended", f"{result['marked_entries']:,}"),
        ("raw / compressed size", f"{result['raw_bytes']:,} B / {result['compressed_bytes']:,} B"),
        ("build (allocate + mark)", f"{result['build_us'] / 1000:,.1f} ms"),
        ("compress (ZLIB level 9)", f"{result['compress_us'] / 1000:,.1f} ms"),
        ("decompress (bounded)", f"{result['decompress_us'] / 1000:,.1f} ms"),
        ("signed CWT size", f"{result['token_bytes']:,} B"),
        ("build signed CWT (compress + sign)", f"{result['token_build_us'] / 1000:,.1f} ms"),
        ("decode CWT (verify + inflate)", f"{result['token_decode_us'] / 1000:,.1f} ms"),
        ("lookup StatusList.get", f"{result['status_lookup_us'] * 1000:,.0f} ns"),
        ("lookup status_at (raw bytes)", f"{result['status_at_us'] * 1000:,.0f} ns"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    Console().print(table)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", dest="as_json", action="store_true", help="one JSON object")
    parser.add_argument("--entries", type=int, default=10_000_000)
    parser.add_argument("--bits", type=int, default=2, choices=[1, 2, 4, 8])
    parser.add_argument("--lookups", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    result = run(args.entries, args.bits, args.lookups, seed=args.seed)
    if args.as_json:
        print(json.dumps(result))
    else:
        render(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
