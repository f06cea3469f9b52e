"""Base of registry events: validation on construction and JSON-ready payloads.

Every event is a frozen dataclass carrying the date it happened (``on``) and
its own fields. Constructing one validates it, so an event read back from a
payload is as trustworthy as one built in code. ``to_payload`` gives plain
JSON values (dates as ISO strings); ``from_payload`` is strict: unknown or
missing fields and wrongly typed values raise ``EVENT_PAYLOAD``.
"""

from __future__ import annotations

import types
import typing
from dataclasses import MISSING, dataclass, fields
from datetime import date
from typing import Any, ClassVar, Final, Literal, NoReturn, Self, TypeVar, Union

from motorcred.errors import InvalidInput

RecordKind = Literal["person", "licence", "vehicle"]
TEXT_MAX: Final = 200
R = TypeVar("R")


@dataclass(frozen=True)
class Event:
    event_type: ClassVar[str]
    record_kind: ClassVar[RecordKind]

    on: date

    def __post_init__(self) -> None:
        self.check()

    def check(self) -> None:
        """Field-level validation; subclasses extend it and raise ``InvalidInput``."""

    def to_payload(self) -> dict[str, Any]:
        return {f.name: _to_json(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Self:
        hints = typing.get_type_hints(cls)
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(payload) - names)
        if unknown:
            _payload_error(cls.event_type, f"unknown field(s) {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in payload:
                if f.default is not MISSING or f.default_factory is not MISSING:
                    continue
                _payload_error(cls.event_type, f"missing field {f.name}")
            values[f.name] = _from_json(cls.event_type, f.name, hints[f.name], payload[f.name])
        return cls(**values)


def not_applicable(event: Event, reason: str, **details: Any) -> NoReturn:
    """Refuse an event the record's current state does not allow."""
    raise InvalidInput(
        "EVENT_NOT_APPLICABLE",
        f"{event.event_type} on {event.on.isoformat()} cannot be applied: {reason}",
        details={"event_type": event.event_type, "reason": reason, **details},
    )


def invalid_field(name: str, code: str, message: str) -> NoReturn:
    raise InvalidInput(code, message, details={"field": name})


def check_text(name: str, value: str | None, *, required: bool = False) -> None:
    if value is None:
        if required:
            invalid_field(name, "EVENT_FIELD", f"{name} is required")
        return
    if not value.strip() or len(value) > TEXT_MAX:
        invalid_field(name, "EVENT_FIELD", f"{name} is 1-{TEXT_MAX} characters")


def _payload_error(event_type: str, message: str, **details: Any) -> NoReturn:
    raise InvalidInput(
        "EVENT_PAYLOAD",
        f"{event_type} payload: {message}",
        details={"event_type": event_type, **details},
    )


def _to_json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | frozenset | list):
        return [_to_json(v) for v in value]
    return value


def _from_json(event_type: str, name: str, hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        inner = [o for o in options if o is not type(None)]
        return _from_json(event_type, name, inner[0], value)
    if hint is date:
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        _payload_error(event_type, f"{name} must be an ISO date", field=name)
    if origin is tuple:
        if not isinstance(value, list):
            _payload_error(event_type, f"{name} must be a list", field=name)
        (item,) = [a for a in typing.get_args(hint) if a is not Ellipsis]
        return tuple(_from_json(event_type, name, item, v) for v in value)
    if hint is bool:
        if not isinstance(value, bool):
            _payload_error(event_type, f"{name} must be true or false", field=name)
        return value
    if hint is int:
        if not isinstance(value, int) or isinstance(value, bool):
            _payload_error(event_type, f"{name} must be an integer", field=name)
        return value
    if hint is str:
        if not isinstance(value, str):
            _payload_error(event_type, f"{name} must be a string", field=name)
        return value
    if origin is Literal:
        if value not in typing.get_args(hint):
            _payload_error(event_type, f"{name} must be one of {typing.get_args(hint)}", field=name)
        return value
    raise TypeError(f"unsupported event field type {hint!r}")  # a programming error
