"""Issuing an mdoc: items with fresh salts, the MSO, and IssuerAuth (prepare → sign → complete).

Pure: the random source, the clock readings and the signer are parameters. Digest
IDs are a random permutation of ``0..n-1`` over all elements, so neither the
IDs nor the digest map order reveal the order or the names of the elements.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from motorcred.errors import InvalidInput
from motorcred.formats.cose import (
    ALG_ES256,
    H_X5CHAIN,
    PreparedSign1,
    PublicKey,
    Signer,
    prepare_sign1,
)
from motorcred.formats.mdoc.doctypes import check_elements
from motorcred.formats.mdoc.issuer_signed import IssuedDocument
from motorcred.formats.mdoc.items import SALT_BYTES, IssuerSignedItem, make_items
from motorcred.formats.mdoc.mso import MobileSecurityObject, ValidityInfo
from motorcred.formats.signer import sign_prepared

RandomSource = Callable[[int], bytes]
_ID_BYTES = 4


@dataclass(frozen=True, slots=True)
class PreparedIssue:
    """Everything of an issued document but the IssuerAuth signature."""

    sign1: PreparedSign1
    namespaces: dict[str, list[IssuerSignedItem]]
    mso: MobileSecurityObject

    @property
    def to_be_signed(self) -> bytes:
        return self.sign1.to_be_signed

    @property
    def algorithm(self) -> int:
        return self.sign1.algorithm

    def complete(self, signature: bytes) -> IssuedDocument:
        return IssuedDocument(self.namespaces, self.sign1.complete(signature), self.mso)


def _utc_seconds(name: str, value: datetime) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput("MDOC_VALIDITY_INVALID", f"{name} must be a time-zone-aware datetime")
    return value.astimezone(UTC).replace(microsecond=0)


def _validity(
    signed: datetime,
    valid_from: datetime,
    valid_until: datetime,
    expected_update: datetime | None,
) -> ValidityInfo:
    info = ValidityInfo(
        _utc_seconds("signed", signed),
        _utc_seconds("valid_from", valid_from),
        _utc_seconds("valid_until", valid_until),
        None if expected_update is None else _utc_seconds("expected_update", expected_update),
    )
    # ISO 18013-5 §9.1.2.4: validFrom ≥ signed, validUntil > validFrom.
    if info.valid_from < info.signed:
        raise InvalidInput("MDOC_VALIDITY_INVALID", "valid_from lies before the signing time")
    if info.valid_until <= info.valid_from:
        raise InvalidInput("MDOC_VALIDITY_INVALID", "valid_until must lie after valid_from")
    return info


def _check_status(status: Mapping[str, Any] | None) -> None:
    if status is None:
        return
    entry = status.get("status_list") if isinstance(status, Mapping) else None
    if (
        not isinstance(entry, Mapping)
        or type(entry.get("idx")) is not int
        or entry["idx"] < 0
        or not isinstance(entry.get("uri"), str)
        or not entry["uri"]
    ):
        raise InvalidInput(
            "MDOC_STATUS_INVALID",
            'status must be {"status_list": {"idx": non-negative int, "uri": non-empty text}}',
        )


def _permutation(n: int, rnd: bytes) -> list[int]:
    """Fisher–Yates driven by 4 random bytes per step (bias < 2^-20 for n < 4096)."""
    ids = list(range(n))
    for i in range(n - 1, 0, -1):
        j = int.from_bytes(rnd[i * _ID_BYTES : (i + 1) * _ID_BYTES], "big") % (i + 1)
        ids[i], ids[j] = ids[j], ids[i]
    return ids


def prepare_issue(
    *,
    doctype: str,
    namespaces: Mapping[str, Mapping[str, Any]],
    device_key: PublicKey,
    signed: datetime,
    valid_from: datetime,
    valid_until: datetime,
    expected_update: datetime | None = None,
    status: Mapping[str, Any] | None = None,
    cert_chain: Sequence[bytes],
    algorithm: int = ALG_ES256,
    random: RandomSource,
) -> PreparedIssue:
    """Check the elements, salt and digest them, build the MSO and the Sig_structure."""
    check_elements(doctype, namespaces, mandatory=True)
    validity = _validity(signed, valid_from, valid_until, expected_update)
    _check_status(status)
    chain = list(cert_chain)
    if not chain or not all(isinstance(c, bytes) and c for c in chain):
        raise InvalidInput("MDOC_CERT_CHAIN_INVALID", "cert_chain must hold DER certificates")

    count = sum(len(elements) for elements in namespaces.values())
    need = count * (SALT_BYTES + _ID_BYTES)
    rnd = random(need)
    if not isinstance(rnd, bytes) or len(rnd) != need:
        raise InvalidInput("MDOC_RANDOM_INVALID", f"random source must return {need} bytes")
    ids = _permutation(count, rnd[count * SALT_BYTES :])

    items: dict[str, list[IssuerSignedItem]] = {}
    digests: dict[str, dict[int, bytes]] = {}
    k = 0
    for namespace, elements in namespaces.items():
        n = len(elements)
        items[namespace], digests[namespace] = make_items(
            elements, ids[k : k + n], rnd[k * SALT_BYTES : (k + n) * SALT_BYTES]
        )
        k += n

    mso = MobileSecurityObject.build(
        doctype=doctype,
        value_digests=digests,
        device_key=device_key,
        validity=validity,
        status=status,
    )
    prepared = prepare_sign1(
        mso.encode(),
        algorithm=algorithm,
        unprotected={H_X5CHAIN: chain[0] if len(chain) == 1 else chain},
    )
    return PreparedIssue(prepared, items, mso)


def issue(
    *,
    doctype: str,
    namespaces: Mapping[str, Mapping[str, Any]],
    device_key: PublicKey,
    signed: datetime,
    valid_from: datetime,
    valid_until: datetime,
    expected_update: datetime | None = None,
    status: Mapping[str, Any] | None = None,
    cert_chain: Sequence[bytes],
    signer: Signer,
    random: RandomSource,
) -> IssuedDocument:
    """Prepare, sign with ``signer`` and complete in one call."""
    prepared = prepare_issue(
        doctype=doctype,
        namespaces=namespaces,
        device_key=device_key,
        signed=signed,
        valid_from=valid_from,
        valid_until=valid_until,
        expected_update=expected_update,
        status=status,
        cert_chain=cert_chain,
        algorithm=signer.algorithm,
        random=random,
    )
    return sign_prepared(prepared, signer)
