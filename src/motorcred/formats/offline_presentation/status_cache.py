"""Status lists a verifier cached while online, and how fresh each one still is.

The MSO's ``status`` names entry ``idx`` of the Token Status List at ``uri``. A
police terminal fetches those tokens when it has network and checks codes
offline against its copies. A copy is *fresh* until the earlier of the token's
``exp`` and ``iat + ttl`` (draft-ietf-oauth-status-list §13.7; ``iat`` rather than
the download time, so the answer does not depend on the file system), or
``default_ttl`` when the token sets neither. A stale copy is still read — a
revocation it records stays a revocation — but its "valid" is reported as
stale, never as current.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from motorcred.errors import MotorcredError, VerificationFailed
from motorcred.formats.cose import PublicKey
from motorcred.formats.status_list import (
    KeyResolver,
    StatusListToken,
    StatusWord,
    TokenKeyInfo,
    decode_status_list_token,
)
from motorcred.formats.trust import validity_failures
from motorcred.formats.trust_list import TrustList

DEFAULT_TTL: Final = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class StatusLookup:
    word: StatusWord
    stale: bool
    issued_at: datetime
    fresh_until: datetime


def token_key_resolver(trust_list: TrustList, now: datetime) -> KeyResolver:
    """A key resolver for Status List Tokens signed by a DS of the trust list."""

    def resolve(info: TokenKeyInfo) -> PublicKey:
        if info.x5chain:
            path = trust_list.store.trusted_path(list(info.x5chain))
            failures = validity_failures(path, now)
            if failures:
                raise failures[0]
            cert = path.leaf
        else:
            found = trust_list.ds_for_kid(info.kid) if info.kid is not None else None
            if found is None:
                raise VerificationFailed(
                    "STATUS_LIST_SIGNER_UNKNOWN", "the status list signer is not in the trust list"
                )
            cert = found
        key = cert.public_key()
        if not isinstance(key, ec.EllipticCurvePublicKey | Ed25519PublicKey):
            raise VerificationFailed(
                "STATUS_LIST_SIGNER_UNKNOWN", "the status list signer's key type is not supported"
            )
        return key

    return resolve


class StatusCache:
    """Decoded, signature-checked status list tokens by ``uri`` (the newest of each)."""

    def __init__(
        self, tokens: Iterable[StatusListToken], *, default_ttl: timedelta = DEFAULT_TTL
    ) -> None:
        self._tokens: dict[str, StatusListToken] = {}
        for token in tokens:
            held = self._tokens.get(token.uri)
            if held is None or token.issued_at > held.issued_at:
                self._tokens[token.uri] = token
        self._default_ttl = default_ttl

    @classmethod
    def load(
        cls,
        blobs: Iterable[bytes],
        *,
        trust_list: TrustList,
        now: datetime,
        default_ttl: timedelta = DEFAULT_TTL,
    ) -> tuple[StatusCache, list[MotorcredError]]:
        """Verify each token against the trust list; the ones that fail are returned apart."""
        named = {str(i): blob for i, blob in enumerate(blobs)}
        cache, problems = cls.load_named(
            named, trust_list=trust_list, now=now, default_ttl=default_ttl
        )
        return cache, list(problems.values())

    @classmethod
    def load_named(
        cls,
        blobs: Mapping[str, bytes],
        *,
        trust_list: TrustList,
        now: datetime,
        default_ttl: timedelta = DEFAULT_TTL,
    ) -> tuple[StatusCache, dict[str, MotorcredError]]:
        """As :meth:`load`, for tokens by name (file name): failures are keyed by that name."""
        resolve = token_key_resolver(trust_list, now)
        tokens: list[StatusListToken] = []
        problems: dict[str, MotorcredError] = {}
        for name, blob in blobs.items():
            try:
                tokens.append(_decode(blob, resolve, now))
            except MotorcredError as exc:
                problems[name] = exc
        return cls(tokens, default_ttl=default_ttl), problems

    def __len__(self) -> int:
        return len(self._tokens)

    def lookup(self, uri: str, idx: int, *, now: datetime) -> StatusLookup | None:
        """The cached status of entry ``idx`` of ``uri``; None when the list is not cached."""
        token = self._tokens.get(uri)
        if token is None:
            return None
        fresh_until = token.refresh_due(token.issued_at) or token.issued_at + self._default_ttl
        try:
            word = token.status(idx)
        except MotorcredError:
            word = "unknown"
        return StatusLookup(word, now >= fresh_until, token.issued_at, fresh_until)


def _decode(blob: bytes, resolve: KeyResolver, now: datetime) -> StatusListToken:
    try:
        return decode_status_list_token(blob, now=now, trust=resolve)
    except VerificationFailed as exc:
        if exc.code != "STATUS_LIST_EXPIRED":
            raise
        expired_at = datetime.fromisoformat(exc.details["exp"])
    # An expired copy is read as of just before its expiry: a revocation it holds still
    # counts, and lookup() reports the copy as stale.
    return decode_status_list_token(blob, now=expired_at - timedelta(seconds=1), trust=resolve)
