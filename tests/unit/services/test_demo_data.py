"""Demo data: deterministic per seed, valid by the domain's own rules, realistic mix."""

from __future__ import annotations

from collections import Counter
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.domain.citizen_id import parse_citizen_id
from motorcred.domain.classes import closure, parse_classes
from motorcred.domain.codes import LICENCE_STATUS, VEHICLE_STATUS
from motorcred.domain.plates import validate_plate
from motorcred.domain.provinces import BY_PLATE_ABBREVIATION, province_of_area
from motorcred.domain.vin import parse_vin
from motorcred.services.demo_data import REFERENCE_DAY, generate
from motorcred.services.registry_csv import DRIVER_COLUMNS, VEHICLE_COLUMNS


def test_same_seed_same_rows_other_seed_other_rows() -> None:
    assert generate(50, seed=2026) == generate(50, seed=2026)
    assert generate(50, seed=2026).drivers != generate(50, seed=2027).drivers


def test_rows_use_exactly_the_import_columns() -> None:
    demo = generate(40, seed=1)
    assert all(set(r) == set(DRIVER_COLUMNS) for r in demo.drivers)
    assert all(set(r) == set(VEHICLE_COLUMNS) for r in demo.vehicles)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_every_row_passes_the_domain_checks(seed: int) -> None:
    demo = generate(30, seed=seed)
    ids = {r["id_number"] for r in demo.drivers}
    assert len(ids) == len(demo.drivers)
    assert len({r["file_number"] for r in demo.drivers}) == len(demo.drivers)
    for row in demo.drivers:
        citizen = parse_citizen_id(row["id_number"])
        assert citizen.sex == row["sex"]
        assert citizen.birth_date.isoformat() == row["birth_date"]
        assert row["id_number"][:4] == row["city_code"][:4]
        assert len(row["file_number"]) == 12 and row["file_number"][:4] == row["city_code"][:4]
        parse_classes(row["classes"])
        LICENCE_STATUS.parse(row["status"])
        assert row["first_issue_date"] <= row["valid_from"]
    for row in demo.vehicles:
        plate, _ = validate_plate(row["plate"], row["plate_type"])
        parse_vin(row["vin"])
        VEHICLE_STATUS.parse(row["status"])
        assert row["owner_id_number"] in ids
        # the plate's province is the province of the registering city
        province = province_of_area(row["city_code"])
        assert province is not None and BY_PLATE_ABBREVIATION[plate[0]] == province
    assert len({r["plate"] for r in demo.vehicles}) == len(demo.vehicles)


def test_a_realistic_mix_of_classes_states_and_vehicles() -> None:
    demo = generate(400, seed=2026)
    classes = Counter(r["classes"] for r in demo.drivers)
    small_car = classes["C1"] + classes["C2"]
    assert small_car > 0.6 * len(demo.drivers)
    assert any(c[:1] in "AB" for c in classes)
    assert any("E" in c or "D" in c for c in classes)
    statuses = Counter(r["status"] for r in demo.drivers)
    for code in ("D", "B", "M"):  # suspended, over points, renewal overdue (expired)
        assert statuses[code] > 0, code
    assert statuses["A"] > 0.8 * len(demo.drivers)
    for row in demo.drivers:
        if row["status"] == "B":
            assert int(row["points"]) >= 12
        if row["status"] == "M":
            assert date.fromisoformat(row["valid_until"]) < REFERENCE_DAY
    overdue_exam = [
        r
        for r in demo.drivers
        if r["medical_exam_due"] and date.fromisoformat(r["medical_exam_due"]) < REFERENCE_DAY
    ]
    assert overdue_exam
    assert any(r["mortgaged"] == "yes" for r in demo.vehicles)
    assert any(
        date.fromisoformat(r["inspection_valid_until"]) < REFERENCE_DAY and r["status"] == "Q"
        for r in demo.vehicles
    )
    assert {"52", "02"} <= {r["plate_type"] for r in demo.vehicles}


def test_owners_may_drive_their_vehicles() -> None:
    demo = generate(200, seed=5)
    classes = {r["id_number"]: closure(parse_classes(r["classes"])) for r in demo.drivers}
    for v in demo.vehicles:
        held = classes[v["owner_id_number"]]
        if v["plate_type"] == "07":
            assert "E" in held
        elif v["plate_type"] in ("02", "52"):
            assert "C2" in held or "C1" in held
        else:
            assert held & {"A1", "A2", "A3", "B1", "B2"}
