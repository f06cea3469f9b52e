"""Vehicle identification number (VIN, GB 16735 / ISO 3779).

17 characters from 0-9 and A-Z without I, O and Q. Position 9 is a check
character: each character is transliterated to a number, weighted, summed and
taken mod 11 (10 is written X). GB 16735 makes the check character mandatory
for vehicles sold in China, as in North America.
"""

from __future__ import annotations

import re
from typing import Final

from motorcred.errors import InvalidInput

TRANSLITERATION: Final[dict[str, int]] = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
WEIGHTS: Final = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
CHECK_POSITION: Final = 8
"""Zero-based index of the check character (position 9)."""
ALPHABET: Final = "".join(TRANSLITERATION)
_SHAPE = re.compile(r"[0-9A-HJ-NPR-Z]{17}")


def normalise_vin(text: str) -> str:
    return text.strip().upper()


def check_character(vin: str) -> str:
    """The check character for a 17-character VIN (its own position 9 is ignored)."""
    if not _SHAPE.fullmatch(vin[:CHECK_POSITION] + "0" + vin[CHECK_POSITION + 1 :]):
        raise InvalidInput(
            "VIN_FORMAT",
            "a VIN has 17 characters from 0-9 and A-Z without I, O and Q",
            details={"field": "vin"},
        )
    total = sum(
        TRANSLITERATION[ch] * w
        for i, (ch, w) in enumerate(zip(vin, WEIGHTS, strict=True))
        if i != CHECK_POSITION
    )
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def with_check_character(vin: str) -> str:
    """``vin`` with position 9 replaced by its correct check character."""
    return vin[:CHECK_POSITION] + check_character(vin) + vin[CHECK_POSITION + 1 :]


def parse_vin(text: str, *, field: str = "vin") -> str:
    """The normalised VIN; raises ``VIN_FORMAT`` or ``VIN_CHECK_DIGIT`` naming ``field``."""
    vin = normalise_vin(text)
    if not _SHAPE.fullmatch(vin):
        bad = sorted({ch for ch in vin if ch not in TRANSLITERATION})
        raise InvalidInput(
            "VIN_FORMAT",
            "a VIN has 17 characters from 0-9 and A-Z without I, O and Q",
            details={"field": field, "length": len(vin), "bad_characters": bad},
        )
    expected = check_character(vin)
    if vin[CHECK_POSITION] != expected:
        raise InvalidInput(
            "VIN_CHECK_DIGIT",
            f"the VIN's check character (position 9) is {vin[CHECK_POSITION]!r} but should "
            f"be {expected!r}; a character is probably mistyped",
            details={"field": field},
        )
    return vin


def is_valid_vin(text: str) -> bool:
    try:
        parse_vin(text)
    except InvalidInput:
        return False
    return True
