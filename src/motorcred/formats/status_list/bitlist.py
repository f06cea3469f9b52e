"""The Status List byte array of draft-ietf-oauth-status-list: packing, lookup, compression.

Layout (draft §4 "Status List"): every Referenced Token owns ``bits`` bits
(1, 2, 4 or 8) at its index; a byte holds ``8 // bits`` entries and index 0 is
the least significant bit(s) of byte 0 ("right to left" inside a byte, natural
order across bytes). The array travels DEFLATE-compressed in the ZLIB format
(RFC 1950) at the highest level, as the draft recommends.

Why a ``bytearray`` with shifts and not numpy or ``bitarray``: one lookup is a
single index, two shifts and a mask (~0.1 µs in CPython), and a list of 10 M
one-bit entries is a 1.25 MB buffer built with one allocation; numpy would not
make a scalar lookup faster and is not a declared dependency.

Decoding is bounded: the decompressor never produces more than ``max_size``
entries' worth of bytes, so a "zip bomb" in a hostile token costs at most that
much memory before it is refused with ``STATUS_LIST_TOO_LARGE``.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from collections.abc import Iterable, Mapping
from enum import IntEnum
from typing import Any, Final, Literal

from motorcred.errors import InvalidInput, MalformedData

ALLOWED_BITS: Final = (1, 2, 4, 8)
# 100 M entries: above the national register of 499 M drivers split into lists by
# region, and at 1 bit only 12.5 MB of memory; callers may lower it.
DEFAULT_MAX_ENTRIES: Final = 100_000_000
ZLIB_LEVEL: Final = 9

_LOG2: Final = {1: 0, 2: 1, 4: 2, 8: 3}

StatusWord = Literal["valid", "invalid", "suspended", "unknown"]


class StatusType(IntEnum):
    """Status Type values registered by the draft (§7.1)."""

    VALID = 0x00
    INVALID = 0x01
    SUSPENDED = 0x02
    APPLICATION_SPECIFIC_3 = 0x03


def describe_status(value: int) -> StatusWord:
    """Map a Status Type value to the word the verifier reports.

    0 → valid, 1 → invalid, 2 → suspended; anything else (application-specific
    values motorcred never assigns) is ``unknown`` rather than a guess.
    """
    if value == StatusType.VALID:
        return "valid"
    if value == StatusType.INVALID:
        return "invalid"
    if value == StatusType.SUSPENDED:
        return "suspended"
    return "unknown"


def _check_bits(bits: object, *, decoding: bool) -> int:
    if type(bits) is not int or bits not in ALLOWED_BITS:
        message = f"bits per status must be one of 1, 2, 4, 8, not {bits!r}"
        if decoding:
            raise MalformedData("STATUS_LIST_MALFORMED", message)
        raise InvalidInput("STATUS_LIST_BITS_INVALID", message)
    return bits


def _byte_length(size: int, bits: int) -> int:
    return (size * bits + 7) // 8


class StatusList:
    """A mutable status list of ``size`` entries of ``bits`` bits each (all VALID at first)."""

    __slots__ = ("_bits", "_bshift", "_buf", "_imask", "_ishift", "_size", "_vmask")

    def __init__(self, size: int, bits: int = 1) -> None:
        bits = _check_bits(bits, decoding=False)
        if type(size) is not int or size <= 0:
            raise InvalidInput(
                "STATUS_LIST_SIZE_INVALID", f"size must be a positive int, not {size!r}"
            )
        self._init(bytearray(_byte_length(size, bits)), bits, size)

    def _init(self, buf: bytearray, bits: int, size: int) -> None:
        # Precomputed so that get/set are pure shift-and-mask with no branching on bits:
        # byte = idx >> ishift, bit offset = (idx & imask) << bshift.
        self._bits = bits
        self._buf = buf
        self._size = size
        self._bshift = _LOG2[bits]
        self._ishift = 3 - self._bshift
        self._imask = (1 << self._ishift) - 1
        self._vmask = (1 << bits) - 1

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_bytes(
        cls, raw: bytes | bytearray, bits: int, *, size: int | None = None
    ) -> StatusList:
        """Wrap an uncompressed byte array; ``size`` defaults to every entry it can hold."""
        bits = _check_bits(bits, decoding=False)
        capacity = len(raw) * 8 // bits
        if size is None:
            size = capacity
        if not raw or type(size) is not int or not 0 < size <= capacity:
            raise InvalidInput(
                "STATUS_LIST_SIZE_INVALID",
                f"size {size!r} does not fit a {len(raw)}-byte array of {bits}-bit entries",
            )
        obj = cls.__new__(cls)
        obj._init(bytearray(raw[: _byte_length(size, bits)]), bits, size)
        return obj

    @classmethod
    def from_compressed(
        cls, lst: bytes, bits: int, *, max_size: int = DEFAULT_MAX_ENTRIES
    ) -> StatusList:
        """Decode the ``lst`` of a Status List (ZLIB bytes) without trusting its size.

        Raises ``STATUS_LIST_MALFORMED`` for bad bits, a broken or truncated zlib
        stream, trailing bytes or an empty list, and ``STATUS_LIST_TOO_LARGE`` when
        the list would hold more than ``max_size`` entries.
        """
        bits = _check_bits(bits, decoding=True)
        if not isinstance(lst, bytes | bytearray | memoryview):
            raise MalformedData("STATUS_LIST_MALFORMED", "lst must be a byte string")
        max_bytes = _byte_length(max_size, bits)
        inflater = zlib.decompressobj()
        try:
            raw = inflater.decompress(lst, max_bytes + 1)
        except zlib.error as exc:
            raise MalformedData(
                "STATUS_LIST_MALFORMED", f"lst is not a valid ZLIB stream: {exc}"
            ) from None
        if len(raw) > max_bytes or inflater.unconsumed_tail:
            raise MalformedData(
                "STATUS_LIST_TOO_LARGE",
                f"status list holds more than the allowed {max_size} entries",
                details={"max_entries": max_size},
            )
        if not inflater.eof:
            raise MalformedData("STATUS_LIST_MALFORMED", "lst ends before the ZLIB stream does")
        if inflater.unused_data:
            raise MalformedData("STATUS_LIST_MALFORMED", "lst has bytes after the ZLIB stream")
        if not raw:
            raise MalformedData("STATUS_LIST_MALFORMED", "status list is empty")
        obj = cls.__new__(cls)
        obj._init(bytearray(raw), bits, len(raw) * 8 // bits)
        return obj

    @classmethod
    def decode(cls, obj: object, *, max_size: int = DEFAULT_MAX_ENTRIES) -> StatusList:
        """Decode the CBOR ``StatusList`` map.

        ``{"bits": uint, "lst": bstr, ? "aggregation_uri": tstr}``; other keys are ignored.
        """
        if not isinstance(obj, Mapping):
            raise MalformedData("STATUS_LIST_MALFORMED", "status_list must be a map")
        if "bits" not in obj or "lst" not in obj:
            raise MalformedData("STATUS_LIST_MALFORMED", "status_list needs 'bits' and 'lst'")
        aggregation = obj.get("aggregation_uri")
        if aggregation is not None and not isinstance(aggregation, str):
            raise MalformedData("STATUS_LIST_MALFORMED", "aggregation_uri must be a text string")
        return cls.from_compressed(obj["lst"], obj["bits"], max_size=max_size)

    @classmethod
    def decode_json(cls, obj: object, *, max_size: int = DEFAULT_MAX_ENTRIES) -> StatusList:
        """Decode the JSON form ``{"bits": n, "lst": base64url}`` (the JWT status list claim)."""
        if not isinstance(obj, Mapping) or not isinstance(obj.get("lst"), str):
            raise MalformedData(
                "STATUS_LIST_MALFORMED", "status_list needs 'bits' and a base64url 'lst'"
            )
        text: str = obj["lst"]
        if "=" in text:
            raise MalformedData("STATUS_LIST_MALFORMED", "lst must be unpadded base64url")
        try:
            lst = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            raise MalformedData("STATUS_LIST_MALFORMED", "lst is not base64url") from None
        return cls.from_compressed(lst, obj.get("bits"), max_size=max_size)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ access
    @property
    def bits(self) -> int:
        return self._bits

    @property
    def size(self) -> int:
        """Number of addressable entries (a decoded list: every entry its bytes hold)."""
        return self._size

    def __len__(self) -> int:
        return self._size

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StatusList):
            return NotImplemented
        return (self._bits, self._size, self._buf) == (other._bits, other._size, other._buf)

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"StatusList(size={self._size}, bits={self._bits})"

    def _out_of_range(self, idx: object) -> InvalidInput:
        return InvalidInput(
            "STATUS_INDEX_OUT_OF_RANGE",
            f"index {idx!r} is outside the status list (0..{self._size - 1})",
            details={"index": idx if isinstance(idx, int) else repr(idx), "size": self._size},
        )

    def get(self, idx: int) -> int:
        """Status value at ``idx``; ``STATUS_INDEX_OUT_OF_RANGE`` outside the list."""
        if type(idx) is not int or not 0 <= idx < self._size:
            raise self._out_of_range(idx)
        return (
            self._buf[idx >> self._ishift] >> ((idx & self._imask) << self._bshift)
        ) & self._vmask

    def status(self, idx: int) -> StatusWord:
        """``valid``/``invalid``/``suspended``/``unknown`` at ``idx``."""
        return describe_status(self.get(idx))

    def set(self, idx: int, status: int) -> None:
        """Set the status at ``idx`` (a value that fits in ``bits``)."""
        if type(idx) is not int or not 0 <= idx < self._size:
            raise self._out_of_range(idx)
        if type(status) is not int and not isinstance(status, StatusType):
            raise InvalidInput("STATUS_VALUE_INVALID", f"status must be an int, not {status!r}")
        if not 0 <= status <= self._vmask:
            raise InvalidInput(
                "STATUS_VALUE_INVALID",
                f"status {status} does not fit in {self._bits} bit(s)",
                details={"status": int(status), "bits": self._bits},
            )
        pos = idx >> self._ishift
        shift = (idx & self._imask) << self._bshift
        self._buf[pos] = (self._buf[pos] & ~(self._vmask << shift) & 0xFF) | (status << shift)

    def set_many(self, indices: Iterable[int], status: int) -> None:
        """Give many entries one status (bulk revocation at the start of a list's life)."""
        for idx in indices:
            self.set(idx, status)

    def to_bytes(self) -> bytes:
        """The uncompressed byte array (entries past ``size`` in the last byte are 0)."""
        return bytes(self._buf)

    # ------------------------------------------------------------------ encoding
    def compressed(self) -> bytes:
        """The ``lst`` value: the byte array DEFLATE-compressed in ZLIB format, level 9."""
        return zlib.compress(self._buf, ZLIB_LEVEL)

    def encode(self) -> dict[str, Any]:
        """The CBOR ``StatusList`` map ``{"bits": n, "lst": bstr}`` (ready for ``cbor.dumps``)."""
        return {"bits": self._bits, "lst": self.compressed()}

    def encode_json(self) -> dict[str, Any]:
        """The JSON form ``{"bits": n, "lst": base64url}`` of the draft."""
        lst = base64.urlsafe_b64encode(self.compressed()).rstrip(b"=").decode("ascii")
        return {"bits": self._bits, "lst": lst}


def status_at(raw: bytes | bytearray, bits: int, idx: int) -> int:
    """Status of ``idx`` in an uncompressed byte array (caller checks bits and bounds).

    The bare lookup for hot loops over a list already decoded and validated.
    """
    per_byte = 8 // bits
    return (raw[idx // per_byte] >> ((idx % per_byte) * bits)) & ((1 << bits) - 1)
