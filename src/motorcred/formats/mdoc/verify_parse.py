"""Reading what a verifier receives: DeviceResponse, Document or IssuerSigned, and the MSO.

The verifier must accept structures from any ISO/IEC 18013-5 issuer, so this
module reads them from the decoded CBOR by shape alone and keeps the exact
received bytes wherever a digest or signature is computed over them (each
IssuerSignedItemBytes, the MSO, DeviceNameSpacesBytes). Shape errors raise
``MalformedData("MDOC_MALFORMED", …)``; the verifier turns them into a
reported failure rather than letting them escape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from cbor2 import CBORTag

from motorcred.errors import MalformedData
from motorcred.formats.cbor import TAG_ENCODED_CBOR, ItemDecoder, embedded24, encoded24, loads
from motorcred.formats.cose import CoseMac0, CoseSign1

#: Largest presentation we decode (portraits included). Annex D is 3.5 KB.
MAX_RESPONSE_SIZE: Final = 4 * 1024 * 1024
MAX_DEPTH: Final = 24
MAX_DOCUMENTS: Final = 16
MAX_ELEMENTS: Final = 1024
#: ISO 18013-5 §9.1.2.5: ``random`` is at least 16 bytes so digests cannot be guessed.
MIN_RANDOM_LENGTH: Final = 16


def malformed(message: str) -> MalformedData:
    return MalformedData("MDOC_MALFORMED", message)


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise malformed(f"{what} must be a text string")
    return value


def _map(value: Any, what: str) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise malformed(f"{what} must be a map")
    return value


def _uint(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise malformed(f"{what} must be an unsigned integer")
    return value


def tag24_bytes(value: Any, what: str) -> bytes:
    """The byte string inside ``#6.24(bstr)``."""
    if not isinstance(value, CBORTag) or value.tag != TAG_ENCODED_CBOR:
        raise malformed(f"{what} must be tag 24 (embedded CBOR)")
    if not isinstance(value.value, bytes):
        raise malformed(f"{what}: tag 24 must wrap a byte string")
    return value.value


def decode_embedded(inner: bytes, what: str, decoder: ItemDecoder | None = None) -> Any:
    try:
        if decoder is not None:
            return decoder.loads(inner)
        return loads(inner, max_size=MAX_RESPONSE_SIZE, max_depth=MAX_DEPTH)
    except MalformedData as exc:
        raise MalformedData("MDOC_MALFORMED", f"{what}: {exc.message}") from None


@dataclass(frozen=True, slots=True)
class DisclosedItem:
    """One IssuerSignedItem and the exact bytes its digest covers."""

    namespace: str
    digest_id: int
    identifier: str
    value: Any
    tagged_bytes: bytes  # the full #6.24(bstr) encoding


@dataclass(slots=True)
class DeviceSignedPart:
    namespaces_tagged: bytes  # DeviceNameSpacesBytes, full tag-24 encoding
    signature: CoseSign1 | None
    mac: CoseMac0 | None


@dataclass(slots=True)
class ParsedDocument:
    doctype: str | None  # None for a bare IssuerSigned (taken from the MSO then)
    issuer_auth: CoseSign1
    items: list[DisclosedItem] = field(default_factory=list)
    device_signed: DeviceSignedPart | None = None


@dataclass(frozen=True, slots=True)
class ValidityInfo:
    signed: datetime
    valid_from: datetime
    valid_until: datetime
    expected_update: datetime | None


@dataclass(frozen=True, slots=True)
class ParsedMso:
    version: str
    digest_algorithm: str
    value_digests: dict[str, dict[int, bytes]]
    device_key: Any  # the COSE_Key map, parsed by the device-auth step
    doctype: str
    validity: ValidityInfo
    status: Any | None


_ITEM_KEYS: Final = frozenset({"digestID", "random", "elementIdentifier", "elementValue"})


def _well_formed_items(
    ns_name: str, entries: list[Any], decoder: ItemDecoder
) -> list[DisclosedItem]:
    """The namespace's items when every one is well-formed, decoded in one batch (exact type
    tests: the verifier's per-element hot path); an empty list when any is not, so that
    :func:`_item` goes through them one by one and names what is wrong."""
    inners: list[bytes] = []
    for entry in entries:
        if type(entry) is not CBORTag or entry.tag != TAG_ENCODED_CBOR:
            return []
        inners.append(entry.value)
    decoded = decoder.loads_each(inners)
    if decoded is None:
        return []
    out: list[DisclosedItem] = []
    keys = _ITEM_KEYS
    for inner, item in zip(inners, decoded, strict=True):
        if type(item) is not dict or not item.keys() >= keys:
            return []
        random, digest_id, identifier = item["random"], item["digestID"], item["elementIdentifier"]
        if (
            type(random) is not bytes
            or len(random) < MIN_RANDOM_LENGTH
            or type(digest_id) is not int
            or digest_id < 0
            or type(identifier) is not str
        ):
            return []
        out.append(
            DisclosedItem(ns_name, digest_id, identifier, item["elementValue"], encoded24(inner))
        )
    return out


