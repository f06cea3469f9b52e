"""Strict, bounded CBOR: limits, duplicate keys, tags, dates, canonical encoding, fuzzing."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import cbor2
import pytest
from cbor2 import CBORTag
from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.errors import InvalidInput, MalformedData, MotorcredError
from motorcred.formats.cbor import (
    TAG_COSE_SIGN1,
    dumps,
    encoded24,
    inner24,
    loads,
    unwrap24,
    wrap24,
)


def _code(data: bytes, **kwargs: Any) -> str:
    with pytest.raises(MalformedData) as exc:
        loads(data, **kwargs)
    return exc.value.code


# ------------------------------------------------------------------ size and depth limits


def test_size_limit_is_checked_before_parsing() -> None:
    data = dumps(b"x" * 100)
    assert loads(data, max_size=len(data)) == b"x" * 100
    with pytest.raises(MalformedData) as exc:
        loads(data, max_size=len(data) - 1)
    assert exc.value.code == "CBOR_TOO_LARGE"
    assert exc.value.details == {"size": len(data), "limit": len(data) - 1}


def test_depth_limit() -> None:
    nested: Any = 1
    for _ in range(10):
        nested = [nested]
    data = dumps(nested)
    assert loads(data, max_depth=11) == nested
    assert _code(data, max_depth=5) == "CBOR_TOO_DEEP"
    # Maps nest too, and the default limit refuses a pathological input.
    assert _code(b"\xa1\x01" * 40 + b"\x01") == "CBOR_TOO_DEEP"
    assert _code(b"\x81" * 10_000 + b"\x01") == "CBOR_TOO_DEEP"


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "empty"),
        (b"\x01\x02", "trailing bytes"),
        (b"\x82\x01", "truncated array"),
        (b"\x5b\x7f\xff\xff\xff\xff\xff\xff\xff", "byte string claims 2^63 bytes"),
        (b"\x9b\x7f\xff\xff\xff\xff\xff\xff\xff", "array claims 2^63 items"),
        (b"\xff", "lone break"),
        (b"\x5f\x61\x01\xff", "text chunk in an indefinite byte string"),
        (b"\x1c", "reserved additional information"),
    ],
)
def test_malformed_inputs(data: bytes, why: str) -> None:
    assert _code(data) == "CBOR_MALFORMED", why


@pytest.mark.parametrize("value", ["text", 3, None, [1]])
def test_non_bytes_input_is_malformed(value: Any) -> None:
    assert _code(value) == "CBOR_MALFORMED"


def test_bytearray_and_memoryview_are_accepted() -> None:
    data = dumps({"a": 1})
    assert loads(bytearray(data)) == {"a": 1}
    assert loads(memoryview(data)) == {"a": 1}


# ------------------------------------------------------------------ duplicate map keys


@pytest.mark.parametrize(
    "data",
    [
        bytes.fromhex("a2616101616102"),  # {"a": 1, "a": 2}
        bytes.fromhex("a2010101f5"),  # {1: 1, 1: true}
        bytes.fromhex("a281010181010a"),  # {[1]: 1, [1]: 10}
        bytes.fromhex("a1616181a2616101616102"),  # a duplicate inside a nested map
    ],
)
def test_duplicate_map_keys_are_refused(data: bytes) -> None:
    assert _code(data) == "CBOR_DUPLICATE_KEY"


def test_equal_looking_but_distinct_keys_are_fine() -> None:
    # 1 and "1" and h'31' are different keys.
    assert loads(dumps({1: "a", "1": "b", b"1": "c"})) == {1: "a", "1": "b", b"1": "c"}


# ------------------------------------------------------------------ tags


@pytest.mark.parametrize(
    "tag",
    [1, 2, 3, 4, 5, 25, 28, 29, 30, 32, 35, 36, 37, 256, 258, 55799, 65535],
)
def test_tags_outside_the_allow_list_are_refused(tag: int) -> None:
    data = cbor2.dumps(CBORTag(tag, 1))
    assert _code(data) == "CBOR_TAG_UNEXPECTED"


def test_allow_list_is_per_call() -> None:
    data = cbor2.dumps(CBORTag(TAG_COSE_SIGN1, [b"", {}, b"", b""]))
    assert isinstance(loads(data), CBORTag)
    assert _code(data, allowed_tags=frozenset()) == "CBOR_TAG_UNEXPECTED"
    # A date is only decoded when tag 0 is allowed.
    tdate = dumps(datetime(2026, 1, 1, tzinfo=UTC))
    assert _code(tdate, allowed_tags=frozenset({24})) == "CBOR_TAG_UNEXPECTED"


def test_tag24_content_stays_exact_bytes() -> None:
    inner = b"\xa1\x61\x62\x01"  # {"b": 1} as received, not re-encoded
    value = loads(cbor2.dumps(CBORTag(24, inner)))
    assert isinstance(value, CBORTag) and value.value == inner
    assert unwrap24(value, what="x") == {"b": 1}
    assert inner24(value, what="x") == inner
    assert encoded24(inner) == cbor2.dumps(CBORTag(24, inner))


@pytest.mark.parametrize("size", [0, 23, 24, 255, 256, 65535, 65536])
def test_encoded24_matches_cbor2_at_every_length_boundary(size: int) -> None:
    inner = b"\x00" * size
    assert encoded24(inner) == cbor2.dumps(CBORTag(24, inner))


@pytest.mark.parametrize(
    "value", [CBORTag(24, "text"), CBORTag(18, b"\x01"), b"\x01", {"a": 1}, None]
)
def test_tag24_shape_is_checked(value: Any) -> None:
    with pytest.raises(MalformedData) as exc:
        inner24(value, what="IssuerSignedItemBytes")
    assert exc.value.code == "CBOR_MALFORMED"


def test_wrap24_round_trip() -> None:
    wrapped = wrap24({"x": [1, 2]})
    assert wrapped.tag == 24 and loads(wrapped.value) == {"x": [1, 2]}
    assert unwrap24(loads(dumps(wrapped)), what="x") == {"x": [1, 2]}


# ------------------------------------------------------------------ tdate (0) and full-date (1004)


def test_tdate_is_tag_0_without_fractional_seconds() -> None:
    value = datetime(2026, 11, 22, 8, 0, 0, 987654, tzinfo=UTC)
    assert dumps(value) == cbor2.dumps(CBORTag(0, "2026-11-22T08:00:00Z"))


def test_tdate_is_written_in_utc() -> None:
    value = datetime(2026, 11, 22, 16, 0, tzinfo=timezone(timedelta(hours=8)))
    assert dumps(value) == cbor2.dumps(CBORTag(0, "2026-11-22T08:00:00Z"))


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(InvalidInput) as exc:
        dumps({"signed": datetime(2026, 11, 22, 8, 0)})
    assert exc.value.code == "CBOR_NAIVE_DATETIME"


def test_tdate_decodes_to_aware_utc() -> None:
    assert loads(cbor2.dumps(CBORTag(0, "2026-11-22T16:00:00+08:00"))) == datetime(
        2026, 11, 22, 8, 0, tzinfo=UTC
    )
    # Other issuers may send fractions; a reader accepts them.
    got = loads(cbor2.dumps(CBORTag(0, "2026-11-22T08:00:00.25Z")))
    assert got == datetime(2026, 11, 22, 8, 0, 0, 250000, tzinfo=UTC)


@pytest.mark.parametrize(
    "content",
    [
        "2026-11-22",
        "2026-11-22 08:00:00Z",
        "2026-11-22T08:00:00",
        "2026-13-01T08:00:00Z",
        "2026-11-22T08:00:00+25:00",
        "not a date",
        1700000000,
        b"2026-11-22T08:00:00Z",
    ],
)
def test_bad_tdate_is_malformed(content: Any) -> None:
    assert _code(cbor2.dumps(CBORTag(0, content))) == "CBOR_MALFORMED"


def test_full_date_is_tag_1004() -> None:
    assert dumps(date(1990, 5, 17)) == cbor2.dumps(CBORTag(1004, "1990-05-17"))
    assert loads(dumps(date(1990, 5, 17))) == date(1990, 5, 17)


@pytest.mark.parametrize(
    "content", ["2026-02-30", "2026-2-3", "20260203", "2026-02-03T00:00:00Z", 20260203]
)
def test_bad_full_date_is_malformed(content: Any) -> None:
    assert _code(cbor2.dumps(CBORTag(1004, content))) == "CBOR_MALFORMED"


# ------------------------------------------------------------------ canonical encoding


def test_map_keys_are_sorted_length_first() -> None:
    # RFC 7049 §3.9 canonical order: shorter encoded keys first, then bytewise.
    encoded = dumps({"aa": 2, "b": 1, -1: 4, 1: 3})
    assert encoded == bytes.fromhex("a40103200461620162616102")


def test_integers_and_lengths_use_shortest_form() -> None:
    assert dumps(23) == b"\x17"
    assert dumps(24) == b"\x18\x18"
    assert dumps(-25) == b"\x38\x18"
    assert dumps(b"\x00" * 24) == b"\x58\x18" + b"\x00" * 24
    assert dumps(1.5) == b"\xf9\x3e\x00"  # half precision when exact


def test_encoding_is_independent_of_insertion_order() -> None:
    a = {"z": 1, "a": {"y": 2, "b": 3}}
    b = {"a": {"b": 3, "y": 2}, "z": 1}
    assert dumps(a) == dumps(b)


def test_unencodable_values_are_refused() -> None:
    with pytest.raises(InvalidInput) as exc:
        dumps({"f": object()})
    assert exc.value.code == "CBOR_UNENCODABLE"


# ------------------------------------------------------------------ round trips and fuzzing

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**64), max_value=2**64 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.binary(max_size=20)
    | st.dates()
    | st.datetimes(timezones=st.just(UTC)).map(lambda d: d.replace(microsecond=0))
)
_values = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=8) | st.integers(-100, 100), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(_values)
def test_round_trip(value: Any) -> None:
    encoded = dumps(value)
    assert loads(encoded) == value
    assert dumps(loads(encoded)) == encoded  # canonical: re-encoding is stable


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_fuzz_random_bytes_raise_only_project_errors(data: bytes) -> None:
    try:
        loads(data)
    except MotorcredError as exc:
        assert exc.code in {
            "CBOR_MALFORMED",
            "CBOR_TOO_DEEP",
            "CBOR_DUPLICATE_KEY",
            "CBOR_TAG_UNEXPECTED",
        }


@settings(max_examples=200, deadline=None)
@given(_values, st.data())
def test_fuzz_mutated_encodings(value: Any, data: st.DataObject) -> None:
    encoded = bytearray(dumps(value))
    position = data.draw(st.integers(0, len(encoded) - 1))
    encoded[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(encoded)))
    with contextlib.suppress(MotorcredError):
        loads(bytes(encoded[:cut]))
