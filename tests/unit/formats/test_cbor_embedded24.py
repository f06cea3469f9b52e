"""embedded24 reads #6.24(bstr) exactly as loads + inner24 do, or defers to them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.errors import MalformedData
from motorcred.formats.cbor import embedded24, encoded24, inner24, loads


def strict(data: bytes) -> bytes | None:
    try:
        return inner24(loads(data), what="test")
    except MalformedData:
        return None


@settings(deadline=None)  # timing-independent: shared CI machines are slow
@given(st.binary(max_size=70_000))
def test_wrapped_bytes_of_any_length(inner: bytes) -> None:
    data = encoded24(inner)
    assert embedded24(data) == inner == strict(data)


@settings(deadline=None)
@given(st.binary(max_size=40))
def test_never_accepts_what_loads_refuses_or_reads_differently(data: bytes) -> None:
    fast = embedded24(b"\xd8\x18" + data)
    if fast is not None:
        assert fast == strict(b"\xd8\x18" + data)


@pytest.mark.parametrize(
    "data",
    [
        encoded24(b"abc") + b"\x00",  # trailing byte
        encoded24(b"abc")[:-1],  # truncated
        b"\xd8\x18\x5f\x41a\xff",  # indefinite-length byte string
        b"\xd8\x18\x63abc",  # a text string, not bytes
        b"\xd8\x19\x43abc",  # tag 25
        b"\xd8",
        b"",
    ],
)
def test_other_shapes_are_left_to_the_strict_decoder(data: bytes) -> None:
    assert embedded24(data) is None
