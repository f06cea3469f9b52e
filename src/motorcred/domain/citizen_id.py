"""The 18-character resident identity number (居民身份证号码, GB 11643-1999).

Layout: 6-digit area code, birth date YYYYMMDD, 3-digit sequence (odd = male,
even = female), one check character computed with ISO 7064 MOD 11-2 over the
first 17 digits. The licence number of a citizen is this number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from motorcred.domain.provinces import province_of_area
from motorcred.errors import InvalidInput

Sex = Literal["M", "F"]

WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS: Final = "10X98765432"
"""Check character indexed by the weighted sum mod 11 (ISO 7064 MOD 11-2)."""

EARLIEST_BIRTH_YEAR: Final = 1800
"""The GB 11643 worked example is born in 1880; anything earlier is a typo."""
_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


@dataclass(frozen=True)
class CitizenId:
    """A validated identity number and what it encodes."""

    value: str
    area_code: str
    birth_date: date
    sequence: int
    sex: Sex

    def __str__(self) -> str:
        return self.value


def check_character(first17: str) -> str:
    """The check character for the first 17 digits of an identity number."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise InvalidInput(
            "ID_FORMAT",
            "the check character is computed over exactly 17 digits",
            details={"field": "id_number"},
        )
    total = sum(int(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def normalise_citizen_id(text: str) -> str:
    """Trim spaces and upper-case a trailing ``x`` (people type it either way)."""
    return text.strip().upper()


def parse_citizen_id(text: str, *, field: str = "id_number") -> CitizenId:
    """Validate an identity number; raises ``InvalidInput`` naming ``field``.

    Checks in order: shape (``ID_FORMAT``), check character (``ID_CHECK_DIGIT``),
    province prefix (``ID_AREA_CODE``), birth date (``ID_BIRTH_DATE``). The check
    character comes before the contents so that a typo is reported as a typo.
    """
    value = normalise_citizen_id(text)
    if not _SHAPE.fullmatch(value):
        raise InvalidInput(
            "ID_FORMAT",
            "an identity number has 17 digits followed by a digit or X",
            details={"field": field, "length": len(value)},
        )
    expected = check_character(value[:17])
    if value[17] != expected:
        raise InvalidInput(
            "ID_CHECK_DIGIT",
            f"the identity number's check character is {value[17]!r} but should be "
            f"{expected!r}; a digit is probably mistyped",
            details={"field": field},
        )
    area_code = value[:6]
    if province_of_area(area_code) is None:
        raise InvalidInput(
            "ID_AREA_CODE",
            f"the identity number starts with unknown province code {area_code[:2]}",
            details={"field": field},
        )
    birth = _birth_date(value[6:14])
    if birth is None:
        raise InvalidInput(
            "ID_BIRTH_DATE",
            f"the identity number holds an impossible birth date {value[6:14]}",
            details={"field": field},
        )
    sequence = int(value[14:17])
    return CitizenId(
        value=value,
        area_code=area_code,
        birth_date=birth,
        sequence=sequence,
        sex="M" if sequence % 2 == 1 else "F",
    )


def is_valid_citizen_id(text: str) -> bool:
    try:
        parse_citizen_id(text)
    except InvalidInput:
        return False
    return True


def make_citizen_id(area_code: str, birth_date: date, sequence: int) -> CitizenId:
    """Build a valid identity number from its parts (demo data, tests)."""
    if not (0 <= sequence <= 999):
        raise InvalidInput("ID_FORMAT", "the sequence is 3 digits", details={"field": "sequence"})
    first17 = f"{area_code}{birth_date:%Y%m%d}{sequence:03d}"
    return parse_citizen_id(first17 + check_character(first17))


def _birth_date(digits: str) -> date | None:
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    if year < EARLIEST_BIRTH_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