def _item(ns_name: str, entry: Any) -> DisclosedItem:
    """Check one IssuerSignedItem step by step; raises ``MDOC_MALFORMED`` naming the fault."""
    inner = tag24_bytes(entry, f"an IssuerSignedItem in {ns_name!r}")
    item = _map(decode_embedded(inner, "IssuerSignedItem"), "IssuerSignedItem")
    for key in ("digestID", "random", "elementIdentifier", "elementValue"):
        if key not in item:
            raise malformed(f"IssuerSignedItem in {ns_name!r} lacks {key}")
    random = item["random"]
    if not isinstance(random, bytes) or len(random) < MIN_RANDOM_LENGTH:
        raise malformed(f"IssuerSignedItem random must be ≥ {MIN_RANDOM_LENGTH} bytes")
    return DisclosedItem(
        namespace=ns_name,
        digest_id=_uint(item["digestID"], "digestID"),
        identifier=_text(item["elementIdentifier"], "elementIdentifier"),
        value=item["elementValue"],
        tagged_bytes=encoded24(inner),
    )


def _items(namespaces: Any) -> list[DisclosedItem]:
    out: list[DisclosedItem] = []
    decoder = ItemDecoder(max_size=MAX_RESPONSE_SIZE, max_depth=MAX_DEPTH)
    for ns, entries in _map(namespaces, "IssuerSigned.nameSpaces").items():
        ns_name = _text(ns, "namespace name")
        if not isinstance(entries, list) or not entries:
            raise malformed(f"namespace {ns_name!r} must hold a non-empty array of items")
        if len(out) + len(entries) > MAX_ELEMENTS:
            raise malformed(f"more than {MAX_ELEMENTS} disclosed elements")
        out.extend(
            _well_formed_items(ns_name, entries, decoder) or [_item(ns_name, e) for e in entries]
        )
    return out


def parse_issuer_signed(obj: Any, doctype: str | None) -> ParsedDocument:
    issuer_signed = _map(obj, "IssuerSigned")
    if "issuerAuth" not in issuer_signed:
        raise malformed("IssuerSigned lacks issuerAuth")
    try:
        auth = CoseSign1.decode(issuer_signed["issuerAuth"])
        auth.x5chain  # noqa: B018 - shape-checked here so a bad one is MDOC_MALFORMED
    except MalformedData as exc:
        raise MalformedData("MDOC_MALFORMED", f"issuerAuth: {exc.message}") from None
    items = _items(issuer_signed["nameSpaces"]) if "nameSpaces" in issuer_signed else []
    return ParsedDocument(doctype=doctype, issuer_auth=auth, items=items)


def _device_signed(obj: Any) -> DeviceSignedPart:
    signed = _map(obj, "deviceSigned")
    if "nameSpaces" not in signed or "deviceAuth" not in signed:
        raise malformed("deviceSigned needs nameSpaces and deviceAuth")
    inner = tag24_bytes(signed["nameSpaces"], "DeviceNameSpacesBytes")
    _map(decode_embedded(inner, "DeviceNameSpaces"), "DeviceNameSpaces")
    auth = _map(signed["deviceAuth"], "deviceAuth")
    if len(auth) != 1 or not ({"deviceSignature", "deviceMac"} & auth.keys()):
        raise malformed("deviceAuth must hold exactly one of deviceSignature or deviceMac")
    try:
        if "deviceSignature" in auth:
            return DeviceSignedPart(
                encoded24(inner), CoseSign1.decode(auth["deviceSignature"]), None
            )
        return DeviceSignedPart(encoded24(inner), None, CoseMac0.decode(auth["deviceMac"]))
    except MalformedData as exc:
        raise MalformedData("MDOC_MALFORMED", f"deviceAuth: {exc.message}") from None


def parse_document(obj: Any) -> ParsedDocument:
    doc = _map(obj, "Document")
    if "docType" not in doc or "issuerSigned" not in doc:
        raise malformed("Document needs docType and issuerSigned")
    parsed = parse_issuer_signed(doc["issuerSigned"], _text(doc["docType"], "docType"))
    if "deviceSigned" in doc:
        parsed.device_signed = _device_signed(doc["deviceSigned"])
    return parsed


@dataclass(slots=True)
class ParsedInput:
    kind: str  # "DeviceResponse" | "Document" | "IssuerSigned"
    documents: list[Any]  # raw Document / IssuerSigned maps, parsed one by one
    response_status: int | None = None


def parse_input(data: bytes) -> ParsedInput:
    """Decode the outer CBOR and tell a DeviceResponse, a Document and an IssuerSigned apart."""
    try:
        top = loads(data, max_size=MAX_RESPONSE_SIZE, max_depth=MAX_DEPTH)
    except MalformedData as exc:
        raise MalformedData("MDOC_MALFORMED", f"not decodable CBOR: {exc.message}") from None
    if not isinstance(top, dict):
        raise malformed("expected a DeviceResponse, Document or IssuerSigned map")
    if "documents" in top or ("version" in top and "status" in top):
        documents = top.get("documents", [])
        if not isinstance(documents, list):
            raise malformed("DeviceResponse.documents must be an array")
        if len(documents) > MAX_DOCUMENTS:
            raise malformed(f"more than {MAX_DOCUMENTS} documents")
        status = top.get("status")
        return ParsedInput(
            "DeviceResponse", documents, _uint(status, "status") if status is not None else None
        )
    if "docType" in top:
        return ParsedInput("Document", [top])
    if "issuerAuth" in top:
        return ParsedInput("IssuerSigned", [top])
    raise malformed("expected a DeviceResponse, Document or IssuerSigned map")


