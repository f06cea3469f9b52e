"""IssuerSignedItem: one data element with its digest ID and salt, tag-24 wrapped.

``IssuerSignedItemBytes = #6.24(bstr .cbor IssuerSignedItem)``; the MSO digest
of an item is computed over that full tag-24 encoding. A decoded item keeps the
exact received inner bytes so the digest covers what the issuer signed, never a
re-encoding of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import cbor2
from cbor2 import CBORTag

from motorcred.errors import InvalidInput, MalformedData
from motorcred.formats.cbor import TAG_ENCODED_CBOR, dumps, encoded24, head, loads

#: ISO 18013-5 §9.1.2.5: the random salt is at least 16 bytes; we issue 32.
MIN_SALT_BYTES = 16
SALT_BYTES = 32
MAX_DIGEST_ID = 2**31 - 1
_ITEM_KEYS = frozenset({"digestID", "random", "elementIdentifier", "elementValue"})
_HASHES = {"SHA-256": hashlib.sha256, "SHA-384": hashlib.sha384, "SHA-512": hashlib.sha512}


def digest_function(name: str) -> Any:
    """The hashlib constructor for an MSO ``digestAlgorithm`` name."""
    try:
        return _HASHES[name]
    except (KeyError, TypeError):
        raise MalformedData(
            "MDOC_DIGEST_ALG_UNSUPPORTED", f"digest algorithm {name!r} is not supported"
        ) from None


@dataclass(frozen=True, slots=True)
class IssuerSignedItem:
    """A decoded (or freshly built) IssuerSignedItem and its exact encoding."""

    digest_id: int
    random: bytes
    identifier: str
    value: Any
    encoded: bytes  # the bstr inside tag 24, as received/issued

    @property
    def tagged(self) -> CBORTag:
        """The item as it travels: ``#6.24(bstr)``."""
        return CBORTag(TAG_ENCODED_CBOR, self.encoded)

    def digest(self, algorithm: str = "SHA-256") -> bytes:
        """Digest over ``#6.24(bstr)`` for comparison with the MSO valueDigests."""
        digest: bytes = digest_function(algorithm)(encoded24(self.encoded)).digest()
        return digest


# The item map's keys in canonical (length-first, then bytewise) order, pre-encoded:
# issuing re-encodes the same four keys for every element, and the general canonical
# encoder spends most of its time sorting them (see bench/mdoc.py).
_K_RANDOM = cbor2.dumps("random")
_K_DIGEST_ID = cbor2.dumps("digestID")
_K_VALUE = cbor2.dumps("elementValue")
_K_IDENTIFIER = cbor2.dumps("elementIdentifier")
_TAG_FULL_DATE = b"\xd9\x03\xec"  # tag 1004


_SALT_HEAD = head(2, SALT_BYTES)
#: digestID encodings for the IDs a document of up to 1024 items uses.
_DIGEST_ID_CODES = tuple(cbor2.dumps(i) for i in range(1024))


def _encode_full_date(value: date) -> bytes:
    # full-date: tag 1004 around "YYYY-MM-DD", as dumps() writes it
    return _TAG_FULL_DATE + cbor2.dumps(value.isoformat())


#: Value encoders by exact type; anything else goes through the canonical encoder.
_VALUE_ENCODERS: dict[type, Callable[[Any], bytes]] = {
    str: cbor2.dumps,
    bytes: cbor2.dumps,
    int: cbor2.dumps,
    bool: cbor2.dumps,
    type(None): cbor2.dumps,
    date: _encode_full_date,
}


def _encode(digest_id: int, salt: bytes, identifier: str, value: Any) -> bytes:
    digest_code = _DIGEST_ID_CODES[digest_id] if digest_id < 1024 else cbor2.dumps(digest_id)
    salt_head = _SALT_HEAD if len(salt) == SALT_BYTES else head(2, len(salt))
    return b"".join(
        (
            b"\xa4",
            _K_RANDOM,
            salt_head,
            salt,
            _K_DIGEST_ID,
            digest_code,
            _K_VALUE,
            _VALUE_ENCODERS.get(type(value), dumps)(value),
            _K_IDENTIFIER,
            cbor2.dumps(identifier),
        )
    )


