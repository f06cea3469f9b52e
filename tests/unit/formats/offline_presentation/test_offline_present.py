"""The holder's side: what prepare_offline_presentation refuses before a code is shown."""

from __future__ import annotations

import os
from datetime import timedelta

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from offline_fixture import NOW, Pki, issue_credential, make_pki, trust_list

from motorcred.errors import InvalidInput
from motorcred.formats.cbor import loads, unwrap24
from motorcred.formats.cose import H_KID, CoseSign1, LocalSigner, sign1
from motorcred.formats.mdoc import IssuedDocument
from motorcred.formats.offline_presentation import (
    offline_code,
    prepare_offline_presentation,
    verify_offline_code,
)


@pytest.fixture(scope="module")
def setting() -> tuple[Pki, ec.EllipticCurvePrivateKey, IssuedDocument]:
    pki = make_pki()
    device = ec.generate_private_key(ec.SECP256R1())
    return pki, device, issue_credential(pki, device)


def test_a_non_canonical_mso_is_refused(
    setting: tuple[Pki, ec.EllipticCurvePrivateKey, IssuedDocument],
) -> None:
    pki, _, credential = setting
    assert credential.issuer_auth.payload is not None
    mso = unwrap24(loads(credential.issuer_auth.payload), what="MSO")
    # Same content, keys in reverse order: valid CBOR, signed, but not canonical.
    shuffled = dict(reversed(list(mso.items())))
    payload = cbor2.dumps(cbor2.CBORTag(24, cbor2.dumps(shuffled, datetime_as_timestamp=False)))
    auth = sign1(payload, LocalSigner(pki.ds_key), unprotected={H_KID: pki.kid})
    odd = IssuedDocument(credential.namespaces, auth, credential.mso)
    with pytest.raises(InvalidInput) as exc:
        prepare_offline_presentation(odd, presented_at=NOW, nonce=os.urandom(16))
    assert exc.value.code == "OFFLINE_CREDENTIAL_NOT_CANONICAL"


def test_a_credential_naming_no_certificate_is_refused(
    setting: tuple[Pki, ec.EllipticCurvePrivateKey, IssuedDocument],
) -> None:
    _, _, credential = setting
    auth = credential.issuer_auth
    bare = CoseSign1(auth.protected_bytes, auth.protected, {}, auth.payload, auth.signature)
    with pytest.raises(InvalidInput) as exc:
        prepare_offline_presentation(
            IssuedDocument(credential.namespaces, bare, credential.mso),
            presented_at=NOW,
            nonce=os.urandom(16),
        )
    assert exc.value.code == "OFFLINE_CREDENTIAL_INVALID"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"nonce": b"short"}, "OFFLINE_NONCE_INVALID"),
        ({"presented_at": NOW.replace(tzinfo=None)}, "OFFLINE_TIME_INVALID"),
        ({"disclose": {"org.iso.18013.5.1": []}}, "OFFLINE_NOTHING_DISCLOSED"),
    ],
)
def test_bad_arguments(
    setting: tuple[Pki, ec.EllipticCurvePrivateKey, IssuedDocument],
    kwargs: dict[str, object],
    code: str,
) -> None:
    _, _, credential = setting
    args: dict[str, object] = {"presented_at": NOW - timedelta(seconds=5), "nonce": os.urandom(16)}
    args.update(kwargs)
    with pytest.raises(InvalidInput) as exc:
        prepare_offline_presentation(credential, **args)  # type: ignore[arg-type]
    assert exc.value.code == code


def test_prepare_then_complete_with_an_external_signer(
    setting: tuple[Pki, ec.EllipticCurvePrivateKey, IssuedDocument],
) -> None:
    pki, device, credential = setting
    prepared = prepare_offline_presentation(credential, presented_at=NOW, nonce=os.urandom(16))
    # The secure element sees only the bytes to sign.
    signature = LocalSigner(device).sign(prepared.to_be_signed)
    presentation = prepared.complete(signature)
    assert presentation.device_signature.signature == signature
    result = verify_offline_code(
        offline_code(presentation), trust_list(pki), None, NOW + timedelta(seconds=10)
    )
    assert result.valid and result.device_auth == "ok"
