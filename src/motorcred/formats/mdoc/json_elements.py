"""Data elements written as JSON, turned into the typed values an mdoc carries.

JSON has no dates and no byte strings, so ``motorcred mdoc issue --elements``
reads ``{namespace: {element: value}}`` and converts each value guided by the
element tables in :mod:`.doctypes`:

* a full-date element (``birth_date``…) takes ``"YYYY-MM-DD"`` → tag 1004;
* a tdate element (``portrait_capture_date``…) takes RFC 3339 with a time zone,
  ``"2026-11-22T08:00:00Z"`` → tag 0; ``issue_date``/``expiry_date`` accept either;
* a byte-string element (``portrait``…) takes ``{"hex": "…"}``, ``{"base64": "…"}``
  or ``{"file": "portrait.jpg"}`` (a path relative to the JSON file);
* arrays and maps (``driving_privileges``) are converted field by field.

The same one-key objects (``{"hex"}``, ``{"base64"}``, ``{"file"}``, and
``{"date": "YYYY-MM-DD"}``, ``{"tdate": "…"}``) may be used anywhere, which is how
values in namespaces without a table get their type. Pure: reading a ``file``
reference goes through the ``load_file`` callable the caller supplies.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any, Final

from motorcred.errors import InvalidInput
from motorcred.formats.mdoc.doctypes import NAMESPACE_ELEMENTS
from motorcred.formats.mdoc.elements import (
    ArrayOf,
    Bytes,
    DateOrTDate,
    FullDate,
    Spec,
    Struct,
    TDate,
)

LoadFile = Callable[[str], bytes]
_CODE: Final = "MDOC_ELEMENTS_JSON"
_MARKERS: Final = frozenset({"hex", "base64", "file", "date", "tdate"})
_DATE_RE: Final = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_TDATE_RE: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})\Z"
)


def _bad(where: str, message: str) -> InvalidInput:
    return InvalidInput(_CODE, f"{where}: {message}", details={"element": where})


def _full_date(text: Any, where: str) -> date:
    if not isinstance(text, str) or not _DATE_RE.match(text):
        raise _bad(where, 'a full-date is written "YYYY-MM-DD"')
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _bad(where, f"{text!r} is not a calendar date") from None


def _tdate(text: Any, where: str) -> datetime:
    if not isinstance(text, str) or not _TDATE_RE.match(text):
        raise _bad(where, 'a tdate is written in RFC 3339 with a time zone, "2026-11-22T08:00:00Z"')
    try:
        parsed = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        raise _bad(where, f"{text!r} is not a valid time") from None
    # tdate carries whole seconds (ISO 18013-5 §7.2.1; other readers refuse fractions).
    return parsed.astimezone(UTC).replace(microsecond=0)


def _bytes(marker: str, text: Any, where: str, load_file: LoadFile | None) -> bytes:
    if not isinstance(text, str):
        raise _bad(where, f'"{marker}" must hold a text string')
    if marker == "hex":
        try:
            return bytes.fromhex(text)
        except ValueError:
            raise _bad(where, "not valid hexadecimal") from None
    if marker == "base64":
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise _bad(where, "not valid base64") from None
    if load_file is None:
        raise _bad(where, "file references are not allowed here")
    return load_file(text)


def _marked(value: dict[str, Any], where: str, load_file: LoadFile | None) -> Any:
    ((marker, text),) = value.items()
    if marker == "date":
        return _full_date(text, where)
    if marker == "tdate":
        return _tdate(text, where)
    return _bytes(marker, text, where, load_file)


def _is_marker(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _MARKERS


def convert_value(value: Any, spec: Spec | None, where: str, load_file: LoadFile | None) -> Any:
    """One JSON value → its CBOR-ready Python value, guided by ``spec`` (None = no table)."""
    if _is_marker(value):
        return _marked(value, where, load_file)
    if isinstance(spec, FullDate) and isinstance(value, str):
        return _full_date(value, where)
    if isinstance(spec, TDate) and isinstance(value, str):
        return _tdate(value, where)
    if isinstance(spec, DateOrTDate) and isinstance(value, str):
        return _full_date(value, where) if _DATE_RE.match(value) else _tdate(value, where)
    if isinstance(spec, Bytes) and isinstance(value, str):
        raise _bad(where, 'write bytes as {"hex": …}, {"base64": …} or {"file": path}')
    if isinstance(value, list):
        item = spec.item if isinstance(spec, ArrayOf) else None
        return [
            convert_value(entry, item, f"{where}[{i}]", load_file) for i, entry in enumerate(value)
        ]
    if isinstance(value, dict):
        fields = spec.fields if isinstance(spec, Struct) else {}
        return {
            key: convert_value(entry, fields.get(key), f"{where}.{key}", load_file)
            for key, entry in value.items()
        }
    return value


def elements_from_json(obj: Any, *, load_file: LoadFile | None = None) -> dict[str, dict[str, Any]]:
    """``{namespace: {element: JSON value}}`` → ``{namespace: {element: typed value}}``.

    Only the JSON form is checked here; whether each value fits its element
    (type, length, code table) is :func:`~.doctypes.check_elements`' job at issue.
    """
    if not isinstance(obj, dict) or not obj:
        raise InvalidInput(_CODE, "elements must be a JSON object {namespace: {element: value}}")
    out: dict[str, dict[str, Any]] = {}
    for namespace, elements in obj.items():
        if not isinstance(elements, dict) or not elements:
            raise InvalidInput(
                _CODE, f"namespace {namespace!r} must map element names to values (non-empty)"
            )
        table = NAMESPACE_ELEMENTS.get(namespace, {})
        out[namespace] = {
            identifier: convert_value(
                value, table.get(identifier), f"{namespace}/{identifier}", load_file
            )
            for identifier, value in elements.items()
        }
    return out
