from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from motorcred.domain.rollout import city_code_of, parse_rollout_calendar
from motorcred.errors import InvalidInput, Refused

DOC: dict[str, Any] = {
    "defaults": {"edl_from": "2021-12-10", "evrc_from": "2022-12-02"},
    "cities": [
        {
            "code": "120100",
            "name": "天津市",
            "province": "天津市",
            "edl_from": "2021-06-01",
            "evrc_from": "2022-07-01",
        },
        {"code": "440300", "name": "深圳市", "province": "广东省", "edl_from": "2021-09-01"},
    ],
}


def test_city_codes_of_counties_and_municipalities() -> None:
    assert city_code_of("440106") == "440100"
    assert city_code_of("110105") == "110100"
    assert city_code_of("500235") == "500100"
    for bad in ("990100", "44010", "04010a", ""):
        with pytest.raises(InvalidInput) as err:
            city_code_of(bad)
        assert err.value.code == "CITY_UNKNOWN"


def test_listed_city_and_boundaries() -> None:
    cal = parse_rollout_calendar(DOC)
    assert not cal.edl_enabled("120101", date(2021, 5, 31))
    answer = cal.edl_enabled("120101", date(2021, 6, 1))
    assert answer and answer.city.name == "天津市" and answer.starts_on == date(2021, 6, 1)
    # A listed city without an e-VRC date takes the default.
    assert cal.city("440304").evrc_from == date(2022, 12, 2)


def test_unlisted_city_takes_the_nationwide_default() -> None:
    cal = parse_rollout_calendar(DOC)
    city = cal.city("451002")
    assert (city.code, city.province, city.edl_from) == (
        "451000",
        "广西壮族自治区",
        date(2021, 12, 10),
    )
    assert not cal.evrc_enabled("451002", date(2022, 12, 1))
    assert cal.evrc_enabled("451002", date(2022, 12, 2))


def test_refusal_names_the_start_date() -> None:
    cal = parse_rollout_calendar(DOC)
    with pytest.raises(Refused) as err:
        cal.require("edl", "440304", date(2021, 8, 31))
    assert err.value.code == "EDL_CITY_NOT_ENABLED"
    assert err.value.details == {"city": "440300", "starts_on": "2021-09-01"}
    assert "2021-09-01" in err.value.message
    assert cal.require("edl", "440304", date(2021, 9, 1)).code == "440300"
    with pytest.raises(Refused) as err:
        cal.require("evrc", "120100", date(2022, 6, 30))
    assert err.value.code == "EVRC_CITY_NOT_ENABLED"


def test_staff_edit_replaces_a_city() -> None:
    cal = parse_rollout_calendar(DOC)
    moved = cal.with_cities(
        [
            cal.city("440300").__class__(
                "440300", "深圳市", "广东省", date(2021, 6, 1), date(2022, 7, 1)
            )
        ]
    )
    assert moved.edl_enabled("440300", date(2021, 6, 1))
    assert not cal.edl_enabled("440300", date(2021, 6, 1))


@pytest.mark.parametrize(
    "change",
    [
        {"defaults": None},
        {"defaults": {"edl_from": "2021-12-10"}},
        {"cities": {}},
        {"cities": [{"code": "440301", "name": "x", "province": "广东省"}]},
        {"cities": [{"code": "440300", "name": "x", "province": "广西壮族自治区"}]},
        {"cities": [{"code": "440300", "name": "", "province": "广东省"}]},
        {
            "cities": [
                {"code": "440300", "name": "x", "province": "广东省", "edl_from": "2021-02-30"}
            ]
        },
        {"cities": [{"code": "440300", "name": "x", "province": "广东省"}] * 2},
    ],
)
def test_malformed_documents_are_refused(change: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_rollout_calendar({**DOC, **change})
    assert err.value.code in ("ROLLOUT_CALENDAR_INVALID", "CITY_UNKNOWN")
