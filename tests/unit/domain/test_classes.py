from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motorcred.domain.classes import (
    CLASS_ORDER,
    CLASSES,
    age_allows_application,
    closure,
    format_classes,
    may_drive,
    minimal_classes,
    parse_classes,
)
from motorcred.errors import InvalidInput


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("C1", ("C1",)),
        ("C1D", ("C1", "D")),
        ("A2E", ("A2", "E")),
        ("DC1", ("C1", "D")),
        ("a1 b2", ("A1", "B2")),
        ("C1,C1", ("C1",)),
        ("C6A2M", ("A2", "C6", "M")),
    ],
)
def test_parse_by_longest_match(text: str, codes: tuple[str, ...]) -> None:
    assert parse_classes(text) == codes


@pytest.mark.parametrize("text", ["", "C7", "A", "C", "X", "C1Q", "A4"])
def test_unknown_classes(text: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_classes(text)
    assert err.value.code == "CLASS_UNKNOWN"
    assert err.value.details["field"] == "classes"


def test_inclusion_table_of_domain() -> None:
    assert closure(["C1"]) == {"C1", "C2", "C3", "C4"}
    assert closure(["D"]) == {"D", "E", "F"}
    assert closure(["A2"]) == {"A2", "B1", "B2", "C1", "C2", "C3", "C4", "C6", "M"}
    # A1 includes A3 which includes C1…: the closure follows inclusion transitively.
    assert closure(["A1"]) == {"A1", "A3", "B1", "B2", "C1", "C2", "C3", "C4", "M"}
    assert closure(["C2"]) == {"C2"}


@pytest.mark.parametrize(
    ("held", "wanted", "allowed"),
    [
        ("C1", "C2", True),
        ("C2", "C1", False),
        ("C1D", "F", True),
        ("A2E", "C6", True),
        ("A1", "C6", False),
        ("B2", "M", True),
        ("C1", "C5", False),
        ("E", "D", False),
    ],
)
def test_may_drive(held: str, wanted: str, allowed: bool) -> None:
    assert may_drive(held, wanted) is allowed


def test_may_drive_refuses_unknown_wanted_class() -> None:
    with pytest.raises(InvalidInput) as err:
        may_drive("C1", "Z9")
    assert err.value.code == "CLASS_UNKNOWN"


def test_minimal_and_format() -> None:
    assert minimal_classes(["A1", "C1", "E", "F"]) == ("A1", "E")
    assert format_classes({"E", "A2"}) == "A2E"


def test_first_application_and_ages() -> None:
    assert {c for c, v in CLASSES.items() if not v.may_be_first} == {"A1", "A2", "B1", "C6"}
    assert age_allows_application("C1", 18)
    assert not age_allows_application("C1", 17)
    assert age_allows_application("C1", 75)
    assert not age_allows_application("A1", 21)
    assert age_allows_application("A1", 22)
    assert not age_allows_application("B2", 61)
    assert age_allows_application("B2", 60)


@given(st.lists(st.sampled_from(CLASS_ORDER), min_size=1))
def test_format_parse_round_trip_and_closure_is_monotone(codes: list[str]) -> None:
    text = format_classes(codes)
    assert set(parse_classes(text)) == set(codes)
    assert set(codes) <= closure(codes)
    assert closure(minimal_classes(codes)) == closure(codes)
