"""IssuerSigned: the issuer-signed items plus IssuerAuth, as a wallet stores them.

``IssuerSigned = {? "nameSpaces": {ns: [+ IssuerSignedItemBytes]}, "issuerAuth": COSE_Sign1}``.
IssuerAuth is an *untagged* COSE_Sign1 whose payload is the tag-24 MSO, with
the document-signer certificate(s) in the unprotected x5chain. Decoding only
checks structure; whether digests, signature and chain hold is the verifier's job.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from motorcred.errors import MalformedData
from motorcred.formats.cbor import array_of_encoded, canonical_map, dumps, encoded24, loads
from motorcred.formats.cose import CoseSign1
from motorcred.formats.mdoc.items import IssuerSignedItem, decode_item
from motorcred.formats.mdoc.mso import MobileSecurityObject

MAX_ITEMS_PER_NAMESPACE = 1024
_K_ISSUER_AUTH = dumps("issuerAuth")
_K_NAMESPACES = dumps("nameSpaces")


def _bad(message: str) -> MalformedData:
    return MalformedData("MDOC_ISSUER_SIGNED_MALFORMED", f"IssuerSigned: {message}")


@dataclass(frozen=True, slots=True)
class IssuedDocument:
    """An IssuerSigned structure with its parsed MSO (docType comes from the MSO)."""

    namespaces: dict[str, list[IssuerSignedItem]]
    issuer_auth: CoseSign1
    mso: MobileSecurityObject
    _index: dict[tuple[str, str], IssuerSignedItem] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        for namespace, items in self.namespaces.items():
            for item in items:
                self._index[(namespace, item.identifier)] = item

    @property
    def doctype(self) -> str:
        return self.mso.doctype

    def item(self, namespace: str, identifier: str) -> IssuerSignedItem | None:
        return self._index.get((namespace, identifier))

    def elements(self) -> dict[str, dict[str, Any]]:
        """``{namespace: {identifier: value}}`` of every item carried."""
        return {
            ns: {item.identifier: item.value for item in items}
            for ns, items in self.namespaces.items()
        }

    def select(self, wanted: Mapping[str, Iterable[str]] | None) -> IssuedDocument:
        """The same document carrying only the wanted items (``None`` = all).

        Requested elements the document does not hold are left out, as ISO 18013-5
        §8.3.2.1.2.2 prescribes (the reader sees they are missing).
        """
        if wanted is None:
            return self
        chosen: dict[str, list[IssuerSignedItem]] = {}
        for namespace, identifiers in wanted.items():
            ids = set(identifiers)
            items = [i for i in self.namespaces.get(namespace, ()) if i.identifier in ids]
            if items:
                chosen[namespace] = items
        return IssuedDocument(chosen, self.issuer_auth, self.mso)

    def to_cbor(self) -> dict[str, Any]:
        out: dict[str, Any] = {"issuerAuth": self.issuer_auth.to_cbor()}
        if self.namespaces:
            out["nameSpaces"] = {
                ns: [item.tagged for item in items] for ns, items in self.namespaces.items()
            }
        return out

    def encode(self) -> bytes:
        """``dumps(self.to_cbor())``, assembled from the items' and IssuerAuth's own bytes."""
        entries = [(_K_ISSUER_AUTH, self.issuer_auth.encode())]
        if self.namespaces:
            entries.append(
                (
                    _K_NAMESPACES,
                    canonical_map(
                        [
                            (
                                dumps(ns),
                                array_of_encoded([encoded24(item.encoded) for item in items]),
                            )
                            for ns, items in self.namespaces.items()
                        ]
                    ),
                )
            )
        return canonical_map(entries)

    @classmethod
    def decode(cls, data: bytes) -> IssuedDocument:
        return cls.from_cbor(loads(data))

    @classmethod
    def from_cbor(cls, obj: Any) -> IssuedDocument:
        if not isinstance(obj, dict) or "issuerAuth" not in obj:
            raise _bad("must be a map holding issuerAuth")
        if not obj.keys() <= {"nameSpaces", "issuerAuth"}:
            raise _bad("has unexpected fields")
        issuer_auth = CoseSign1.decode(_issuer_auth_array(obj["issuerAuth"]))
        if issuer_auth.payload is None:
            raise _bad("issuerAuth must carry the MSO as its payload")
        mso = MobileSecurityObject.decode(issuer_auth.payload)
        return cls(_namespaces(obj.get("nameSpaces", {})), issuer_auth, mso)


def _issuer_auth_array(value: Any) -> list[Any]:
    # ISO 18013-5 IssuerAuth is untagged; a tag-18 wrapper is refused so that we
    # accept exactly what other readers accept.
    if not isinstance(value, list):
        raise _bad("issuerAuth must be an untagged COSE_Sign1 array")
    return value


def _namespaces(obj: Any) -> dict[str, list[IssuerSignedItem]]:
    if not isinstance(obj, dict):
        raise _bad("nameSpaces must be a map")
    out: dict[str, list[IssuerSignedItem]] = {}
    for namespace, raw_items in obj.items():
        if not isinstance(namespace, str) or not namespace:
            raise _bad("namespace names must be text strings")
        if not isinstance(raw_items, list) or not raw_items:
            raise _bad(f"{namespace} must hold a non-empty array of items")
        if len(raw_items) > MAX_ITEMS_PER_NAMESPACE:
            raise _bad(f"{namespace} holds more than {MAX_ITEMS_PER_NAMESPACE} items")
        items = [decode_item(raw) for raw in raw_items]
        if len({i.identifier for i in items}) != len(items):
            raise MalformedData(
                "MDOC_ITEM_MALFORMED", f"{namespace} carries an element more than once"
            )
        if len({i.digest_id for i in items}) != len(items):
            raise MalformedData("MDOC_ITEM_MALFORMED", f"{namespace} repeats a digestID")
        out[namespace] = items
    return out
