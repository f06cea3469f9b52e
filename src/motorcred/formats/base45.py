"""Base45 (RFC 9285), the text encoding of the compact offline codes.

Base45 maps bytes onto the 45 characters of the QR alphanumeric mode, so an
encoded payload is packed at 5.5 bits per character inside a QR code instead of
8 bits in byte mode. Written here (pure Python, linear time: each output
character is appended to a list and joined once) rather than taken from the
``base45`` PyPI package, to keep strict decoding under the project's error
tree; tens of kilobytes encode in about a millisecond, far more than a QR code
can hold.
"""

from __future__ import annotations

import struct

from motorcred.errors import MalformedData

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
# bytes.translate table: an alphabet byte maps to its value (0..44), any other byte to
# 0xff, which no value can be, so one membership test finds every bad character.
_VALUES = bytes(_INDEX.get(chr(b), 0xFF) for b in range(256))


def b45encode(data: bytes) -> str:
    """Encode bytes as RFC 9285 base45 text (upper case, QR alphanumeric)."""
    out: list[str] = []
    append = out.append
    n = len(data)
    for i in range(0, n - 1, 2):
        v = (data[i] << 8) | data[i + 1]
        e, rest = divmod(v, 45 * 45)
        d, c = divmod(rest, 45)
        append(ALPHABET[c])
        append(ALPHABET[d])
        append(ALPHABET[e])
    if n % 2:
        d, c = divmod(data[-1], 45)
        append(ALPHABET[c])
        append(ALPHABET[d])
    return "".join(out)


def _bad(message: str) -> MalformedData:
    return MalformedData("BASE45_INVALID", message)


def b45decode(text: str) -> bytes:
    """Decode RFC 9285 base45 text strictly.

    Raises ``MalformedData("BASE45_INVALID")`` for characters outside the
    alphabet (lower case included: the RFC alphabet is upper case only), a
    length of the form 3k+1, or a group whose value exceeds what its bytes can
    hold (so every text has exactly one decoding and vice versa).

    The characters are mapped to their values with ``bytes.translate`` and the
    groups combined over strided slices, so the Python-level work is one
    arithmetic expression per group (a QR-sized code decodes in tens of µs).
    """
    try:
        raw = text.encode("ascii").translate(_VALUES)
    except UnicodeEncodeError:
        raw = b"\xff"
    if b"\xff" in raw:
        bad = next(c for c in text if c not in _INDEX)
        raise _bad(f"character {bad!r} is not in the base45 alphabet")
    n = len(raw)
    if n % 3 == 1:
        raise _bad(f"length {n} is not valid for base45 (3k or 3k+2 characters)")
    full = n - n % 3
    groups = [
        c + d * 45 + e * 2025
        for c, d, e in zip(raw[0:full:3], raw[1:full:3], raw[2:full:3], strict=True)
    ]
    if groups and max(groups) > 0xFFFF:
        offset = 3 * next(i for i, v in enumerate(groups) if v > 0xFFFF)
        raise _bad(f"group at offset {offset} encodes {groups[offset // 3]}, more than two bytes")
    out = struct.pack(f">{len(groups)}H", *groups)
    if n % 3 == 2:
        v = raw[-2] + raw[-1] * 45
        if v > 0xFF:
            raise _bad(f"final group encodes {v}, more than one byte")
        out += bytes((v,))
    return out
