"""Benchmark: bulk registry import (CSV rows → validated, sealed, stored records).

Imports N demo drivers (person + licence) and their vehicles into a fresh SQLite
file, then imports the same rows again (the no-op re-import), and compares the
cost per driver row with a floor measured in the same run: the cryptography
every driver row needs at least (sealing its personal fields and licence number
with AES-GCM, two blind-index lookups and the keyed content hashes). The ratio
says how much the import spends beyond that floor (validation, SQL, Python).

Run: ``python bench/registry_import.py [--json] [--drivers N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from motorcred.bootstrap import build_container, upgrade_database
from motorcred.config import Settings
from motorcred.services.demo_data import generate
from motorcred.services.registry_csv import parse_driver

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def _seconds(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def run(drivers: int = 2000, seed: int = 2026) -> dict[str, Any]:
    demo = generate(drivers, seed)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(profile="test", data_dir=Path(tmp), database_url="")
        upgrade_database(settings)
        container = build_container(settings, clock=lambda: NOW)
        service = container.registry_import
        try:
            first_s, first = _seconds(
                lambda: service.import_rows("drivers", enumerate(demo.drivers, start=2))
            )
            vehicles_s, vehicles = _seconds(
                lambda: service.import_rows("vehicles", enumerate(demo.vehicles, start=2))
            )
            again_s, again = _seconds(
                lambda: service.import_rows("drivers", enumerate(demo.drivers, start=2))
            )
            floor_s = _floor_seconds(container, demo.drivers)
        finally:
            container.close()
    if first.created != drivers or again.unchanged != drivers:
        raise RuntimeError(f"import incomplete: {first.to_dict()} / {again.to_dict()}")
    per_driver_us = first_s / drivers * 1e6
    floor_us = floor_s / drivers * 1e6
    return {
        "drivers": drivers,
        "vehicles": vehicles.created,
        "import_driver_us": per_driver_us,
        "import_drivers_per_s": drivers / first_s,
        "import_vehicle_us": vehicles_s / max(vehicles.created, 1) * 1e6,
        "import_vehicles_per_s": vehicles.created / vehicles_s if vehicles_s else 0.0,
        "reimport_driver_us": again_s / drivers * 1e6,
        "reimport_drivers_per_s": drivers / again_s,
        "floor_driver_us": floor_us,
        "import_vs_floor": per_driver_us / floor_us,
        "reimport_vs_import": again_s / first_s,
    }


def _floor_seconds(container: Any, rows: Sequence[dict[str, str]]) -> float:
    """The sealing and hashing each driver row needs, without validation or SQL."""
    parsed = [parse_driver(r, as_of=NOW.date()) for r in rows]
    cipher, index = container.cipher, container.blind_index
    start = time.perf_counter()
    for row in parsed:
        p = row.person
        for value, column in (
            (p.id_number, "persons.id_number"),
            (p.name, "persons.name"),
            (p.birth_date.isoformat(), "persons.birth_date"),
            (p.phone or "", "persons.phone"),
            (p.address or "", "persons.address"),
            (p.id_number, "licences.number"),
        ):
            cipher.encrypt(value, context=column)
        index.digest(p.id_number, kind="id_number")
        index.digest(p.id_number, kind="licence_number")
        index.mac(repr(p).encode(), kind="content:person")
        index.mac(repr(row.licence).encode(), kind="content:licence")
    return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--drivers", type=int, default=2000, help="drivers to import")
    parser.add_argument("--seed", type=int, default=2026, help="demo data seed")
    args = parser.parse_args(argv)
    result = run(args.drivers, args.seed)
    if args.json:
        print(json.dumps(result))
        return 0
    table = Table(title=f"Registry import, {result['drivers']} drivers on SQLite")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_row("first import, per driver row", f"{result['import_driver_us']:.0f} µs")
    table.add_row("  drivers per second", f"{result['import_drivers_per_s']:.0f}")
    table.add_row("vehicle rows, per row", f"{result['import_vehicle_us']:.0f} µs")
    table.add_row("re-import (no change), per row", f"{result['reimport_driver_us']:.0f} µs")
    table.add_row("floor: sealing + hashing, per row", f"{result['floor_driver_us']:.0f} µs")
    table.add_row("import ÷ floor", f"{result['import_vs_floor']:.1f}×")
    table.add_row("re-import ÷ import", f"{result['reimport_vs_import']:.2f}")
    Console().print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
