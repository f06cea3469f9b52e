"""Deterministic CBOR encoding and strict, bounded CBOR decoding.

A thin layer over ``cbor2`` (C extension). Encoding is canonical (cbor2's
``canonical=True``: shortest forms, length-first sorted map keys) because
mdoc readers re-encode structures and compare digests and signatures.
Decoding is strict because every byte we decode may come from an attacker:

* a size limit before anything is parsed, a nesting-depth limit while parsing;
* duplicate map keys rejected (cbor2 would otherwise keep the last one, so two
  parties could read the same bytes differently);
* only allow-listed tags: cbor2 has built-in decoders for tags such as value
  sharing (28/29) or string references (256/25) that no credential needs and
  that widen the attack surface, so every tag not allowed is refused;
* trailing bytes after the single top-level item are refused.

Tag 0 (tdate) decodes to an aware ``datetime`` in UTC, tag 1004 (full-date) to
``date``; tag 24 stays a :class:`cbor2.CBORTag` around the exact received bytes
so that digests can be computed over what the issuer actually signed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

import cbor2
from cbor2 import CBORTag, frozendict

from motorcred.errors import InvalidInput, MalformedData, MotorcredError

__all__ = [
    "DEFAULT_TAGS",
    "TAG_DATE",
    "TAG_ENCODED_CBOR",
    "TAG_FULL_DATE",
    "CBORTag",
    "ItemDecoder",
    "array_of_encoded",
    "canonical_map",
    "dumps",
    "embedded24",
    "encoded24",
    "head",
    "loads",
    "unwrap24",
    "wrap24",
]

TAG_DATE = 0
TAG_ENCODED_CBOR = 24
TAG_FULL_DATE = 1004
TAG_COSE_MAC0 = 17
TAG_COSE_SIGN1 = 18
TAG_CWT = 61

#: Tags a credential or COSE structure legitimately carries.
DEFAULT_TAGS: frozenset[int] = frozenset(
    {TAG_DATE, TAG_ENCODED_CBOR, TAG_FULL_DATE, TAG_COSE_MAC0, TAG_COSE_SIGN1, TAG_CWT}
)

# Tags cbor2 decodes by itself (found by probing cbor2 6.x). Each one that the
# caller did not allow is overridden with a decoder that refuses it.
_CBOR2_BUILTIN_TAGS = frozenset(
    {0, 1, 2, 3, 4, 5, 25, 28, 29, 30, 35, 36, 37, 52, 54, 100, 256, 258, 260, 261, 1004, 55799}
)

_TDATE_RE = re.compile(
    r"(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})\Z"
)
_FULL_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


# --------------------------------------------------------------------------- encoding


def _encode_datetime(encoder: cbor2.CBOREncoder, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(
            "CBOR_NAIVE_DATETIME",
            "a datetime without a time zone cannot be encoded as a tdate",
        )
    # isoformat, not strftime("%Y…"): glibc does not zero-pad years before 1000.
    text = value.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    encoder.encode_semantic(TAG_DATE, text)


def _encode_date(encoder: cbor2.CBOREncoder, value: date) -> None:
    encoder.encode_semantic(TAG_FULL_DATE, value.isoformat())


_ENCODERS: dict[type, Callable[[cbor2.CBOREncoder, Any], Any]] = {
    datetime: _encode_datetime,
    date: _encode_date,
}


def dumps(obj: Any) -> bytes:
    """Encode ``obj`` as deterministic CBOR.

    ``datetime`` → tag 0 ``YYYY-MM-DDTHH:MM:SSZ`` (UTC, whole seconds; naive
    datetimes are refused), ``date`` → tag 1004 ``YYYY-MM-DD``.
    """
    try:
        return cbor2.dumps(obj, canonical=True, encoders=_ENCODERS)
    except MotorcredError:
        raise
    except cbor2.CBOREncodeError as exc:
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, MotorcredError):
            raise cause from None
        raise InvalidInput("CBOR_UNENCODABLE", f"value cannot be encoded as CBOR: {exc}") from None
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidInput("CBOR_UNENCODABLE", f"value cannot be encoded as CBOR: {exc}") from None


def head(major: int, n: int) -> bytes:
    """The initial bytes of a CBOR item of major type ``major`` with argument ``n``."""
    if n < 24:
        return bytes((major << 5 | n,))
    if n < 0x100:
        return bytes((major << 5 | 24, n))
    if n < 0x10000:
        return bytes((major << 5 | 25,)) + n.to_bytes(2, "big")
    if n < 0x100000000:
        return bytes((major << 5 | 26,)) + n.to_bytes(4, "big")
    return bytes((major << 5 | 27,)) + n.to_bytes(8, "big")


def canonical_map(entries: list[tuple[bytes, bytes]]) -> bytes:
    """A map from already-encoded ``(key, value)`` pairs, keys in canonical order.

    The same bytes :func:`dumps` gives for the decoded map (RFC 7049 §3.9:
    shorter keys first, then bytewise), without re-encoding values that are
    already bytes — an mdoc's items and signatures are encoded once.
    """
    entries.sort(key=lambda kv: (len(kv[0]), kv[0]))
    return b"".join((head(5, len(entries)), *(k + v for k, v in entries)))


#: Types whose plain (non-canonical) cbor2 encoding is already the canonical one.
_PLAIN_CANONICAL: frozenset[type] = frozenset({str, bytes, int, bool, type(None)})


def dumps_simple(obj: Any) -> bytes:
    """``dumps(obj)``, byte for byte, faster for maps and arrays of text, bytes, ints,
    booleans and null (COSE_Key maps, COSE headers, x5chain).

    cbor2's canonical mode sorts map keys by encoding them again in C at a cost of
    microseconds per map; here each key is encoded once and the entries sorted as
    :func:`canonical_map` does. Anything else (floats, dates, tags…) is left to
    :func:`dumps`; canonical encoding composes, so a subtree's bytes are the same
    either way.
    """
    kind = type(obj)
    if kind in _PLAIN_CANONICAL:
        return cbor2.dumps(obj)
    if kind is dict:
        entries = []
        for key, value in obj.items():
            if type(key) not in _PLAIN_CANONICAL:
                return dumps(obj)
            entries.append((cbor2.dumps(key), dumps_simple(value)))
        return canonical_map(entries)
    if kind is list:
        return array_of_encoded([dumps_simple(value) for value in obj])
    return dumps(obj)


def array_of_encoded(items: list[bytes]) -> bytes:
    """An array of already-encoded items."""
    return b"".join((head(4, len(items)), *items))


# --------------------------------------------------------------------------- decoding


def _decode_tdate(value: Any, immutable: bool) -> datetime:
    if not isinstance(value, str):
        raise MalformedData("CBOR_MALFORMED", "tag 0 (tdate) must wrap a text string")
    m = _TDATE_RE.match(value)
    if m is None:
        raise MalformedData("CBOR_MALFORMED", f"tag 0 is not an RFC 3339 date-time: {value!r}")
    day, clock, fraction, offset = m.groups()
    micro = f".{(fraction + '00000')[:6]}" if fraction else ""
    zone = "+00:00" if offset in ("Z", "z") else offset
    try:
        parsed = datetime.fromisoformat(f"{day}T{clock}{micro}{zone}")
    except ValueError:
        raise MalformedData("CBOR_MALFORMED", f"tag 0 is not a date-time: {value!r}") from None
    return parsed.astimezone(UTC)


def _decode_full_date(value: Any, immutable: bool) -> date:
    if not isinstance(value, str) or _FULL_DATE_RE.match(value) is None:
        raise MalformedData("CBOR_MALFORMED", "tag 1004 (full-date) must wrap a YYYY-MM-DD string")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise MalformedData("CBOR_MALFORMED", f"tag 1004 is not a valid date: {value!r}") from None


def _refuse_tag(tag: int) -> Callable[[Any, bool], Any]:
    def refuse(value: Any, immutable: bool) -> Any:
        raise MalformedData("CBOR_TAG_UNEXPECTED", f"CBOR tag {tag} is not allowed here")

    return refuse


@lru_cache(maxsize=32)
def _decoder_config(
    allowed: frozenset[int],
) -> tuple[dict[int, Callable[[Any, bool], Any]], Callable[[CBORTag, bool], Any]]:
    semantic: dict[int, Callable[[Any, bool], Any]] = {
        tag: _refuse_tag(tag) for tag in _CBOR2_BUILTIN_TAGS - allowed
    }
    if TAG_DATE in allowed:
        semantic[TAG_DATE] = _decode_tdate
    if TAG_FULL_DATE in allowed:
        semantic[TAG_FULL_DATE] = _decode_full_date

    def tag_hook(tag: CBORTag, immutable: bool) -> Any:
        if tag.tag not in allowed:
            raise MalformedData("CBOR_TAG_UNEXPECTED", f"CBOR tag {tag.tag} is not allowed here")
        value = tag.value
        if not immutable and isinstance(value, tuple | frozendict):
            # cbor2 decodes the content of unknown tags immutably; callers expect the
            # same list/dict types as everywhere else (unless the tag is a map key).
            return CBORTag(tag.tag, _thaw(value))
        return tag

    return semantic, tag_hook


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    if isinstance(value, frozendict):
        return {k: _thaw(v) for k, v in value.items()}
    return value


def loads(
    data: bytes,
    *,
    max_size: int = 4 * 1024 * 1024,
    max_depth: int = 32,
    allowed_tags: frozenset[int] = DEFAULT_TAGS,
) -> Any:
    """Decode exactly one CBOR data item from ``data``, strictly and within bounds.

    Raises :class:`MalformedData` with ``CBOR_TOO_LARGE``, ``CBOR_MALFORMED``
    (truncated, invalid, trailing bytes, not bytes), ``CBOR_TOO_DEEP``,
    ``CBOR_DUPLICATE_KEY`` or ``CBOR_TAG_UNEXPECTED``; nothing else escapes.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise MalformedData("CBOR_MALFORMED", f"expected CBOR bytes, got {type(data).__name__}")
    size = len(data)
    if size > max_size:
        raise MalformedData(
            "CBOR_TOO_LARGE",
            f"CBOR input is {size} bytes, more than the limit of {max_size}",
            details={"size": size, "limit": max_size},
        )
    if size == 0:
        raise MalformedData("CBOR_MALFORMED", "CBOR input is empty")
    semantic, tag_hook = _decoder_config(allowed_tags)
    stream = io.BytesIO(data)
    try:
        decoder = cbor2.CBORDecoder(
            stream,
            tag_hook=tag_hook,
            semantic_decoders=semantic,
            max_depth=max_depth,
            allow_duplicate_keys=False,
        )
        value = decoder.decode()
    except MotorcredError:
        raise
    except RecursionError:
        raise MalformedData("CBOR_TOO_DEEP", "CBOR nesting is too deep") from None
    except Exception as exc:  # cbor2 raises several types; map them all
        raise _map_decode_error(exc) from None
    if stream.tell() != size:
        raise MalformedData(
            "CBOR_MALFORMED", f"{size - stream.tell()} trailing bytes after the CBOR data item"
        )
    return value


