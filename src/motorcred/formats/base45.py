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

from motorcred.errors import MalformedData

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}


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
    """
    try:
        values = [_INDEX[c] for c in text]
    except KeyError as exc:
        raise _bad(f"character {exc.args[0]!r} is not in the base45 alphabet") from None
    n = len(values)
    if n % 3 == 1:
        raise _bad(f"length {n} is not valid for base45 (3k or 3k+2 characters)")
    out = bytearray()
    for i in range(0, n - 2, 3):
        v = values[i] + values[i + 1] * 45 + values[i + 2] * 2025
        if v > 0xFFFF:
            raise _bad(f"group at offset {i} encodes {v}, more than two bytes")
        out.append(v >> 8)
        out.append(v & 0xFF)
    if n % 3 == 2:
        v = values[-2] + values[-1] * 45
        if v > 0xFF:
            raise _bad(f"final group encodes {v}, more than one byte")
        out.append(v)
    return bytes(out)
