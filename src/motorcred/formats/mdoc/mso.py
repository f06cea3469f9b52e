"""MobileSecurityObject (ISO 18013-5 §9.1.2.4): the digests the issuer signs.

The MSO travels as the IssuerAuth payload, ``MobileSecurityObjectBytes =
#6.24(bstr .cbor MobileSecurityObject)``. Besides the ISO fields it may carry a
``status`` reference to a Token Status List entry
(``{"status_list": {"idx": uint, "uri": tstr}}``, draft-ietf-oauth-status-list).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import cbor2

from motorcred.errors import MalformedData, MotorcredError
from motorcred.formats.cbor import (
    canonical_map,
    dumps,
    dumps_simple,
    encoded24,
    head,
    loads,
    unwrap24,
)
from motorcred.formats.cose import PublicKey, cose_key_from_public, public_key_from_cose_key
from motorcred.formats.mdoc.items import MAX_DIGEST_ID, digest_function

MSO_VERSION = "1.0"
_MSO_KEYS = frozenset(
    {"version", "digestAlgorithm", "valueDigests", "deviceKeyInfo", "docType", "validityInfo"}
)
_MSO_OPTIONAL = frozenset({"status"})
_VALIDITY_KEYS = frozenset({"signed", "validFrom", "validUntil"})


def _bad(message: str) -> MalformedData:
    return MalformedData("MDOC_MSO_MALFORMED", f"MobileSecurityObject: {message}")


@dataclass(frozen=True, slots=True)
class ValidityInfo:
    signed: datetime
    valid_from: datetime
    valid_until: datetime
    expected_update: datetime | None = None

    def to_cbor(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "signed": self.signed,
            "validFrom": self.valid_from,
            "validUntil": self.valid_until,
        }
        if self.expected_update is not None:
            out["expectedUpdate"] = self.expected_update
        return out

    @classmethod
    def from_cbor(cls, obj: Any) -> ValidityInfo:
        if not isinstance(obj, dict) or not obj.keys() >= _VALIDITY_KEYS:
            raise _bad("validityInfo must hold signed, validFrom and validUntil")
        if not obj.keys() <= _VALIDITY_KEYS | {"expectedUpdate"}:
            raise _bad("validityInfo has unexpected fields")
        for key, value in obj.items():
            if not isinstance(value, datetime):
                raise _bad(f"validityInfo.{key} must be a tdate")
        return cls(obj["signed"], obj["validFrom"], obj["validUntil"], obj.get("expectedUpdate"))


@dataclass(frozen=True, slots=True)
class MobileSecurityObject:
    version: str
    digest_algorithm: str
    value_digests: dict[str, dict[int, bytes]]
    device_key: PublicKey
    device_key_info: dict[str, Any]
    doctype: str
    validity: ValidityInfo
    status: dict[str, Any] | None = None

    @classmethod
    def build(
        cls,
        *,
        doctype: str,
        value_digests: dict[str, dict[int, bytes]],
        device_key: PublicKey,
        validity: ValidityInfo,
        status: Mapping[str, Any] | None = None,
        digest_algorithm: str = "SHA-256",
    ) -> MobileSecurityObject:
        return cls(
            MSO_VERSION,
            digest_algorithm,
            value_digests,
            device_key,
            {"deviceKey": cose_key_from_public(device_key)},
            doctype,
            validity,
            dict(status) if status is not None else None,
        )

    def to_cbor(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "version": self.version,
            "digestAlgorithm": self.digest_algorithm,
            "valueDigests": self.value_digests,
            "deviceKeyInfo": self.device_key_info,
            "docType": self.doctype,
            "validityInfo": self.validity.to_cbor(),
        }
        if self.status is not None:
            out["status"] = self.status
        return out

    def encode(self) -> bytes:
        """The IssuerAuth payload: ``#6.24(bstr .cbor MobileSecurityObject)``.

        Equal to ``dumps(CBORTag(24, dumps(self.to_cbor())))``, assembled from
        its parts: the valueDigests table (one entry per element) is most of the
        MSO and encodes much faster without the general canonical encoder.
        """
        entries = [
            (_K_VERSION, dumps_simple(self.version)),
            (_K_DIGEST_ALGORITHM, dumps_simple(self.digest_algorithm)),
            (_K_VALUE_DIGESTS, _encode_value_digests(self.value_digests)),
            (_K_DEVICE_KEY_INFO, dumps_simple(self.device_key_info)),
            (_K_DOCTYPE, dumps_simple(self.doctype)),
            (_K_VALIDITY_INFO, _encode_validity(self.validity)),
        ]
        if self.status is not None:
            entries.append((_K_STATUS, dumps_simple(self.status)))
        return encoded24(canonical_map(entries))

    @classmethod
    def decode(cls, payload: bytes) -> MobileSecurityObject:
        """Parse the IssuerAuth payload strictly; any shape error → ``MDOC_MSO_MALFORMED``."""
        try:
            obj = unwrap24(loads(payload), what="MobileSecurityObjectBytes")
        except MalformedData as exc:
            raise _bad(exc.message) from None
        return cls.from_cbor(obj)

    @classmethod
    def from_cbor(cls, obj: Any) -> MobileSecurityObject:
        if not isinstance(obj, dict):
            raise _bad("must be a map")
        missing = _MSO_KEYS - obj.keys()
        if missing:
            raise _bad(f"lacks {sorted(missing)}")
        extra = obj.keys() - _MSO_KEYS - _MSO_OPTIONAL
        if extra:
            raise _bad(f"has unexpected fields {sorted(map(str, extra))}")
        version, alg, doctype = obj["version"], obj["digestAlgorithm"], obj["docType"]
        if version != MSO_VERSION:
            raise _bad(f"version must be {MSO_VERSION!r}, not {version!r}")
        if not isinstance(alg, str):
            raise _bad("digestAlgorithm must be a text string")
        digest_size = digest_function(alg)().digest_size
        if not isinstance(doctype, str) or not doctype:
            raise _bad("docType must be a non-empty text string")
        digests = _value_digests(obj["valueDigests"], digest_size)
        key_info = obj["deviceKeyInfo"]
        if not isinstance(key_info, dict) or "deviceKey" not in key_info:
            raise _bad("deviceKeyInfo must be a map holding deviceKey")
        if not key_info.keys() <= {"deviceKey", "keyAuthorizations", "keyInfo"}:
            raise _bad("deviceKeyInfo has unexpected fields")
        try:
            device_key = public_key_from_cose_key(key_info["deviceKey"])
        except MotorcredError as exc:
            raise _bad(f"deviceKey: {exc.message}") from None
        status = obj.get("status")
        if status is not None and not isinstance(status, dict):
            raise _bad("status must be a map")
        validity = ValidityInfo.from_cbor(obj["validityInfo"])
        return cls(version, alg, digests, device_key, key_info, doctype, validity, status)


_K_VERSION = dumps("version")
_K_DIGEST_ALGORITHM = dumps("digestAlgorithm")
_K_VALUE_DIGESTS = dumps("valueDigests")
_K_DEVICE_KEY_INFO = dumps("deviceKeyInfo")
_K_DOCTYPE = dumps("docType")
_K_VALIDITY_INFO = dumps("validityInfo")
_K_STATUS = dumps("status")
_K_SIGNED = dumps("signed")
_K_VALID_FROM = dumps("validFrom")
_K_VALID_UNTIL = dumps("validUntil")
_K_EXPECTED_UPDATE = dumps("expectedUpdate")


def _tdate(value: datetime) -> bytes:
    if value.tzinfo is None:
        return dumps(value)  # refused there, with the project's error
    text = value.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    return b"\xc0" + cbor2.dumps(text)  # tag 0, as dumps() writes a tdate


def _encode_validity(validity: ValidityInfo) -> bytes:
    entries = [
        (_K_SIGNED, _tdate(validity.signed)),
        (_K_VALID_FROM, _tdate(validity.valid_from)),
        (_K_VALID_UNTIL, _tdate(validity.valid_until)),
    ]
    if validity.expected_update is not None:
        entries.append((_K_EXPECTED_UPDATE, _tdate(validity.expected_update)))
    return canonical_map(entries)


def _encode_value_digests(value_digests: dict[str, dict[int, bytes]]) -> bytes:
    # Text, unsigned integers and byte strings have one encoding only, so the plain
    # (non-canonical, much cheaper) cbor2 encoder gives the canonical bytes for them.
    # Unsigned integer keys sort canonically in numeric order.
    plain = cbor2.dumps
    return canonical_map(
        [
            (
                plain(namespace),
                head(5, len(digests))
                + b"".join(
                    [
                        (_UINT_CODES[i] if i < _UINT_CODE_COUNT else plain(i))
                        + head(2, len(digests[i]))
                        + digests[i]
                        for i in sorted(digests)
                    ]
                ),
            )
            for namespace, digests in value_digests.items()
        ]
    )


_UINT_CODE_COUNT = 1024
#: The encodings of the digest IDs a document of up to 1024 elements uses.
_UINT_CODES = tuple(cbor2.dumps(i) for i in range(_UINT_CODE_COUNT))


def _value_digests(obj: Any, size: int) -> dict[str, dict[int, bytes]]:
    if not isinstance(obj, dict) or not obj:
        raise _bad("valueDigests must be a non-empty map")
    out: dict[str, dict[int, bytes]] = {}
    for namespace, digests in obj.items():
        if not isinstance(namespace, str) or not isinstance(digests, dict):
            raise _bad("valueDigests must map namespaces to digest maps")
        for digest_id, digest in digests.items():
            if type(digest_id) is not int or not 0 <= digest_id <= MAX_DIGEST_ID:
                raise _bad(f"digest ID {digest_id!r} in {namespace} is not an unsigned integer")
            if not isinstance(digest, bytes) or len(digest) != size:
                raise _bad(f"digest {digest_id} in {namespace} must be {size} bytes")
        out[namespace] = digests
    return out
