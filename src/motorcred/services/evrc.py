"""Applying for an e-VRC: the registered owner gets it at once, bound to the phone's key.

One command, :meth:`EvrcService.apply`, idempotent by the client's key:

1. the account must be bound to a registry person (``ACCOUNT_NOT_BOUND``) and hold an
   active device key (``DEVICE_NOT_BOUND``): the e-VRC is bound to that key;
2. the vehicle is named by plate or by registry id (``VEHICLE_NOT_FOUND``);
3. rollout and eligibility (``domain/vrc_eligibility.py``): every refusal is raised at
   once as ``Refused`` with ``details.refusals``; nothing is written;
4. the signing service issues the ``org.iso.7367.1.mVRC`` mdoc with a status-list
   entry (no photo, so no review): reserve → sign → store, keyed by the account and
   the client's key, so a retry answers the credential already issued. Warnings
   (an overdue inspection) travel with the answer.

A retry with a key already used is answered from the stored credential without
checking again, so the answer does not change when the registry does; the same key
for another vehicle or device is ``IDEMPOTENCY_KEY_REUSED``.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Final

from motorcred.adapters.db.repositories.credentials import CredentialRow
from motorcred.adapters.db.uow import UnitOfWork
from motorcred.domain.eligibility import Refusal
from motorcred.domain.plates import parse_plate
from motorcred.domain.rollout import RolloutCalendar
from motorcred.domain.vrc_eligibility import check_vrc_eligibility, evrc_rollout_refusal
from motorcred.errors import InvalidInput, NotFound, Refused
from motorcred.services.devices import active_device
from motorcred.services.issuance import KIND_EVRC, IssuedCredential, VehicleSubject
from motorcred.services.issuance_steps import issued
from motorcred.services.registry_mapping import StoredVehicle
from motorcred.services.registry_store import RegistryStore

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ec

    from motorcred.bootstrap import Container

_KEY: Final = re.compile(r"[A-Za-z0-9._:\-]{8,128}")
AUTHORITY_SUFFIX: Final = "公安局交通管理局车辆管理所"
"""The issuing office is the vehicle administration office of the vehicle's city."""


@dataclass(frozen=True)
class EvrcApplyRequest:
    idempotency_key: str
    plate: str | None = None
    vehicle_id: int | None = None


@dataclass(frozen=True)
class EvrcIssued:
    credential: IssuedCredential
    vehicle_id: int
    plate: str
    warnings: tuple[Refusal, ...]
    replayed: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "vehicle_id": self.vehicle_id,
            "plate": self.plate,
            "warnings": [w.to_dict() for w in self.warnings],
            "credential": credential_view(self.credential),
        }


def credential_view(credential: IssuedCredential) -> dict[str, Any]:
    """What the holder app stores: ids, state, validity and the IssuerSigned document.

    An e-DL also carries ``offline_document``, its compact offline credential as base64
    CBOR, from which the app builds ``MC1:`` codes with no network."""
    return {
        "id": credential.id,
        "kind": credential.kind,
        "state": credential.state,
        "status_list_id": credential.status_list_id,
        "status_index": credential.status_index,
        "issued_at": credential.issued_at.isoformat(),
        "valid_until": credential.valid_until.isoformat(),
        "superseded_id": credential.superseded_id,
        "document": credential.document.hex(),
        "offline_document": (
            None
            if credential.offline_document is None
            else base64.b64encode(credential.offline_document).decode("ascii")
        ),
    }


