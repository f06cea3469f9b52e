"""The Status List Token in CWT form (draft-ietf-oauth-status-list §5.2).

A tag-18 COSE_Sign1 whose protected header carries the algorithm and
``typ`` (label 16) ``application/statuslist+cwt``, whose unprotected header
carries ``x5chain`` and/or ``kid`` so a verifier can find the key, and whose
payload is a CWT claims map::

    { 2: sub (the list's URI), 6: iat, ? 4: exp, ? 65534: ttl,
      65533: {"bits": n, "lst": zlib bytes}, ? 1: iss }

Building is prepare → sign → complete (:func:`prepare_status_list_token`,
:func:`complete_status_list_token`) so an HSM or a remote signer can sign;
:func:`build_status_list_token` does the three with a :class:`Signer`.

Decoding verifies the signature *before* reading any claim, then checks the
required claims, ``sub`` against the URI the credential names, the expiry, and
inflates the list within a size bound. Time is a parameter (``now``), never read
from the clock.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from motorcred.errors import InvalidInput, MalformedData, UsageError, VerificationFailed
from motorcred.formats.cbor import TAG_COSE_SIGN1, TAG_CWT, dumps, loads
from motorcred.formats.cose import (
    H_KID,
    H_X5CHAIN,
    CoseSign1,
    PreparedSign1,
    PublicKey,
    Signer,
    prepare_sign1,
)
from motorcred.formats.signer import sign_prepared
from motorcred.formats.status_list.bitlist import DEFAULT_MAX_ENTRIES, StatusList, StatusWord
from motorcred.formats.status_list.reference import uri_problem

H_TYP: Final = 16
TYP_STATUSLIST_CWT: Final = "application/statuslist+cwt"
CLAIM_ISS: Final = 1
CLAIM_SUB: Final = 2
CLAIM_EXP: Final = 4
CLAIM_NBF: Final = 5
CLAIM_IAT: Final = 6
CLAIM_STATUS_LIST: Final = 65533
CLAIM_TTL: Final = 65534
#: A 100 M-entry list with 1 % revoked compresses to a few MB; 16 MB leaves room.
DEFAULT_MAX_TOKEN_BYTES: Final = 16 * 1024 * 1024
DEFAULT_CLOCK_SKEW: Final = timedelta(minutes=5)

_OUTER_TAGS: Final = frozenset({TAG_COSE_SIGN1})
_CWT_TAG_HEAD: Final = bytes((0xD8, TAG_CWT))
_NO_TAGS: Final = frozenset[int]()


@dataclass(frozen=True, slots=True)
class TokenKeyInfo:
    """What a Status List Token says about its signing key, for a trust callback."""

    algorithm: int
    kid: bytes | None
    x5chain: tuple[bytes, ...]


#: Returns the public key to verify with, or raises a MotorcredError if the key is not trusted.
KeyResolver = Callable[[TokenKeyInfo], PublicKey]


@dataclass(frozen=True, slots=True)
class StatusListToken:
    """A verified Status List Token."""

    uri: str
    issued_at: datetime
    expires_at: datetime | None
    ttl: int | None
    status_list: StatusList
    issuer: str | None
    key: TokenKeyInfo

    def get(self, idx: int) -> int:
        """Status value at ``idx`` (``STATUS_INDEX_OUT_OF_RANGE`` past the list's end)."""
        return self.status_list.get(idx)

    def status(self, idx: int) -> StatusWord:
        """``valid``/``invalid``/``suspended``/``unknown`` at ``idx``."""
        return self.status_list.status(idx)

    def refresh_due(self, fetched_at: datetime) -> datetime | None:
        """When a cached copy fetched at ``fetched_at`` should be fetched again.

        The earlier of ``exp`` and ``fetched_at + ttl`` (draft §13.7); ``None`` when
        the token sets neither.
        """
        candidates = [t for t in (self.expires_at,) if t is not None]
        if self.ttl is not None:
            candidates.append(fetched_at + timedelta(seconds=self.ttl))
        return min(candidates) if candidates else None


# --------------------------------------------------------------------------- building


def _numeric_date(value: datetime, what: str) -> int:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput("STATUS_LIST_TIME_INVALID", f"{what} must be a timezone-aware datetime")
    return math.floor(value.timestamp())


def status_list_claims(
    status_list: StatusList,
    *,
    uri: str,
    issued_at: datetime,
    expires_at: datetime | None,
    ttl: int | None,
    issuer: str | None = None,
) -> dict[int, Any]:
    """The CWT claims map of a Status List Token (checked, ready for ``cbor.dumps``)."""
    problem = uri_problem(uri)
    if problem:
        raise InvalidInput("STATUS_URI_INVALID", problem)
    claims: dict[int, Any] = {
        CLAIM_SUB: uri,
        CLAIM_IAT: _numeric_date(issued_at, "issued_at"),
        CLAIM_STATUS_LIST: status_list.encode(),
    }
    if expires_at is not None:
        exp = _numeric_date(expires_at, "expires_at")
        if exp <= claims[CLAIM_IAT]:
            raise InvalidInput("STATUS_LIST_TIME_INVALID", "expires_at must be after issued_at")
        claims[CLAIM_EXP] = exp
    if ttl is not None:
        if type(ttl) is not int or ttl <= 0:
            raise InvalidInput(
                "STATUS_LIST_TTL_INVALID", f"ttl must be a positive int, not {ttl!r}"
            )
        claims[CLAIM_TTL] = ttl
    if issuer is not None:
        if not isinstance(issuer, str) or not issuer:
            raise InvalidInput("STATUS_LIST_ISSUER_INVALID", "issuer must be a non-empty string")
        claims[CLAIM_ISS] = issuer
    return claims


def prepare_status_list_token(
    status_list: StatusList,
    *,
    uri: str,
    issued_at: datetime,
    expires_at: datetime | None,
    ttl: int | None,
    algorithm: int,
    cert_chain: Sequence[bytes] = (),
    kid: bytes | None = None,
    issuer: str | None = None,
) -> PreparedSign1:
    """Everything but the signature; sign ``.to_be_signed``, then call complete_status_list_token.

    ``cert_chain`` is DER, signer certificate first (one certificate travels as a
    single bstr, several as an array, as in ISO 18013-5); give it, a ``kid``, or both.
    """
    if not cert_chain and kid is None:
        raise InvalidInput(
            "STATUS_LIST_KEY_ID_MISSING",
            "a Status List Token needs an x5chain or a kid so that verifiers can find the key",
        )
    if any(not isinstance(c, bytes) or not c for c in cert_chain):
        raise InvalidInput("STATUS_LIST_CERT_INVALID", "cert_chain must hold DER certificates")
    if kid is not None and (not isinstance(kid, bytes) or not kid):
        raise InvalidInput("STATUS_LIST_KEY_ID_MISSING", "kid must be non-empty bytes")
    claims = status_list_claims(
        status_list,
        uri=uri,
        issued_at=issued_at,
        expires_at=expires_at,
        ttl=ttl,
        issuer=issuer,
    )
    unprotected: dict[int, Any] = {}
    if cert_chain:
        unprotected[H_X5CHAIN] = cert_chain[0] if len(cert_chain) == 1 else list(cert_chain)
    if kid is not None:
        unprotected[H_KID] = kid
    return prepare_sign1(
        dumps(claims),
        algorithm=algorithm,
        unprotected=unprotected,
        extra_protected={H_TYP: TYP_STATUSLIST_CWT},
    )


def complete_status_list_token(prepared: PreparedSign1, signature: bytes) -> bytes:
    """Attach the signature; returns the token bytes (tag 18 COSE_Sign1, as in the draft)."""
    return prepared.complete(signature).encode(tagged=True)


def build_status_list_token(
    status_list: StatusList,
    *,
    uri: str,
    issued_at: datetime,
    expires_at: datetime | None,
    ttl: int | None,
    signer: Signer,
    cert_chain: Sequence[bytes] = (),
    kid: bytes | None = None,
    issuer: str | None = None,
) -> bytes:
    """Prepare, sign with ``signer`` and complete a Status List Token."""
    prepared = prepare_status_list_token(
        status_list,
        uri=uri,
        issued_at=issued_at,
        expires_at=expires_at,
        ttl=ttl,
        algorithm=signer.algorithm,
        cert_chain=cert_chain,
        kid=kid,
        issuer=issuer,
    )
    return sign_prepared(prepared, signer).encode(tagged=True)


# --------------------------------------------------------------------------- decoding


def _malformed(message: str, **details: Any) -> MalformedData:
    return MalformedData("STATUS_LIST_MALFORMED", message, details=details or None)


def _parse_cose(token: bytes, max_token_bytes: int) -> CoseSign1:
    if not isinstance(token, bytes | bytearray | memoryview):
        raise _malformed("a Status List Token must be bytes")
    if len(token) > max_token_bytes:
        raise MalformedData(
            "STATUS_LIST_TOO_LARGE",
            f"Status List Token is {len(token)} bytes, more than the limit of {max_token_bytes}",
        )
    data = bytes(token)
    if data[:2] == _CWT_TAG_HEAD:
        # The optional CWT tag 61 around the tag-18 message: decode the inner item from
        # its own bytes, so it is parsed exactly like an unwrapped token.
        data = data[2:]
    try:
        obj = loads(data, max_size=max_token_bytes, max_depth=8, allowed_tags=_OUTER_TAGS)
        return CoseSign1.decode(obj)
    except MalformedData as exc:
        raise _malformed(f"not a COSE_Sign1: {exc.message}", cause=exc.code) from None
    except VerificationFailed as exc:
        raise VerificationFailed(
            "STATUS_LIST_SIGNATURE_INVALID", exc.message, details={"cause": exc.code}
        ) from None


def _key_info(message: CoseSign1) -> TokenKeyInfo:
    try:
        algorithm = message.algorithm
        return TokenKeyInfo(algorithm, message.kid, tuple(message.x5chain))
    except MalformedData as exc:
        raise _malformed(exc.message, cause=exc.code) from None
    except VerificationFailed as exc:
        raise VerificationFailed(
            "STATUS_LIST_SIGNATURE_INVALID", exc.message, details={"cause": exc.code}
        ) from None


def _to_datetime(value: Any, what: str) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _malformed(f"{what} must be a NumericDate")
    if not math.isfinite(value) or value < 0:
        raise _malformed(f"{what} is not a valid NumericDate")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise _malformed(f"{what} is out of range") from None


def _parse_claims(payload: bytes | None, max_token_bytes: int) -> Mapping[Any, Any]:
    if payload is None:
        raise _malformed("the Status List Token has no payload")
    try:
        claims = loads(payload, max_size=max_token_bytes, max_depth=8, allowed_tags=_NO_TAGS)
    except MalformedData as exc:
        raise _malformed(f"claims: {exc.message}", cause=exc.code) from None
    if not isinstance(claims, Mapping):
        raise _malformed("the CWT claims must be a map")
    for claim in (CLAIM_SUB, CLAIM_IAT, CLAIM_STATUS_LIST):
        if claim not in claims:
            raise _malformed(f"required claim {claim} is missing", claim=claim)
    return claims


def decode_status_list_token(
    token: bytes,
    *,
    now: datetime,
    expected_uri: str | None = None,
    verify_key: PublicKey | None = None,
    trust: KeyResolver | None = None,
    max_size: int = DEFAULT_MAX_ENTRIES,
    max_token_bytes: int = DEFAULT_MAX_TOKEN_BYTES,
    clock_skew: timedelta = DEFAULT_CLOCK_SKEW,
) -> StatusListToken:
    """Verify and decode a Status List Token in CWT form.

    Give exactly one of ``verify_key`` (the status issuer's public key) or
    ``trust`` (called with the token's ``kid``/``x5chain``; returns the key or
    raises). ``expected_uri`` is the ``uri`` of the credential's status reference;
    the token's ``sub`` must equal it.

    Failure codes: ``STATUS_LIST_MALFORMED``, ``STATUS_LIST_TOO_LARGE``,
    ``STATUS_LIST_SIGNATURE_INVALID``, ``STATUS_LIST_EXPIRED``,
    ``STATUS_LIST_NOT_YET_VALID``, ``STATUS_LIST_URI_MISMATCH``.
    """
    if (verify_key is None) == (trust is None):
        raise UsageError("STATUS_LIST_KEY_REQUIRED", "give exactly one of verify_key or trust")
    if now.tzinfo is None or now.utcoffset() is None:
        raise UsageError("STATUS_LIST_TIME_INVALID", "now must be a timezone-aware datetime")
    message = _parse_cose(token, max_token_bytes)
    if message.protected.get(H_TYP) != TYP_STATUSLIST_CWT:
        raise _malformed(f"protected header typ (16) must be {TYP_STATUSLIST_CWT!r}")
    info = _key_info(message)
    key = verify_key if verify_key is not None else trust(info)  # type: ignore[misc]
    try:
        message.verify(key)
    except (VerificationFailed, InvalidInput) as exc:
        raise VerificationFailed(
            "STATUS_LIST_SIGNATURE_INVALID",
            f"Status List Token signature: {exc.message}",
            details={"cause": exc.code},
        ) from None

    claims = _parse_claims(message.payload, max_token_bytes)
    uri = claims[CLAIM_SUB]
    if not isinstance(uri, str) or uri_problem(uri):
        raise _malformed("sub (2) must be the URI of the status list")
    issued_at = _to_datetime(claims[CLAIM_IAT], "iat (6)")
    expires_at = _to_datetime(claims[CLAIM_EXP], "exp (4)") if CLAIM_EXP in claims else None
    ttl = claims.get(CLAIM_TTL)
    if ttl is not None and (type(ttl) is not int or ttl <= 0):
        raise _malformed("ttl (65534) must be a positive integer")
    issuer = claims.get(CLAIM_ISS)
    if issuer is not None and not isinstance(issuer, str):
        raise _malformed("iss (1) must be a text string")

    if expected_uri is not None and uri != expected_uri:
        raise VerificationFailed(
            "STATUS_LIST_URI_MISMATCH",
            "the Status List Token is for another list than the credential names",
            details={"expected": expected_uri, "sub": uri},
        )
    if expires_at is not None and now >= expires_at:
        raise VerificationFailed(
            "STATUS_LIST_EXPIRED",
            f"the Status List Token expired at {expires_at.isoformat()}",
            details={"exp": expires_at.isoformat()},
        )
    not_before = _to_datetime(claims[CLAIM_NBF], "nbf (5)") if CLAIM_NBF in claims else issued_at
    if now + clock_skew < max(issued_at, not_before):
        raise VerificationFailed(
            "STATUS_LIST_NOT_YET_VALID",
            f"the Status List Token is not valid before {max(issued_at, not_before).isoformat()}",
        )
    status_list = StatusList.decode(claims[CLAIM_STATUS_LIST], max_size=max_size)
    return StatusListToken(
        uri=uri,
        issued_at=issued_at,
        expires_at=expires_at,
        ttl=ttl,
        status_list=status_list,
        issuer=issuer,
        key=info,
    )
