"""CSV import on the database under test: bad rows rejected with line and code, good rows
kept, re-import changes nothing, clashes isolated; demo seeding; no PII in clear."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, func, select, text

from motorcred.adapters.db.tables import metadata, persons
from motorcred.bootstrap import Container, build_container, seed_demo_if_empty
from motorcred.config import Settings
from motorcred.errors import UsageError
from motorcred.services.demo_data import generate
from motorcred.services.registry_csv import DRIVER_COLUMNS, VEHICLE_COLUMNS

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
def container(clean_db: Engine, settings: Settings) -> Iterator[Container]:
    c = build_container(settings, clock=lambda: NOW)
    yield c
    c.close()


def to_csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def lines(text_: str) -> list[str]:
    return io.StringIO(text_, newline="").readlines()


def test_bad_rows_are_reported_and_good_rows_kept_then_reimport_is_a_no_op(
    container: Container, clean_db: Engine
) -> None:
    demo = generate(6, seed=11)
    drivers = [dict(r) for r in demo.drivers]
    drivers[1]["id_number"] = drivers[1]["id_number"][:17] + (
        "0" if drivers[1]["id_number"][17] != "0" else "1"
    )  # wrong check character
    drivers[2]["classes"] = "C1X"
    drivers[3]["birth_date"] = "1990-13-01"
    drivers.append(dict(drivers[0]))  # the same person twice
    report = container.registry_import.import_csv(lines(to_csv(DRIVER_COLUMNS, drivers)))
    assert (report.kind, report.rows, report.created) == ("drivers", 7, 3)
    assert [(r.line, r.code, r.field) for r in report.rejected] == [
        (3, "ID_CHECK_DIGIT", "id_number"),
        (4, "CLASS_UNKNOWN", "classes"),
        (5, "DATE_FORMAT", "birth_date"),
        (8, "IMPORT_DUPLICATE_ROW", None),
    ]
    assert all(r.reason for r in report.rejected)
    with clean_db.connect() as conn:
        counts = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                  for t in metadata.sorted_tables if t.name in ("persons", "licences")}  # fmt: skip
    assert counts == {"persons": 3, "licences": 3}

    again = container.registry_import.import_csv(lines(to_csv(DRIVER_COLUMNS, drivers)))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert again.rejected_count == 4

    drivers[0]["phone"] = "13800001111"
    changed = container.registry_import.import_csv(lines(to_csv(DRIVER_COLUMNS, drivers[:1])))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 0)
    assert container.registry.find(id_number=drivers[0]["id_number"]).person.person.phone == (
        "13800001111"
    )


def test_vehicles_need_a_registered_owner_and_a_free_plate(container: Container) -> None:
    demo = generate(12, seed=3)
    container.registry_import.import_rows("drivers", enumerate(demo.drivers[:2], start=2))
    owned = {r["id_number"] for r in demo.drivers[:2]}
    mine = [v for v in demo.vehicles if v["owner_id_number"] in owned][:2]
    others = [v for v in demo.vehicles if v["owner_id_number"] not in owned][:2]
    assert mine and len(others) == 2
    stolen_plate = dict(others[1]) | {"owner_id_number": mine[0]["owner_id_number"],
                                      "plate": mine[0]["plate"],
                                      "plate_type": mine[0]["plate_type"]}  # fmt: skip
    rows = [*mine, others[0], stolen_plate]
    report = container.registry_import.import_csv(lines(to_csv(VEHICLE_COLUMNS, rows)))
    assert report.created == len(mine)
    codes = {r.line: r.code for r in report.rejected}
    assert codes == {len(mine) + 2: "OWNER_NOT_FOUND", len(mine) + 3: "PLATE_TAKEN"}


def test_header_problems_are_usage_errors(container: Container) -> None:
    service = container.registry_import
    for content, code in (
        ("", "IMPORT_EMPTY"),
        ("foo,bar\n1,2\n", "IMPORT_HEADER_UNKNOWN"),
        ("id_number,name,sex\n", "IMPORT_COLUMN_MISSING"),
        ("id_number,name,sex,birth_date,colour\n", "IMPORT_COLUMN_UNKNOWN"),
        ("vin,vin\n", "IMPORT_COLUMN_DUPLICATE"),
    ):
        with pytest.raises(UsageError) as info:
            service.import_csv(lines(content))
        assert info.value.code == code


def test_ragged_and_blank_lines(container: Container) -> None:
    row = generate(1, seed=1).drivers[0]
    content = to_csv(DRIVER_COLUMNS, [row]) + "\n" + "only,three,cells\n"
    report = container.registry_import.import_csv(lines(content))
    assert report.created == 1
    assert [(r.line, r.code) for r in report.rejected] == [(4, "IMPORT_ROW_SHAPE")]


def test_demo_seed_is_deterministic_idempotent_and_sealed(
    container: Container, clean_db: Engine
) -> None:
    first = seed_demo_if_empty(container, drivers=40, seed=2026)
    assert first is not None
    assert first.drivers.created == 40 and first.drivers.rejected_count == 0
    assert first.vehicles.created == len(generate(40, 2026).vehicles)
    assert first.vehicles.rejected_count == 0
    assert seed_demo_if_empty(container, drivers=40, seed=2026) is None
    again = container.demo_seed.seed(40, 2026)
    assert again.drivers.unchanged == 40 and again.vehicles.unchanged == first.vehicles.created
    assert first.cities_changed > 30 and again.cities_changed == 0
    with container.unit_of_work() as uow:
        beijing = uow.cities.get("110100")
    assert beijing is not None and beijing.edl_from == date(2021, 9, 1)

    # No ID number, name, phone or address in clear anywhere in the database.
    demo = generate(40, 2026)
    secrets = [s for r in demo.drivers[:10] for s in (r["id_number"], r["name"], r["phone"],
                                                      r["address"])]  # fmt: skip
    with clean_db.connect() as conn:
        dump = []
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                for value in row:
                    dump.append(value.decode("latin-1") if isinstance(value, bytes) else str(value))
        blob = "\n".join(dump)
        raw_sqlite = b""
        if conn.dialect.name == "sqlite":
            path = conn.execute(text("PRAGMA database_list")).fetchall()[0][2]
            with open(path, "rb") as handle:
                raw_sqlite = handle.read()
        assert conn.execute(select(func.count()).select_from(persons)).scalar_one() == 40
    for secret in secrets:
        assert secret not in blob
        assert secret.encode("utf-8") not in raw_sqlite


def test_reimport_never_undoes_an_event(container: Container) -> None:
    rows = generate(3, seed=8).drivers
    content = to_csv(DRIVER_COLUMNS, rows)
    container.registry_import.import_csv(lines(content))
    entry = container.registry.find(id_number=rows[1]["id_number"])
    assert entry.licence is not None
    before = entry.licence.licence.points
    cycle_day = entry.licence.licence.cycle_start.isoformat()
    container.registry_events.record(
        "licence", entry.licence.id, "violation", {"on": cycle_day, "points": 2},
        recorded_by="staff",
    )  # fmt: skip
    again = container.registry_import.import_csv(lines(content))
    assert (again.unchanged, again.updated) == (2, 0)
    assert [(r.line, r.code) for r in again.rejected] == [(3, "IMPORT_RECORD_HAS_EVENTS")]
    licence = container.registry.get_licence(entry.licence.id).licence
    assert licence.points == before + 2
