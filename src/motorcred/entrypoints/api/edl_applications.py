"""e-DL applications for the holder app: ``/api/v1/edl/applications``.

``POST`` applies (idempotent by the ``Idempotency-Key`` header or ``client_key``):
201 with the new application, 200 when a retry replays an earlier one; a refusal
is a 422 problem whose ``details.refusals`` lists every reason with what to do,
and the refused application stays on record (``details.application_id``). Photos
travel base64-encoded in the JSON body.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response, status
from pydantic import BaseModel, Field

from motorcred.adapters.identity import IdentityVerifier
from motorcred.adapters.photo.decode import DEFAULT_LIMITS
from motorcred.entrypoints.api.deps import Holder, get_container
from motorcred.errors import InvalidInput
from motorcred.services.edl_applications import ApplyRequest, EdlApplicationService
from motorcred.services.edl_wiring import build_identity_verifier, edl_application_service

router = APIRouter(prefix="/api/v1/edl", tags=["e-DL applications"])

_MAX_B64 = (DEFAULT_LIMITS.max_bytes + 2) // 3 * 4


class ApplicationIn(BaseModel):
    photo_path: str = Field(description="on_file | camera | album", max_length=16)
    photo: str | None = Field(
        default=None, max_length=_MAX_B64, description="New photo (base64), camera/album paths"
    )
    live_photo: str | None = Field(
        default=None,
        max_length=_MAX_B64,
        description="Selfie for the real-person check (base64), photo-on-file path",
    )
    client_key: str | None = Field(
        default=None, max_length=128, description="Idempotency key when no header is sent"
    )


def _b64(value: str | None, field: str) -> bytes | None:
    if value is None:
        return None
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput(
            "PHOTO_ENCODING_INVALID", f"{field} must be base64", details={"field": field}
        ) from exc


def _service(request: Request) -> EdlApplicationService:
    """Tests may set ``app.state.identity_verifier``; otherwise it follows the settings."""
    verifier: IdentityVerifier | None = getattr(request.app.state, "identity_verifier", None)
    if verifier is None:
        verifier = build_identity_verifier(request.app.state.settings)
        request.app.state.identity_verifier = verifier
    return edl_application_service(get_container(request), verifier=verifier)


@router.post(
    "/applications",
    status_code=status.HTTP_201_CREATED,
    summary="Apply for the electronic driving licence",
)
def apply(
    body: ApplicationIn,
    holder: Holder,
    request: Request,
    response: Response,
    idempotency_key: Annotated[str | None, Header(max_length=128)] = None,
) -> dict[str, Any]:
    key = idempotency_key or body.client_key
    if not key:
        raise InvalidInput(
            "IDEMPOTENCY_KEY_REQUIRED",
            "send an Idempotency-Key header (or client_key) so a retry cannot apply twice",
            details={"field": "idempotency_key"},
        )
    outcome = _service(request).apply(
        holder.account_id,
        ApplyRequest(
            idempotency_key=key,
            photo_path=body.photo_path,
            photo=_b64(body.photo, "photo"),
            live_photo=_b64(body.live_photo, "live_photo"),
        ),
    )
    if outcome.replayed:
        response.status_code = status.HTTP_200_OK
    return outcome.application.to_dict()


@router.get("/applications", summary="The holder's applications, newest first")
def list_applications(holder: Holder, request: Request) -> dict[str, Any]:
    views = _service(request).list_mine(holder.account_id)
    return {"items": [v.to_dict() for v in views]}


@router.get("/applications/{application_id}", summary="One application with its reasons")
def get_application(application_id: int, holder: Holder, request: Request) -> dict[str, Any]:
    return _service(request).get(holder.account_id, application_id).to_dict()