class ItemDecoder:
    """Strict decoding of many small CBOR items in a row, e.g. one document's IssuerSignedItems.

    The same checks and limits as :func:`loads`, but the cbor2 decoder is built
    once and pointed at each input in turn: building it costs more than decoding
    a typical data element (bench/mdoc.py). It holds per-call state, so use one
    per verification, never across threads; after a failure it starts afresh.
    """

    __slots__ = ("_allowed", "_decoder", "_max_depth", "_max_size")

    def __init__(
        self,
        *,
        max_size: int = 4 * 1024 * 1024,
        max_depth: int = 32,
        allowed_tags: frozenset[int] = DEFAULT_TAGS,
    ) -> None:
        self._max_size = max_size
        self._max_depth = max_depth
        self._allowed = allowed_tags
        self._decoder: cbor2.CBORDecoder | None = None

    def _new_decoder(self) -> cbor2.CBORDecoder:
        semantic, tag_hook = _decoder_config(self._allowed)
        return cbor2.CBORDecoder(
            io.BytesIO(b""),
            tag_hook=tag_hook,
            semantic_decoders=semantic,
            max_depth=self._max_depth,
            allow_duplicate_keys=False,
        )

    def loads(self, data: bytes) -> Any:
        """Decode exactly one item from ``data``; raises what :func:`loads` raises."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise MalformedData("CBOR_MALFORMED", f"expected CBOR bytes, got {type(data).__name__}")
        size = len(data)
        if size > self._max_size or size == 0:
            return loads(data, max_size=self._max_size)  # the same error as loads gives
        decoder = self._decoder or self._new_decoder()
        self._decoder = None  # not reused unless this decode completes
        stream = io.BytesIO(data)
        try:
            decoder.fp = stream
            value = decoder.decode()
        except MotorcredError:
            raise
        except RecursionError:
            raise MalformedData("CBOR_TOO_DEEP", "CBOR nesting is too deep") from None
        except Exception as exc:  # cbor2 raises several types; map them all
            raise _map_decode_error(exc) from None
        self._decoder = decoder
        if stream.tell() != size:
            raise MalformedData(
                "CBOR_MALFORMED", f"{size - stream.tell()} trailing bytes after the CBOR data item"
            )
        return value

    def loads_each(self, datas: list[bytes]) -> list[Any] | None:
        """Decode each input as :meth:`loads` would, or None when any of them is not clean.

        One pass over the inputs laid end to end, checking after each item that the
        decoder stopped exactly at that input's end: an item that is truncated,
        overlong or has trailing bytes moves the position off the boundary and the
        whole batch is refused. None (never a partial result) tells the caller to
        decode one by one with :meth:`loads`, which names the fault.
        """
        max_size = self._max_size
        for data in datas:
            if type(data) is not bytes or not 0 < len(data) <= max_size:
                return None
        decoder = self._decoder or self._new_decoder()
        self._decoder = None
        stream = io.BytesIO(b"".join(datas))
        decoder.fp = stream
        decode, tell = decoder.decode, stream.tell
        values: list[Any] = []
        end = 0
        try:
            for data in datas:
                end += len(data)
                values.append(decode())
                if tell() != end:
                    return None
        except Exception:  # the one-by-one pass reports it with the project's error
            return None
        self._decoder = decoder
        return values


def _map_decode_error(exc: BaseException) -> MotorcredError:
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, MotorcredError):
            return cause
        cause = cause.__cause__ or cause.__context__
    text = str(exc)
    if "nesting depth" in text:
        return MalformedData("CBOR_TOO_DEEP", "CBOR nesting is deeper than allowed")
    if "Duplicate map key" in text or "duplicate" in text.lower():
        return MalformedData("CBOR_DUPLICATE_KEY", "CBOR map has a duplicate key")
    if isinstance(exc, RecursionError):
        return MalformedData("CBOR_TOO_DEEP", "CBOR nesting is too deep")
    return MalformedData("CBOR_MALFORMED", f"invalid CBOR: {text}")


# --------------------------------------------------------------------------- tag 24


def wrap24(obj: Any) -> CBORTag:
    """``#6.24(bstr .cbor obj)``: embed ``obj`` as encoded CBOR."""
    return CBORTag(TAG_ENCODED_CBOR, dumps(obj))


