from __future__ import annotations

from collections import Counter
from datetime import date

from motorcred.adapters.rollout_data import load_bundled_calendar
from motorcred.domain.provinces import PROVINCES

CAPITALS = {
    "110100",
    "120100",
    "310100",
    "500100",
    "130100",
    "140100",
    "150100",
    "210100",
    "220100",
    "230100",
    "320100",
    "330100",
    "340100",
    "350100",
    "360100",
    "370100",
    "410100",
    "420100",
    "430100",
    "440100",
    "450100",
    "460100",
    "510100",
    "520100",
    "530100",
    "540100",
    "610100",
    "620100",
    "630100",
    "640100",
    "650100",
}


def test_bundled_calendar_matches_the_reported_batches() -> None:
    cal = load_bundled_calendar()
    edl = Counter(c.edl_from for c in cal.cities.values())
    assert edl[date(2021, 6, 1)] == 3
    assert edl[date(2021, 9, 1)] == 28
    assert edl[date(2021, 10, 20)] == 110
    evrc = Counter(c.evrc_from for c in cal.cities.values())
    assert evrc[date(2022, 7, 1)] == 60
    assert set(evrc) <= {date(2022, 7, 1), date(2022, 11, 4), date(2022, 11, 18), date(2022, 12, 2)}
    assert cal.edl_default == date(2021, 12, 10)
    assert set(cal.cities) >= CAPITALS
    assert cal.sources and cal.assumptions


def test_pilots_and_first_batch() -> None:
    cal = load_bundled_calendar()
    assert {c.name for c in cal.cities.values() if c.edl_from == date(2021, 6, 1)} == {
        "天津市",
        "成都市",
        "苏州市",
    }
    assert cal.edl_enabled("110105", date(2021, 9, 1))
    assert not cal.edl_enabled("110105", date(2021, 8, 31))


def test_every_mainland_province_has_a_city_and_everywhere_is_enabled_nationwide() -> None:
    cal = load_bundled_calendar()
    provinces = {c.code[:2] for c in cal.cities.values()}
    assert {p.code for p in PROVINCES if p.plate_abbreviation} <= provinces
    assert all(cal.edl_enabled(code, date(2021, 12, 10)) for code in cal.cities)
    assert all(cal.evrc_enabled(code, date(2022, 12, 2)) for code in cal.cities)
