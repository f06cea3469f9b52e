"""ItemDecoder (one cbor2 decoder reused across items) decodes and refuses exactly like loads."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.errors import MotorcredError
from motorcred.formats.cbor import ItemDecoder, dumps, loads


def outcome(fn: Any, data: bytes) -> tuple[str, Any]:
    try:
        return "ok", fn(data)
    except MotorcredError as exc:
        return "error", exc.code


@settings(deadline=None)  # timing-independent: shared CI machines are slow
@given(st.lists(st.binary(max_size=40), min_size=1, max_size=8))
def test_same_outcome_as_loads_on_arbitrary_bytes(blobs: list[bytes]) -> None:
    decoder = ItemDecoder(max_size=64, max_depth=8)
    for blob in blobs:  # one decoder across all, failures included
        assert outcome(decoder.loads, blob) == outcome(
            lambda b: loads(b, max_size=64, max_depth=8), blob
        )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "CBOR_MALFORMED"),
        (dumps(1) + b"\x00", "CBOR_MALFORMED"),  # trailing bytes
        (b"\xa2\x61a\x01\x61a\x02", "CBOR_DUPLICATE_KEY"),
        (b"\xd8\x1c\x01", "CBOR_TAG_UNEXPECTED"),  # value sharing (tag 28)
        (b"\x81" * 40 + b"\x01", "CBOR_TOO_DEEP"),
        (b"\x5a\xff\xff\xff\xff", "CBOR_MALFORMED"),  # truncated
        (dumps(b"x" * 100), "CBOR_TOO_LARGE"),
    ],
)
def test_refuses_what_loads_refuses_and_recovers(data: bytes, code: str) -> None:
    decoder = ItemDecoder(max_size=64, max_depth=16)
    with pytest.raises(MotorcredError) as info:
        decoder.loads(data)
    assert info.value.code == code
    # The decoder is usable again after a failure, with the same strictness.
    assert decoder.loads(dumps({"a": [1, 2]})) == {"a": [1, 2]}
    with pytest.raises(MotorcredError):
        decoder.loads(dumps(1) + b"\x00")


def test_not_bytes_is_malformed() -> None:
    with pytest.raises(MotorcredError) as info:
        ItemDecoder().loads("text")  # type: ignore[arg-type]
    assert info.value.code == "CBOR_MALFORMED"
