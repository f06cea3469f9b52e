"""Generation after approval: a failed attempt leaves the application approved, the
pending sweep issues it later, and no retry ever issues a second credential."""

from __future__ import annotations

from edl_fixtures import Driver, selfie
from fastapi.testclient import TestClient

from motorcred.bootstrap import Container
from motorcred.errors import Unavailable
from motorcred.services.edl_applications import ApplyRequest, EdlApplicationService
from motorcred.services.edl_generation import (
    ApprovedApplication,
    IssuanceGenerator,
    generate_pending,
)
from motorcred.services.edl_wiring import (
    build_identity_verifier,
    review_calendar,
    rollout_calendar,
)


class SignerOutage:
    """Fails the first call as a signer outage would, then issues for real."""

    def __init__(self, container: Container) -> None:
        self.real = IssuanceGenerator(container)
        self.calls = 0

    def __call__(self, application: ApprovedApplication) -> int:
        self.calls += 1
        if self.calls == 1:
            raise Unavailable("SIGNER_UNAVAILABLE", "the signer is down")
        return self.real(application)


def test_failed_generation_is_resumed_once(
    client: TestClient, container: Container, driver: Driver, holder: dict[str, str]
) -> None:
    account_id = client.get("/api/v1/accounts/me", headers=holder).json()["id"]
    outage = SignerOutage(container)
    service = EdlApplicationService(
        container,
        verifier=build_identity_verifier(container.settings),
        rollout=rollout_calendar(),
        working_days=review_calendar(),
        generator=outage,
    )
    outcome = service.apply(account_id, ApplyRequest("k-gen-0001", "on_file", live_photo=selfie()))
    assert outcome.application.state == "approved" and outcome.application.credential_id is None
    # Still open: a second application for the licence waits for this one.
    assert service.get(account_id, outcome.application.id).state == "approved"

    assert generate_pending(container, outage) == 1
    issued = service.get(account_id, outcome.application.id)
    assert issued.state == "issued" and issued.credential_id is not None
    assert container.issuance.current_edl(driver.licence_id).id == issued.credential_id
    assert generate_pending(container, outage) == 0  # nothing left approved

    # A replayed generation for the same application returns the same credential.
    with container.unit_of_work() as uow:
        from motorcred.services.devices import active_device

        device = active_device(uow, account_id)
    assert device is not None
    again = IssuanceGenerator(container)(
        ApprovedApplication(
            outcome.application.id, account_id, driver.licence_id, b"\xff\xd8", device.public_key
        )
    )
    assert again == issued.credential_id
