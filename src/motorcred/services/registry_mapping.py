"""Domain entities ↔ persistence records, and the views services hand out.

The registry tables keep the searchable and personal fields in columns and
everything else of a licence or vehicle in a JSON ``state``; this module is
the one place that knows which is which. Reading a record back re-validates
it through the domain constructors, so a row edited behind the service's back
fails loudly (``InvalidInput``) instead of flowing on as truth.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from motorcred.adapters.db import records
from motorcred.domain.licence import DrivingLicence
from motorcred.domain.person import Person
from motorcred.domain.vehicle import Vehicle


@dataclass(frozen=True)
class StoredPerson:
    id: int
    version: int
    person: Person
    city_code: str | None


@dataclass(frozen=True)
class StoredLicence:
    id: int
    version: int
    person_id: int
    licence: DrivingLicence
    city_code: str | None


@dataclass(frozen=True)
class StoredVehicle:
    id: int
    version: int
    owner_id: int | None
    vehicle: Vehicle
    city_code: str | None


# ---------------------------------------------------------------------- persons


def person_data(person: Person, city_code: str | None) -> records.PersonData:
    return records.PersonData(
        id_number=person.id_number,
        name=person.name,
        sex=person.sex,
        birth_date=person.birth_date,
        nationality=person.nationality,
        phone=person.phone,
        address=person.address,
        city_code=city_code,
    )


def stored_person(record: records.Person) -> StoredPerson:
    d = record.data
    person = Person.create(
        id_number=d.id_number,
        name=d.name,
        sex=d.sex,
        birth_date=d.birth_date,
        nationality=d.nationality,
        address=d.address,
        phone=d.phone,
    )
    return StoredPerson(record.id, record.version, person, d.city_code)


# ---------------------------------------------------------------------- licences


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


def licence_data(
    licence: DrivingLicence, person_id: int, city_code: str | None
) -> records.LicenceData:
    return records.LicenceData(
        person_id=person_id,
        number=licence.number,
        file_number=licence.file_number,
        classes=licence.classes_text,
        status=licence.status_text,
        points=licence.points,
        first_issue_date=licence.first_issue_date,
        valid_from=licence.valid_from,
        valid_until=licence.valid_until,
        issuing_authority=licence.issuing_authority_name,
        city_code=city_code,
        class_grants=dict(licence.class_grants),
        state={
            "issuing_authority_code": licence.issuing_authority_code,
            "validity_years": licence.validity_years,
            "cycle_start": licence.cycle_start.isoformat(),
            "medical_exam_due": _iso(licence.medical_exam_due),
            "photo_ref": licence.photo_ref,
            "unpaid_fines": licence.unpaid_fines,
            "reached_limit_in_period": licence.reached_limit_in_period,
            "probation_extended_until": _iso(licence.probation_extended_until),
        },
    )


def licence_fields(record: records.LicenceData) -> dict[str, Any]:
    """Keyword arguments of :meth:`DrivingLicence.create` for a stored licence."""
    s: Mapping[str, Any] = record.state
    grants = {code: (day or record.first_issue_date) for code, day in record.class_grants.items()}
    return {
        "number": record.number,
        "file_number": record.file_number,
        "class_grants": grants,
        "first_issue_date": record.first_issue_date,
        "valid_from": record.valid_from,
        "valid_until": record.valid_until,
        "validity_years": s.get("validity_years"),
        "status": record.status,
        "points": record.points,
        "cycle_start": _day(s.get("cycle_start")),
        "issuing_authority_code": s.get("issuing_authority_code", ""),
        "issuing_authority_name": record.issuing_authority,
        "medical_exam_due": _day(s.get("medical_exam_due")),
        "photo_ref": s.get("photo_ref"),
        "unpaid_fines": int(s.get("unpaid_fines", 0)),
        "reached_limit_in_period": bool(s.get("reached_limit_in_period", False)),
        "probation_extended_until": _day(s.get("probation_extended_until")),
    }


def stored_licence(record: records.Licence) -> StoredLicence:
    licence = DrivingLicence.create(**licence_fields(record.data))
    return StoredLicence(
        record.id, record.version, record.data.person_id, licence, record.data.city_code
    )


# ---------------------------------------------------------------------- vehicles


def vehicle_data(
    vehicle: Vehicle, owner_id: int | None, city_code: str | None
) -> records.VehicleData:
    return records.VehicleData(
        plate=vehicle.plate,
        plate_type=vehicle.plate_type,
        vin=vehicle.vin,
        owner_id=owner_id,
        status=vehicle.status_text,
        use_character=vehicle.use_character,
        registration_date=vehicle.registration_date,
        inspection_valid_until=vehicle.inspection_valid_until,
        city_code=city_code,
        state={
            "engine_number": vehicle.engine_number,
            "brand": vehicle.brand,
            "model": vehicle.model,
            "vehicle_type": vehicle.vehicle_type,
            "certificate_issue_date": vehicle.certificate_issue_date.isoformat(),
            "seats": vehicle.seats,
            "gross_mass_kg": vehicle.gross_mass_kg,
            "kerb_mass_kg": vehicle.kerb_mass_kg,
            "rated_load_kg": vehicle.rated_load_kg,
            "mortgaged": vehicle.mortgaged,
            "van": vehicle.van,
        },
    )


def vehicle_fields(record: records.VehicleData, owner_id_number: str) -> dict[str, Any]:
    """Keyword arguments of :meth:`Vehicle.create` for a stored vehicle.

    The owner's ID number is personal data and lives (sealed) on the person row;
    the caller looks it up from ``owner_id``.
    """
    s: Mapping[str, Any] = record.state
    return {
        "plate": record.plate,
        "plate_type": record.plate_type,
        "vin": record.vin,
        "engine_number": s.get("engine_number", ""),
        "brand": s.get("brand", ""),
        "model": s.get("model", ""),
        "vehicle_type": s.get("vehicle_type", ""),
        "use_character": record.use_character,
        "owner_id_number": owner_id_number,
        "registration_date": record.registration_date,
        "certificate_issue_date": _day(s.get("certificate_issue_date")),
        "inspection_valid_until": record.inspection_valid_until,
        "status": record.status,
        "seats": s.get("seats"),
        "gross_mass_kg": s.get("gross_mass_kg"),
        "kerb_mass_kg": s.get("kerb_mass_kg"),
        "rated_load_kg": s.get("rated_load_kg"),
        "mortgaged": bool(s.get("mortgaged", False)),
        "van": bool(s.get("van", False)),
    }


def stored_vehicle(record: records.Vehicle, owner_id_number: str) -> StoredVehicle:
    vehicle = Vehicle.create(**vehicle_fields(record.data, owner_id_number))
    return StoredVehicle(
        record.id, record.version, record.data.owner_id, vehicle, record.data.city_code
    )
