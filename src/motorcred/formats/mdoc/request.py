"""ItemsRequest (ISO 18013-5 §8.3.2.1.2.1): what a reader asks a holder to disclose.

``ItemsRequestBytes = #6.24(bstr .cbor ItemsRequest)``,
``ItemsRequest = {"docType": tstr, "nameSpaces": {ns: {id: IntentToRetain}}, ? "requestInfo"}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cbor2 import CBORTag

from motorcred.errors import MalformedData
from motorcred.formats.cbor import inner24, loads

MAX_REQUESTED_ELEMENTS = 1024


def _bad(message: str) -> MalformedData:
    return MalformedData("MDOC_REQUEST_MALFORMED", f"ItemsRequest: {message}")


@dataclass(frozen=True, slots=True)
class ItemsRequest:
    doctype: str
    namespaces: dict[str, dict[str, bool]]  # namespace → element → intent to retain
    request_info: dict[str, Any] | None = None

    def selection(self) -> dict[str, list[str]]:
        """``{namespace: [identifier…]}`` for :func:`select_items` / :func:`present`."""
        return {ns: list(elements) for ns, elements in self.namespaces.items()}

    @classmethod
    def decode(cls, data: bytes | CBORTag) -> ItemsRequest:
        """Accept ItemsRequestBytes (tag 24, decoded or encoded) or the bare encoded map."""
        try:
            obj = data if isinstance(data, CBORTag) else loads(data)
            if isinstance(obj, CBORTag):
                obj = loads(inner24(obj, what="ItemsRequestBytes"))
        except MalformedData as exc:
            raise _bad(exc.message) from None
        return cls.from_cbor(obj)

    @classmethod
    def from_cbor(cls, obj: Any) -> ItemsRequest:
        if not isinstance(obj, dict) or not {"docType", "nameSpaces"} <= obj.keys():
            raise _bad("must be a map with docType and nameSpaces")
        if not obj.keys() <= {"docType", "nameSpaces", "requestInfo"}:
            raise _bad("has unexpected fields")
        doctype, namespaces = obj["docType"], obj["nameSpaces"]
        if not isinstance(doctype, str) or not doctype:
            raise _bad("docType must be a non-empty text string")
        if not isinstance(namespaces, dict):
            raise _bad("nameSpaces must be a map")
        total = 0
        for namespace, elements in namespaces.items():
            if not isinstance(namespace, str) or not isinstance(elements, dict):
                raise _bad("nameSpaces must map namespace names to element maps")
            for identifier, retain in elements.items():
                if not isinstance(identifier, str) or not isinstance(retain, bool):
                    raise _bad(f"{namespace}: elements must map names to intent-to-retain flags")
            total += len(elements)
        if total > MAX_REQUESTED_ELEMENTS:
            raise _bad(f"asks for more than {MAX_REQUESTED_ELEMENTS} elements")
        info = obj.get("requestInfo")
        if info is not None and not isinstance(info, dict):
            raise _bad("requestInfo must be a map")
        return cls(doctype, namespaces, info)
