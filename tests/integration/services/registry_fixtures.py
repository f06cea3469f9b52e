"""Builders shared by the registry integration tests: valid domain records and services."""

from __future__ import annotations

from datetime import UTC, date, datetime

from motorcred.bootstrap import Container
from motorcred.domain.licence import DrivingLicence
from motorcred.domain.person import Person
from motorcred.domain.vehicle import Vehicle
from motorcred.services.registry import RegistryService
from motorcred.services.registry_events import RegistryEventService

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ID_NUMBER = "11010519491231002X"  # GB 11643 sample number, valid check character
OTHER_ID = "440102198001021230"
VIN = "LSVAU218XN2183294"


def clock() -> datetime:
    return NOW


def services(container: Container) -> tuple[RegistryService, RegistryEventService]:
    return (
        RegistryService(container.unit_of_work, clock),
        RegistryEventService(container.unit_of_work, clock),
    )


def person(id_number: str = ID_NUMBER, **changes: object) -> Person:
    fields: dict[str, object] = {
        "id_number": id_number,
        "name": "王小明",
        "address": "北京市朝阳区建国路88号",
        "phone": "13912345678",
    }
    return Person.create(**(fields | changes))  # type: ignore[arg-type]


def licence(number: str = ID_NUMBER, **changes: object) -> DrivingLicence:
    fields: dict[str, object] = {
        "number": number,
        "file_number": "110100000001",
        "class_grants": {"C1": date(2010, 5, 1)},
        "first_issue_date": date(2010, 5, 1),
        "valid_from": date(2022, 5, 1),
        "valid_until": None,
        "validity_years": None,
        "issuing_authority_code": "110100",
        "issuing_authority_name": "北京市公安局公安交通管理局",
    }
    return DrivingLicence.create(**(fields | changes))  # type: ignore[arg-type]


def vehicle(owner: str = ID_NUMBER, **changes: object) -> Vehicle:
    fields: dict[str, object] = {
        "plate": "京A12345",
        "plate_type": "02",
        "vin": VIN,
        "engine_number": "EA211X01",
        "brand": "大众",
        "model": "朗逸",
        "vehicle_type": "K33",
        "use_character": "A",
        "owner_id_number": owner,
        "registration_date": date(2022, 3, 1),
        "seats": 5,
    }
    return Vehicle.create(**(fields | changes))  # type: ignore[arg-type]
