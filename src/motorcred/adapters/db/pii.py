"""Personal data at rest: field-level AES-256-GCM and keyed blind indexes.

Why field by field: a database dump, a backup or a replica read by an operator
must not reveal a holder's name, ID number, phone or address. Each value is
sealed on its own with AES-256-GCM under the current PII key; the stored blob
names the key id, so old rows stay readable after a key rotation (retired keys
are kept for decryption only) and can be re-encrypted lazily.

The associated data binds a blob to its place (``"persons.name"``): copying a
name ciphertext into the phone column, or a person's value into a licence row,
fails authentication instead of silently showing the wrong data.

Encrypted values cannot be searched, so exact-match lookups (by ID number,
licence number) use a blind index: HMAC-SHA256 under a *separate* key over the
normalised value, truncated. Without the key the index cannot be brute-forced
even though ID numbers have little entropy (area + birth date + sequence).

Blob layout (version 1)::

    0x01 | len(key_id) (1 byte) | key_id (ASCII) | nonce (12 bytes) | ciphertext‖tag
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
from collections.abc import Callable, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from motorcred.errors import ConfigurationError, MalformedData, VerificationFailed

BLOB_VERSION = 1
NONCE_BYTES = 12
TAG_BYTES = 16
_KEY_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_AD_PREFIX = b"motorcred/pii/v1\x00"


def _check_key_id(key_id: str) -> None:
    if not _KEY_ID.fullmatch(key_id):
        raise ConfigurationError(
            "PII_KEY_ID_INVALID", f"PII key id {key_id!r} must be 1-64 of A-Z a-z 0-9 . _ -"
        )


class FieldCipher:
    """Seal and open single text values, each bound to a ``context`` (``table.column``)."""

    def __init__(
        self,
        current_key_id: str,
        keys: Mapping[str, bytes],
        *,
        random_bytes: Callable[[int], bytes] = os.urandom,
    ) -> None:
        for key_id, key in keys.items():
            _check_key_id(key_id)
            if len(key) != 32:
                raise ConfigurationError(
                    "PII_KEY_LENGTH", f"PII key {key_id!r} must be 32 bytes (AES-256)"
                )
        if current_key_id not in keys:
            raise ConfigurationError(
                "PII_KEY_UNKNOWN", f"the current PII key id {current_key_id!r} has no key"
            )
        self._current = current_key_id
        self._aead = {key_id: AESGCM(key) for key_id, key in keys.items()}
        self._random = random_bytes

    @property
    def current_key_id(self) -> str:
        return self._current

    @staticmethod
    def _associated_data(key_id: str, context: str) -> bytes:
        return _AD_PREFIX + key_id.encode() + b"\x00" + context.encode()

    def encrypt(self, value: str, *, context: str) -> bytes:
        key_id = self._current
        nonce = self._random(NONCE_BYTES)
        sealed = self._aead[key_id].encrypt(
            nonce, value.encode("utf-8"), self._associated_data(key_id, context)
        )
        kid = key_id.encode("ascii")
        return bytes([BLOB_VERSION, len(kid)]) + kid + nonce + sealed

    def encrypt_optional(self, value: str | None, *, context: str) -> bytes | None:
        return None if value is None else self.encrypt(value, context=context)

    @staticmethod
    def key_id_of(blob: bytes) -> str:
        """The id of the key that sealed ``blob`` (to find rows due for re-encryption)."""
        if len(blob) < 2 or blob[0] != BLOB_VERSION:
            raise MalformedData("PII_BLOB_MALFORMED", "encrypted field has an unknown layout")
        kid_len = blob[1]
        if len(blob) < 2 + kid_len + NONCE_BYTES + TAG_BYTES:
            raise MalformedData("PII_BLOB_MALFORMED", "encrypted field is truncated")
        try:
            return blob[2 : 2 + kid_len].decode("ascii")
        except UnicodeDecodeError as exc:
            raise MalformedData("PII_BLOB_MALFORMED", "encrypted field has a bad key id") from exc

    def decrypt(self, blob: bytes, *, context: str) -> str:
        key_id = self.key_id_of(blob)
        aead = self._aead.get(key_id)
        if aead is None:
            raise ConfigurationError(
                "PII_KEY_UNKNOWN",
                f"encrypted field was sealed with key {key_id!r}, which is not configured",
            )
        start = 2 + len(key_id)
        nonce = blob[start : start + NONCE_BYTES]
        try:
            plain = aead.decrypt(
                nonce, blob[start + NONCE_BYTES :], self._associated_data(key_id, context)
            )
        except InvalidTag as exc:
            raise VerificationFailed(
                "PII_INTEGRITY",
                f"encrypted field {context} failed authentication (tampered or moved)",
            ) from exc
        try:
            return plain.decode("utf-8")
        except UnicodeDecodeError as exc:  # pragma: no cover - authenticated, so ours
            raise MalformedData("PII_BLOB_MALFORMED", "encrypted field is not UTF-8") from exc

    def decrypt_optional(self, blob: bytes | None, *, context: str) -> str | None:
        return None if blob is None else self.decrypt(blob, context=context)

    def needs_rotation(self, blob: bytes) -> bool:
        return self.key_id_of(blob) != self._current


def normalise_for_index(value: str) -> str:
    """Canonical form for exact matching: NFKC, no spaces, upper case (``x`` → ``X``)."""
    folded = unicodedata.normalize("NFKC", value)
    return "".join(folded.split()).upper()


class BlindIndex:
    """Keyed, truncated HMAC-SHA256 of a normalised value, separated per ``kind``."""

    def __init__(self, key: bytes, *, size: int = 24) -> None:
        if len(key) < 32:
            raise ConfigurationError("BLIND_INDEX_KEY_LENGTH", "blind-index key must be ≥ 32 bytes")
        if not 16 <= size <= 32:
            raise ConfigurationError("BLIND_INDEX_SIZE", "blind-index size must be 16-32 bytes")
        self._key = key
        self.size = size

    def digest(self, value: str, *, kind: str) -> bytes:
        """Index bytes for ``value``; equal for values equal after normalisation."""
        return self.mac(normalise_for_index(value).encode("utf-8"), kind=kind)

    def mac(self, message: bytes, *, kind: str) -> bytes:
        """Keyed digest of exact bytes (no normalisation), e.g. a record's content."""
        data = kind.encode() + b"\x00" + message
        return hmac.new(self._key, data, hashlib.sha256).digest()[: self.size]
