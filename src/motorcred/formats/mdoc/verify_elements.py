"""Type checks a reader applies to disclosed mDL elements (ISO/IEC 18013-5 §7.2.1).

A signed digest proves the issuer wrote a value, not that the value has the
type the standard gives it; a reader that trusts ``birth_date`` to be a date
and gets a string would misjudge an age check. Elements the table does not
know (other namespaces, issuer-specific elements) are passed through
unchecked: the verifier cannot know their schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Final

MDL_NAMESPACE: Final = "org.iso.18013.5.1"
_AGE_OVER = re.compile(r"age_over_\d\d\Z")


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_latin1_text(value: Any) -> bool:
    # Table 5: "shall only use latin1b characters"; national script has its own elements.
    return isinstance(value, str) and all(ord(char) <= 0xFF for char in value)


def _is_full_date(value: Any) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _is_date_or_tdate(value: Any) -> bool:
    return isinstance(value, date)


def _is_bytes(value: Any) -> bool:
    return isinstance(value, bytes)


def _is_uint(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_privileges(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(p, dict) and isinstance(p.get("vehicle_category_code"), str) for p in value
    )


_TEXT = (_is_text, "a text string")
_LATIN1_TEXT = (_is_latin1_text, "a text string of Latin-1 characters")
_FULL_DATE = (_is_full_date, "a full-date (tag 1004)")
_DATE = (_is_date_or_tdate, "a full-date or tdate")
_BYTES = (_is_bytes, "a byte string")
_UINT = (_is_uint, "an unsigned integer")

_MDL_TYPES: Final[dict[str, tuple[Callable[[Any], bool], str]]] = {
    "family_name": _LATIN1_TEXT,
    "given_name": _LATIN1_TEXT,
    "birth_date": _FULL_DATE,
    "issue_date": _DATE,
    "expiry_date": _DATE,
    "issuing_country": _TEXT,
    "issuing_authority": _TEXT,
    "issuing_jurisdiction": _TEXT,
    "document_number": _TEXT,
    "portrait": _BYTES,
    "signature_usual_mark": _BYTES,
    "un_distinguishing_sign": _TEXT,
    "nationality": _TEXT,
    "resident_address": _LATIN1_TEXT,
    "resident_city": _LATIN1_TEXT,
    "resident_state": _LATIN1_TEXT,
    "resident_country": _TEXT,
    "birth_place": _LATIN1_TEXT,
    "age_in_years": _UINT,
    "age_birth_year": _UINT,
    "sex": _UINT,
    "height": _UINT,
    "weight": _UINT,
    "portrait_capture_date": _DATE,
    "driving_privileges": (
        _is_privileges,
        "an array of maps each with a vehicle_category_code text string",
    ),
}


def element_type_problem(
    doctype: str | None, namespace: str, identifier: str, value: Any
) -> str | None:
    """Why ``value`` has the wrong type for its element, or None when fine or unknown."""
    if namespace != MDL_NAMESPACE:
        return None
    rule = _MDL_TYPES.get(identifier)
    if rule is None:
        if _AGE_OVER.match(identifier):
            return None if isinstance(value, bool) else "must be a boolean"
        return None
    check, expected = rule
    return None if check(value) else f"must be {expected}, not {type(value).__name__}"
