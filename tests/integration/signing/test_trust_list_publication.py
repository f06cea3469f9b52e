"""GET /api/v1/trust-list: the signed list offline verifiers sync, cached by ETag."""

from __future__ import annotations

import os
from datetime import timedelta

from cryptography.hazmat.primitives.asymmetric import ec
from fastapi.testclient import TestClient
from signing_fixtures import ISSUER, Clock, Pki

from motorcred.bootstrap import Container
from motorcred.entrypoints.api.app import create_app
from motorcred.formats.cose import LocalSigner
from motorcred.formats.mdoc import MDL_DOCTYPE, MDL_NS
from motorcred.formats.offline_presentation import (
    issue_offline_credential,
    offline_code,
    present_offline,
    verify_offline_code,
)
from motorcred.formats.trust_list import TYP_TRUST_LIST, certificate_kid, load_trust_list
from motorcred.formats.x509 import create_document_signer


def _client(container: Container) -> TestClient:
    return TestClient(create_app(container.settings, container=container))


def test_published_list_verifies_codes_of_every_live_ds(
    container: Container, pki: Pki, clock: Clock
) -> None:
    # A second DS during a rotation: codes signed by either must verify offline.
    new_key = ec.generate_private_key(ec.SECP256R1())
    new_ds = create_document_signer(
        new_key.public_key(),
        iaca_cert=pki.iaca,
        iaca_key=pki.iaca_key,
        common_name="motorcred test DS 2",
        not_before=clock.now - timedelta(days=1),
        not_after=clock.now + timedelta(days=365),
        serial_number=3,
    )
    container.keystore.add_document_signer(ISSUER, "ds2", new_key, new_ds, make_current=True)
    response = _client(container).get("/api/v1/trust-list")
    assert response.status_code == 200
    assert response.headers["content-type"] == TYP_TRUST_LIST
    assert int(response.headers["cache-control"].split("max-age=")[1]) >= 60
    listed = load_trust_list(response.content, anchors=[pki.iaca])
    assert {certificate_kid(c) for c in listed.ds} == {
        certificate_kid(pki.ds),
        certificate_kid(new_ds),
    }
    assert listed.time_problem(clock.now) is None

    device = ec.generate_private_key(ec.SECP256R1())
    for key, cert in ((pki.ds_key, pki.ds), (new_key, new_ds)):
        credential = issue_offline_credential(
            doctype=MDL_DOCTYPE,
            namespaces={MDL_NS: {"family_name": "OUYANG", "given_name": "XIAOMING"}},
            device_key=device.public_key(),
            signed=clock.now - timedelta(hours=1),
            valid_from=clock.now - timedelta(hours=1),
            valid_until=clock.now + timedelta(days=30),
            kid=certificate_kid(cert),
            signer=LocalSigner(key),
            random=os.urandom,
        )
        code = offline_code(
            present_offline(
                credential,
                device_signer=LocalSigner(device),
                presented_at=clock.now,
                nonce=os.urandom(16),
            )
        )
        result = verify_offline_code(code, listed, None, clock.now + timedelta(seconds=5))
        assert result.valid, result.failures


def test_etag_revalidation_and_change(container: Container, pki: Pki, clock: Clock) -> None:
    client = _client(container)
    first = client.get("/api/v1/trust-list")
    etag = first.headers["etag"]
    again = client.get("/api/v1/trust-list", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    clock.advance(minutes=10)
    assert client.get("/api/v1/trust-list").content == first.content  # signed once, cached
    clock.advance(hours=13)  # past half of the one-day validity: signed afresh
    renewed = client.get("/api/v1/trust-list", headers={"If-None-Match": etag})
    assert renewed.status_code == 200 and renewed.headers["etag"] != etag
    assert load_trust_list(renewed.content).issued == clock.now.replace(microsecond=0)


def test_no_keystore_is_a_configuration_error(container: Container) -> None:
    response = _client(container).get("/api/v1/trust-list")
    assert response.status_code == 500
    assert response.json()["code"] == "TRUST_LIST_NO_ISSUER"
