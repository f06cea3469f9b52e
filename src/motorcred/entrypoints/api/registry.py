"""Registry admin API (staff only): persons, licences, vehicles, events, history, search.

``POST`` creates (201; 200 when the identical record already exists, so a
retry is harmless) and honours an ``Idempotency-Key`` header. ``PATCH``
corrects descriptive fields and takes ``expected_version`` (409
``RECORD_CONFLICT`` when the record changed meanwhile). Acts that change a
record — points, suspensions, class changes, renewals, transfers — are posted
as events. Validation failures are 422 problem+json with the rule's stable
code and a JSON pointer to the offending request field.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Request, Response, status

from motorcred.domain.person import Person
from motorcred.domain.vehicle import Vehicle
from motorcred.entrypoints.api.deps import Staff, get_container, require_staff
from motorcred.entrypoints.api.registry_models import (
    EntryOut,
    EventCreate,
    HistoryEntryOut,
    HistoryOut,
    LicenceCreate,
    LicenceOut,
    LicencePatch,
    PersonCreate,
    PersonOut,
    PersonPatch,
    RecordedEventOut,
    SearchRequest,
    VehicleCreate,
    VehicleOut,
    VehiclePatch,
)
from motorcred.errors import InvalidInput
from motorcred.services.registry import RegistryService
from motorcred.services.registry_events import RegistryEventService
from motorcred.services.registry_inputs import build_licence

router = APIRouter(
    prefix="/api/v1/registry", tags=["registry"], dependencies=[Depends(require_staff)]
)

IdempotencyKey = Annotated[
    str | None,
    Header(max_length=128, description="Retry-safe key; the same key replays the first result."),
]
Kind = Literal["persons", "licences", "vehicles"]
_SINGULAR: dict[str, str] = {"persons": "person", "licences": "licence", "vehicles": "vehicle"}
# Domain field names that the request spells differently.
_REQUEST_FIELD = {"class_grants": "classes", "number": "person_id"}


# Fields of the event body itself; every other field an event names is inside its payload.
_EVENT_BODY_FIELDS = frozenset({"event_type", "payload", "record_kind"})


@contextmanager
def pointing_at(prefix: str = "") -> Iterator[None]:
    """Add a JSON pointer to the request field a domain validation error names."""
    try:
        yield
    except InvalidInput as exc:
        name = exc.details.get("field")
        if isinstance(name, str) and "pointer" not in exc.details:
            base = "" if name in _EVENT_BODY_FIELDS else prefix
            exc.details["pointer"] = f"{base}/{_REQUEST_FIELD.get(name, name)}"
        raise


def _registry(request: Request) -> RegistryService:
    service: RegistryService = get_container(request).registry
    return service


def _events(request: Request) -> RegistryEventService:
    service: RegistryEventService = get_container(request).registry_events
    return service


def _created(response: Response, created: bool) -> None:
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK


def _changes(body: PersonPatch | LicencePatch | VehiclePatch) -> tuple[dict[str, Any], int | None]:
    values = body.model_dump(exclude_unset=True)
    return {k: v for k, v in values.items() if k != "expected_version"}, values.get(
        "expected_version"
    )


# ---------------------------------------------------------------------- persons


@router.post("/persons", status_code=201, summary="Register a person")
def create_person(
    body: PersonCreate, request: Request, response: Response, idempotency_key: IdempotencyKey = None
) -> PersonOut:
    with pointing_at():
        person = Person.create(**body.model_dump(exclude={"city_code"}))
        result = _registry(request).create_person(
            person, city_code=body.city_code, idempotency_key=idempotency_key
        )
    _created(response, result.created)
    return PersonOut.of(result.record)


@router.get("/persons/{person_id}", summary="Read a person")
def get_person(person_id: int, request: Request) -> PersonOut:
    return PersonOut.of(_registry(request).get_person(person_id))


@router.patch("/persons/{person_id}", summary="Correct a person's details")
def patch_person(person_id: int, body: PersonPatch, request: Request) -> PersonOut:
    changes, version = _changes(body)
    with pointing_at():
        stored = _registry(request).update_person(person_id, changes, expected_version=version)
    return PersonOut.of(stored)


# ---------------------------------------------------------------------- licences


@router.post("/licences", status_code=201, summary="Register a driving licence")
def create_licence(
    body: LicenceCreate,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> LicenceOut:
    registry = _registry(request)
    holder = registry.get_person(body.person_id)
    with pointing_at():
        licence = build_licence(
            number=holder.person.id_number,
            as_of=get_container(request).clock().date(),
            **body.model_dump(exclude={"person_id", "city_code"}),
        )
        result = registry.create_licence(
            body.person_id, licence, city_code=body.city_code, idempotency_key=idempotency_key
        )
    _created(response, result.created)
    return LicenceOut.of(result.record)


@router.get("/licences/{licence_id}", summary="Read a driving licence")
def get_licence(licence_id: int, request: Request) -> LicenceOut:
    return LicenceOut.of(_registry(request).get_licence(licence_id))


@router.patch("/licences/{licence_id}", summary="Correct a licence's descriptive fields")
def patch_licence(licence_id: int, body: LicencePatch, request: Request) -> LicenceOut:
    changes, version = _changes(body)
    with pointing_at():
        stored = _registry(request).update_licence(licence_id, changes, expected_version=version)
    return LicenceOut.of(stored)


# ---------------------------------------------------------------------- vehicles


@router.post("/vehicles", status_code=201, summary="Register a vehicle")
def create_vehicle(
    body: VehicleCreate,
    request: Request,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> VehicleOut:
    with pointing_at():
        vehicle = Vehicle.create(**body.model_dump(exclude={"city_code"}))
        result = _registry(request).create_vehicle(
            vehicle, city_code=body.city_code, idempotency_key=idempotency_key
        )
    _created(response, result.created)
    return VehicleOut.of(result.record)


@router.get("/vehicles/{vehicle_id}", summary="Read a vehicle")
def get_vehicle(vehicle_id: int, request: Request) -> VehicleOut:
    return VehicleOut.of(_registry(request).get_vehicle(vehicle_id))


@router.patch("/vehicles/{vehicle_id}", summary="Correct a vehicle's descriptive fields")
def patch_vehicle(vehicle_id: int, body: VehiclePatch, request: Request) -> VehicleOut:
    changes, version = _changes(body)
    with pointing_at():
        stored = _registry(request).update_vehicle(vehicle_id, changes, expected_version=version)
    return VehicleOut.of(stored)


# ---------------------------------------------------------------------- events, search


@router.post(
    "/{kind}/{record_id}/events", status_code=201, summary="Record an event that changes a record"
)
def post_event(
    kind: Kind,
    record_id: int,
    body: EventCreate,
    request: Request,
    response: Response,
    staff: Staff,
    idempotency_key: IdempotencyKey = None,
) -> RecordedEventOut:
    with pointing_at("/payload"):
        recorded = _events(request).record(
            _SINGULAR[kind],
            record_id,
            body.event_type,
            body.payload,
            recorded_by=staff.subject,
            expected_version=body.expected_version,
            idempotency_key=idempotency_key,
        )
    if recorded.replayed:
        response.status_code = status.HTTP_200_OK
    return RecordedEventOut.of(recorded)


@router.get("/{kind}/{record_id}/history", summary="The events of a record, oldest first")
def get_history(kind: Kind, record_id: int, request: Request) -> HistoryOut:
    entries = _events(request).history(_SINGULAR[kind], record_id)
    return HistoryOut(
        record_kind=_SINGULAR[kind],
        record_id=record_id,
        events=[HistoryEntryOut.of(e) for e in entries],
    )


@router.post("/search", summary="Find a person with licence and vehicles by one key")
def search(body: SearchRequest, request: Request) -> EntryOut:
    with pointing_at():
        entry = _registry(request).find(**body.model_dump())
    return EntryOut.of(entry)
