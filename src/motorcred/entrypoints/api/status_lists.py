"""Status lists for verifiers: ``GET /api/v1/status-lists/{list_id}``.

Serves the signed Status List Token (``application/statuslist+cwt``,
draft-ietf-oauth-status-list §8) with an ``ETag`` and ``Cache-Control: max-age``
so verifiers and CDNs cache it and revalidate cheaply (``If-None-Match`` → 304).
Public: a status list names no one (indices are unlinkable, see
``domain/status_permutation.py``).
"""

from __future__ import annotations

from fastapi import APIRouter, Header, Request, Response

from motorcred.entrypoints.api.deps import get_container
from motorcred.formats.status_list import TYP_STATUSLIST_CWT

router = APIRouter(prefix="/api/v1", tags=["status lists"])


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 §13.1.2: weak comparison over a list of entity tags, or ``*``."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == etag:
            return True
    return False


@router.get(
    "/status-lists/{list_id}",
    summary="Signed status list token",
    response_class=Response,
    responses={
        200: {"content": {TYP_STATUSLIST_CWT: {}}, "description": "The Status List Token"},
        304: {"description": "Not modified (the ETag matched)"},
        404: {"description": "No such status list"},
    },
)
def get_status_list(
    list_id: int,
    request: Request,
    if_none_match: str | None = Header(default=None),
) -> Response:
    published = get_container(request).status_lists.publish(list_id)
    headers = {
        "ETag": published.etag,
        "Cache-Control": f"public, max-age={published.max_age}",
    }
    if _matches(if_none_match, published.etag):
        return Response(status_code=304, headers=headers)
    return Response(content=published.token, media_type=TYP_STATUSLIST_CWT, headers=headers)
