"""The e-DL's status-list entry follows the licence: suspended while a sanction lasts,
valid again once lifted, and revoked for good when the licence ends."""

from __future__ import annotations

import pytest
from edl_registry_fixtures import record, registered_licence_with_edl, status_of
from signing_fixtures import Pki

from motorcred.bootstrap import Container
from motorcred.errors import NotFound
from motorcred.services.status_lists import STATUS_INVALID, STATUS_SUSPENDED, STATUS_VALID


@pytest.mark.parametrize(
    ("imposed", "lifted"),
    [("suspended", "suspension_lifted"), ("detained", "detention_lifted")],
)
def test_a_sanction_suspends_the_edl_and_lifting_it_makes_it_valid_again(
    container: Container, pki: Pki, imposed: str, lifted: str
) -> None:
    licence_id, credential = registered_licence_with_edl(container)
    assert status_of(container, credential) == STATUS_VALID
    record(container, licence_id, imposed)
    assert status_of(container, credential) == STATUS_SUSPENDED
    assert container.issuance.current_edl(licence_id).id == credential.id  # still the same one
    record(container, licence_id, lifted)
    assert status_of(container, credential) == STATUS_VALID


def test_an_event_that_leaves_the_licence_usable_leaves_the_edl_valid(
    container: Container, pki: Pki
) -> None:
    licence_id, credential = registered_licence_with_edl(container)
    record(container, licence_id, "status_marked", code="N")
    assert status_of(container, credential) == STATUS_VALID


@pytest.mark.parametrize(
    ("ending", "lifted"),
    [("revoked", "revocation_lifted"), ("cancelled", "cancellation_lifted")],
)
def test_an_ending_event_revokes_the_edl_for_good(
    container: Container, pki: Pki, ending: str, lifted: str
) -> None:
    licence_id, credential = registered_licence_with_edl(container)
    record(container, licence_id, ending)
    assert status_of(container, credential) == STATUS_INVALID
    with pytest.raises(NotFound):
        container.issuance.current_edl(licence_id)
    record(container, licence_id, lifted)
    assert status_of(container, credential) == STATUS_INVALID  # never resurrected


def test_a_revocation_while_suspended_stays_invalid_after_both_are_lifted(
    container: Container, pki: Pki
) -> None:
    licence_id, credential = registered_licence_with_edl(container)
    record(container, licence_id, "suspended")
    record(container, licence_id, "revoked")
    assert status_of(container, credential) == STATUS_INVALID
    record(container, licence_id, "suspension_lifted")
    record(container, licence_id, "revocation_lifted")
    assert status_of(container, credential) == STATUS_INVALID
