"""IETF Token Status List (draft-ietf-oauth-status-list) for valid/invalid/suspended.

* :mod:`.bitlist` — the packed byte array, lookup and ZLIB compression.
* :mod:`.reference` — the ``status`` claim an MSO carries (``idx`` + ``uri``).
* :mod:`.token` — the signed Status List Token in CWT form.
"""

from __future__ import annotations

from motorcred.formats.status_list.bitlist import (
    ALLOWED_BITS,
    DEFAULT_MAX_ENTRIES,
    StatusList,
    StatusType,
    StatusWord,
    describe_status,
    status_at,
)
from motorcred.formats.status_list.reference import StatusReference, parse_status_claim
from motorcred.formats.status_list.token import (
    TYP_STATUSLIST_CWT,
    KeyResolver,
    StatusListToken,
    TokenKeyInfo,
    build_status_list_token,
    complete_status_list_token,
    decode_status_list_token,
    prepare_status_list_token,
    status_list_claims,
)

__all__ = [
    "ALLOWED_BITS",
    "DEFAULT_MAX_ENTRIES",
    "TYP_STATUSLIST_CWT",
    "KeyResolver",
    "StatusList",
    "StatusListToken",
    "StatusReference",
    "StatusType",
    "StatusWord",
    "TokenKeyInfo",
    "build_status_list_token",
    "complete_status_list_token",
    "decode_status_list_token",
    "describe_status",
    "parse_status_claim",
    "prepare_status_list_token",
    "status_at",
    "status_list_claims",
]
