"""The keyed permutation that maps a list's n-th allocation to its status index."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.domain.status_permutation import KEY_BYTES, IndexPermutation
from motorcred.errors import InvalidInput

KEY = bytes(range(KEY_BYTES))


@pytest.mark.parametrize("size", [1, 2, 3, 5, 16, 17, 100, 1000, 4097])
def test_every_index_exactly_once(size: int) -> None:
    permute = IndexPermutation(KEY, size)
    assert sorted(permute(n) for n in range(size)) == list(range(size))


def test_order_reveals_nothing_obvious() -> None:
    permute = IndexPermutation(KEY, 10_000)
    indices = [permute(n) for n in range(10_000)]
    fixed_points = sum(1 for n, idx in enumerate(indices) if n == idx)
    rising = sum(1 for a, b in pairwise(indices) if b > a)
    assert fixed_points < 10  # a random permutation has about one
    assert 4_500 < rising < 5_500  # consecutive allocations go up or down by chance


def test_another_key_gives_another_order() -> None:
    a = [IndexPermutation(KEY, 1000)(n) for n in range(50)]
    b = [IndexPermutation(bytes(KEY_BYTES), 1000)(n) for n in range(50)]
    assert a != b
    assert a == [IndexPermutation(KEY, 1000)(n) for n in range(50)]  # deterministic


@given(
    key=st.binary(min_size=KEY_BYTES, max_size=KEY_BYTES),
    size=st.integers(min_value=1, max_value=300),
)
@settings(max_examples=60, deadline=None)
def test_bijection_for_any_key_and_size(key: bytes, size: int) -> None:
    permute = IndexPermutation(key, size)
    assert sorted(permute(n) for n in range(size)) == list(range(size))


@given(
    key=st.binary(min_size=KEY_BYTES, max_size=KEY_BYTES),
    size=st.integers(min_value=1, max_value=1 << 40),
    data=st.data(),
)
@settings(max_examples=60, deadline=None)
def test_large_lists_stay_in_range(key: bytes, size: int, data: st.DataObject) -> None:
    counter = data.draw(st.integers(min_value=0, max_value=size - 1))
    assert 0 <= IndexPermutation(key, size)(counter) < size


@pytest.mark.parametrize("key", [b"", b"short", bytes(KEY_BYTES + 1)])
def test_bad_key_is_refused(key: bytes) -> None:
    with pytest.raises(InvalidInput) as info:
        IndexPermutation(key, 10)
    assert info.value.code == "STATUS_PERMUTATION_KEY_INVALID"


@pytest.mark.parametrize("size", [0, -1, (1 << 40) + 1])
def test_bad_size_is_refused(size: int) -> None:
    with pytest.raises(InvalidInput) as info:
        IndexPermutation(KEY, size)
    assert info.value.code == "STATUS_LIST_SIZE_INVALID"


@pytest.mark.parametrize("counter", [-1, 10, 11])
def test_counter_outside_the_list_is_refused(counter: int) -> None:
    with pytest.raises(InvalidInput) as info:
        IndexPermutation(KEY, 10)(counter)
    assert info.value.code == "STATUS_INDEX_OUT_OF_RANGE"
