"""Document, DeviceSigned and DeviceResponse (ISO 18013-5 §8.3.2.1.2.2).

``motorcred mdoc issue`` writes a DeviceResponse whose Document has no
``deviceSigned`` (an issued, not yet presented credential); ``mdoc present``
adds it. So ``deviceSigned`` is optional here and the verifier decides whether
a presentation needs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from motorcred.errors import MalformedData
from motorcred.formats.cbor import (
    CBORTag,
    array_of_encoded,
    canonical_map,
    dumps,
    inner24,
    loads,
)
from motorcred.formats.cose import CoseMac0, CoseSign1
from motorcred.formats.mdoc.issuer_signed import IssuedDocument

RESPONSE_VERSION = "1.0"
STATUS_OK = 0
MAX_DOCUMENTS = 16
_K_DOCTYPE = dumps("docType")
_K_ISSUER_SIGNED = dumps("issuerSigned")
_K_DEVICE_SIGNED = dumps("deviceSigned")
_K_ERRORS = dumps("errors")
_K_VERSION = dumps("version")
_K_STATUS = dumps("status")
_K_DOCUMENTS = dumps("documents")
_K_DOCUMENT_ERRORS = dumps("documentErrors")


def _bad(code: str, message: str) -> MalformedData:
    return MalformedData(code, message)


@dataclass(frozen=True, slots=True)
class DeviceSigned:
    """``{"nameSpaces": #6.24(DeviceNameSpaces), "deviceAuth": {deviceSignature | deviceMac}}``."""

    namespaces_bytes: bytes  # the bstr inside tag 24, as signed
    device_auth: CoseSign1 | CoseMac0

    @property
    def namespaces(self) -> dict[str, dict[str, Any]]:
        """The decoded DeviceNameSpaces (checked by :meth:`from_cbor`)."""
        value: dict[str, dict[str, Any]] = loads(self.namespaces_bytes)
        return value

    def to_cbor(self) -> dict[str, Any]:
        key = "deviceSignature" if isinstance(self.device_auth, CoseSign1) else "deviceMac"
        return {
            "nameSpaces": CBORTag(24, self.namespaces_bytes),
            "deviceAuth": {key: self.device_auth.to_cbor()},
        }

    @classmethod
    def from_cbor(cls, obj: Any) -> DeviceSigned:
        code = "MDOC_DEVICE_SIGNED_MALFORMED"
        if not isinstance(obj, dict) or obj.keys() != {"nameSpaces", "deviceAuth"}:
            raise _bad(code, "deviceSigned must hold exactly nameSpaces and deviceAuth")
        try:
            inner = inner24(obj["nameSpaces"], what="DeviceNameSpacesBytes")
            namespaces = loads(inner)
        except MalformedData as exc:
            raise _bad(code, exc.message) from None
        if not isinstance(namespaces, dict) or not all(
            isinstance(ns, str) and isinstance(els, dict) and all(isinstance(i, str) for i in els)
            for ns, els in namespaces.items()
        ):
            raise _bad(code, "DeviceNameSpaces must map namespaces to element maps")
        auth = obj["deviceAuth"]
        if not isinstance(auth, dict) or len(auth) != 1:
            raise _bad(code, "deviceAuth must hold exactly one of deviceSignature, deviceMac")
        ((kind, value),) = auth.items()
        if not isinstance(value, list):
            raise _bad(code, f"{kind} must be an untagged COSE array")
        if kind == "deviceSignature":
            return cls(inner, CoseSign1.decode(value))
        if kind == "deviceMac":
            return cls(inner, CoseMac0.decode(value))
        raise _bad(code, f"deviceAuth holds an unknown kind {kind!r}")


@dataclass(frozen=True, slots=True)
class Document:
    doctype: str
    issuer_signed: IssuedDocument
    device_signed: DeviceSigned | None = None
    errors: dict[str, Any] | None = None

    def to_cbor(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "docType": self.doctype,
            "issuerSigned": self.issuer_signed.to_cbor(),
        }
        if self.device_signed is not None:
            out["deviceSigned"] = self.device_signed.to_cbor()
        if self.errors:
            out["errors"] = self.errors
        return out

    def encode(self) -> bytes:
        """``dumps(self.to_cbor())``, reusing the IssuerSigned bytes (items are encoded once)."""
        entries = [
            (_K_DOCTYPE, dumps(self.doctype)),
            (_K_ISSUER_SIGNED, self.issuer_signed.encode()),
        ]
        if self.device_signed is not None:
            entries.append((_K_DEVICE_SIGNED, dumps(self.device_signed.to_cbor())))
        if self.errors:
            entries.append((_K_ERRORS, dumps(self.errors)))
        return canonical_map(entries)

    @classmethod
    def decode(cls, data: bytes) -> Document:
        return cls.from_cbor(loads(data))

    @classmethod
    def from_cbor(cls, obj: Any) -> Document:
        code = "MDOC_DOCUMENT_MALFORMED"
        if not isinstance(obj, dict) or not {"docType", "issuerSigned"} <= obj.keys():
            raise _bad(code, "Document must hold docType and issuerSigned")
        if not obj.keys() <= {"docType", "issuerSigned", "deviceSigned", "errors"}:
            raise _bad(code, "Document has unexpected fields")
        doctype = obj["docType"]
        if not isinstance(doctype, str) or not doctype:
            raise _bad(code, "docType must be a non-empty text string")
        errors = obj.get("errors")
        if errors is not None and not isinstance(errors, dict):
            raise _bad(code, "errors must be a map")
        device = obj.get("deviceSigned")
        return cls(
            doctype,
            IssuedDocument.from_cbor(obj["issuerSigned"]),
            None if device is None else DeviceSigned.from_cbor(device),
            errors,
        )


@dataclass(frozen=True, slots=True)
class DeviceResponse:
    documents: list[Document]
    status: int = STATUS_OK
    version: str = RESPONSE_VERSION
    document_errors: list[Any] | None = None

    def to_cbor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": self.version, "status": self.status}
        if self.documents:
            out["documents"] = [d.to_cbor() for d in self.documents]
        if self.document_errors:
            out["documentErrors"] = self.document_errors
        return out

    def encode(self) -> bytes:
        """``dumps(self.to_cbor())``, each Document encoded by :meth:`Document.encode`."""
        entries = [(_K_VERSION, dumps(self.version)), (_K_STATUS, dumps(self.status))]
        if self.documents:
            entries.append((_K_DOCUMENTS, array_of_encoded([d.encode() for d in self.documents])))
        if self.document_errors:
            entries.append((_K_DOCUMENT_ERRORS, dumps(self.document_errors)))
        return canonical_map(entries)

    @classmethod
    def decode(cls, data: bytes) -> DeviceResponse:
        return cls.from_cbor(loads(data))

    @classmethod
    def from_cbor(cls, obj: Any) -> DeviceResponse:
        code = "MDOC_RESPONSE_MALFORMED"
        if not isinstance(obj, dict) or not {"version", "status"} <= obj.keys():
            raise _bad(code, "DeviceResponse must hold version and status")
        if not obj.keys() <= {"version", "status", "documents", "documentErrors"}:
            raise _bad(code, "DeviceResponse has unexpected fields")
        version, status = obj["version"], obj["status"]
        if not isinstance(version, str) or not version.startswith("1."):
            raise _bad(code, f"unsupported DeviceResponse version {version!r}")
        if type(status) is not int or status < 0:
            raise _bad(code, "status must be an unsigned integer")
        documents = obj.get("documents", [])
        if not isinstance(documents, list) or len(documents) > MAX_DOCUMENTS:
            raise _bad(code, f"documents must be an array of at most {MAX_DOCUMENTS}")
        errors = obj.get("documentErrors")
        if errors is not None and not isinstance(errors, list):
            raise _bad(code, "documentErrors must be an array")
        return cls([Document.from_cbor(d) for d in documents], status, version, errors)
