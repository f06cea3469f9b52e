"""Helpers for the e-VRC tests: the holder with the device key the test holds, the
registry rows (the holder's vehicle and someone else's), a vehicle maker, and applying
and verifying through the API as the holder app and a reader would."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from cbor2 import CBORTag
from device_key_helper import DeviceKey
from edl_fixtures import ID_NUMBER
from fastapi.testclient import TestClient
from signing_fixtures import Clock, Pki

from motorcred.bootstrap import Container
from motorcred.domain.vehicle import Vehicle
from motorcred.formats.cbor import dumps, encoded24
from motorcred.formats.cose_keys import LocalSigner
from motorcred.formats.mdoc.device_auth import present
from motorcred.formats.mdoc.device_response import DeviceResponse
from motorcred.formats.mdoc.doctypes import MVRC_DOCTYPE
from motorcred.formats.mdoc.issuer_signed import IssuedDocument
from motorcred.formats.mdoc.verifier import VerificationReport, verify_presentation
from motorcred.formats.mdoc.verify_status import StatusListProvider
from motorcred.formats.status_list import decode_status_list_token
from motorcred.formats.trust import TrustStore
from motorcred.formats.x509 import public_key_of
from motorcred.services.registry_mapping import vehicle_data

OTHER_ID = "440102198001021230"


@dataclass
class Holder:
    auth: dict[str, str]
    device: DeviceKey


@dataclass
class Registry:
    owner_id: int
    other_id: int
    vehicle_id: int
    vehicle: Vehicle
    others_vehicle_id: int

    def set_vehicle(self, container: Container, vehicle: Vehicle) -> None:
        self.vehicle = vehicle
        with container.unit_of_work() as uow:
            uow.vehicles.update(
                self.vehicle_id,
                vehicle_data(vehicle, self.owner_id, "110100"),
                now=container.clock(),
            )
            uow.commit()


def make_vehicle(owner_id_number: str = ID_NUMBER, plate: str = "京A12345") -> Vehicle:
    return Vehicle.create(
        plate=plate,
        plate_type="02",
        vin="UU6JA69691D713820" if plate == "京A12345" else "1M8GDM9AXKP042788",
        engine_number="2ZR1234567",
        brand="丰田",
        model="卡罗拉",
        vehicle_type="K33",
        use_character="A",
        owner_id_number=owner_id_number,
        registration_date=date(2020, 5, 10),
        inspection_valid_until=date(2027, 5, 31),
        seats=5,
        gross_mass_kg=1800,
        kerb_mass_kg=1300,
    )


SESSION = encoded24(dumps([CBORTag(24, dumps({0: "1.0"})), CBORTag(24, dumps({1: 2})), None]))
URL = "/api/v1/evrc/applications"


def apply(client: TestClient, holder: Holder, key: str = "evrc-key-0001", **body: Any) -> Any:
    return client.post(
        URL, json=body or {"plate": "京A·12345"}, headers={**holder.auth, "Idempotency-Key": key}
    )


def verify(
    container: Container, pki: Pki, clock: Clock, credential: dict[str, Any], holder: Holder
) -> VerificationReport:
    """Present on the holder's device and verify as a reader would, status from the list."""
    issued = IssuedDocument.decode(bytes.fromhex(credential["document"]))
    document = present(
        issued, device_signer=LocalSigner(holder.device.private), session_transcript=SESSION
    )
    published = container.status_lists.publish(credential["status_list_id"])
    uri = container.status_lists.uri(credential["status_list_id"])
    token = decode_status_list_token(
        published.token, now=clock(), expected_uri=uri, verify_key=public_key_of(pki.ds)
    )
    return verify_presentation(
        DeviceResponse([document]).encode(),
        trust=TrustStore(container.keystore.trust_anchors()),
        now=clock(),
        session_transcript_bytes=SESSION,
        status=StatusListProvider({uri: token.status_list}),
        expected_doctype=MVRC_DOCTYPE,
    )
