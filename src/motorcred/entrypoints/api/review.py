"""The staff photo review queue: ``/api/v1/review``.

Claim the next due item, look at its photo, then approve, reject (with the reason
the holder reads) or flag it as malicious, quoting the claim token. The overdue
report counts what has passed its SLA.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status
from pydantic import BaseModel, Field

from motorcred.entrypoints.api.deps import Staff, get_container
from motorcred.services.edl_wiring import photo_review_service

router = APIRouter(prefix="/api/v1/review", tags=["photo review"])


class ClaimIn(BaseModel):
    reviewer: str | None = Field(default=None, max_length=64)


class DecisionIn(BaseModel):
    claim_token: str = Field(max_length=64)
    reviewer: str | None = Field(default=None, max_length=64)


class ReasonedDecisionIn(DecisionIn):
    reason: str = Field(max_length=500, description="Shown to the holder")


@router.post("/claim", summary="Claim the next due photo (204 when the queue is empty)")
def claim(staff: Staff, request: Request, body: ClaimIn | None = None) -> Any:
    reviewer = (body.reviewer if body else None) or staff.subject
    item = photo_review_service(get_container(request)).claim(reviewer)
    if item is None:
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    return item.to_dict()


@router.get(
    "/items/{application_id}/photo",
    summary="The submitted photo (JPEG)",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}},
)
def photo(application_id: int, staff: Staff, request: Request) -> Response:
    jpeg = photo_review_service(get_container(request)).photo(application_id)
    return Response(jpeg, media_type="image/jpeg", headers={"Cache-Control": "no-store"})


@router.post("/items/{application_id}/approve", summary="Approve: the e-licence is generated")
def approve(
    application_id: int, body: DecisionIn, staff: Staff, request: Request
) -> dict[str, Any]:
    service = photo_review_service(get_container(request))
    service.approve(application_id, body.claim_token, body.reviewer or staff.subject)
    return {"application_id": application_id, "decision": "approved"}


@router.post("/items/{application_id}/reject", summary="Reject with a reason the holder sees")
def reject(
    application_id: int, body: ReasonedDecisionIn, staff: Staff, request: Request
) -> dict[str, Any]:
    service = photo_review_service(get_container(request))
    service.reject(application_id, body.claim_token, body.reviewer or staff.subject, body.reason)
    return {"application_id": application_id, "decision": "rejected"}


@router.post(
    "/items/{application_id}/flag",
    summary="Flag as malicious: rejected, the e-licence stopped, no new application until cleared",
)
def flag(
    application_id: int, body: ReasonedDecisionIn, staff: Staff, request: Request
) -> dict[str, Any]:
    service = photo_review_service(get_container(request))
    service.flag_malicious(
        application_id, body.claim_token, body.reviewer or staff.subject, body.reason
    )
    return {"application_id": application_id, "decision": "flagged_malicious"}


@router.post("/flags/{licence_id}/clear", summary="Clear a malicious-photo flag")
def clear_flag(licence_id: int, staff: Staff, request: Request) -> dict[str, Any]:
    photo_review_service(get_container(request)).clear_flag(licence_id, staff.subject)
    return {"licence_id": licence_id, "cleared": True}


@router.get("/overdue", summary="Reviews past their SLA: counts and the oldest items")
def overdue(staff: Staff, request: Request, limit: int = 10) -> dict[str, Any]:
    return photo_review_service(get_container(request)).overdue(limit=limit).to_dict()
