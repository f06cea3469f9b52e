"""The rollout calendar: from which date each city offers the e-DL and the e-VRC.

An application from a city not yet enabled is refused with the city's start
date. The calendar is data (``motorcred/data/cities.json``, read by
``adapters/rollout_data.py``); this module parses and queries it. Cities that
are not listed take the nationwide defaults, so a county-level area code from
any known province resolves to its city.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, NoReturn

from motorcred.domain.provinces import BY_CODE
from motorcred.errors import InvalidInput, Refused

Credential = Literal["edl", "evrc"]
MUNICIPALITIES = frozenset({"11", "12", "31", "50"})
_CITY_CODE = re.compile(r"[1-9][0-9]{5}")


@dataclass(frozen=True)
class City:
    code: str
    """6-digit GB/T 2260 code of the city (XXXX00; municipalities XX0100)."""
    name: str
    province: str
    edl_from: date
    evrc_from: date

    def starts(self, credential: Credential) -> date:
        return self.edl_from if credential == "edl" else self.evrc_from


@dataclass(frozen=True)
class Availability:
    """Answer to "is the credential offered in this city on this day?"."""

    enabled: bool
    city: City
    starts_on: date

    def __bool__(self) -> bool:
        return self.enabled


@dataclass(frozen=True)
class RolloutCalendar:
    cities: Mapping[str, City]
    edl_default: date
    evrc_default: date
    sources: tuple[str, ...] = field(default=())
    assumptions: tuple[str, ...] = field(default=())

    def city(self, area_code: str) -> City:
        """The city of a city or county area code; unlisted cities get the defaults."""
        code = city_code_of(area_code)
        listed = self.cities.get(code)
        if listed is not None:
            return listed
        province = BY_CODE[code[:2]]
        return City(
            code, f"{province.name_zh}{code}", province.name_zh, self.edl_default, self.evrc_default
        )

    def availability(self, credential: Credential, area_code: str, on: date) -> Availability:
        city = self.city(area_code)
        start = city.starts(credential)
        return Availability(enabled=on >= start, city=city, starts_on=start)

    def edl_enabled(self, area_code: str, on: date) -> Availability:
        return self.availability("edl", area_code, on)

    def evrc_enabled(self, area_code: str, on: date) -> Availability:
        return self.availability("evrc", area_code, on)

    def require(self, credential: Credential, area_code: str, on: date) -> City:
        """The city if enabled; otherwise ``Refused`` naming the city and its start date."""
        answer = self.availability(credential, area_code, on)
        if not answer.enabled:
            what = (
                "electronic driving licence"
                if credential == "edl"
                else ("electronic vehicle registration")
            )
            raise Refused(
                f"{credential.upper()}_CITY_NOT_ENABLED",
                f"the {what} is offered in {answer.city.name} from "
                f"{answer.starts_on.isoformat()}; apply on or after that date",
                details={"city": answer.city.code, "starts_on": answer.starts_on.isoformat()},
            )
        return answer.city

    def with_cities(self, cities: Iterable[City]) -> RolloutCalendar:
        """A calendar with these cities added or replaced (staff edits of the calendar)."""
        merged = dict(self.cities)
        merged.update({c.code: c for c in cities})
        return RolloutCalendar(
            merged, self.edl_default, self.evrc_default, self.sources, self.assumptions
        )


def city_code_of(area_code: str) -> str:
    """City code of a 6-digit city or county code (440106 → 440100, 110105 → 110100)."""
    code = area_code.strip()
    if not _CITY_CODE.fullmatch(code) or code[:2] not in BY_CODE:
        raise InvalidInput(
            "CITY_UNKNOWN",
            f"{area_code!r} is not a 6-digit area code of a known province",
            details={"field": "city", "value": area_code},
        )
    if code[:2] in MUNICIPALITIES:
        return code[:2] + "0100"
    return code[:4] + "00"


def parse_rollout_calendar(document: Mapping[str, Any]) -> RolloutCalendar:
    """Build the calendar from the JSON document (see ``data/cities.json``); strict."""
    defaults = _mapping(document.get("defaults"), "defaults")
    edl_default = _date(defaults.get("edl_from"), "defaults.edl_from")
    evrc_default = _date(defaults.get("evrc_from"), "defaults.evrc_from")
    cities: dict[str, City] = {}
    for index, raw in enumerate(_list(document.get("cities"), "cities")):
        where = f"cities[{index}]"
        entry = _mapping(raw, where)
        code = entry.get("code")
        if not isinstance(code, str) or city_code_of(code) != code:
            _invalid(f"{where}.code must be a 6-digit city code (XXXX00)")
        if code in cities:
            _invalid(f"{where}: city {code} is listed twice")
        name, province = entry.get("name"), entry.get("province")
        if not isinstance(name, str) or not name or not isinstance(province, str):
            _invalid(f"{where} needs a name and a province")
        if province != BY_CODE[code[:2]].name_zh:
            _invalid(f"{where}: {name} is not in {province}")
        edl = _date(entry.get("edl_from", defaults.get("edl_from")), f"{where}.edl_from")
        evrc = _date(entry.get("evrc_from", defaults.get("evrc_from")), f"{where}.evrc_from")
        cities[code] = City(code, name, province, edl, evrc)
    return RolloutCalendar(
        cities,
        edl_default,
        evrc_default,
        tuple(str(s) for s in _list(document.get("sources", []), "sources")),
        tuple(str(s) for s in _list(document.get("assumptions", []), "assumptions")),
    )


def _invalid(message: str) -> NoReturn:
    raise InvalidInput("ROLLOUT_CALENDAR_INVALID", message, details={"field": "cities"})


def _date(value: Any, where: str) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    _invalid(f"{where} must be an ISO date")


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        _invalid(f"{where} must be an object")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        _invalid(f"{where} must be a list")
    return value
