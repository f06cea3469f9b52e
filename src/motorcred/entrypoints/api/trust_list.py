"""The signed trust list for offline verifiers: ``GET /api/v1/trust-list``.

Verifiers (police terminals, partner apps) download it while online, then check
``MC1:`` codes offline (``motorcred verify-code --trust-list FILE``). Served with
an ``ETag`` and ``Cache-Control: max-age`` so clients and CDNs cache it and
revalidate cheaply (``If-None-Match`` → 304). Public: it holds certificates only.
"""

from __future__ import annotations

from fastapi import APIRouter, Header, Request, Response

from motorcred.entrypoints.api.deps import get_container
from motorcred.entrypoints.api.status_lists import _matches as etag_matches
from motorcred.formats.trust_list import TYP_TRUST_LIST

router = APIRouter(prefix="/api/v1", tags=["trust list"])


@router.get(
    "/trust-list",
    summary="Signed trust list (IACA and document-signer certificates)",
    response_class=Response,
    responses={
        200: {"content": {TYP_TRUST_LIST: {}}, "description": "The signed trust list"},
        304: {"description": "Not modified (the ETag matched)"},
    },
)
def get_trust_list(request: Request, if_none_match: str | None = Header(default=None)) -> Response:
    container = get_container(request)
    published = container.trust_list.publish()
    headers = {
        "ETag": published.etag,
        "Cache-Control": f"public, max-age={published.max_age(container.clock())}",
    }
    if etag_matches(if_none_match, published.etag):
        return Response(status_code=304, headers=headers)
    return Response(content=published.data, media_type=TYP_TRUST_LIST, headers=headers)
