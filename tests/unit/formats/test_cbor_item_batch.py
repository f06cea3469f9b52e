"""ItemDecoder.loads_each: a batch decodes exactly like loads item by item, or not at all."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.errors import MotorcredError
from motorcred.formats.cbor import ItemDecoder, dumps, loads


def one_by_one(blobs: list[bytes]) -> list[Any] | None:
    try:
        return [loads(b, max_size=64, max_depth=8) for b in blobs]
    except MotorcredError:
        return None


@settings(deadline=None)  # timing-independent: shared CI machines are slow
@given(st.lists(st.binary(max_size=40), min_size=1, max_size=8))
def test_batch_equals_loads_on_arbitrary_bytes(blobs: list[bytes]) -> None:
    decoder = ItemDecoder(max_size=64, max_depth=8)
    assert decoder.loads_each(blobs) == one_by_one(blobs)


_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.text(max_size=8)
    | st.binary(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)


@settings(deadline=None)
@given(st.lists(_values, min_size=1, max_size=6))
def test_batch_of_well_formed_items_decodes(values: list[Any]) -> None:
    blobs = [dumps(v) for v in values]
    assert ItemDecoder(max_depth=8).loads_each(blobs) == [loads(b) for b in blobs]


@pytest.mark.parametrize(
    "blobs",
    [
        [dumps("ab")[:-1], b"b"],  # truncated: the next item completes it
        [dumps(1) + dumps(2), dumps(3)],  # trailing bytes: a second item inside one input
        [dumps([1, 2])[:-1], dumps(2)],  # truncated array completed by its neighbour
        [dumps(1), b""],  # empty input
        [dumps(1), b"\xd8\x1c\x01"],  # refused tag (value sharing)
        [dumps(1), b"\xa2\x61a\x01\x61a\x02"],  # duplicate key
        [dumps(b"x" * 100)],  # over the size limit
    ],
)
def test_an_item_not_clean_on_its_own_refuses_the_batch(blobs: list[bytes]) -> None:
    decoder = ItemDecoder(max_size=64, max_depth=8)
    assert decoder.loads_each(blobs) is None
    # The decoder is usable again afterwards, with the same strictness.
    assert decoder.loads_each([dumps({"a": 1}), dumps(2)]) == [{"a": 1}, 2]
    assert decoder.loads_each([dumps(1) + b"\x00"]) is None
