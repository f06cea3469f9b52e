from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.errors import MalformedData
from motorcred.formats.base45 import b45decode, b45encode

RFC_VECTORS = [
    (b"AB", "BB8"),
    (b"Hello!!", "%69 VD92EX0"),
    (b"base-45", "UJCLQE7W581"),
    (b"ietf!", "QED8WEX0"),
    (b"", ""),
]


@pytest.mark.parametrize(("raw", "text"), RFC_VECTORS)
def test_rfc9285_vectors(raw: bytes, text: str) -> None:
    assert b45encode(raw) == text
    assert b45decode(text) == raw


@pytest.mark.parametrize(
    "bad",
    [
        "GGW",  # RFC 9285 section 6: 65535 < value -> invalid
        "ZZZ",
        "A",  # 3k+1 length
        "BB8B",
        "bb8",  # lower case is not in the alphabet
        "BB#",
        "BB8\n",
        ":;",
        "Z:",  # final pair > 255
        "Ä00",  # outside ASCII
        "00\u00ff",
    ],
)
def test_invalid_inputs(bad: str) -> None:
    with pytest.raises(MalformedData) as ei:
        b45decode(bad)
    assert ei.value.code == "BASE45_INVALID"


def test_max_values_decode() -> None:
    assert b45decode(b45encode(b"\xff\xff\xff")) == b"\xff\xff\xff"
    assert b45encode(b"\xff\xff") == "FGW"


@settings(max_examples=200)
@given(st.binary(max_size=300))
def test_round_trip(data: bytes) -> None:
    text = b45encode(data)
    assert b45decode(text) == data
    assert len(text) == (len(data) // 2) * 3 + (len(data) % 2) * 2


@settings(max_examples=200)
@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:abc#", max_size=40))
def test_fuzz_decode_only_project_errors(text: str) -> None:
    try:
        out = b45decode(text)
    except MalformedData:
        return
    assert b45encode(out) == text


def test_linear_time() -> None:
    data = bytes(range(256)) * 400  # 100 KiB
    start = time.perf_counter()
    text = b45encode(data)
    assert b45decode(text) == data
    assert time.perf_counter() - start < 2.0