def _tdate(value: Any, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise malformed(f"validityInfo.{what} must be a tdate (tag 0)")
    return value


def parse_mso(payload: bytes | None) -> ParsedMso:
    """Decode MobileSecurityObjectBytes (the IssuerAuth payload, ``#6.24(bstr .cbor MSO)``)."""
    if payload is None:
        raise malformed("issuerAuth has no payload (the MSO)")
    inner = embedded24(payload)
    if inner is None:  # not the plain shape: decoded strictly, so the fault is named
        wrapped = decode_embedded(payload, "MobileSecurityObjectBytes")
        inner = tag24_bytes(wrapped, "MobileSecurityObjectBytes")
    mso = _map(decode_embedded(inner, "MSO"), "MSO")
    for key in ("version", "digestAlgorithm", "valueDigests", "deviceKeyInfo", "docType"):
        if key not in mso:
            raise malformed(f"MSO lacks {key}")
    if "validityInfo" not in mso:
        raise malformed("MSO lacks validityInfo")
    digests: dict[str, dict[int, bytes]] = {}
    for ns, by_id in _map(mso["valueDigests"], "valueDigests").items():
        table: dict[int, bytes] = _map(by_id, "valueDigests entry")
        if not all(type(i) is int and i >= 0 and type(d) is bytes for i, d in table.items()):
            table = {}  # not all well-formed: find the first fault and name it
            for digest_id, digest in by_id.items():
                if not isinstance(digest, bytes):
                    raise malformed("a value digest must be a byte string")
                table[_uint(digest_id, "digestID")] = digest
        digests[_text(ns, "valueDigests namespace")] = table
    key_info = _map(mso["deviceKeyInfo"], "deviceKeyInfo")
    if "deviceKey" not in key_info:
        raise malformed("deviceKeyInfo lacks deviceKey")
    info = _map(mso["validityInfo"], "validityInfo")
    for key in ("signed", "validFrom", "validUntil"):
        if key not in info:
            raise malformed(f"validityInfo lacks {key}")
    expected = info.get("expectedUpdate")
    validity = ValidityInfo(
        signed=_tdate(info["signed"], "signed"),
        valid_from=_tdate(info["validFrom"], "validFrom"),
        valid_until=_tdate(info["validUntil"], "validUntil"),
        expected_update=_tdate(expected, "expectedUpdate") if expected is not None else None,
    )
    return ParsedMso(
        version=_text(mso["version"], "MSO version"),
        digest_algorithm=_text(mso["digestAlgorithm"], "digestAlgorithm"),
        value_digests=digests,
        device_key=key_info["deviceKey"],
        doctype=_text(mso["docType"], "MSO docType"),
        validity=validity,
        status=mso.get("status"),
    )


def session_transcript_parts(data: bytes) -> tuple[bytes, bytes]:
    """(SessionTranscriptBytes, the encoded SessionTranscript inside) from a file's bytes.

    ISO 18013-5 passes SessionTranscriptBytes (``#6.24(bstr .cbor [..])``); a
    bare SessionTranscript array is accepted too and wrapped here.
    """
    wrapped = embedded24(data) if len(data) <= 64 * 1024 else None
    try:
        top = (
            CBORTag(TAG_ENCODED_CBOR, wrapped)
            if wrapped is not None
            else loads(data, max_size=64 * 1024, max_depth=MAX_DEPTH)
        )
    except MalformedData as exc:
        raise MalformedData(
            "MDOC_SESSION_TRANSCRIPT_MALFORMED", f"SessionTranscript: {exc.message}"
        ) from None
    if isinstance(top, list):
        inner = bytes(data)
    elif isinstance(top, CBORTag) and top.tag == TAG_ENCODED_CBOR and isinstance(top.value, bytes):
        inner = top.value
        try:
            top = loads(inner, max_size=64 * 1024, max_depth=MAX_DEPTH)
        except MalformedData as exc:
            raise MalformedData(
                "MDOC_SESSION_TRANSCRIPT_MALFORMED", f"SessionTranscript: {exc.message}"
            ) from None
    else:
        top = None
    if not isinstance(top, list) or len(top) != 3:
        raise MalformedData(
            "MDOC_SESSION_TRANSCRIPT_MALFORMED",
            "SessionTranscript must be a 3-element array (tag-24 wrapped)",
        )
    return encoded24(inner), inner


def json_value(value: Any) -> Any:
    """An element value in JSON terms: bytes as hex, dates as ISO strings, tags unwrapped."""
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, CBORTag):
        return {"tag": value.tag, "value": json_value(value.value)}
    return value
