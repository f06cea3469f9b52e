"""Status List byte array: published vectors, bit order, compression, bounds."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import cbor2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motorcred.errors import InvalidInput, MalformedData, MotorcredError
from motorcred.formats.status_list import (
    StatusList,
    StatusReference,
    StatusType,
    describe_status,
    parse_status_claim,
    status_at,
)

VECTORS = Path(__file__).resolve().parents[2] / "vectors" / "status_list"


def _vector(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VECTORS / name).read_text())
    return data


def _cbor_hex(vec: dict[str, Any]) -> bytes:
    if "cbor_hex" in vec:
        return bytes.fromhex(vec["cbor_hex"])
    return bytes.fromhex("".join(vec["cbor_hex_lines"]))


# ---------------------------------------------------------------- published vectors
@pytest.mark.parametrize("name", ["short_1bit.json", "short_2bit.json"])
def test_short_examples_decode_and_reencode(name: str) -> None:
    vec = _vector(name)
    encoded = _cbor_hex(vec)
    sl = StatusList.decode(cbor2.loads(encoded))
    assert sl.bits == vec["bits"]
    assert sl.to_bytes() == bytes.fromhex(vec["byte_array_hex"])
    assert [sl.get(i) for i in range(len(vec["statuses"]))] == vec["statuses"]
    # JSON form decodes to the same list
    assert StatusList.decode_json({"bits": vec["bits"], "lst": vec["json_lst"]}) == sl
    # building it ourselves gives the published byte array, CBOR and JSON lst
    built = StatusList(len(vec["statuses"]), vec["bits"])
    for i, s in enumerate(vec["statuses"]):
        built.set(i, s)
    assert built.to_bytes() == bytes.fromhex(vec["byte_array_hex"])
    assert cbor2.dumps(built.encode()) == encoded
    assert built.encode_json() == {"bits": vec["bits"], "lst": vec["json_lst"]}


@pytest.mark.parametrize(
    "name", ["long_1bit.json", "long_2bit.json", "long_4bit.json", "long_8bit.json"]
)
def test_test_vectors_decode_to_published_statuses(name: str) -> None:
    vec = _vector(name)
    encoded = _cbor_hex(vec)
    sl = StatusList.decode(cbor2.loads(encoded))
    assert sl.bits == vec["bits"]
    assert sl.size == vec["size"]
    expected = {int(k): v for k, v in vec["statuses"].items()}
    for idx, value in expected.items():
        assert sl.get(idx) == value, idx
    raw = sl.to_bytes()
    nonzero = {
        i: status_at(raw, sl.bits, i)
        for pos, byte in enumerate(raw)
        if byte
        for i in range(pos * 8 // sl.bits, (pos + 1) * 8 // sl.bits)
    }
    assert {i: v for i, v in nonzero.items() if v} == {i: v for i, v in expected.items() if v}
    # and building the list from the published statuses gives the published bytes
    built = StatusList(vec["size"], vec["bits"])
    for idx, value in expected.items():
        built.set(idx, value)
    assert built == sl
    assert zlib.decompress(built.compressed()) == raw


def test_bit_order_index_zero_is_least_significant_bit() -> None:
    sl = StatusList(8, 1)
    sl.set(0, 1)
    assert sl.to_bytes() == b"\x01"
    sl = StatusList(4, 2)
    sl.set(3, 3)
    assert sl.to_bytes() == b"\xc0"
    sl = StatusList(2, 4)
    sl.set(1, 0xA)
    assert sl.to_bytes() == b"\xa0"


def test_compressed_is_zlib_level_9() -> None:
    sl = StatusList(1000, 2)
    sl.set(999, StatusType.SUSPENDED)
    lst = sl.compressed()
    assert lst[:2] == b"\x78\xda"  # ZLIB header, best compression
    assert StatusList.from_compressed(lst, 2) == StatusList.from_bytes(sl.to_bytes(), 2)


def test_describe_status() -> None:
    assert [describe_status(v) for v in range(5)] == [
        "valid",
        "invalid",
        "suspended",
        "unknown",
        "unknown",
    ]
    sl = StatusList(4, 2)
    sl.set(2, 2)
    assert sl.status(2) == "suspended"
    assert sl.status(0) == "valid"


# ---------------------------------------------------------------- round trips
@settings(max_examples=60, deadline=None)
@given(
    bits=st.sampled_from([1, 2, 4, 8]),
    data=st.data(),
)
def test_round_trip(bits: int, data: st.DataObject) -> None:
    size = data.draw(st.integers(min_value=1, max_value=300))
    values = data.draw(st.lists(st.integers(0, (1 << bits) - 1), min_size=size, max_size=size))
    sl = StatusList(size, bits)
    for i, v in enumerate(values):
        sl.set(i, v)
    assert [sl.get(i) for i in range(size)] == values
    back = StatusList.decode(cbor2.loads(cbor2.dumps(sl.encode())))
    assert [back.get(i) for i in range(size)] == values
    assert back.size >= size and back.size == len(sl.to_bytes()) * 8 // bits
    assert StatusList.decode_json(sl.encode_json()) == back


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=200), st.sampled_from([1, 2, 4, 8]))
def test_fuzz_lst_raises_only_project_errors(blob: bytes, bits: int) -> None:
    try:
        sl = StatusList.from_compressed(blob, bits, max_size=10_000)
    except MotorcredError as exc:
        assert exc.code in {"STATUS_LIST_MALFORMED", "STATUS_LIST_TOO_LARGE"}
    else:
        assert sl.size > 0


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=1, max_size=64), st.integers(0, 9))
def test_fuzz_corrupted_valid_stream(raw: bytes, flip: int) -> None:
    lst = bytearray(zlib.compress(raw, 9))
    lst[flip % len(lst)] ^= 0x5A
    try:
        StatusList.from_compressed(bytes(lst), 1)
    except MotorcredError as exc:
        assert exc.code in {"STATUS_LIST_MALFORMED", "STATUS_LIST_TOO_LARGE"}


# ---------------------------------------------------------------- negative cases
def test_get_and_set_out_of_range() -> None:
    sl = StatusList(10, 1)
    for bad in (-1, 10, 2**40):
        with pytest.raises(InvalidInput) as exc:
            sl.get(bad)
        assert exc.value.code == "STATUS_INDEX_OUT_OF_RANGE"
        with pytest.raises(InvalidInput):
            sl.set(bad, 1)
    with pytest.raises(InvalidInput):
        sl.get("1")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        sl.get(True)


def test_set_rejects_status_that_does_not_fit() -> None:
    sl = StatusList(10, 2)
    for bad in (4, -1):
        with pytest.raises(InvalidInput) as exc:
            sl.set(0, bad)
        assert exc.value.code == "STATUS_VALUE_INVALID"
    with pytest.raises(InvalidInput):
        sl.set(0, True)
    sl.set(0, 3)
    sl.set(0, 1)  # overwriting clears the old bits
    assert sl.get(0) == 1


@pytest.mark.parametrize("bits", [0, 3, 16, -1, True, "1", None])
def test_bad_bits(bits: Any) -> None:
    with pytest.raises(InvalidInput) as exc:
        StatusList(8, bits)
    assert exc.value.code == "STATUS_LIST_BITS_INVALID"
    with pytest.raises(MalformedData) as mexc:
        StatusList.from_compressed(zlib.compress(b"\x00"), bits)
    assert mexc.value.code == "STATUS_LIST_MALFORMED"


@pytest.mark.parametrize("size", [0, -5, 1.5, None])
def test_bad_size(size: Any) -> None:
    with pytest.raises(InvalidInput) as exc:
        StatusList(size, 1)
    assert exc.value.code == "STATUS_LIST_SIZE_INVALID"


def test_from_bytes_bounds() -> None:
    assert StatusList.from_bytes(b"\xff", 1, size=3).size == 3
    with pytest.raises(InvalidInput):
        StatusList.from_bytes(b"\xff", 1, size=9)
    with pytest.raises(InvalidInput):
        StatusList.from_bytes(b"", 1)


def test_decompression_bomb_is_bounded() -> None:
    bomb = zlib.compress(b"\x00" * 50_000_000, 9)  # ~50 kB that inflates to 50 MB
    assert len(bomb) < 100_000
    with pytest.raises(MalformedData) as exc:
        StatusList.from_compressed(bomb, 1, max_size=1_000_000)
    assert exc.value.code == "STATUS_LIST_TOO_LARGE"
    # exactly at the limit is accepted
    assert (
        StatusList.from_compressed(zlib.compress(b"\x00" * 125_000), 1, max_size=1_000_000).size
        == 1_000_000
    )


@pytest.mark.parametrize(
    "lst",
    [
        b"",
        b"not zlib",
        zlib.compress(b"\x01\x02\x03")[:-3],  # truncated
        zlib.compress(b"\x01") + b"trailing",
        zlib.compress(b""),  # empty list
    ],
)
def test_malformed_lst(lst: bytes) -> None:
    with pytest.raises(MalformedData) as exc:
        StatusList.from_compressed(lst, 1)
    assert exc.value.code == "STATUS_LIST_MALFORMED"


@pytest.mark.parametrize(
    "obj",
    [
        [],
        {"bits": 1},
        {"lst": zlib.compress(b"\x00")},
        {"bits": 1, "lst": "eJwDAAAAAAE"},
        {"bits": 1, "lst": zlib.compress(b"\x00"), "aggregation_uri": 5},
    ],
)
def test_malformed_status_list_map(obj: Any) -> None:
    with pytest.raises(MalformedData) as exc:
        StatusList.decode(obj)
    assert exc.value.code == "STATUS_LIST_MALFORMED"


@pytest.mark.parametrize(
    "obj",
    [
        {"bits": 1},
        {"bits": 1, "lst": "eNrbuRgAAhcBXQ=="},
        {"bits": 1, "lst": "@@@"},
        {"bits": 1, "lst": 3},
    ],
)
def test_malformed_json_status_list(obj: Any) -> None:
    with pytest.raises(MalformedData):
        StatusList.decode_json(obj)


# ---------------------------------------------------------------- references
def test_status_reference_round_trip() -> None:
    ref = StatusReference(412, "https://example.com/statuslists/1")
    claim = ref.to_claim()
    assert claim == {"status_list": {"idx": 412, "uri": "https://example.com/statuslists/1"}}
    assert parse_status_claim(cbor2.loads(cbor2.dumps(claim))) == ref
    assert parse_status_claim({"other_mechanism": {}}) is None


@pytest.mark.parametrize(
    "claim",
    [
        [],
        {"status_list": []},
        {"status_list": {"idx": -1, "uri": "https://x/1"}},
        {"status_list": {"idx": "1", "uri": "https://x/1"}},
        {"status_list": {"idx": True, "uri": "https://x/1"}},
        {"status_list": {"idx": 1}},
        {"status_list": {"idx": 1, "uri": ""}},
        {"status_list": {"idx": 1, "uri": "no-scheme"}},
        {"status_list": {"idx": 1, "uri": "https://x/ 1"}},
        {"status_list": {"idx": 1, "uri": "https://x/" + "a" * 3000}},
    ],
)
def test_malformed_status_claim(claim: Any) -> None:
    with pytest.raises(MalformedData) as exc:
        parse_status_claim(claim)
    assert exc.value.code == "STATUS_REFERENCE_MALFORMED"


def test_status_reference_rejects_bad_values() -> None:
    with pytest.raises(InvalidInput):
        StatusReference(-1, "https://x/1")
    with pytest.raises(InvalidInput):
        StatusReference(1, "relative/path")
