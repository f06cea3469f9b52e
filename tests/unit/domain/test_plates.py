from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motorcred.domain.plates import (
    PLATE_TYPES,
    parse_plate,
    plate_shapes,
    plate_type,
    validate_plate,
)
from motorcred.domain.provinces import PLATE_ABBREVIATIONS
from motorcred.errors import InvalidInput


def test_thirty_one_province_abbreviations() -> None:
    assert sorted(PLATE_ABBREVIATIONS) == sorted(
        "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
    )


@pytest.mark.parametrize(
    ("plate", "type_code"),
    [
        ("京A12345", "02"),
        ("京A·12345", "02"),
        ("沪B9Z8Y7", "01"),
        ("粤BD12345", "52"),
        ("粤BFA1234", "52"),
        ("苏AA12345", "52"),
        ("粤B12345D", "51"),
        ("川A1234学", "16"),
        ("鲁B1234挂", "15"),
        ("京A1234警", "23"),
        ("沪A1234领", "04"),
        ("使014578", "03"),
        ("粤Z1234港", "26"),
        ("粤ZA123澳", "27"),
        ("京B12345", "07"),
    ],
)
def test_valid_plate_with_its_type(plate: str, type_code: str) -> None:
    number, kind = validate_plate(plate, type_code)
    assert "·" not in number
    assert kind.code == type_code


@pytest.mark.parametrize(
    "plate",
    [
        "",
        "京A1234",
        "京A123456",
        "京I12345",
        "京O12345",
        "京A1234I",
        "港A12345",
        "AA12345",
        "京112345",
        "粤BX12345",
        "粤B12345X",
        "粤BD1234A",
    ],
)
def test_bad_plate_numbers(plate: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_plate(plate)
    assert err.value.code == "PLATE_FORMAT"
    assert err.value.details["field"] == "plate"


@pytest.mark.parametrize(
    ("plate", "type_code"),
    [
        ("粤BD12345", "02"),  # new-energy number on an ordinary plate type
        ("粤B12345D", "52"),  # large new-energy number on the small type
        ("京A12345", "52"),  # ordinary number on a new-energy type
        ("京A12345", "51"),
        ("川A1234学", "02"),
        ("京A12345", "41"),  # "no plate" cannot carry a number
    ],
)
def test_plate_must_go_with_its_type(plate: str, type_code: str) -> None:
    with pytest.raises(InvalidInput) as err:
        validate_plate(plate, type_code)
    assert err.value.code == "PLATE_TYPE_MISMATCH"


@pytest.mark.parametrize("code", ["00", "53", "2", "", "xx"])
def test_unknown_plate_type(code: str) -> None:
    with pytest.raises(InvalidInput) as err:
        plate_type(code)
    assert err.value.code == "PLATE_TYPE_UNKNOWN"


def test_new_energy_types() -> None:
    assert {c for c, t in PLATE_TYPES.items() if t.is_new_energy} == {"51", "52"}


LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
ordinary = st.builds(
    lambda p, a, tail: p + a + "".join(tail),
    st.sampled_from(PLATE_ABBREVIATIONS),
    st.sampled_from(LETTERS),
    st.lists(st.sampled_from(LETTERS + "0123456789"), min_size=5, max_size=5),
)


@given(ordinary)
def test_generated_ordinary_plates_validate_as_small_car(plate: str) -> None:
    assert validate_plate(plate, "02")[0] == plate
    assert plate_shapes(plate) == ["ordinary"]


@given(st.text(max_size=10))
def test_arbitrary_text_is_refused_or_a_known_shape(text: str) -> None:
    try:
        number = parse_plate(text)
    except InvalidInput as err:
        assert err.code == "PLATE_FORMAT"
    else:
        assert plate_shapes(number)
