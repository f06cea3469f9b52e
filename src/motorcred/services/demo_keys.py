"""Signing keys for the demo profile, so a fresh embedded install can issue at once.

Production keystores are filled by staff (`motorcred keys add-issuer|add|use`, with the IACA
private key kept offline). The demo profile has nobody to do that, so on first start it
creates a demo IACA and one document-signer key for the configured issuer. The demo IACA
private key is written next to the keystore (owner-only) so `motorcred pki issue-ds` can
rotate the demo DS key; it never exists outside the demo profile.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from motorcred.adapters.keystore import FileKeystore
from motorcred.formats.x509 import IssuerName, create_document_signer, create_iaca

IACA_YEARS = 10
DS_DAYS = 730


@dataclass(frozen=True)
class DemoKeys:
    issuer: str
    key_id: str
    iaca_key_path: Path


def ensure_demo_keys(keystore: FileKeystore, issuer: str, now: datetime) -> DemoKeys | None:
    """Create a demo IACA and current DS key for ``issuer``; ``None`` when it already has one."""
    if issuer in keystore.issuers():
        return None
    start = now.replace(microsecond=0) - timedelta(days=1)
    iaca_key = ec.generate_private_key(ec.SECP256R1())
    iaca = create_iaca(
        iaca_key,
        name=IssuerName("CN", "motorcred demo IACA"),
        not_before=start,
        not_after=start + timedelta(days=365 * IACA_YEARS),
        serial_number=secrets.randbits(63) | 1,
        issuer_alt_name="https://demo.motorcred.invalid",
    )
    ds_key = ec.generate_private_key(ec.SECP256R1())
    ds = create_document_signer(
        ds_key.public_key(),
        iaca_cert=iaca,
        iaca_key=iaca_key,
        common_name="motorcred demo DS",
        not_before=start,
        not_after=start + timedelta(days=DS_DAYS),
        serial_number=secrets.randbits(63) | 1,
    )
    keystore.add_issuer(issuer, iaca)
    key_id = "demo-ds-1"
    keystore.add_document_signer(issuer, key_id, ds_key, ds, make_current=True)
    iaca_key_path = keystore.root.parent / f"demo-iaca-{issuer}.key.pem"
    pem = iaca_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    # Owner-only from the first byte: never a moment with a world-readable key.
    fd = os.open(iaca_key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    return DemoKeys(issuer=issuer, key_id=key_id, iaca_key_path=iaca_key_path)
