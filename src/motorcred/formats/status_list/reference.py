"""The reference from a credential to its Status List Token.

In the MSO (and any CWT) the reference is the ``status`` claim
``{"status_list": {"idx": uint, "uri": tstr}}`` (draft §6.3, "Referenced Token
in COSE"); ISO mdoc carries it as the MSO's ``status`` field. The verifier
fetches the token at ``uri`` and reads entry ``idx``; the token's ``sub`` must
equal ``uri``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from motorcred.errors import InvalidInput, MalformedData

MAX_URI_LENGTH: Final = 2048


def uri_problem(uri: object) -> str | None:
    """Why ``uri`` is not usable as a status list URI, or None when it is."""
    if not isinstance(uri, str) or not uri:
        return "uri must be a non-empty text string"
    if len(uri) > MAX_URI_LENGTH:
        return f"uri is longer than {MAX_URI_LENGTH} characters"
    if any(ch.isspace() or ord(ch) < 0x20 for ch in uri):
        return "uri contains whitespace or control characters"
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "uri is not a URI"
    if not parts.scheme or not (parts.netloc or parts.path):
        return "uri must be an absolute URI (RFC 3986) with a scheme"
    return None


@dataclass(frozen=True, slots=True)
class StatusReference:
    """Where a credential's status lives: entry ``idx`` of the list published at ``uri``."""

    idx: int
    uri: str

    def __post_init__(self) -> None:
        if type(self.idx) is not int or self.idx < 0:
            raise InvalidInput(
                "STATUS_INDEX_OUT_OF_RANGE", f"idx must be a non-negative int, not {self.idx!r}"
            )
        problem = uri_problem(self.uri)
        if problem:
            raise InvalidInput("STATUS_URI_INVALID", problem)

    def to_claim(self) -> dict[str, Any]:
        """The ``status`` claim value: ``{"status_list": {"idx": …, "uri": …}}``."""
        return {"status_list": {"idx": self.idx, "uri": self.uri}}


def parse_status_claim(obj: object) -> StatusReference | None:
    """Read the ``status`` claim of an MSO/CWT; ``None`` when it names no status list.

    Other status mechanisms may sit beside ``status_list`` in the map; they are
    ignored here. A ``status_list`` entry that is present but wrong raises
    ``STATUS_REFERENCE_MALFORMED``.
    """
    if not isinstance(obj, Mapping):
        raise MalformedData("STATUS_REFERENCE_MALFORMED", "status must be a map")
    entry = obj.get("status_list")
    if entry is None:
        return None
    if not isinstance(entry, Mapping):
        raise MalformedData("STATUS_REFERENCE_MALFORMED", "status_list must be a map")
    idx, uri = entry.get("idx"), entry.get("uri")
    if type(idx) is not int or idx < 0:
        raise MalformedData(
            "STATUS_REFERENCE_MALFORMED", "status_list.idx must be an unsigned integer"
        )
    problem = uri_problem(uri)
    if problem:
        raise MalformedData("STATUS_REFERENCE_MALFORMED", f"status_list.{problem}")
    assert isinstance(uri, str)
    return StatusReference(idx, uri)
