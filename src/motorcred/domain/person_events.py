"""Events that change a person's contact details (address, phone)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar, Final

from motorcred.domain.event_base import Event, RecordKind, check_text
from motorcred.domain.person import Person, normalise_phone


@dataclass(frozen=True)
class PersonEvent(Event):
    record_kind: ClassVar[RecordKind] = "person"

    def apply_to(self, person: Person) -> Person:
        raise NotImplementedError


@dataclass(frozen=True)
class AddressChanged(PersonEvent):
    event_type: ClassVar[str] = "address_changed"
    address: str

    def check(self) -> None:
        check_text("address", self.address, required=True)

    def apply_to(self, person: Person) -> Person:
        return replace(person, address=" ".join(self.address.split())).validate()


@dataclass(frozen=True)
class PhoneChanged(PersonEvent):
    event_type: ClassVar[str] = "phone_changed"
    phone: str

    def check(self) -> None:
        check_text("phone", self.phone, required=True)

    def apply_to(self, person: Person) -> Person:
        return replace(person, phone=normalise_phone(self.phone)).validate()


PERSON_EVENTS: Final[tuple[type[PersonEvent], ...]] = (AddressChanged, PhoneChanged)
