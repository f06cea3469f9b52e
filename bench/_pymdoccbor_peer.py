"""Driving pymdoccbor (the peer we compare with) on the benchmark's mDL.

pymdoccbor takes dates as ISO strings (it tags ``birth_date``/``issue_date``/
``expiry_date`` with 1004 itself) and a COSE key dict, and it mutates the data
it is given, so every issuance gets a fresh copy (made outside the timed call).
Its verifier checks the issuer signature, the DS certificate against the given
roots and the value digests; it does not check device authentication.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pymdoccbor.mdoc.issuer import MdocCborIssuer
from pymdoccbor.mdoc.verifier import MdocCbor

from _mdl_fixture import DOCTYPE, NAMESPACE, Pki, elements


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def issuer_input() -> dict[str, Any]:
    """A fresh copy of the mDL in pymdoccbor's input shape."""
    return {NAMESPACE: {k: _plain(v) for k, v in elements().items()}}


def make_issuer(pki: Pki) -> MdocCborIssuer:
    d = pki.ds_key.private_numbers().private_value.to_bytes(32, "big")
    key = {"KTY": "EC2", "CURVE": "P_256", "ALG": "ES256", "D": d, "KID": b"bench-ds"}
    return MdocCborIssuer(private_key=key, alg="ES256")


def issue(issuer: MdocCborIssuer, pki: Pki, data: dict[str, Any]) -> bytes:
    """Issue one mDL; returns the CBOR of pymdoccbor's ``{version, documents, status}``."""
    pub = pki.device_key.public_key().public_numbers()
    device_key = {
        "KTY": "EC2",
        "CURVE": "P_256",
        "X": pub.x.to_bytes(32, "big"),
        "Y": pub.y.to_bytes(32, "big"),
    }
    issuer.new(
        data=data,
        doctype=DOCTYPE,
        validity={"issuance_date": "2026-01-01", "expiry_date": "2030-01-01"},
        devicekeyinfo=device_key,
        x509_chain=[pki.ds_cert],
    )
    blob: bytes = issuer.dump()
    return blob


def verify(blob: bytes, pki: Pki) -> bool:
    """pymdoccbor's full verification: signature, DS chain to the root, value digests."""
    mdoc = MdocCbor()
    mdoc.loads(blob)
    ok: bool = mdoc.verify(trusted_root_certs=[pki.iaca_cert])
    return ok