class EvrcService:
    def __init__(self, container: Container, *, rollout: RolloutCalendar) -> None:
        self._c = container
        self._rollout = rollout

    def apply(self, account_id: int, request: EvrcApplyRequest) -> EvrcIssued:
        """Issue (or on retry return) the e-VRC of the account's vehicle."""
        if not _KEY.fullmatch(request.idempotency_key):
            raise InvalidInput(
                "IDEMPOTENCY_KEY_FORMAT",
                "the Idempotency-Key is 8-128 of A-Z a-z 0-9 . _ : -",
                details={"field": "idempotency_key"},
            )
        application_id = f"{account_id}:{request.idempotency_key}"
        today = self._c.clock().date()
        with self._c.unit_of_work() as uow:
            applicant_id_number, device_key = _applicant(uow, account_id)
            store = RegistryStore(uow)
            vehicle = _vehicle(store, request)
            # A vehicle without an owner is refused by RegistryStore.vehicle (OWNER_NOT_FOUND).
            assert vehicle.owner_id is not None
            owner = store.person(vehicle.owner_id).person
            earlier = uow.credentials.by_idempotency_key(f"{KIND_EVRC}:{application_id}")
        replayed = earlier is not None and earlier.state != "pending"
        answer = check_vrc_eligibility(vehicle.vehicle, applicant_id_number, today)
        if not replayed:
            self._refuse_if_ineligible(vehicle, answer.refusals, today)
        city = self._rollout.city(self._area(vehicle))
        credential = self._c.issuance.issue_evrc(
            account_id=account_id,
            subject=VehicleSubject(
                vehicle.id, vehicle.vehicle, owner, f"{city.name}{AUTHORITY_SUFFIX}"
            ),
            device_key=device_key,
            application_id=application_id,
        )
        return EvrcIssued(
            credential, vehicle.id, vehicle.vehicle.plate, answer.warnings, replayed=replayed
        )

    def _refuse_if_ineligible(
        self, vehicle: StoredVehicle, refusals: tuple[Refusal, ...], today: date
    ) -> None:
        found: list[Refusal] = []
        if not any(r.code == "VEHICLE_NOT_OWNED" for r in refusals):
            # The city's start date is only news to the owner.
            rollout = evrc_rollout_refusal(self._rollout, self._area(vehicle), today)
            if rollout is not None:
                found.append(rollout)
        found.extend(refusals)
        if found:
            raise Refused(
                found[0].code,
                "; ".join(r.message_en for r in found),
                details={"refusals": [r.to_dict() for r in found]},
            )

    @staticmethod
    def _area(vehicle: StoredVehicle) -> str:
        # Registry rows imported without a city fall back to the owner's birthplace
        # area code, as e-DL applications do with the licence number.
        return vehicle.city_code or vehicle.vehicle.owner_id_number[:6]

    def credentials(self, account_id: int) -> list[dict[str, Any]]:
        """The account's active credentials (e-DL and e-VRC), for the holder app."""
        with self._c.unit_of_work() as uow:
            rows = uow.credentials.active_for_account(account_id)
            views = [_view(uow, row) for row in rows]
        return views


def _view(uow: UnitOfWork, row: CredentialRow) -> dict[str, Any]:
    view: dict[str, Any] = {"doctype": row.doctype, "subject_kind": row.subject_kind}
    view["subject_id"] = row.subject_id
    if row.document is not None:
        view.update(credential_view(issued(row, uow.credentials.predecessor_id(row.id))))
    return view


def _applicant(uow: UnitOfWork, account_id: int) -> tuple[str, ec.EllipticCurvePublicKey]:
    account = uow.accounts.get(account_id)
    if account is None or account.person_id is None:
        raise Refused(
            "ACCOUNT_NOT_BOUND",
            "bind the account to your registry record (ID number, name, code) first",
        )
    device = active_device(uow, account_id)
    if device is None:
        raise Refused(
            "DEVICE_NOT_BOUND",
            "register this phone's device key first; the e-VRC is bound to it",
        )
    return RegistryStore(uow).person(account.person_id).person.id_number, device.public_key


def _vehicle(store: RegistryStore, request: EvrcApplyRequest) -> StoredVehicle:
    if (request.plate is None) == (request.vehicle_id is None):
        raise InvalidInput(
            "VEHICLE_REFERENCE_REQUIRED",
            "name the vehicle by its plate or by its vehicle id (one of them)",
            details={"field": "plate"},
        )
    if request.vehicle_id is not None:
        return store.vehicle(request.vehicle_id)
    assert request.plate is not None
    plate = parse_plate(request.plate)
    record = store.uow.vehicles.get_by_plate(plate)
    if record is None:
        raise NotFound("VEHICLE_NOT_FOUND", f"no vehicle with plate {plate}")
    return store.vehicle(record.id)
