"""Repositories and unit of work on the database under test: round trips, lookups,
personal data sealed at rest, rollback on failure, conflicts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Engine, select, text

from motorcred.adapters.db.engine import sqlite_path
from motorcred.adapters.db.records import EventData, LicenceData, PersonData, VehicleData
from motorcred.adapters.db.tables import persons
from motorcred.adapters.db.uow import UnitOfWork
from motorcred.bootstrap import build_blind_index, build_cipher
from motorcred.config import Settings
from motorcred.errors import Conflict

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ID_NUMBER = "11010519491231002X"
NAME = "王小明"
PHONE = "13912345678"
ADDRESS = "北京市朝阳区建国路88号"

PERSON = PersonData(
    id_number=ID_NUMBER, name=NAME, sex="F", birth_date=date(1949, 12, 31),
    phone=PHONE, address=ADDRESS, city_code="110100",
)


def uow(engine: Engine) -> UnitOfWork:
    settings = Settings(profile="test")
    return UnitOfWork(engine, build_cipher(settings), build_blind_index(settings))


def licence_for(person_id: int) -> LicenceData:
    return LicenceData(
        person_id=person_id, number=ID_NUMBER, file_number="110100000001", classes="C1",
        status="A", points=0, first_issue_date=date(2010, 5, 1), valid_from=date(2022, 5, 1),
        valid_until=date(2032, 5, 1), issuing_authority="北京市公安局公安交通管理局",
        city_code="110100", class_grants={"C1": date(2010, 5, 1)}, state={"note": "x"},
    )


def test_person_round_trip_and_lookup(clean_db: Engine) -> None:
    with uow(clean_db) as u:
        pid = u.persons.add(PERSON, now=NOW)
        u.commit()
    with uow(clean_db) as u:
        got = u.persons.get_by_id_number("11010519491231002x")  # lower-case x normalised
        assert got is not None and got.id == pid and got.data == PERSON
        assert u.persons.get_by_id_number("110105194912310011") is None
        assert u.persons.is_unchanged(pid, PERSON)
        assert not u.persons.is_unchanged(pid, PersonData(**{**PERSON.__dict__, "phone": None}))


def test_licence_vehicle_event_round_trip(clean_db: Engine) -> None:
    with uow(clean_db) as u:
        pid = u.persons.add(PERSON, now=NOW)
        lid = u.licences.add(licence_for(pid), now=NOW)
        vid = u.vehicles.add(
            VehicleData(
                plate="京A12345", plate_type="02", vin="1M8GDM9AXKP042788", owner_id=pid,
                status="A", use_character="A", registration_date=date(2020, 1, 2),
                state={"brand": "红旗"},
            ),
            now=NOW,
        )
        e1 = u.events.append(
            EventData("licence", lid, "points_added", {"points": 3, "on": date(2026, 1, 1)},
                      NOW, "staff"),
            now=NOW,
        )
        e2 = u.events.append(EventData("licence", lid, "x", {}, NOW, "staff"), now=NOW)
        u.commit()
    assert (e1.seq, e2.seq) == (1, 2)
    with uow(clean_db) as u:
        lic = u.licences.get_by_number(ID_NUMBER)
        assert lic is not None and lic.id == lid and lic.data == licence_for(pid)
        veh = u.vehicles.get_by_plate("京A12345")
        assert veh is not None and veh.id == vid and veh.data.state == {"brand": "红旗"}
        assert u.vehicles.get_by_vin("1M8GDM9AXKP042788") is not None
        history = u.events.history("licence", lid)
        assert [e.seq for e in history] == [1, 2]
        assert history[0].data.payload == {"points": 3, "on": "2026-01-01"}


def test_pagination_is_keyset(clean_db: Engine) -> None:
    with uow(clean_db) as u:
        ids = u.persons.add_many(
            [PersonData(f"11010519900101{i:03d}0", f"n{i}", "M", date(1990, 1, 1))
             for i in range(7)],
            now=NOW,
        )
        u.commit()
    with uow(clean_db) as u:
        first = u.persons.list(limit=3)
        assert [p.id for p in first.items] == ids[:3] and first.next_after == ids[2]
        last = u.persons.list(after=ids[5], limit=3)
        assert [p.id for p in last.items] == ids[6:] and last.next_after is None


def test_uncommitted_work_rolls_back(clean_db: Engine) -> None:
    with uow(clean_db) as u:
        u.persons.add(PERSON, now=NOW)
        # no commit: leaving the block discards the write
    with pytest.raises(RuntimeError), uow(clean_db) as u:
        u.persons.add(PERSON, now=NOW)
        raise RuntimeError("boom")
    with uow(clean_db) as u:
        assert u.persons.count() == 0


def test_duplicate_natural_key_is_conflict(clean_db: Engine) -> None:
    with uow(clean_db) as u:
        u.persons.add(PERSON, now=NOW)
        u.commit()
    with pytest.raises(Conflict) as info, uow(clean_db) as u:
        u.persons.add(PERSON, now=NOW)
        u.commit()
    assert info.value.code == "RECORD_CONFLICT"


def _needles() -> list[str]:
    return [ID_NUMBER, ID_NUMBER[:17], NAME, PHONE, ADDRESS, "1949-12-31", "19491231"]


def test_pii_not_in_raw_rows(clean_db: Engine) -> None:
    with uow(clean_db) as u:
        pid = u.persons.add(PERSON, now=NOW)
        lid = u.licences.add(licence_for(pid), now=NOW)
        u.events.append(
            EventData("licence", lid, "address_changed", {"address": ADDRESS, "phone": PHONE},
                      NOW, "staff"),
            now=NOW,
        )
        u.commit()
    dump = []
    with clean_db.connect() as conn:
        for table in ("persons", "licences", "licence_classes", "registry_events"):
            for row in conn.execute(text(f"SELECT * FROM {table}")):
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        dump.append(bytes(value))
                    else:
                        dump.append(str(value).encode())
        assert conn.execute(select(persons.c.id)).scalar_one() == pid
    blob = b"\n".join(dump)
    for needle in _needles():
        assert needle.encode() not in blob, needle


@pytest.mark.sqlite_only
def test_pii_not_in_sqlite_file(clean_db: Engine) -> None:
    path = sqlite_path(clean_db.url)
    if path is None:
        pytest.skip("not an SQLite file database")
    with uow(clean_db) as u:
        u.persons.add(PERSON, now=NOW)
        u.commit()
    raw = path.read_bytes()
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        raw += wal.read_bytes()
    assert len(raw) > 0
    for needle in _needles():
        assert needle.encode() not in raw, needle
