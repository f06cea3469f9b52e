"""Benchmark: e-DL issuance throughput of the signing service, beside its floors.

Issues e-DLs end to end (status index, elements, MSO, IssuerAuth, sealed store,
supersede check) one by one and in batches, on SQLite or PostgreSQL, and
measures in the same run the two floors below it: the raw ES256 signature and
the mdoc issue (elements → signed IssuerSigned) without any database.

Run: ``python bench/issuance.py [--json] [--database URL] [--single N] [--batch N]
[--batch-size N]``. Without ``--database`` a temporary SQLite file is used; a
PostgreSQL URL gets a throw-away schema, dropped at the end.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cryptography.hazmat.primitives.asymmetric import ec
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text

from motorcred.adapters.db import migrate
from motorcred.adapters.db.engine import make_engine
from motorcred.bootstrap import build_container
from motorcred.config import Settings
from motorcred.domain.licence import DrivingLicence
from motorcred.domain.person import Person
from motorcred.formats.cose_keys import LocalSigner
from motorcred.formats.mdoc.doctypes import MDL_DOCTYPE
from motorcred.formats.mdoc.issuance import issue
from motorcred.formats.x509 import IssuerName, create_document_signer, create_iaca
from motorcred.services.credential_elements import edl_elements
from motorcred.services.issuance import EdlRequest, LicenceSubject

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
PORTRAIT = bytes(12 * 1024)  # the size of a compressed licence photo


@contextmanager
def _database(url: str | None) -> Iterator[str]:
    if not url or url.startswith("sqlite"):
        with tempfile.TemporaryDirectory() as directory:
            yield url or f"sqlite:///{Path(directory) / 'bench.db'}"
        return
    schema = f"bench_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def _subject(n: int) -> LicenceSubject:
    person = Person.create(id_number="11010519491231002X", name="欧阳小明", address="北京市西城区")
    licence = DrivingLicence.create(
        number=person.id_number,
        file_number="110100123456",
        class_grants={"C1": date(2014, 5, 1)},
        first_issue_date=date(2014, 5, 1),
        valid_from=date(2026, 5, 1),
        valid_until=date(2032, 5, 1),
        validity_years=6,
        issuing_authority_code="110000",
        issuing_authority_name="北京市公安局公安交通管理局",
    )
    return LicenceSubject(n, licence, person, PORTRAIT)


def _per_second(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def run(args: argparse.Namespace) -> dict[str, Any]:
    iaca_key, ds_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    start = datetime(2026, 1, 1, tzinfo=UTC)
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
    devices = [ec.generate_private_key(ec.SECP256R1()).public_key() for _ in range(16)]
    signer = LocalSigner(ds_key)
    rounds = max(args.batch, 50)

    t0 = time.perf_counter()
    for _ in range(rounds):
        signer.sign(b"x" * 512)
    raw_sign = _per_second(rounds, time.perf_counter() - t0)

    from cryptography.hazmat.primitives.serialization import Encoding

    chain = [ds.public_bytes(Encoding.DER)]
    subject = _subject(1)
    t0 = time.perf_counter()
    for n in range(rounds):
        issue(
            doctype=MDL_DOCTYPE,
            namespaces=edl_elements(
                subject.licence, subject.person, portrait=PORTRAIT, generated_at=NOW
            ),
            device_key=devices[n % 16],
            signed=NOW,
            valid_from=NOW,
            valid_until=NOW + timedelta(days=365),
            status={"status_list": {"idx": n, "uri": "https://s.invalid/1"}},
            cert_chain=chain,
            signer=signer,
            random=secrets.token_bytes,
        ).encode()
    mdoc_issue = _per_second(rounds, time.perf_counter() - t0)

    with _database(args.database) as url, tempfile.TemporaryDirectory() as data_dir:
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        settings = Settings(profile="test", database_url=url, data_dir=Path(data_dir))
        container = build_container(settings, clock=lambda: NOW)
        try:
            container.keystore.add_issuer(settings.keystore_issuer, iaca)
            container.keystore.add_document_signer(
                settings.keystore_issuer, "ds1", ds_key, ds, make_current=True
            )
            service = container.issuance
            t0 = time.perf_counter()
            for n in range(args.single):
                service.issue_edl(
                    account_id=None,
                    subject=_subject(n + 1),
                    device_key=devices[n % 16],
                    application_id=f"single-{n}",
                )
            single = _per_second(args.single, time.perf_counter() - t0)
            requests = [
                EdlRequest(None, _subject(100_000 + n), devices[n % 16], f"batch-{n}")
                for n in range(args.batch)
            ]
            t0 = time.perf_counter()
            for first in range(0, args.batch, args.batch_size):
                service.issue_edl_many(requests[first : first + args.batch_size])
            batch = _per_second(args.batch, time.perf_counter() - t0)
        finally:
            container.close()
    backend = "postgresql" if url.startswith("postgresql") else "sqlite"
    return {
        "database": backend,
        "single": args.single,
        "batch": args.batch,
        "batch_size": args.batch_size,
        "raw_sign_per_s": round(raw_sign, 1),
        "mdoc_issue_per_s": round(mdoc_issue, 1),
        "single_issue_per_s": round(single, 1),
        "batch_issue_per_s": round(batch, 1),
        "batch_vs_mdoc_issue": round(batch / mdoc_issue, 3),
        "batch_vs_single": round(batch / single, 2),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    parser.add_argument("--single", type=int, default=100, help="credentials issued one by one")
    parser.add_argument("--batch", type=int, default=2000, help="credentials issued in batches")
    parser.add_argument("--batch-size", type=int, default=500, help="credentials per batch")
    args = parser.parse_args(argv)
    result = run(args)
    if args.json:
        print(json.dumps(result))
        return 0
    table = Table(title=f"e-DL issuance on {result['database']}")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in result.items():
        table.add_row(key, str(value))
    Console().print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
