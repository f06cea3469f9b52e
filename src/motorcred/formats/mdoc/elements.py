"""Building blocks for data-element specifications: each checks one decoded CBOR value.

A spec is a small immutable object with ``problem(value) -> str | None`` (``None``
when the value fits). The namespace tables in :mod:`.doctypes` are plain data
built from these, so a change to a standard is a change to a table.

Values are checked in their *decoded* form: full-date (tag 1004) is a ``date``,
tdate (tag 0) an aware ``datetime``; ``bool`` never counts as an integer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol


class Spec(Protocol):
    """What an element value must look like."""

    @property
    def kind(self) -> str: ...

    def problem(self, value: Any) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Text:
    max_len: int = 150
    pattern: str | None = None
    choices: frozenset[str] | None = None
    min_len: int = 1
    kind: str = "tstr"
    #: ISO 18013-5 Table 5 "shall only use latin1b characters" (U+0000..U+00FF).
    latin1: bool = False
    _re: re.Pattern[str] | None = field(init=False, default=None, compare=False)

    def __post_init__(self) -> None:
        if self.pattern is not None:
            object.__setattr__(self, "_re", re.compile(self.pattern))

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, str):
            return "must be a text string"
        if not self.min_len <= len(value) <= self.max_len:
            return f"must be {self.min_len}..{self.max_len} characters long"
        if self.latin1 and not value.isascii() and max(map(ord, value)) > 0xFF:
            return "must only use Latin-1 characters (national script goes in *_national_character)"
        if self.choices is not None and value not in self.choices:
            return f"must be one of {sorted(self.choices)}"
        if self._re is not None and self._re.fullmatch(value) is None:
            return f"does not match {self.pattern}"
        return None


@dataclass(frozen=True, slots=True)
class Bytes:
    max_len: int = 512 * 1024
    min_len: int = 1
    kind: str = "bstr"

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, bytes):
            return "must be a byte string"
        if not self.min_len <= len(value) <= self.max_len:
            return f"must be {self.min_len}..{self.max_len} bytes long"
        return None


@dataclass(frozen=True, slots=True)
class UInt:
    maximum: int = 2**32 - 1
    minimum: int = 0
    choices: frozenset[int] | None = None
    kind: str = "uint"

    def problem(self, value: Any) -> str | None:
        if type(value) is not int:
            return "must be an unsigned integer"
        if not self.minimum <= value <= self.maximum:
            return f"must be in {self.minimum}..{self.maximum}"
        if self.choices is not None and value not in self.choices:
            return f"must be one of {sorted(self.choices)}"
        return None


@dataclass(frozen=True, slots=True)
class Bool:
    kind: str = "bool"

    def problem(self, value: Any) -> str | None:
        return None if isinstance(value, bool) else "must be a boolean"


@dataclass(frozen=True, slots=True)
class FullDate:
    kind: str = "full-date"

    def problem(self, value: Any) -> str | None:
        return None if type(value) is date else "must be a full-date (tag 1004)"


@dataclass(frozen=True, slots=True)
class TDate:
    kind: str = "tdate"

    def problem(self, value: Any) -> str | None:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return None
        return "must be a tdate (tag 0)"


@dataclass(frozen=True, slots=True)
class DateOrTDate:
    """ISO 18013-5 ``issue_date``/``expiry_date``: tdate or full-date."""

    kind: str = "tdate / full-date"

    def problem(self, value: Any) -> str | None:
        if type(value) is date or (isinstance(value, datetime) and value.tzinfo is not None):
            return None
        return "must be a full-date or tdate"


@dataclass(frozen=True, slots=True)
class ArrayOf:
    item: Spec
    max_items: int = 64
    min_items: int = 1
    kind: str = "array"

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, list):
            return "must be an array"
        if not self.min_items <= len(value) <= self.max_items:
            return f"must have {self.min_items}..{self.max_items} entries"
        for i, entry in enumerate(value):
            issue = self.item.problem(entry)
            if issue:
                return f"[{i}] {issue}"
        return None


@dataclass(frozen=True, slots=True)
class Struct:
    """A map with text keys: known fields checked, required ones present, others refused."""

    fields: Mapping[str, Spec]
    required: frozenset[str] = frozenset()
    open: bool = False
    kind: str = "map"

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, dict):
            return "must be a map"
        missing = self.required - value.keys()
        if missing:
            return f"lacks {sorted(missing)}"
        for key, entry in value.items():
            spec = self.fields.get(key) if isinstance(key, str) else None
            if spec is None:
                if self.open and isinstance(key, str):
                    continue
                return f"has an unexpected field {key!r}"
            issue = spec.problem(entry)
            if issue:
                return f".{key} {issue}"
        return None


@dataclass(frozen=True, slots=True)
class Letters:
    """A code of letters from a table, e.g. licence status ``"DH"`` (``alone`` letters solo)."""

    allowed: frozenset[str]
    alone: frozenset[str] = frozenset()
    kind: str = "status letters"

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, str) or not 1 <= len(value) <= len(self.allowed):
            return "must be a non-empty text string of status letters"
        if len(set(value)) != len(value):
            return "repeats a status letter"
        bad = sorted(set(value) - self.allowed)
        if bad:
            return f"has unknown status letters {bad}"
        if len(value) > 1 and set(value) & self.alone:
            return f"letters {sorted(self.alone)} may only stand alone"
        return None
