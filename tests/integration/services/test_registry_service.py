"""Registry services on the database under test: create/read/correct, search, events,
history, idempotency and optimistic concurrency."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from registry_fixtures import ID_NUMBER, OTHER_ID, VIN, licence, person, services, vehicle
from sqlalchemy import Engine, func, select

from motorcred.adapters.db.tables import persons, registry_events
from motorcred.bootstrap import Container, build_container
from motorcred.config import Settings
from motorcred.errors import Conflict, InvalidInput, NotFound


@pytest.fixture
def container(clean_db: Engine, settings: Settings) -> Iterator[Container]:
    c = build_container(settings)
    yield c
    c.close()


def test_create_read_and_repeat_a_person(container: Container) -> None:
    registry, _ = services(container)
    first = registry.create_person(person(), city_code="110100")
    assert first.created and first.record.version == 1
    again = registry.create_person(person(), city_code="110100")
    assert not again.created and again.record.id == first.record.id
    assert registry.get_person(first.record.id).person == person()
    with pytest.raises(Conflict) as info:
        registry.create_person(person(name="李四"))
    assert info.value.code == "PERSON_EXISTS"
    with pytest.raises(NotFound) as missing:
        registry.get_person(first.record.id + 1000)
    assert missing.value.code == "PERSON_NOT_FOUND"


def test_idempotency_key_replays_and_refuses_reuse(container: Container) -> None:
    registry, _ = services(container)
    first = registry.create_person(person(), idempotency_key="k-1")
    replay = registry.create_person(person(), idempotency_key="k-1")
    assert replay.record.id == first.record.id and not replay.created
    with pytest.raises(Conflict) as info:
        registry.create_person(person(OTHER_ID), idempotency_key="k-1")
    assert info.value.code == "IDEMPOTENCY_KEY_REUSED"


def test_licence_and_vehicle_round_trip_and_search(container: Container) -> None:
    registry, _ = services(container)
    pid = registry.create_person(person()).record.id
    lic = registry.create_licence(pid, licence(), city_code="110100").record
    assert lic.licence == licence() and lic.person_id == pid
    veh = registry.create_vehicle(vehicle(), city_code="110100").record
    assert veh.vehicle == vehicle() and veh.owner_id == pid
    for key in (
        {"id_number": ID_NUMBER.lower()},
        {"licence_number": ID_NUMBER},
        {"plate": "京A·12345"},
        {"vin": VIN.lower()},
    ):
        entry = registry.find(**key)
        assert entry.person.id == pid
        assert entry.licence is not None and entry.licence.id == lic.id
        assert [v.id for v in entry.vehicles] == [veh.id]
    with pytest.raises(NotFound) as info:
        registry.find(plate="京B99999")
    assert info.value.code == "VEHICLE_NOT_FOUND"
    with pytest.raises(InvalidInput):
        registry.find(plate="京A12345", vin=VIN)


def test_licence_must_belong_to_its_holder(container: Container) -> None:
    registry, _ = services(container)
    pid = registry.create_person(person()).record.id
    with pytest.raises(InvalidInput) as info:
        registry.create_licence(pid, licence(OTHER_ID))
    assert info.value.code == "LICENCE_NUMBER_MISMATCH"
    with pytest.raises(NotFound) as owner:
        registry.create_vehicle(vehicle(OTHER_ID))
    assert owner.value.code == "OWNER_NOT_FOUND"


def test_corrections_check_the_version_and_keep_acts_for_events(container: Container) -> None:
    registry, _ = services(container)
    pid = registry.create_person(person()).record.id
    updated = registry.update_person(pid, {"phone": "13800000000"}, expected_version=1)
    assert updated.version == 2 and updated.person.phone == "13800000000"
    with pytest.raises(Conflict) as stale:
        registry.update_person(pid, {"phone": "13700000000"}, expected_version=1)
    assert stale.value.code == "RECORD_CONFLICT"
    with pytest.raises(InvalidInput) as act:
        registry.update_person(pid, {"birth_date": date(1950, 1, 1)})
    assert act.value.code == "FIELD_NOT_CORRECTABLE"
    with pytest.raises(InvalidInput) as bad:
        registry.update_person(pid, {"phone": "12345"})
    assert bad.value.code == "PHONE_FORMAT"
    unchanged = registry.update_person(pid, {"phone": "13800000000"})
    assert unchanged.version == 2


def test_events_derive_the_record_and_build_its_history(container: Container) -> None:
    registry, events = services(container)
    pid = registry.create_person(person()).record.id
    lid = registry.create_licence(pid, licence()).record.id
    first = events.record("licence", lid, "violation", {"on": "2026-03-01", "points": 6},
                          recorded_by="staff", expected_version=1)  # fmt: skip
    assert first.record.version == 2
    assert first.record.licence.points == 6  # type: ignore[union-attr]
    second = events.record("licence", lid, "violation", {"on": "2026-03-05", "points": 6},
                           recorded_by="staff")  # fmt: skip
    licence_now = second.record.licence  # type: ignore[union-attr]
    assert licence_now.points == 12 and {"B", "U"} <= licence_now.status
    assert registry.get_licence(lid).licence == licence_now
    history = events.history("licence", lid)
    assert [(h.seq, h.event_type, h.on) for h in history] == [
        (1, "violation", date(2026, 3, 1)),
        (2, "violation", date(2026, 3, 5)),
    ]
    with pytest.raises(Conflict) as stale:
        events.record("licence", lid, "points_cleared", {"on": "2026-04-01"},
                      recorded_by="staff", expected_version=1)  # fmt: skip
    assert stale.value.code == "RECORD_CONFLICT"


def test_refused_event_writes_nothing(container: Container, clean_db: Engine) -> None:
    registry, events = services(container)
    pid = registry.create_person(person()).record.id
    lid = registry.create_licence(pid, licence()).record.id
    with pytest.raises(InvalidInput) as info:
        events.record("licence", lid, "points_cleared", {"on": "2026-04-01"}, recorded_by="s")
    assert info.value.code == "EVENT_NOT_APPLICABLE"
    with pytest.raises(InvalidInput) as unknown:
        events.record("licence", lid, "teleported", {"on": "2026-04-01"}, recorded_by="s")
    assert unknown.value.code == "EVENT_TYPE_UNKNOWN"
    with pytest.raises(InvalidInput) as future:
        events.record("licence", lid, "violation", {"on": "2026-11-24", "points": 3},
                      recorded_by="s")  # fmt: skip
    assert (future.value.code, future.value.details["field"]) == ("EVENT_IN_FUTURE", "on")
    with pytest.raises(InvalidInput) as wrong_kind:
        events.record("licence", lid, "mortgaged", {"on": "2026-04-01"}, recorded_by="s")
    assert wrong_kind.value.code == "EVENT_NOT_APPLICABLE"
    with clean_db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(registry_events)).scalar_one() == 0
    assert registry.get_licence(lid).version == 1


def test_vehicle_transfer_and_person_address_change(container: Container) -> None:
    registry, events = services(container)
    seller = registry.create_person(person()).record.id
    buyer = registry.create_person(person(OTHER_ID, name="陈大文")).record.id
    vid = registry.create_vehicle(vehicle()).record.id
    with pytest.raises(NotFound):
        events.record("vehicle", vid, "ownership_transferred",
                      {"on": "2026-05-01", "new_owner_id_number": "110105194912310011"},
                      recorded_by="s")  # fmt: skip
    moved = events.record("vehicle", vid, "ownership_transferred",
                          {"on": "2026-05-01", "new_owner_id_number": OTHER_ID,
                           "new_plate": "粤AD12345", "new_plate_type": "52"},
                          recorded_by="s", idempotency_key="t-1")  # fmt: skip
    assert moved.record.owner_id == buyer  # type: ignore[union-attr]
    assert moved.record.vehicle.plate == "粤AD12345"  # type: ignore[union-attr]
    again = events.record("vehicle", vid, "ownership_transferred",
                          {"on": "2026-05-01", "new_owner_id_number": OTHER_ID,
                           "new_plate": "粤AD12345", "new_plate_type": "52"},
                          recorded_by="s", idempotency_key="t-1")  # fmt: skip
    assert again.replayed and again.entry.seq == 1
    assert registry.find(plate="粤AD12345").person.id == buyer
    assert registry.find(id_number=ID_NUMBER).vehicles == []
    changed = events.record("person", seller, "address_changed",
                            {"on": "2026-06-01", "address": "北京市海淀区中关村大街1号"},
                            recorded_by="s")  # fmt: skip
    assert changed.record.person.address == "北京市海淀区中关村大街1号"  # type: ignore[union-attr]
    assert [h.event_type for h in events.history("person", seller)] == ["address_changed"]


def test_personal_data_is_sealed_in_the_database(container: Container, clean_db: Engine) -> None:
    registry, events = services(container)
    pid = registry.create_person(person()).record.id
    events.record(
        "person",
        pid,
        "address_changed",
        {"on": "2026-06-01", "address": "北京市海淀区中关村大街1号"},
        recorded_by="s",
    )
    with clean_db.connect() as conn:
        rows = [tuple(r) for r in conn.execute(select(persons))]
        rows += [tuple(r) for r in conn.execute(select(registry_events))]
    dump = repr(rows).encode() + b"".join(v for r in rows for v in r if isinstance(v, bytes))
    for secret in (ID_NUMBER, "王小明", "13912345678", "中关村"):
        assert secret.encode() not in dump
        assert secret not in repr(rows)
