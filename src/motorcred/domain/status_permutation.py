"""Which status-list index the n-th credential of a list gets: a keyed permutation.

A status list is published to everyone. If indices were handed out in order,
index 5 000 would say "issued just after index 4 999", and a verifier who sees
two credentials could tell which was issued first (draft-ietf-oauth-status-list
§12.5 "Unlinkability", which recommends random index assignment). Instead the
n-th allocation of a list takes ``permute(n)``: a bijection of ``0 .. size-1``
chosen by a per-list secret key, so

* no index is produced twice (a permutation), whatever the order of allocations;
* without the key, the index reveals nothing about ``n``;
* allocation stays a counter bump in the database — no "pick a random free slot
  and retry on collision", whose cost grows as the list fills.

Construction: a balanced Feistel network (4 rounds, keyed BLAKE2b as the round
function) over the smallest even power of two covering ``size``, with cycle
walking to stay inside ``size`` (Black & Rogaway, "Ciphers with Arbitrary Finite
Domains", 2002). At most a 4× larger domain, so under 4 rounds of walking on
average. Pure: the key is a parameter.
"""

from __future__ import annotations

import hashlib
from typing import Final

from motorcred.errors import InvalidInput

ROUNDS: Final = 4
KEY_BYTES: Final = 32
MAX_SIZE: Final = 1 << 40


class IndexPermutation:
    """A keyed bijection of ``range(size)``."""

    __slots__ = ("_half_bits", "_key", "_mask", "_size")

    def __init__(self, key: bytes, size: int) -> None:
        if not isinstance(key, bytes) or len(key) != KEY_BYTES:
            raise InvalidInput(
                "STATUS_PERMUTATION_KEY_INVALID", f"the permutation key must be {KEY_BYTES} bytes"
            )
        if type(size) is not int or not 0 < size <= MAX_SIZE:
            raise InvalidInput(
                "STATUS_LIST_SIZE_INVALID", f"size must be an int in 1..{MAX_SIZE}, not {size!r}"
            )
        bits = max(2, (size - 1).bit_length())
        self._half_bits = (bits + 1) // 2
        self._mask = (1 << self._half_bits) - 1
        self._key = key
        self._size = size

    @property
    def size(self) -> int:
        return self._size

    def _round(self, number: int, value: int) -> int:
        digest = hashlib.blake2b(
            number.to_bytes(1, "big") + value.to_bytes(8, "big"), key=self._key, digest_size=8
        ).digest()
        return int.from_bytes(digest, "big") & self._mask

    def _encrypt(self, value: int) -> int:
        left, right = value >> self._half_bits, value & self._mask
        for number in range(ROUNDS):
            left, right = right, left ^ self._round(number, right)
        return (left << self._half_bits) | right

    def __call__(self, counter: int) -> int:
        """The index of the ``counter``-th allocation (0-based)."""
        if type(counter) is not int or not 0 <= counter < self._size:
            raise InvalidInput(
                "STATUS_INDEX_OUT_OF_RANGE",
                f"allocation {counter!r} is outside the list (0..{self._size - 1})",
            )
        value = self._encrypt(counter)
        # Cycle walking: the Feistel domain may exceed size; re-encrypt until inside.
        # Terminates because the walk follows the cycle of a permutation that
        # contains ``counter`` itself, which is inside the range.
        while value >= self._size:
            value = self._encrypt(value)
        return value
