"""dumps_simple gives exactly the canonical bytes of dumps, whatever the value."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.formats.cbor import CBORTag, dumps, dumps_simple

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**64), max_value=2**64 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.binary(max_size=40)
    | st.dates()
    | st.datetimes(timezones=st.just(UTC)).map(lambda d: d.replace(microsecond=0))
)
_keys = st.integers(min_value=-300, max_value=300) | st.text(max_size=30) | st.binary(max_size=4)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(_keys, inner, max_size=5)
        | st.builds(CBORTag, st.just(24), st.binary(max_size=8))
    ),
    max_leaves=12,
)


@settings(deadline=None)  # timing-independent: shared CI machines are slow
@given(_values)
def test_same_bytes_as_dumps(value: Any) -> None:
    assert dumps_simple(value) == dumps(value)


def test_map_keys_in_canonical_order() -> None:
    # Length first, then bytewise: 24 (two bytes) sorts after -1 (one byte).
    value = {24: 1, -1: 2, "b": 3, "aa": 4, 1: 5}
    assert dumps_simple(value) == dumps(value)
    assert dumps_simple(value)[1:3] == b"\x01\x05"