def unwrap24(value: Any, *, what: str, max_depth: int = 32) -> Any:
    """Check that ``value`` is tag 24 over a byte string and decode those bytes strictly."""
    return loads(inner24(value, what=what), max_depth=max_depth)


def inner24(value: Any, *, what: str) -> bytes:
    """The byte string inside a tag-24 value (shape-checked, not decoded)."""
    if not isinstance(value, CBORTag) or value.tag != TAG_ENCODED_CBOR:
        raise MalformedData("CBOR_MALFORMED", f"{what} must be tag 24 (embedded CBOR)")
    inner = value.value
    if not isinstance(inner, bytes):
        raise MalformedData("CBOR_MALFORMED", f"{what}: tag 24 must wrap a byte string")
    return inner


def embedded24(data: bytes) -> bytes | None:
    """The byte string inside ``data`` when ``data`` is exactly ``#6.24(bstr)``, else None.

    What ``inner24(loads(data))`` gives for such input, read from the two heads
    without building a decoder (the MSO and the SessionTranscript arrive this
    way). None means "not that simple shape": decode with :func:`loads`, which
    accepts or refuses it with the project's errors.
    """
    if type(data) is not bytes or data[:2] != b"\xd8\x18" or len(data) < 3:
        return None
    first = data[2]
    if not 0x40 <= first <= 0x5B:
        return None
    if first < 0x58:
        start, length = 3, first - 0x40
    else:
        start = 4 + (1 << (first - 0x58)) - 1
        length = int.from_bytes(data[3:start], "big")
    return data[start:] if len(data) - start == length else None


def encoded24(inner: bytes) -> bytes:
    """The encoding of ``#6.24(bstr)`` around ``inner``, without re-encoding ``inner``.

    Digests over IssuerSignedItems and the DeviceAuthentication signature are
    computed over these exact bytes.
    """
    n = len(inner)
    if n < 24:
        head = bytes((0xD8, 0x18, 0x40 | n))
    elif n < 0x100:
        head = bytes((0xD8, 0x18, 0x58, n))
    elif n < 0x10000:
        head = b"\xd8\x18\x59" + n.to_bytes(2, "big")
    elif n < 0x100000000:
        head = b"\xd8\x18\x5a" + n.to_bytes(4, "big")
    else:
        head = b"\xd8\x18\x5b" + n.to_bytes(8, "big")
    return head + inner
