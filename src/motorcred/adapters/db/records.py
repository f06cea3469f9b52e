"""Plain records the repositories read and write, with personal data in clear.

These are the persistence layer's own shapes: services map domain entities to
and from them, so a change of an entity does not ripple into SQL, and the
encryption of personal fields stays an adapter concern.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class PersonData:
    id_number: str
    name: str
    sex: str
    birth_date: date
    nationality: str = "CHN"
    phone: str | None = None
    address: str | None = None
    city_code: str | None = None


@dataclass(frozen=True)
class Person:
    id: int
    data: PersonData
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class LicenceData:
    person_id: int
    number: str
    file_number: str
    classes: str
    status: str
    points: int
    first_issue_date: date
    valid_from: date
    valid_until: date | None
    issuing_authority: str
    city_code: str | None = None
    class_grants: dict[str, date | None] = field(default_factory=dict)
    """Each permitted class with the date it was granted (probation runs from it)."""
    state: dict[str, Any] = field(default_factory=dict)
    """Remaining non-personal fields of the derived licence, as JSON-ready values."""


@dataclass(frozen=True)
class Licence:
    id: int
    data: LicenceData
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class VehicleData:
    plate: str
    plate_type: str
    vin: str
    owner_id: int | None
    status: str
    use_character: str
    registration_date: date
    inspection_valid_until: date | None = None
    city_code: str | None = None
    state: dict[str, Any] = field(default_factory=dict)
    """Remaining non-personal fields of the derived vehicle record, JSON-ready."""


@dataclass(frozen=True)
class Vehicle:
    id: int
    data: VehicleData
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class EventData:
    record_kind: str
    record_id: int
    event_type: str
    payload: dict[str, Any]
    occurred_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class Event:
    id: int
    seq: int
    data: EventData
    recorded_at: datetime


@dataclass(frozen=True)
class City:
    code: str
    name: str
    province: str
    edl_from: date | None
    evrc_from: date | None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_after: int | None
    """Keyset cursor: pass it as ``after`` to get the next page (``None`` = last page)."""
