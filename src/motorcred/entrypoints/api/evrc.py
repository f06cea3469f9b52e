"""e-VRC for the holder app: ``/api/v1/evrc``.

``POST /applications`` (idempotent by the ``Idempotency-Key`` header or ``client_key``)
issues the owner's e-VRC at once: 201 with the credential, 200 when a retry replays
it; a refusal is a 422 problem whose ``details.refusals`` lists every reason with
what to do. ``GET /credentials`` lists the holder's active credentials.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response, status
from pydantic import BaseModel, Field

from motorcred.entrypoints.api.deps import Holder, get_container
from motorcred.errors import InvalidInput
from motorcred.services.edl_wiring import rollout_calendar
from motorcred.services.evrc import EvrcApplyRequest, EvrcService

router = APIRouter(prefix="/api/v1/evrc", tags=["e-VRC"])


class EvrcApplicationIn(BaseModel):
    plate: str | None = Field(default=None, max_length=16, description="Plate number (京A12345)")
    vehicle_id: int | None = Field(default=None, ge=1, description="Registry vehicle id")
    client_key: str | None = Field(
        default=None, max_length=128, description="Idempotency key when no header is sent"
    )


def _service(request: Request) -> EvrcService:
    return EvrcService(get_container(request), rollout=rollout_calendar())


@router.post(
    "/applications",
    status_code=status.HTTP_201_CREATED,
    summary="Apply for the electronic vehicle registration (issued at once)",
)
def apply(
    body: EvrcApplicationIn,
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
        EvrcApplyRequest(idempotency_key=key, plate=body.plate, vehicle_id=body.vehicle_id),
    )
    if outcome.replayed:
        response.status_code = status.HTTP_200_OK
    return outcome.to_dict()


@router.get("/credentials", summary="The holder's active credentials (e-DL and e-VRC)")
def list_credentials(holder: Holder, request: Request) -> dict[str, Any]:
    return {"items": _service(request).credentials(holder.account_id)}
