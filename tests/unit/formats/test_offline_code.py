from __future__ import annotations

import contextlib
import os
import secrets
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.errors import MalformedData
from motorcred.formats.base45 import b45decode, b45encode
from motorcred.formats.offline_code import (
    decode_offline_code,
    encode_offline_code,
    new_online_handle,
    offline_code_length,
    parse_online_handle,
)

QR_ALNUM = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def test_envelope_layout() -> None:
    payload = b"\xa1\x01\x02" * 10
    text = encode_offline_code(payload)
    assert text.startswith("MC1:")
    assert set(text) <= QR_ALNUM
    assert zlib.decompress(b45decode(text[4:])) == payload
    assert decode_offline_code(text) == payload
    assert offline_code_length(payload) == len(text)


@settings(max_examples=60)
@given(st.binary(max_size=2000))
def test_round_trip(payload: bytes) -> None:
    text = encode_offline_code(payload)
    assert decode_offline_code(text) == payload
    assert offline_code_length(payload) == len(text)


def test_whitespace_and_prefix_case() -> None:
    text = encode_offline_code(b"hello")
    assert decode_offline_code("  " + text + "\r\n") == b"hello"
    assert decode_offline_code("mc1:" + text[4:]) == b"hello"


def test_lower_case_body_rejected() -> None:
    text = encode_offline_code(b"hello world")
    with pytest.raises(MalformedData) as ei:
        decode_offline_code("MC1:" + text[4:].lower())
    assert ei.value.code == "BASE45_INVALID"


@pytest.mark.parametrize("text", ["HC1:NCFOXN", "", "MC0:AAA", "MC1", "https://x"])
def test_prefix_unknown(text: str) -> None:
    with pytest.raises(MalformedData) as ei:
        decode_offline_code(text)
    assert ei.value.code == "CODE_PREFIX_UNKNOWN"


def test_not_zlib() -> None:
    with pytest.raises(MalformedData) as ei:
        decode_offline_code("MC1:" + b45encode(b"not zlib at all"))
    assert ei.value.code == "CODE_MALFORMED"


def test_truncated_zlib() -> None:
    data = zlib.compress(os.urandom(200), 9)[:-10]
    with pytest.raises(MalformedData) as ei:
        decode_offline_code("MC1:" + b45encode(data))
    assert ei.value.code == "CODE_MALFORMED"


def test_trailing_bytes() -> None:
    data = zlib.compress(b"abc", 9) + b"xx"
    with pytest.raises(MalformedData) as ei:
        decode_offline_code("MC1:" + b45encode(data))
    assert ei.value.code == "CODE_MALFORMED"


def test_bomb_bounded() -> None:
    bomb = zlib.compress(b"\0" * (10 * 1024 * 1024), 9)
    with pytest.raises(MalformedData) as ei:
        decode_offline_code("MC1:" + b45encode(bomb))
    assert ei.value.code == "CODE_TOO_LARGE"
    small = zlib.compress(b"\0" * 100, 9)
    with pytest.raises(MalformedData):
        decode_offline_code("MC1:" + b45encode(small), max_decompressed=99)
    assert decode_offline_code("MC1:" + b45encode(small), max_decompressed=100) == b"\0" * 100


@settings(max_examples=100)
@given(st.text(max_size=60))
def test_fuzz_only_project_errors(text: str) -> None:
    with contextlib.suppress(MalformedData):
        decode_offline_code("MC1:" + text)


def test_online_handle() -> None:
    fixed = bytes(range(16))
    handle = new_online_handle(lambda n: fixed[:n])
    assert handle.startswith("MC0:")
    assert set(handle) <= QR_ALNUM
    assert len(handle) == 4 + 24
    assert parse_online_handle(handle) == fixed
    assert parse_online_handle(" " + handle + "\n") == fixed
    a = new_online_handle(secrets.token_bytes)
    b = new_online_handle(secrets.token_bytes)
    assert a != b


def test_online_handle_short_random() -> None:
    with pytest.raises(Exception) as ei:
        new_online_handle(lambda n: b"\0" * (n - 1))
    assert getattr(ei.value, "code", None) == "RANDOM_SOURCE_SHORT"


@pytest.mark.parametrize(
    "text",
    [
        "MC1:" + b45encode(bytes(16)),
        "MC0:" + b45encode(bytes(15)),
        "MC0:" + b45encode(bytes(17)),
        "MC0:abc",
        "MC0:A",
        "",
        "hello",
    ],
)
def test_online_handle_unknown_format(text: str) -> None:
    with pytest.raises(MalformedData) as ei:
        parse_online_handle(text)
    assert ei.value.code == "CODE_UNKNOWN_FORMAT"
