"""The compact offline credential the issuer signs beside the standard mdoc.

Why a second MSO: a full ISO DeviceResponse of an e-DL with every element needs
QR version 39 at error correction M, and even without the portrait the standard
MSO still carries a 32-byte digest for every element (portrait included) and
every item a 32-byte salt. At issuance the issuer therefore also signs a
*compact* MSO for offline use. It is a standard ISO 18013-5 MSO in every field
(version, SHA-256 digests, deviceKeyInfo, docType, validityInfo, status), so the
security model is unchanged, but it covers only the front-page elements, its
items use 16-byte salts (the ISO minimum), the device key is a compressed
point, and IssuerAuth names the document-signer certificate by ``kid`` instead
of carrying it (the verifier has it from the trust list).

The wallet stores it as an ordinary IssuerSigned structure
(:class:`~motorcred.formats.mdoc.IssuedDocument`), beside the standard mdoc, and
builds offline codes from it (:mod:`.present`).

Pure: the random source, times and the signer are parameters. Issuing is
prepare → sign → complete so an HSM can sign.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric import ec

from motorcred.errors import InvalidInput
from motorcred.formats.cose import (
    ALG_ES256,
    H_KID,
    PreparedSign1,
    PublicKey,
    Signer,
    cose_key_from_public,
    prepare_sign1,
)
from motorcred.formats.mdoc.doctypes import CN_DL_NS, MDL_DOCTYPE, MDL_NS, check_elements
from motorcred.formats.mdoc.issuer_signed import IssuedDocument
from motorcred.formats.mdoc.items import MIN_SALT_BYTES, IssuerSignedItem, make_item
from motorcred.formats.mdoc.mso import MSO_VERSION, MobileSecurityObject, ValidityInfo
from motorcred.formats.status_list import StatusReference

RandomSource = Callable[[int], bytes]

#: ISO 18013-5 §9.1.2.5 minimum; the standard credential uses 32.
OFFLINE_SALT_BYTES: Final = MIN_SALT_BYTES
_ORDER_BYTES: Final = 4
MAX_OFFLINE_ELEMENTS: Final = 32
#: Elements that never go into an offline code (biometric data: too large, too sensitive).
EXCLUDED_ELEMENTS: Final = frozenset({"portrait", "signature_usual_mark"})

#: The e-DL front page (DOMAIN.md §6) in mDL terms: what an offline code shows. The
#: classes travel as the registry string ("C1D") rather than ``driving_privileges``,
#: whose per-class dates belong to the second page and cost ~130 bytes of QR space.
EDL_FRONT_PAGE: Final[dict[str, tuple[str, ...]]] = {
    MDL_NS: (
        "family_name",
        "given_name",
        "sex",
        "nationality",
        "birth_date",
        "document_number",
        "issue_date",
        "expiry_date",
    ),
    CN_DL_NS: (
        "permitted_classes",
        "licence_status",
        "cumulative_points",
        "first_issue_date",
        "file_number",
    ),
}
OFFLINE_PROFILES: Final[dict[str, dict[str, tuple[str, ...]]]] = {MDL_DOCTYPE: EDL_FRONT_PAGE}


def offline_elements(
    doctype: str, namespaces: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, Any]]:
    """The part of a credential's elements that its doctype's offline profile shows."""
    profile = OFFLINE_PROFILES.get(doctype)
    if profile is None:
        raise InvalidInput(
            "OFFLINE_PROFILE_UNKNOWN", f"no offline profile for {doctype!r}; list the elements"
        )
    out: dict[str, dict[str, Any]] = {}
    for namespace, identifiers in profile.items():
        held = namespaces.get(namespace, {})
        chosen = {i: held[i] for i in identifiers if i in held}
        if chosen:
            out[namespace] = chosen
    return out


def compact_device_key(public_key: PublicKey) -> dict[int, Any]:
    """A COSE_Key with the y coordinate as its sign bit (RFC 9053 §7.1.1): 32 bytes saved."""
    key = cose_key_from_public(public_key)
    if isinstance(public_key, ec.EllipticCurvePublicKey):
        key[-3] = bool(public_key.public_numbers().y & 1)
    return key


@dataclass(frozen=True, slots=True)
class PreparedOfflineCredential:
    """Everything of the offline credential but the IssuerAuth signature."""

    sign1: PreparedSign1
    namespaces: dict[str, list[IssuerSignedItem]]
    mso: MobileSecurityObject

    @property
    def to_be_signed(self) -> bytes:
        return self.sign1.to_be_signed

    def complete(self, signature: bytes) -> IssuedDocument:
        return IssuedDocument(self.namespaces, self.sign1.complete(signature), self.mso)


def _utc(name: str, value: datetime) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise InvalidInput("MDOC_VALIDITY_INVALID", f"{name} must be a time-zone-aware datetime")
    return value.astimezone(UTC).replace(microsecond=0)


def _check(namespaces: Mapping[str, Mapping[str, Any]], doctype: str, kid: bytes) -> int:
    check_elements(doctype, namespaces)
    count = 0
    for elements in namespaces.values():
        for identifier in elements:
            if identifier in EXCLUDED_ELEMENTS:
                raise InvalidInput(
                    "OFFLINE_PORTRAIT_NOT_ALLOWED",
                    f"{identifier} is never part of an offline credential",
                )
            count += 1
    if not 0 < count <= MAX_OFFLINE_ELEMENTS:
        raise InvalidInput(
            "OFFLINE_ELEMENTS_INVALID",
            f"an offline credential holds 1..{MAX_OFFLINE_ELEMENTS} elements, not {count}",
        )
    if not isinstance(kid, bytes) or not 1 <= len(kid) <= 32:
        raise InvalidInput("OFFLINE_KID_INVALID", "kid must be 1..32 bytes")
    return count


def prepare_offline_credential(
    *,
    doctype: str,
    namespaces: Mapping[str, Mapping[str, Any]],
    device_key: PublicKey,
    signed: datetime,
    valid_from: datetime,
    valid_until: datetime,
    kid: bytes,
    status: StatusReference | None = None,
    algorithm: int = ALG_ES256,
    random: RandomSource,
) -> PreparedOfflineCredential:
    """Salt and digest the offline elements, build the compact MSO and its Sig_structure.

    ``kid`` names the DS certificate whose key will sign (see
    :func:`motorcred.formats.trust_list.certificate_kid`).
    """
    count = _check(namespaces, doctype, kid)
    validity = ValidityInfo(
        _utc("signed", signed), _utc("valid_from", valid_from), _utc("valid_until", valid_until)
    )
    if validity.valid_from < validity.signed or validity.valid_until <= validity.valid_from:
        raise InvalidInput(
            "MDOC_VALIDITY_INVALID", "validity must satisfy signed ≤ valid_from < valid_until"
        )
    need = count * (OFFLINE_SALT_BYTES + _ORDER_BYTES)
    rnd = random(need)
    if not isinstance(rnd, bytes) or len(rnd) != need:
        raise InvalidInput("MDOC_RANDOM_INVALID", f"random source must return {need} bytes")
    # Digest IDs in random order so the undisclosed digests of a code reveal nothing
    # about which elements they belong to.
    order = rnd[count * OFFLINE_SALT_BYTES :]
    ranks = sorted(range(count), key=lambda i: order[i * _ORDER_BYTES : (i + 1) * _ORDER_BYTES])
    ids = [0] * count
    for digest_id, index in enumerate(ranks):
        ids[index] = digest_id

    items: dict[str, list[IssuerSignedItem]] = {}
    digests: dict[str, dict[int, bytes]] = {}
    k = 0
    for namespace, elements in namespaces.items():
        if not elements:
            continue
        for identifier, value in elements.items():
            salt = rnd[k * OFFLINE_SALT_BYTES : (k + 1) * OFFLINE_SALT_BYTES]
            item = make_item(ids[k], salt, identifier, value)
            items.setdefault(namespace, []).append(item)
            digests.setdefault(namespace, {})[item.digest_id] = item.digest()
            k += 1
    mso = MobileSecurityObject(
        MSO_VERSION,
        "SHA-256",
        digests,
        device_key,
        {"deviceKey": compact_device_key(device_key)},
        doctype,
        validity,
        status.to_claim() if status is not None else None,
    )
    prepared = prepare_sign1(mso.encode(), algorithm=algorithm, unprotected={H_KID: kid})
    return PreparedOfflineCredential(prepared, items, mso)


def issue_offline_credential(
    *,
    doctype: str,
    namespaces: Mapping[str, Mapping[str, Any]],
    device_key: PublicKey,
    signed: datetime,
    valid_from: datetime,
    valid_until: datetime,
    kid: bytes,
    signer: Signer,
    random: RandomSource,
    status: StatusReference | None = None,
) -> IssuedDocument:
    """Prepare, sign with the DS ``signer`` and complete in one call."""
    prepared = prepare_offline_credential(
        doctype=doctype,
        namespaces=namespaces,
        device_key=device_key,
        signed=signed,
        valid_from=valid_from,
        valid_until=valid_until,
        kid=kid,
        status=status,
        algorithm=signer.algorithm,
        random=random,
    )
    return prepared.complete(signer.sign(prepared.to_be_signed))
