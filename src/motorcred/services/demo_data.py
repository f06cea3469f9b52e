"""Deterministic synthetic registry data for the demo profile and for tests.

``generate(drivers=N, seed=S)`` returns the rows of a drivers file and a
vehicles file in the layout of :mod:`motorcred.services.registry_csv`, so the
demo data goes through exactly the validation and storage path of a real
import. The same seed always gives the same rows: dates are computed from a
fixed reference day (not from the clock) and randomness comes from one
``random.Random(seed)``.

What makes it realistic: valid ID and VIN check characters, the real plate
prefixes of each city, a class mix dominated by C1/C2 with some A/B
professional drivers and motorcyclists, about one licence in ten suspended,
expired, over the points limit or overdue for its medical exam, vehicles with
mortgages and overdue inspections, and new-energy plates on electric cars.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final, TypeVar

from motorcred.domain.citizen_id import make_citizen_id
from motorcred.domain.classes import CLASSES, closure, parse_classes
from motorcred.domain.dates import add_years
from motorcred.domain.vin import with_check_character
from motorcred.services.demo_cities import DEMO_CITIES, DemoCity
from motorcred.services.demo_names import GIVEN_FEMALE, GIVEN_MALE, SURNAMES

REFERENCE_DAY: Final = date(2026, 11, 1)
"""'Today' of the generated world; fixed so a seed always yields the same rows."""

Row = dict[str, str]
T = TypeVar("T")

# (classes as stored, added classes granted after the first licence, weight)
_CLASS_MIX: Final[tuple[tuple[str, tuple[str, ...], int], ...]] = (
    ("C1", (), 560),
    ("C2", (), 170),
    ("C1E", ("E",), 50),
    ("C1D", ("D",), 20),
    ("E", (), 25),
    ("F", (), 10),
    ("B2", (), 45),
    ("A2", ("A2",), 25),
    ("A2E", ("A2", "E"), 10),
    ("A1", ("A1",), 20),
    ("B1", ("B1",), 15),
    ("A3", (), 10),
    ("C5", (), 5),
    ("C1C6", ("C6",), 10),
)

# (brand, model, WMI, vehicle type, plate type, use character, seats, mass kg, class needed,
#  weight among the models the owner may drive)
_MODELS: Final[tuple[tuple[str, str, str, str, str, str, int, int, str, int], ...]] = (
    ("大众", "朗逸", "LSV", "K33", "02", "A", 5, 1750, "C2", 90),
    ("丰田", "卡罗拉", "LVG", "K33", "02", "A", 5, 1720, "C2", 60),
    ("本田", "雅阁", "LHG", "K33", "02", "A", 5, 1950, "C2", 50),
    ("日产", "轩逸", "LGB", "K33", "02", "A", 5, 1700, "C2", 50),
    ("吉利", "帝豪", "L6T", "K33", "02", "A", 5, 1700, "C2", 40),
    ("长安", "CS75", "LS5", "K31", "02", "A", 5, 2000, "C2", 35),
    ("哈弗", "H6", "LGW", "K31", "02", "A", 5, 2050, "C2", 40),
    ("比亚迪", "秦PLUS", "LGX", "K33", "52", "A", 5, 1930, "C2", 55),
    ("特斯拉", "Model 3", "LRW", "K33", "52", "A", 5, 2100, "C2", 30),
    ("五菱", "宏光MINI EV", "LZW", "K33", "52", "A", 4, 1000, "C2", 25),
    ("比亚迪", "e5", "LGX", "K33", "52", "D", 5, 2000, "C2", 12),
    ("大众", "桑塔纳", "LSV", "K33", "02", "D", 5, 1650, "C1", 10),
    ("丰田", "凯美瑞", "LVG", "K33", "02", "G", 5, 2000, "C2", 8),
    ("解放", "J6P", "LFW", "Q11", "01", "F", 2, 25000, "A2", 200),
    ("东风", "天龙", "LGA", "H11", "01", "F", 2, 18000, "B2", 200),
    ("宇通", "ZK6122", "LZY", "K11", "01", "B", 53, 18000, "A1", 200),
    ("比亚迪", "K8", "LGX", "K11", "51", "C", 70, 18000, "A3", 200),
    ("豪爵", "USR125", "LC6", "M21", "07", "A", 2, 300, "E", 60),
    ("五羊-本田", "CBF190R", "LWB", "M21", "07", "A", 2, 330, "E", 40),
)
_YEAR_CODES: Final = "ABCDEFGHJKLMNPRSTVWXY123456789"
"""Model-year character for 2010, 2011… (then 2031 on cycles to 1..9)."""
_VIN_BODY: Final = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
_PLATE_TAIL: Final = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass
class DemoRegistry:
    drivers: list[Row] = field(default_factory=list)
    vehicles: list[Row] = field(default_factory=list)


def _weighted(rng: random.Random, items: tuple[T, ...], weights: list[int]) -> T:
    return rng.choices(items, weights=weights, k=1)[0]


class _Generator:
    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.used_ids: set[str] = set()
        self.used_plates: set[str] = set()
        self.used_file_numbers: set[str] = set()

    # ------------------------------------------------------------------ people

    def city(self) -> DemoCity:
        return _weighted(self.rng, DEMO_CITIES, [c.weight for c in DEMO_CITIES])

    def name(self, sex: str) -> str:
        surname = _weighted(self.rng, tuple(s for s, _ in SURNAMES), [w for _, w in SURNAMES])
        pool = GIVEN_MALE if sex == "M" else GIVEN_FEMALE
        size = 1 if self.rng.random() < 0.3 else 2
        return surname + "".join(self.rng.choice(pool) for _ in range(size))

    def person(self, city: DemoCity, min_age: int) -> Row:
        rng = self.rng
        while True:
            age_days = rng.randint(min_age * 366, 75 * 365)
            birth = self.today - timedelta(days=age_days)
            sex = rng.choice("MF")
            sequence = rng.randrange(0, 500) * 2 + (1 if sex == "M" else 0)
            area = city.code[:4] + rng.choice(city.districts)
            citizen = make_citizen_id(area, birth, sequence)
            if citizen.value not in self.used_ids:
                self.used_ids.add(citizen.value)
                break
        street = rng.choice(("建设路", "人民路", "解放路", "中山路", "和平街", "新华路", "长江路"))
        return {
            "id_number": citizen.value,
            "name": self.name(sex),
            "sex": sex,
            "birth_date": birth.isoformat(),
            "nationality": "CHN",
            "phone": "1" + rng.choice("35789") + "".join(rng.choices("0123456789", k=9)),
            "address": f"{city.name}{street}{rng.randint(1, 999)}号{rng.randint(1, 30)}栋",
            "city_code": city.code,
        }

    # ------------------------------------------------------------------ licences

    def file_number(self, city: DemoCity) -> str:
        """12 digits: the city's 4-digit area prefix and an 8-digit serial."""
        while True:
            number = f"{city.code[:4]}{self.rng.randrange(10**8):08d}"
            if number not in self.used_file_numbers:
                self.used_file_numbers.add(number)
                return number

    def licence(self, person: Row, city: DemoCity, classes: str, added: tuple[str, ...]) -> Row:
        rng = self.rng
        birth = date.fromisoformat(person["birth_date"])
        earliest = add_years(birth, 18 + rng.randint(0, 6))
        span = max((self.today - earliest).days - 60, 1)
        first_issue = earliest + timedelta(days=rng.randint(0, span))
        class_dates = []
        for code in added:
            min_age = CLASSES[code].min_age
            start = max(add_years(birth, min_age), first_issue + timedelta(days=400))
            room = (self.today - start).days
            if room <= 30:
                start, room = first_issue, 1  # too young for an added class: granted at once
            class_dates.append(
                f"{code}={(start + timedelta(days=rng.randint(0, room))).isoformat()}"
            )
        row = person | {
            "file_number": self.file_number(city),
            "classes": classes,
            "class_dates": " ".join(class_dates),
            "first_issue_date": first_issue.isoformat(),
            "status": "A",
            "points": "0",
            "issuing_authority": city.authority,
            "issuing_authority_code": city.authority_code,
            "medical_exam_due": "",
        }
        self._validity(row, first_issue)
        self._condition(row, birth, classes)
        return row

    def _validity(self, row: Row, first_issue: date) -> None:
        """6 years, then 10, then long-term; about one licence in thirty left expired."""
        valid_from: date = first_issue
        valid_until: date | None = add_years(first_issue, 6)
        step: int | None = 10
        while valid_until is not None and valid_until < self.today:
            valid_from = valid_until
            valid_until = add_years(valid_until, step) if step else None
            step = None
        if self.rng.random() < 0.05:
            lapsed = self.today - timedelta(days=self.rng.randint(10, 600))
            start = add_years(lapsed, -6 if valid_from == first_issue else -10)
            if start >= first_issue:
                valid_from, valid_until = start, lapsed
                row["status"] = "M"  # renewal overdue
        row["valid_from"] = valid_from.isoformat()
        row["valid_until"] = "" if valid_until is None else valid_until.isoformat()

    def _condition(self, row: Row, birth: date, classes: str) -> None:
        rng = self.rng
        large = any(CLASSES[c].large_vehicle for c in parse_classes(classes))
        old = (self.today - birth).days >= 70 * 365
        if large or old:
            due = self.today + timedelta(days=rng.randint(20, 360))
            if rng.random() < 0.15:
                due = self.today - timedelta(days=rng.randint(10, 300))  # overdue exam
            row["medical_exam_due"] = due.isoformat()
        roll = rng.random()
        if row["status"] != "A":
            return
        if roll < 0.04:
            row["status"] = "D"  # suspended
            row["points"] = str(rng.randint(0, 9))
        elif roll < 0.065:
            row["status"] = "B"  # over the 12-point limit
            row["points"] = str(rng.choice((12, 12, 14, 15, 18)))
        elif roll < 0.09:
            row["status"] = "H"  # unprocessed violation
            row["points"] = str(rng.choice((3, 6, 9)))
        elif roll < 0.35:
            row["points"] = str(rng.choice((1, 2, 3, 3, 6, 6, 9)))

    # ------------------------------------------------------------------ vehicles

    def vin(self, wmi: str, year: int) -> str:
        rng = self.rng
        body = "".join(rng.choice(_VIN_BODY) for _ in range(5))
        year_code = _YEAR_CODES[(year - 2010) % len(_YEAR_CODES)]
        serial = "".join(rng.choices("0123456789", k=6))
        return with_check_character(f"{wmi}{body}0{year_code}{rng.choice(_VIN_BODY)}{serial}")

    def plate(self, city: DemoCity, plate_type: str) -> str:
        rng = self.rng
        while True:
            prefix = city.plate_prefix + rng.choice(city.plate_letters)
            digits = "".join(rng.choices("0123456789", k=4))
            if plate_type == "52":
                tail = rng.choice("DF") + rng.choice(_PLATE_TAIL) + digits
            elif plate_type == "51":
                tail = rng.choice("0123456789") + digits + rng.choice("DF")
            else:
                tail = "".join(rng.choices(_PLATE_TAIL, k=2)) + digits[1:]
            if prefix + tail not in self.used_plates:
                self.used_plates.add(prefix + tail)
                return prefix + tail

    def vehicle(self, owner: Row, city: DemoCity) -> Row | None:
        """A vehicle the owner may drive, or ``None`` when no demo model fits (C5, F)."""
        rng = self.rng
        allowed = closure(parse_classes(owner["classes"]))
        models = tuple(m for m in _MODELS if m[8] in allowed)
        if not models:
            return None
        brand, model, wmi, vtype, ptype, use, seats, mass, _, _ = _weighted(
            rng, models, [m[9] for m in models]
        )
        registered = self.today - timedelta(days=rng.randint(30, 16 * 365))
        certificate = registered
        if rng.random() < 0.2:  # re-issued certificate (transfer, replacement)
            certificate = registered + timedelta(
                days=rng.randint(1, (self.today - registered).days)
            )
        status = "A"
        inspection = self._inspection(registered, vtype, use)
        if inspection < self.today:
            status = "Q"
        elif rng.random() < 0.03:
            status = "G"  # unprocessed violation
        return {
            "plate": self.plate(city, ptype),
            "plate_type": ptype,
            "vin": self.vin(wmi, registered.year),
            "owner_id_number": owner["id_number"],
            "use_character": use,
            "registration_date": registered.isoformat(),
            "vehicle_type": vtype,
            "brand": brand,
            "model": model,
            "engine_number": "".join(rng.choices(_VIN_BODY, k=rng.choice((8, 9, 10)))),
            "certificate_issue_date": certificate.isoformat(),
            "inspection_valid_until": inspection.isoformat(),
            "status": status,
            "seats": str(seats),
            "gross_mass_kg": str(mass),
            "kerb_mass_kg": "",
            "rated_load_kg": "",
            "mortgaged": "yes" if rng.random() < 0.12 else "no",
            "city_code": city.code,
        }

    def _inspection(self, registered: date, vtype: str, use: str) -> date:
        """End of the month the mark runs to; about one vehicle in fifteen is overdue."""
        rng = self.rng
        if rng.random() < 0.07:
            due = self.today - timedelta(days=rng.randint(15, 400))
        else:
            due = self.today + timedelta(days=rng.randint(15, 700 if vtype == "K33" else 360))
        month_end = date(due.year + due.month // 12, due.month % 12 + 1, 1) - timedelta(days=1)
        return max(month_end, registered)


def generate(drivers: int, seed: int, *, today: date = REFERENCE_DAY) -> DemoRegistry:
    """``drivers`` people with licences (and about 0.7 vehicles each), the same for a seed."""
    gen = _Generator(seed, today)
    out = DemoRegistry()
    mix_weights = [w for *_, w in _CLASS_MIX]
    for _ in range(drivers):
        city = gen.city()
        classes, added, _w = _weighted(gen.rng, _CLASS_MIX, mix_weights)
        min_age = max(CLASSES[c].min_age for c in parse_classes(classes)) + 1
        person = gen.person(city, min_age)
        driver = gen.licence(person, city, classes, added)
        out.drivers.append(driver)
        owned = gen.rng.choices((0, 1, 2), weights=(35, 55, 10), k=1)[0]
        for _ in range(owned):
            vehicle = gen.vehicle(driver, city)
            if vehicle is not None:
                out.vehicles.append(vehicle)
    return out
