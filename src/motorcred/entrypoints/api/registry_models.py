"""Request and response bodies of the registry admin API.

Requests carry plain values; the domain validates them (check characters,
plate shapes, class codes…) so a rule lives in one place and its stable error
code reaches the client. Pydantic only checks JSON types and sizes here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from motorcred.domain.codes import LICENCE_STATUS, VEHICLE_STATUS
from motorcred.services.registry import RegistryEntry
from motorcred.services.registry_events import HistoryEntry, RecordedEvent
from motorcred.services.registry_mapping import StoredLicence, StoredPerson, StoredVehicle

Text = Annotated[str, Field(max_length=200)]
CityCode = Annotated[str, Field(pattern=r"^[0-9]{6}$", description="GB/T 2260 city code")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------- requests


class PersonCreate(_Strict):
    id_number: Annotated[str, Field(max_length=32, examples=["11010519491231002X"])]
    name: Text
    sex: Literal["M", "F"] | None = None
    birth_date: date | None = None
    nationality: Annotated[str, Field(max_length=3)] = "CHN"
    address: Text | None = None
    phone: Annotated[str, Field(max_length=32)] | None = None
    city_code: CityCode | None = None


class PersonPatch(_Strict):
    name: Text | None = None
    nationality: Annotated[str, Field(max_length=3)] | None = None
    address: Text | None = None
    phone: Annotated[str, Field(max_length=32)] | None = None
    city_code: CityCode | None = None
    expected_version: int | None = Field(None, description="Version read; 409 if it changed.")


class LicenceCreate(_Strict):
    person_id: int = Field(description="The holder; the licence number is their ID number.")
    file_number: Annotated[str, Field(max_length=32, examples=["110100000001"])]
    classes: Annotated[str, Field(max_length=32, examples=["C1D"])]
    class_dates: dict[str, date] | None = Field(
        None, description="Grant date per class; classes not listed: first_issue_date."
    )
    first_issue_date: date
    valid_from: date
    valid_until: date | None = Field(None, description="Omitted or null: long-term (长期).")
    status: Annotated[str, Field(max_length=20)] = "A"
    points: int = 0
    issuing_authority_code: Annotated[str, Field(max_length=12)]
    issuing_authority_name: Text
    medical_exam_due: date | None = None
    photo_ref: Text | None = None
    city_code: CityCode | None = None


class LicencePatch(_Strict):
    file_number: Annotated[str, Field(max_length=32)] | None = None
    issuing_authority_code: Annotated[str, Field(max_length=12)] | None = None
    issuing_authority_name: Text | None = None
    city_code: CityCode | None = None
    expected_version: int | None = None


class VehicleCreate(_Strict):
    plate: Annotated[str, Field(max_length=16, examples=["京A12345"])]
    plate_type: Annotated[str, Field(max_length=2, examples=["02"])]
    vin: Annotated[str, Field(max_length=32, examples=["LSVAU218XN2183294"])]
    engine_number: Annotated[str, Field(max_length=32)]
    brand: Text
    model: Text
    vehicle_type: Annotated[str, Field(max_length=3, examples=["K33"])]
    use_character: Annotated[str, Field(max_length=1, examples=["A"])]
    owner_id_number: Annotated[str, Field(max_length=32)]
    registration_date: date
    certificate_issue_date: date | None = None
    inspection_valid_until: date | None = None
    status: Annotated[str, Field(max_length=20)] = "A"
    seats: int | None = None
    gross_mass_kg: int | None = None
    kerb_mass_kg: int | None = None
    rated_load_kg: int | None = None
    mortgaged: bool = False
    van: bool = False
    city_code: CityCode | None = None


class VehiclePatch(_Strict):
    engine_number: Annotated[str, Field(max_length=32)] | None = None
    brand: Text | None = None
    model: Text | None = None
    vehicle_type: Annotated[str, Field(max_length=3)] | None = None
    seats: int | None = None
    gross_mass_kg: int | None = None
    kerb_mass_kg: int | None = None
    rated_load_kg: int | None = None
    van: bool | None = None
    city_code: CityCode | None = None
    expected_version: int | None = None


class EventCreate(_Strict):
    event_type: Annotated[str, Field(max_length=48, examples=["violation"])]
    payload: dict[str, Any] = Field(
        description="The event's fields, always with `on` (ISO date it happened).",
        examples=[{"on": "2026-03-01", "points": 3, "fine_paid": True}],
    )
    expected_version: int | None = None


class SearchRequest(_Strict):
    """Exactly one key. A POST body, so ID numbers never appear in URLs and access logs."""

    id_number: Annotated[str, Field(max_length=32)] | None = None
    licence_number: Annotated[str, Field(max_length=32)] | None = None
    plate: Annotated[str, Field(max_length=16)] | None = None
    vin: Annotated[str, Field(max_length=32)] | None = None


# ---------------------------------------------------------------------- responses


class PersonOut(BaseModel):
    id: int
    version: int
    id_number: str
    name: str
    sex: str
    birth_date: date
    nationality: str
    address: str | None
    phone: str | None
    city_code: str | None

    @classmethod
    def of(cls, stored: StoredPerson) -> PersonOut:
        p = stored.person
        return cls(
            id=stored.id, version=stored.version, id_number=p.id_number, name=p.name,
            sex=p.sex, birth_date=p.birth_date, nationality=p.nationality, address=p.address,
            phone=p.phone, city_code=stored.city_code,
        )  # fmt: skip


class LicenceOut(BaseModel):
    id: int
    version: int
    person_id: int
    number: str
    file_number: str
    classes: str
    class_grants: dict[str, date]
    first_issue_date: date
    valid_from: date
    valid_until: date | None
    validity_years: int | None
    status: str
    status_text: list[str]
    points: int
    cycle_start: date
    probation_end: date
    issuing_authority_code: str
    issuing_authority_name: str
    medical_exam_due: date | None
    photo_ref: str | None
    city_code: str | None

    @classmethod
    def of(cls, stored: StoredLicence) -> LicenceOut:
        lic = stored.licence
        return cls(
            id=stored.id, version=stored.version, person_id=stored.person_id, number=lic.number,
            file_number=lic.file_number, classes=lic.classes_text,
            class_grants=dict(lic.class_grants), first_issue_date=lic.first_issue_date,
            valid_from=lic.valid_from, valid_until=lic.valid_until,
            validity_years=lic.validity_years, status=lic.status_text,
            status_text=LICENCE_STATUS.texts(lic.status), points=lic.points,
            cycle_start=lic.cycle_start, probation_end=lic.probation_end(),
            issuing_authority_code=lic.issuing_authority_code,
            issuing_authority_name=lic.issuing_authority_name,
            medical_exam_due=lic.medical_exam_due, photo_ref=lic.photo_ref,
            city_code=stored.city_code,
        )  # fmt: skip


class VehicleOut(BaseModel):
    id: int
    version: int
    owner_id: int | None
    owner_id_number: str
    plate: str
    plate_type: str
    vin: str
    engine_number: str
    brand: str
    model: str
    vehicle_type: str
    use_character: str
    registration_date: date
    certificate_issue_date: date
    inspection_valid_until: date | None
    status: str
    status_text: list[str]
    seats: int | None
    gross_mass_kg: int | None
    kerb_mass_kg: int | None
    rated_load_kg: int | None
    mortgaged: bool
    van: bool
    city_code: str | None

    @classmethod
    def of(cls, stored: StoredVehicle) -> VehicleOut:
        v = stored.vehicle
        return cls(
            id=stored.id, version=stored.version, owner_id=stored.owner_id,
            owner_id_number=v.owner_id_number, plate=v.plate, plate_type=v.plate_type,
            vin=v.vin, engine_number=v.engine_number, brand=v.brand, model=v.model,
            vehicle_type=v.vehicle_type, use_character=v.use_character,
            registration_date=v.registration_date,
            certificate_issue_date=v.certificate_issue_date,
            inspection_valid_until=v.inspection_valid_until, status=v.status_text,
            status_text=VEHICLE_STATUS.texts(v.status), seats=v.seats,
            gross_mass_kg=v.gross_mass_kg, kerb_mass_kg=v.kerb_mass_kg,
            rated_load_kg=v.rated_load_kg, mortgaged=v.mortgaged, van=v.van,
            city_code=stored.city_code,
        )  # fmt: skip


class HistoryEntryOut(BaseModel):
    seq: int
    event_type: str
    on: date
    payload: dict[str, Any]
    recorded_at: datetime
    recorded_by: str

    @classmethod
    def of(cls, entry: HistoryEntry) -> HistoryEntryOut:
        return cls(
            seq=entry.seq, event_type=entry.event_type, on=entry.on, payload=entry.payload,
            recorded_at=entry.recorded_at, recorded_by=entry.recorded_by,
        )  # fmt: skip


class RecordedEventOut(BaseModel):
    event: HistoryEntryOut
    record: PersonOut | LicenceOut | VehicleOut
    replayed: bool

    @classmethod
    def of(cls, recorded: RecordedEvent) -> RecordedEventOut:
        return cls(
            event=HistoryEntryOut.of(recorded.entry),
            record=record_out(recorded.record),
            replayed=recorded.replayed,
        )


class HistoryOut(BaseModel):
    record_kind: str
    record_id: int
    events: list[HistoryEntryOut]


class EntryOut(BaseModel):
    person: PersonOut
    licence: LicenceOut | None
    vehicles: list[VehicleOut]

    @classmethod
    def of(cls, entry: RegistryEntry) -> EntryOut:
        return cls(
            person=PersonOut.of(entry.person),
            licence=None if entry.licence is None else LicenceOut.of(entry.licence),
            vehicles=[VehicleOut.of(v) for v in entry.vehicles],
        )


def record_out(
    stored: StoredPerson | StoredLicence | StoredVehicle,
) -> PersonOut | LicenceOut | VehicleOut:
    if isinstance(stored, StoredPerson):
        return PersonOut.of(stored)
    if isinstance(stored, StoredLicence):
        return LicenceOut.of(stored)
    return VehicleOut.of(stored)
