"""Benchmark: photo intake per upload — safe decode, pre-check, and both together.

Uses the committed HEIC test portrait (tests/vectors/photo/portrait.heic, a real face)
and derives the uploads a phone sends: a 12 MP JPEG (3024 × 4032), a 2 MP JPEG and
the HEIC itself. Each figure is the median of individually timed calls on one core.
The target: peak 100 k photo submissions a day is 1.2 a second on average, so even a
10× burst fits one core when an upload costs well under 100 ms.

Run: ``python bench/photo.py [--json] [--rounds N]``.
"""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PIL import Image
from rich.console import Console
from rich.table import Table

from _timing import median_us
from motorcred.adapters.photo.decode import decode_photo
from motorcred.adapters.photo.precheck import precheck_photo

PORTRAIT = Path(__file__).resolve().parents[1] / "tests" / "vectors" / "photo" / "portrait.heic"
PEAK_PER_DAY = 100_000


def _jpeg(image: Image.Image, size: tuple[int, int], quality: int) -> bytes:
    out = io.BytesIO()
    image.resize(size, Image.Resampling.BICUBIC).save(out, format="JPEG", quality=quality)
    return out.getvalue()


def run(rounds: int = 20) -> dict[str, Any]:
    heic = PORTRAIT.read_bytes()
    portrait = decode_photo(heic).image
    uploads = {
        "jpeg_12mp": _jpeg(portrait, (3024, 4032), 88),
        "jpeg_2mp": _jpeg(portrait, (1200, 1745), 90),
        "heic": heic,
    }
    result: dict[str, Any] = {"rounds": rounds}
    for name, data in uploads.items():
        decoded = decode_photo(data)
        assert precheck_photo(decoded).passed, name
        result[f"{name}_bytes"] = len(data)
        result[f"{name}_decode_us"] = round(median_us(lambda d=data: decode_photo(d), rounds), 1)
        result[f"{name}_precheck_us"] = round(
            median_us(lambda p=decoded: precheck_photo(p), rounds), 1
        )
        result[f"{name}_total_us"] = round(
            median_us(lambda d=data: precheck_photo(decode_photo(d)), rounds), 1
        )
    worst = max(result[f"{name}_total_us"] for name in uploads)
    result["photos_per_s_one_core"] = round(1e6 / worst, 1)
    result["peak_average_per_s"] = round(PEAK_PER_DAY / 86_400, 2)
    result["headroom_over_peak_average"] = round(
        result["photos_per_s_one_core"] / result["peak_average_per_s"], 1
    )
    return result


def render(result: dict[str, Any]) -> None:
    table = Table(title=f"Photo intake per upload (median of {result['rounds']} runs, one core)")
    for column in ("upload", "size", "decode", "pre-check", "decode + pre-check"):
        table.add_column(column, justify="right" if column != "upload" else "left")
    for name, label in (
        ("jpeg_12mp", "JPEG 3024×4032"),
        ("jpeg_2mp", "JPEG 1200×1745"),
        ("heic", "HEIC 330×480"),
    ):
        table.add_row(
            label,
            f"{result[f'{name}_bytes'] / 1024:,.0f} KiB",
            f"{result[f'{name}_decode_us'] / 1000:,.1f} ms",
            f"{result[f'{name}_precheck_us'] / 1000:,.1f} ms",
            f"{result[f'{name}_total_us'] / 1000:,.1f} ms",
        )
    Console().print(table)
    Console().print(
        f"worst case {result['photos_per_s_one_core']:,} photos/s on one core; peak average "
        f"{result['peak_average_per_s']}/s (100 k a day) → {result['headroom_over_peak_average']}×"
        " headroom"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", dest="as_json", action="store_true", help="one JSON object")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    result = run(args.rounds)
    if args.as_json:
        print(json.dumps(result))
    else:
        render(result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
