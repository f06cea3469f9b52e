"""Text envelopes of the dynamic codes: the offline ``MC1:`` code and the online ``MC0:`` handle.

Offline code, in the style of the EU Digital COVID Certificate's ``HC1:``::

    "MC1:" + base45(zlib.compress(presentation_cbor, 9))

The CBOR contents (a device-signed, selectively disclosed presentation) are
built and checked elsewhere; this module only wraps and unwraps bytes.

Text handling, decided once here so that every reader behaves alike:

* Leading/trailing whitespace (a scanner's trailing newline, a pasted space) is
  stripped; inner characters are kept verbatim, because the space is a base45
  symbol.
* The prefix is matched case-insensitively (``mc1:`` from a lower-casing
  keyboard wedge), but the base45 body must be upper case as RFC 9285 defines
  it; QR alphanumeric mode can only carry upper case anyway.

Online handle: ``"MC0:" + base45(16 random bytes)`` — 128 bits of entropy in
28 characters, all in the QR alphanumeric set and in Code 128's character set,
so the same text is both the QR payload and the barcode payload. Base45 rather
than base64url because the latter forces QR byte mode (8 bits per character
instead of 5.5) and ``:``/``$``/``%``... are still safe inside a URL path
segment once percent-encoded by the client library.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

from motorcred.errors import InvalidInput, MalformedData
from motorcred.formats.base45 import b45decode, b45encode

OFFLINE_PREFIX = "MC1:"
ONLINE_PREFIX = "MC0:"
HANDLE_BYTES = 16
DEFAULT_MAX_DECOMPRESSED = 64 * 1024


def encode_offline_code(payload_cbor: bytes) -> str:
    """Wrap a presentation's CBOR into the ``MC1:`` text carried by the QR code."""
    return OFFLINE_PREFIX + b45encode(zlib.compress(payload_cbor, 9))


def offline_code_length(payload_cbor: bytes) -> int:
    """Number of characters of the ``MC1:`` text for a payload (for size budgeting)."""
    compressed = len(zlib.compress(payload_cbor, 9))
    return len(OFFLINE_PREFIX) + (compressed // 2) * 3 + (compressed % 2) * 2


def _split_prefix(text: str, prefix: str) -> str | None:
    stripped = text.strip()
    if stripped[: len(prefix)].upper() != prefix:
        return None
    return stripped[len(prefix) :]


def decode_offline_code(text: str, *, max_decompressed: int = DEFAULT_MAX_DECOMPRESSED) -> bytes:
    """Unwrap an ``MC1:`` text into the presentation's CBOR bytes.

    Raises ``MalformedData`` with ``CODE_PREFIX_UNKNOWN`` (not an MC1 code),
    ``BASE45_INVALID``, ``CODE_MALFORMED`` (not a complete zlib stream) or
    ``CODE_TOO_LARGE`` (inflates beyond ``max_decompressed`` bytes; the
    inflater never produces more than that, so a zlib bomb costs nothing).
    """
    body = _split_prefix(text, OFFLINE_PREFIX)
    if body is None:
        raise MalformedData(
            "CODE_PREFIX_UNKNOWN",
            f"not an offline code: expected the prefix {OFFLINE_PREFIX!r}",
        )
    compressed = b45decode(body)
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(compressed, max_decompressed)
    except zlib.error as exc:
        raise MalformedData(
            "CODE_MALFORMED", f"offline code is not valid zlib data: {exc}"
        ) from None
    if inflater.unconsumed_tail:
        raise MalformedData(
            "CODE_TOO_LARGE",
            f"offline code inflates to more than {max_decompressed} bytes",
            details={"max_decompressed": max_decompressed},
        )
    if not inflater.eof:
        raise MalformedData("CODE_MALFORMED", "offline code zlib stream is truncated")
    if inflater.unused_data:
        raise MalformedData(
            "CODE_MALFORMED", "offline code has trailing bytes after the zlib stream"
        )
    return out


def new_online_handle(random: Callable[[int], bytes]) -> str:
    """A fresh online handle from ``random`` (e.g. ``secrets.token_bytes``)."""
    raw = random(HANDLE_BYTES)
    if len(raw) != HANDLE_BYTES:
        raise InvalidInput("RANDOM_SOURCE_SHORT", f"random source returned {len(raw)} bytes")
    return ONLINE_PREFIX + b45encode(raw)


def parse_online_handle(text: str) -> bytes:
    """The 16 random bytes of an ``MC0:`` handle; ``CODE_UNKNOWN_FORMAT`` otherwise."""
    body = _split_prefix(text, ONLINE_PREFIX)
    if body is None:
        raise MalformedData(
            "CODE_UNKNOWN_FORMAT", f"not an online code: expected {ONLINE_PREFIX!r}"
        )
    try:
        raw = b45decode(body)
    except MalformedData:
        raise MalformedData("CODE_UNKNOWN_FORMAT", "online code body is not base45") from None
    if len(raw) != HANDLE_BYTES:
        raise MalformedData(
            "CODE_UNKNOWN_FORMAT", f"online code carries {len(raw)} bytes, expected {HANDLE_BYTES}"
        )
    return raw
