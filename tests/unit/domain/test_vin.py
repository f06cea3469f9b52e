from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motorcred.domain.vin import (
    ALPHABET,
    CHECK_POSITION,
    TRANSLITERATION,
    check_character,
    is_valid_vin,
    parse_vin,
    with_check_character,
)
from motorcred.errors import InvalidInput


@pytest.mark.parametrize(
    ("vin", "check"),
    [
        ("1M8GDM9AXKP042788", "X"),  # DOMAIN.md / NHTSA worked example
        ("UU6JA69691D713820", "9"),
        ("11111111111111111", "1"),
        ("1HGCM82633A004352", "3"),
    ],
)
def test_published_examples(vin: str, check: str) -> None:
    assert check_character(vin) == check
    assert parse_vin(vin.lower()) == vin


@pytest.mark.parametrize(
    ("vin", "code"),
    [
        ("1M8GDM9AXKP04278", "VIN_FORMAT"),
        ("1M8GDM9AXKP0427888", "VIN_FORMAT"),
        ("1M8GDM9AXKP04278I", "VIN_FORMAT"),
        ("1M8GDM9AXKP04278O", "VIN_FORMAT"),
        ("QM8GDM9AXKP042788", "VIN_FORMAT"),
        ("1M8GDM9A-KP042788", "VIN_FORMAT"),
        ("1M8GDM9A9KP042788", "VIN_CHECK_DIGIT"),
        ("1M8GDM9AXKP042789", "VIN_CHECK_DIGIT"),
        ("UU6JA69691D713821", "VIN_CHECK_DIGIT"),
    ],
)
def test_invalid_vins_are_refused(vin: str, code: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_vin(vin, field="vehicle.vin")
    assert err.value.code == code
    assert err.value.details["field"] == "vehicle.vin"


def test_format_error_names_the_bad_characters() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_vin("1M8GDM9AXKP04278Q")
    assert err.value.details["bad_characters"] == ["Q"]


vins = st.text(alphabet=ALPHABET, min_size=17, max_size=17).map(with_check_character)


@given(vins)
def test_generated_vins_validate(vin: str) -> None:
    assert parse_vin(vin) == vin


@given(vins, st.integers(0, 16), st.sampled_from(ALPHABET + "IOQ"))
def test_single_character_change_is_detected_or_indistinguishable(
    vin: str, pos: int, ch: str
) -> None:
    if vin[pos] == ch:
        return
    changed = vin[:pos] + ch + vin[pos + 1 :]
    # The check is mod 11 over transliterated values: swapping two letters that share a
    # value (A and J are both 1) cannot be detected by any check digit; all else is.
    same_value = (
        pos != CHECK_POSITION
        and ch in TRANSLITERATION
        and TRANSLITERATION[ch] == TRANSLITERATION[vin[pos]]
    )
    assert is_valid_vin(changed) == same_value