def make_item(digest_id: int, salt: bytes, identifier: str, value: Any) -> IssuerSignedItem:
    """Encode a new item deterministically (the salt comes from the caller's random source).

    The bytes equal ``dumps({"digestID", "random", "elementIdentifier", "elementValue"})``;
    the map is assembled from its pre-encoded keys rather than sorted on every call.
    """
    if type(digest_id) is not int or not 0 <= digest_id <= MAX_DIGEST_ID:
        raise InvalidInput("MDOC_ITEM_INVALID", "digestID must be an unsigned 31-bit integer")
    if not isinstance(salt, bytes) or not isinstance(identifier, str):
        raise InvalidInput("MDOC_ITEM_INVALID", "random must be bytes, elementIdentifier text")
    return IssuerSignedItem(
        digest_id, salt, identifier, value, _encode(digest_id, salt, identifier, value)
    )


def make_items(
    elements: Mapping[str, Any], digest_ids: Sequence[int], salts: bytes
) -> tuple[list[IssuerSignedItem], dict[int, bytes]]:
    """:func:`make_item` for each element in turn, and the SHA-256 digest of each by ID.

    The issuing hot path: ``digest_ids[k]`` and ``salts[k * SALT_BYTES:][:SALT_BYTES]``
    go to the k-th element; each item is encoded, tag-24 wrapped and hashed once.
    """
    if len(digest_ids) < len(elements) or len(salts) < len(elements) * SALT_BYTES:
        raise InvalidInput("MDOC_ITEM_INVALID", "one digestID and one salt per element")
    items: list[IssuerSignedItem] = []
    digests: dict[int, bytes] = {}
    sha256 = hashlib.sha256
    for k, (identifier, value) in enumerate(elements.items()):
        digest_id = digest_ids[k]
        if type(digest_id) is not int or not 0 <= digest_id <= MAX_DIGEST_ID:
            raise InvalidInput("MDOC_ITEM_INVALID", "digestID must be an unsigned 31-bit integer")
        if type(identifier) is not str:
            raise InvalidInput("MDOC_ITEM_INVALID", "elementIdentifier must be text")
        salt = salts[k * SALT_BYTES : (k + 1) * SALT_BYTES]
        encoded = _encode(digest_id, salt, identifier, value)
        items.append(IssuerSignedItem(digest_id, salt, identifier, value, encoded))
        digests[digest_id] = sha256(encoded24(encoded)).digest()
    return items, digests


def decode_item(value: Any) -> IssuerSignedItem:
    """Parse ``#6.24(bstr .cbor IssuerSignedItem)`` strictly (``MDOC_ITEM_MALFORMED``)."""
    if not isinstance(value, CBORTag) or value.tag != TAG_ENCODED_CBOR:
        raise MalformedData("MDOC_ITEM_MALFORMED", "IssuerSignedItem must be tag 24")
    inner = value.value
    if not isinstance(inner, bytes):
        raise MalformedData("MDOC_ITEM_MALFORMED", "IssuerSignedItem tag 24 must wrap bytes")
    try:
        item = loads(inner)
    except MalformedData as exc:
        raise MalformedData("MDOC_ITEM_MALFORMED", f"IssuerSignedItem: {exc.message}") from None
    if not isinstance(item, dict) or item.keys() != _ITEM_KEYS:
        raise MalformedData(
            "MDOC_ITEM_MALFORMED",
            "IssuerSignedItem must be a map of digestID, random, elementIdentifier, elementValue",
        )
    digest_id, salt, identifier = item["digestID"], item["random"], item["elementIdentifier"]
    if type(digest_id) is not int or not 0 <= digest_id <= MAX_DIGEST_ID:
        raise MalformedData("MDOC_ITEM_MALFORMED", "digestID must be an unsigned integer")
    if not isinstance(salt, bytes) or len(salt) < MIN_SALT_BYTES:
        raise MalformedData(
            "MDOC_ITEM_MALFORMED", f"random must be a byte string of ≥ {MIN_SALT_BYTES} bytes"
        )
    if not isinstance(identifier, str) or not identifier:
        raise MalformedData("MDOC_ITEM_MALFORMED", "elementIdentifier must be a text string")
    return IssuerSignedItem(digest_id, salt, identifier, item["elementValue"], inner)
