"""The compact offline credential issued with every e-DL, on the database under test:
stored with the credential, given to the holder as base64 CBOR, and turned by the
holder's device into an ``MC1:`` code that verifies offline against the published trust
list and status list, and reports a suspension."""

from __future__ import annotations

import base64
import os
from datetime import timedelta

from cryptography.hazmat.primitives.asymmetric import ec
from signing_fixtures import Clock, Pki, device_key, make_subject

from motorcred.bootstrap import Container
from motorcred.formats.cose import LocalSigner
from motorcred.formats.mdoc import MDL_NS
from motorcred.formats.mdoc.issuer_signed import IssuedDocument
from motorcred.formats.offline_presentation import (
    OfflineResult,
    StatusCache,
    offline_code,
    present_offline,
    verify_offline_code,
)
from motorcred.formats.trust_list import load_trust_list
from motorcred.services.evrc import credential_view
from motorcred.services.issuance import IssuedCredential


def _issue(container: Container, holder: ec.EllipticCurvePrivateKey) -> IssuedCredential:
    return container.issuance.issue_edl(
        account_id=None,
        subject=make_subject(),
        device_key=holder.public_key(),
        application_id="offline-1",
    )


def _check_offline(
    container: Container,
    pki: Pki,
    clock: Clock,
    offline_b64: str,
    holder: ec.EllipticCurvePrivateKey,
    status_list_id: int,
) -> OfflineResult:
    """Build a code on the holder's device and verify it as an offline verifier would."""
    credential = IssuedDocument.decode(base64.b64decode(offline_b64))
    code = offline_code(
        present_offline(
            credential,
            device_signer=LocalSigner(holder),
            presented_at=clock(),
            nonce=os.urandom(16),
        )
    )
    now = clock() + timedelta(seconds=5)
    trust_list = load_trust_list(container.trust_list.publish().data, anchors=[pki.iaca])
    token = container.status_lists.publish(status_list_id).token
    cache, problems = StatusCache.load([token], trust_list=trust_list, now=now)
    assert problems == []
    return verify_offline_code(code, trust_list, cache, now)


def test_edl_comes_with_an_offline_credential_that_verifies_and_follows_status(
    container: Container, pki: Pki, clock: Clock
) -> None:
    holder = device_key()
    credential = _issue(container, holder)
    view = credential_view(credential)
    assert isinstance(view["offline_document"], str)
    # Stored with the credential: the holder's list answers the same bytes.
    stored = container.issuance.current_edl(make_subject().licence_id)
    assert stored.offline_document == credential.offline_document
    assert credential_view(stored)["offline_document"] == view["offline_document"]

    offline = IssuedDocument.decode(base64.b64decode(view["offline_document"]))
    standard = IssuedDocument.decode(credential.document)
    assert offline.item(MDL_NS, "portrait") is None
    family = offline.item(MDL_NS, "family_name")
    assert family is not None and family.value == "OUYANG"
    assert offline.mso.validity == standard.mso.validity
    assert offline.mso.status == standard.mso.status
    assert isinstance(offline.mso.device_key, ec.EllipticCurvePublicKey)
    assert offline.mso.device_key.public_numbers() == holder.public_key().public_numbers()

    result = _check_offline(
        container, pki, clock, view["offline_document"], holder, credential.status_list_id
    )
    assert result.valid, result.failures
    assert result.status == "valid"

    assert container.issuance.suspend(make_subject().licence_id)
    suspended = _check_offline(
        container, pki, clock, view["offline_document"], holder, credential.status_list_id
    )
    assert not suspended.valid
    assert "MDOC_STATUS_SUSPENDED" in {f.code for f in suspended.failures}


def test_a_code_signed_by_another_device_key_is_refused(
    container: Container, pki: Pki, clock: Clock
) -> None:
    credential = _issue(container, device_key())
    view = credential_view(credential)
    result = _check_offline(
        container, pki, clock, view["offline_document"], device_key(), credential.status_list_id
    )
    assert not result.valid
    assert "OFFLINE_DEVICE_SIGNATURE_INVALID" in {f.code for f in result.failures}
