"""Plate numbers (号牌号码) and plate types (号牌种类, GA 24.7 codes).

A plate number opens with the province abbreviation and the letter of the
issuing authority, then carries a tail whose shape depends on the plate type:
five characters on ordinary plates, six on new-energy plates (small: D/F… first,
large: D/F last), four plus a marker character on coach, trailer, police and
similar plates. Each plate type lists the shapes it may carry, so a new-energy
number must go with type 51 or 52 and the other way round.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from motorcred.domain.provinces import PLATE_ABBREVIATIONS
from motorcred.errors import InvalidInput

_LETTER = "A-HJ-NP-Z"  # A-Z without I and O, which read as 1 and 0
_ALNUM = f"0-9{_LETTER}"
_PREFIX = f"[{PLATE_ABBREVIATIONS}][{_LETTER}]"

PLATE_SHAPES: Final[dict[str, re.Pattern[str]]] = {
    "ordinary": re.compile(f"{_PREFIX}[{_ALNUM}]{{5}}"),
    # Small new-energy: energy letter (D electric, F other; more letters were added as
    # D/F numbers ran out), one alphanumeric, four digits: 粤BD12345.
    "new_energy_small": re.compile(f"{_PREFIX}[DFABCEGHJK][{_ALNUM}][0-9]{{4}}"),
    # Large new-energy: five digits, energy letter last: 粤B12345D.
    "new_energy_large": re.compile(f"{_PREFIX}[0-9]{{5}}[DF]"),
    "coach": re.compile(f"{_PREFIX}[{_ALNUM}]{{4}}学"),
    "trailer": re.compile(f"{_PREFIX}[{_ALNUM}]{{4}}挂"),
    "police": re.compile(f"{_PREFIX}[{_ALNUM}]{{4}}警"),
    "trial": re.compile(f"{_PREFIX}[{_ALNUM}]{{4}}试"),
    "consulate": re.compile(f"{_PREFIX}[0-9]{{4}}领"),
    # Embassy plates carry no province: 使 + 3-digit mission code + 3 digits.
    "embassy": re.compile("使[0-9]{6}"),
    "hong_kong": re.compile(f"粤Z[{_ALNUM}]{{4}}港"),
    "macao": re.compile(f"粤Z[{_ALNUM}]{{4}}澳"),
}


@dataclass(frozen=True)
class PlateType:
    code: str
    name_zh: str
    name_en: str
    shapes: tuple[str, ...]
    """Plate-number shapes this type may carry; empty = not registrable here."""

    @property
    def is_new_energy(self) -> bool:
        return any(s.startswith("new_energy") for s in self.shapes)


def _t(code: str, zh: str, en: str, *shapes: str) -> PlateType:
    return PlateType(code, zh, en, shapes)


PLATE_TYPES: Final[dict[str, PlateType]] = {
    t.code: t
    for t in (
        _t("01", "大型汽车", "large vehicle", "ordinary"),
        _t("02", "小型汽车", "small vehicle", "ordinary"),
        _t("03", "使馆汽车", "embassy vehicle", "embassy"),
        _t("04", "领馆汽车", "consulate vehicle", "consulate"),
        _t("05", "境外汽车", "non-mainland vehicle", "ordinary"),
        _t("06", "外籍汽车", "foreign-owned vehicle", "ordinary"),
        _t("07", "普通摩托车", "motorcycle", "ordinary"),
        _t("08", "轻便摩托车", "moped", "ordinary"),
        _t("09", "使馆摩托车", "embassy motorcycle", "embassy"),
        _t("10", "领馆摩托车", "consulate motorcycle", "consulate"),
        _t("11", "境外摩托车", "non-mainland motorcycle", "ordinary"),
        _t("12", "外籍摩托车", "foreign-owned motorcycle", "ordinary"),
        _t("13", "低速车", "low-speed vehicle", "ordinary"),
        _t("14", "拖拉机", "tractor", "ordinary"),
        _t("15", "挂车", "trailer", "trailer"),
        _t("16", "教练汽车", "driving-school car", "coach"),
        _t("17", "教练摩托车", "driving-school motorcycle", "coach"),
        _t("18", "试验汽车", "test vehicle", "trial"),
        _t("19", "试验摩托车", "test motorcycle", "trial"),
        _t("20", "临时入境汽车", "temporary-entry vehicle", "ordinary"),
        _t("21", "临时入境摩托车", "temporary-entry motorcycle", "ordinary"),
        _t("22", "临时行驶车", "temporary-movement vehicle", "ordinary"),
        _t("23", "警用汽车", "police vehicle", "police"),
        _t("24", "警用摩托", "police motorcycle", "police"),
        _t("25", "原农机号牌", "former farm-machinery plate", "ordinary"),
        _t("26", "香港入出境车", "Hong Kong cross-border vehicle", "hong_kong"),
        _t("27", "澳门入出境车", "Macao cross-border vehicle", "macao"),
        # Armed-police and military plates are issued outside the traffic administration;
        # 41-43 are enforcement codes for a vehicle with no, a false or a borrowed plate.
        _t("31", "武警号牌", "armed-police plate"),
        _t("32", "军队号牌", "military plate"),
        _t("41", "无号牌", "no plate"),
        _t("42", "假号牌", "false plate"),
        _t("43", "挪用号牌", "misused plate"),
        _t("51", "大型新能源汽车", "large new-energy vehicle", "new_energy_large"),
        _t("52", "小型新能源汽车", "small new-energy vehicle", "new_energy_small"),
        _t("99", "其他号牌", "other plate"),
    )
}


def normalise_plate(text: str) -> str:
    """Upper-case and drop the separators people write (京A·12345, 京A 12345)."""
    return re.sub(r"[\s·•.\-]", "", text).upper()


def plate_shapes(number: str) -> list[str]:
    """Names of the shapes ``number`` matches (several may match, e.g. 粤BD12345)."""
    return [name for name, pattern in PLATE_SHAPES.items() if pattern.fullmatch(number)]


def plate_type(code: str, *, field: str = "plate_type") -> PlateType:
    found = PLATE_TYPES.get(code.strip())
    if found is None:
        raise InvalidInput(
            "PLATE_TYPE_UNKNOWN",
            f"unknown plate type code {code!r} (expected a two-digit GA 24.7 code such as 02)",
            details={"field": field, "value": code},
        )
    return found


def parse_plate(number: str, *, field: str = "plate") -> str:
    """The normalised plate number if it has any known shape, else ``PLATE_FORMAT``."""
    value = normalise_plate(number)
    if not plate_shapes(value):
        raise InvalidInput(
            "PLATE_FORMAT",
            f"{number!r} is not a plate number: expected a province abbreviation, an "
            "authority letter and five characters (京A12345), or a new-energy number "
            "(粤BD12345, 粤B12345D)",
            details={"field": field, "value": number},
        )
    return value


def validate_plate(number: str, type_code: str, *, field: str = "plate") -> tuple[str, PlateType]:
    """Check the number's shape and that it goes with the plate type.

    Returns the normalised number and the type. ``PLATE_TYPE_MISMATCH`` when the
    shape is valid but belongs to another type (a new-energy number on type 02).
    """
    kind = plate_type(type_code)
    value = parse_plate(number, field=field)
    shapes = plate_shapes(value)
    if not set(shapes) & set(kind.shapes):
        expected = ", ".join(kind.shapes) or "none (not registrable)"
        raise InvalidInput(
            "PLATE_TYPE_MISMATCH",
            f"plate {value} ({', '.join(shapes)}) does not go with plate type "
            f"{kind.code} {kind.name_zh} (expects: {expected})",
            details={"field": field, "plate_type": kind.code, "shapes": shapes},
        )
    return value, kind
