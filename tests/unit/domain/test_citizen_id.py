from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motorcred.domain.citizen_id import (
    check_character,
    is_valid_citizen_id,
    make_citizen_id,
    parse_citizen_id,
)
from motorcred.domain.provinces import PROVINCES
from motorcred.errors import InvalidInput


def test_domain_example_check_character_is_zero() -> None:
    assert check_character("44010219800102123") == "0"
    parsed = parse_citizen_id("440102198001021230")
    assert parsed.area_code == "440102"
    assert parsed.birth_date == date(1980, 1, 2)
    assert parsed.sequence == 123
    assert parsed.sex == "M"


@pytest.mark.parametrize(
    ("number", "birth", "sex"),
    [
        # Worked examples printed in GB 11643-1999.
        ("11010519491231002X", date(1949, 12, 31), "F"),
        ("440524188001010014", date(1880, 1, 1), "M"),
    ],
)
def test_published_examples(number: str, birth: date, sex: str) -> None:
    parsed = parse_citizen_id(number)
    assert (parsed.birth_date, parsed.sex) == (birth, sex)


def test_lower_case_x_and_spaces_are_normalised() -> None:
    assert parse_citizen_id(" 11010519491231002x ").value == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("", "ID_FORMAT"),
        ("44010219800102123", "ID_FORMAT"),
        ("4401021980010212300", "ID_FORMAT"),
        ("44010219800102123A", "ID_FORMAT"),
        ("X40102198001021230", "ID_FORMAT"),
        ("４40102198001021230", "ID_FORMAT"),  # full-width digit
        ("440102198001021231", "ID_CHECK_DIGIT"),
        ("440102198001021237", "ID_CHECK_DIGIT"),
    ],
)
def test_invalid_numbers_are_refused(number: str, code: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_citizen_id(number, field="holder_id")
    assert err.value.code == code
    assert err.value.details["field"] == "holder_id"


def _with_check(first17: str) -> str:
    return first17 + check_character(first17)


def test_impossible_birth_date_with_a_correct_check_character() -> None:
    for first17 in ("44010219800230123", "44010219801301123", "44010217990101123"):
        with pytest.raises(InvalidInput) as err:
            parse_citizen_id(_with_check(first17))
        assert err.value.code == "ID_BIRTH_DATE"


def test_unknown_province_prefix() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_citizen_id(_with_check("99010219800102123"))
    assert err.value.code == "ID_AREA_CODE"


def test_even_sequence_is_female() -> None:
    assert make_citizen_id("110105", date(1990, 1, 1), 122).sex == "F"
    assert make_citizen_id("110105", date(1990, 1, 1), 121).sex == "M"


def test_check_character_refuses_non_digits() -> None:
    with pytest.raises(InvalidInput):
        check_character("4401021980010212X")


area_codes = st.builds(
    lambda p, rest: p.code + f"{rest:04d}",
    st.sampled_from(list(PROVINCES)),
    st.integers(0, 9999),
)
ids = st.builds(
    make_citizen_id,
    area_codes,
    st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    st.integers(0, 999),
)


@given(ids)
def test_generated_ids_validate_and_round_trip(cid: object) -> None:
    from motorcred.domain.citizen_id import CitizenId

    assert isinstance(cid, CitizenId)
    again = parse_citizen_id(cid.value)
    assert again == cid
    assert again.sex == ("M" if int(cid.value[14:17]) % 2 else "F")


@given(ids, st.integers(0, 17), st.sampled_from("0123456789X"))
def test_any_single_character_change_is_refused(cid: object, pos: int, ch: str) -> None:
    from motorcred.domain.citizen_id import CitizenId

    assert isinstance(cid, CitizenId)
    if cid.value[pos] == ch:
        return
    changed = cid.value[:pos] + ch + cid.value[pos + 1 :]
    assert not is_valid_citizen_id(changed)
