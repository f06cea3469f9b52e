"""Benchmark: online codes (亮码) — create and check, by service call and through the API.

On a throw-away database (a temporary SQLite file, or a schema of the PostgreSQL
database given with ``--database-url``) holding a seeded demo registry, one issued
e-DL and a verifier organisation, measures per call:

* the service call that creates a code (random handle, stored digest, QR and
  Code 128 renderings) and the one that checks it (consume the code, live status,
  the role's masked view, audit-log append — one unit of work);
* the same two through the HTTP API in-process (FastAPI ``TestClient``, bearer
  tokens checked on every request);
* two floors measured in the same run: ``GET /api/v1/health`` through the same
  client (the cost of the HTTP stack itself) and the raw database round trip of one
  indexed SELECT plus one UPDATE on the online-code table in one transaction.

Reports median and p99 in µs, checks per second and the check-vs-floor ratios.

Run: ``python bench/online_check.py [--json] [--n N] [--drivers N] [--database-url URL]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from fastapi.testclient import TestClient
from rich.console import Console
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import select, update

from _db import temporary_database
from _timing import percentile, samples_us
from motorcred.adapters.db import migrate
from motorcred.adapters.db.engine import make_engine
from motorcred.adapters.db.verification_tables import online_codes
from motorcred.bootstrap import Container, build_container
from motorcred.config import Settings
from motorcred.entrypoints.api.app import create_app
from motorcred.formats.x509 import IssuerName, create_document_signer, create_iaca
from motorcred.services import accounts, verifiers
from motorcred.services import online_codes as codes
from motorcred.services.issuance import LicenceSubject
from motorcred.services.registry_mapping import stored_licence, stored_person
from motorcred.services.verifications import check_code
from motorcred.services.verifiers import VerifierPrincipal

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
PORTRAIT = bytes(12 * 1024)  # the size of a compressed licence photo
LOGIN, PASSWORD = "13800138000", "correct horse battery"


@dataclass(frozen=True)
class Scene:
    """What the checks need: a holder with an e-DL and a verifier allowed to check it."""

    container: Container
    holder_id: int
    holder_token: str
    credential_id: int
    principal: VerifierPrincipal
    verifier_key: str


def _install_pki(container: Container) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    iaca_key, ds_key = (ec.generate_private_key(ec.SECP256R1()) for _ in range(2))
    iaca = create_iaca(
        iaca_key,
        name=IssuerName("CN", "bench IACA"),
        not_before=start,
        not_after=start + timedelta(days=3650),
        serial_number=1,
        issuer_alt_name="https://iaca.motorcred.invalid",
    )
    ds = create_document_signer(
        ds_key.public_key(),
        iaca_cert=iaca,
        iaca_key=iaca_key,
        common_name="bench DS",
        not_before=start,
        not_after=start + timedelta(days=730),
        serial_number=2,
    )
    issuer = container.settings.keystore_issuer
    container.keystore.add_issuer(issuer, iaca)
    container.keystore.add_document_signer(issuer, "ds1", ds_key, ds, make_current=True)


def _set_scene(container: Container, drivers: int) -> Scene:
    """Seed the registry, bind a holder to its first licence, issue an e-DL, add a verifier."""
    container.demo_seed.seed(drivers, 2026)
    with container.unit_of_work() as uow:
        record = uow.licences.list(limit=1, status="A").items[0]
        licence = stored_licence(record)
        person_record = uow.persons.get(licence.person_id)
        assert person_record is not None
        person = stored_person(person_record).person
    account = accounts.sign_up(container, LOGIN, PASSWORD)
    with container.unit_of_work() as uow:
        uow.accounts.bind_person(account.id, licence.person_id, now=container.clock())
        uow.commit()
    session = accounts.log_in(container, LOGIN, PASSWORD)
    _install_pki(container)
    issued = container.issuance.issue_edl(
        account_id=account.id,
        subject=LicenceSubject(licence.id, licence.licence, person, PORTRAIT),
        device_key=ec.generate_private_key(ec.SECP256R1()).public_key(),
        application_id="bench-1",
    )
    org = verifiers.register_org(container, "bench rental", "rental", "ops@example.invalid")
    key = verifiers.issue_key(container, org.id, "api_key")
    principal = verifiers.authenticate(container, key.secret)
    return Scene(container, account.id, session.token, issued.id, principal, key.secret)


@contextmanager
def _scene(database_url: str | None, drivers: int) -> Iterator[Scene]:
    with temporary_database(database_url) as url, tempfile.TemporaryDirectory() as data_dir:
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        settings = Settings(
            profile="test",
            database_url=url,
            data_dir=Path(data_dir),
            # Cheap password hashing: the holder logs in once, outside every timed figure.
            argon2_memory_kib=8192,
            argon2_time_cost=1,
            status_list_size=4096,
        )
        container = build_container(settings, clock=lambda: NOW)
        try:
            yield _set_scene(container, drivers)
        finally:
            container.close()


def _figure(samples: list[float]) -> dict[str, float]:
    return {"median_us": statistics.median(samples), "p99_us": percentile(samples, 0.99)}


def _measure(scene: Scene, n: int, step: Callable[[], None]) -> dict[str, dict[str, float]]:
    container = scene.container
    client = TestClient(create_app(container.settings, container=container))
    holder = {"Authorization": f"Bearer {scene.holder_token}"}
    verifier = {"Authorization": f"Bearer {scene.verifier_key}"}
    service_codes: list[str] = []
    api_codes: list[str] = []

    def service_create(_: None) -> None:
        made = codes.create(container, scene.holder_id, scene.credential_id)
        service_codes.append(made.code)

    def service_check(code: str) -> None:
        if check_code(container, scene.principal, code)["status"] != "valid":
            raise SystemExit("the online check did not answer 'valid' for the bench e-DL")

    def api_create(_: None) -> None:
        path = f"/api/v1/credentials/{scene.credential_id}/online-code"
        response = client.post(path, headers=holder)
        if response.status_code != 201:
            raise SystemExit(f"POST {path} answered {response.status_code}: {response.text}")
        api_codes.append(response.json()["code"])

    def api_check(code: str) -> None:
        response = client.post("/api/v1/verifications", json={"code": code}, headers=verifier)
        if response.status_code != 200 or response.json()["status"] != "valid":
            raise SystemExit(f"POST /api/v1/verifications answered {response.text}")

    def api_health(_: None) -> None:
        if client.get("/api/v1/health").status_code != 200:
            raise SystemExit("GET /api/v1/health failed")

    digests: list[bytes] = []  # the service-created codes', for the raw round trip
    engine = container.engine

    def raw_round_trip(digest: bytes) -> None:
        with engine.begin() as conn:
            row_id = conn.execute(
                select(online_codes.c.id).where(online_codes.c.handle_hash == digest)
            ).scalar_one()
            conn.execute(
                update(online_codes).where(online_codes.c.id == row_id).values(used_at=NOW)
            )

    def nothing() -> None:
        return None

    def pop(queue: list[str]) -> Callable[[], str]:
        return lambda: queue.pop(0)

    def cycle() -> bytes:
        digest = digests.pop(0)
        digests.append(digest)
        return digest

    result: dict[str, dict[str, float]] = {}
    result["service_create"] = _figure(samples_us(nothing, service_create, n))
    digests.extend(codes.handle_digest(code) for code in service_codes)
    step()
    result["service_check"] = _figure(samples_us(pop(service_codes), service_check, n))
    step()
    result["api_create"] = _figure(samples_us(nothing, api_create, n))
    step()
    result["api_check"] = _figure(samples_us(pop(api_codes), api_check, n))
    step()
    result["api_health"] = _figure(samples_us(nothing, api_health, n))
    step()
    result["db_round_trip"] = _figure(samples_us(cycle, raw_round_trip, n))
    step()
    return result


PHASES = 6
LABELS = {
    "service_create": "create code (service)",
    "service_check": "check code (service)",
    "api_create": "create code (API)",
    "api_check": "check code (API)",
    "api_health": "floor: GET /health (API)",
    "db_round_trip": "floor: indexed SELECT + UPDATE",
}


def run(n: int = 500, drivers: int = 1000, database_url: str | None = None) -> dict[str, Any]:
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("seeding registry and issuing the e-DL", total=PHASES)
        with _scene(database_url, drivers) as scene:
            progress.update(task, description=f"timing {n} calls per figure")
            figures = _measure(scene, n, lambda: progress.advance(task))
            backend = scene.container.engine.dialect.name
    out: dict[str, Any] = {"database": backend, "n": n, "drivers": drivers}
    for name, figure in figures.items():
        out[f"{name}_median_us"] = figure["median_us"]
        out[f"{name}_p99_us"] = figure["p99_us"]
    out["service_check_per_s"] = 1e6 / out["service_check_median_us"]
    out["api_check_per_s"] = 1e6 / out["api_check_median_us"]
    out["api_check_vs_health"] = out["api_check_median_us"] / out["api_health_median_us"]
    out["service_check_vs_db_round_trip"] = (
        out["service_check_median_us"] / out["db_round_trip_median_us"]
    )
    out["api_overhead_vs_service_check"] = (
        out["api_check_median_us"] / out["service_check_median_us"]
    )
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in out.items()}


def render(r: dict[str, Any]) -> None:
    table = Table(
        title=f"Online code create and check on {r['database']} "
        f"({r['n']} calls each, {r['drivers']:,} drivers seeded)"
    )
    table.add_column("operation")
    table.add_column("median µs", justify="right")
    table.add_column("p99 µs", justify="right")
    table.add_column("per s", justify="right")
    for key, label in LABELS.items():
        median = r[f"{key}_median_us"]
        table.add_row(label, f"{median:,.0f}", f"{r[f'{key}_p99_us']:,.0f}", f"{1e6 / median:,.0f}")
    Console().print(table)
    Console().print(
        f"check via API = {r['api_check_vs_health']:.1f}× GET /health; "
        f"check via service = {r['service_check_vs_db_round_trip']:.1f}× the raw "
        f"SELECT + UPDATE; check via API = {r['api_overhead_vs_service_check']:.2f}× via service"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", dest="as_json", action="store_true", help="one JSON object")
    parser.add_argument("--n", type=int, default=500, help="timed calls per figure")
    parser.add_argument("--drivers", type=int, default=1000, help="demo drivers seeded")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    if args.n < 1 or args.drivers < 1:
        parser.error("--n and --drivers must be at least 1")
    result = run(args.n, args.drivers, args.database_url)
    if args.as_json:
        print(json.dumps(result))
    else:
        render(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
