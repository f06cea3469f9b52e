"""Helpers for the e-DL-follows-the-registry tests: the licence of ``make_subject``
stored in the registry, an e-DL issued for it, its current status-list value, and
recording a licence event as staff would."""

from __future__ import annotations

from typing import Any

from signing_fixtures import device_key, make_subject

from motorcred.bootstrap import Container
from motorcred.services.issuance import IssuedCredential
from motorcred.services.registry_mapping import licence_data, person_data


def registered_licence_with_edl(container: Container) -> tuple[int, IssuedCredential]:
    """Store the person and licence in the registry and issue their e-DL."""
    subject = make_subject()
    now = container.clock()
    with container.unit_of_work() as uow:
        person_id = uow.persons.add(person_data(subject.person, "110100"), now=now)
        licence_id = uow.licences.add(licence_data(subject.licence, person_id, "110100"), now=now)
        uow.commit()
    credential = container.issuance.issue_edl(
        account_id=None,
        subject=make_subject(licence_id),
        device_key=device_key().public_key(),
        application_id=f"app-{licence_id}",
    )
    return licence_id, credential


def status_of(container: Container, credential: IssuedCredential) -> int:
    return container.status_lists.status_of(credential.status_list_id, credential.status_index)


def record(container: Container, licence_id: int, event_type: str, **payload: Any) -> None:
    on = container.clock().date().isoformat()
    container.registry_events.record(
        "licence", licence_id, event_type, {"on": on, **payload}, recorded_by="staff"
    )
