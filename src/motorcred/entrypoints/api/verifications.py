"""Holder codes and consents, verifier checks, and the holder's list of checks.

* holder ``POST /api/v1/credentials/{id}/online-code`` → a single-use code with
  its QR code (SVG and PNG) and Code 128 barcode;
* verifier ``POST /api/v1/verifications`` with exactly one of ``code``,
  ``licence_number`` (police, with ``purpose``) or ``consent_id``;
* holder ``POST/GET /api/v1/consents``, ``DELETE /api/v1/consents/{id}``;
* holder ``GET /api/v1/accounts/me/checks``: who checked my licence.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, ConfigDict, Field

from motorcred.entrypoints.api.deps import Holder, Verifier, get_container
from motorcred.errors import UsageError
from motorcred.services import audit, consents, online_codes, verifications

router = APIRouter(prefix="/api/v1", tags=["verification"])


class VerificationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str | None = Field(default=None, max_length=64, description="An MC0: online code")
    licence_number: str | None = Field(default=None, max_length=32)
    consent_id: int | None = None
    purpose: str | None = Field(default=None, max_length=128)


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    organisation_id: int
    purpose: str = Field(min_length=1, max_length=128)
    valid_until: datetime
    valid_from: datetime | None = None


@router.post(
    "/credentials/{credential_id}/online-code",
    status_code=status.HTTP_201_CREATED,
    summary="A fresh single-use online code (QR and Code 128)",
)
def online_code(credential_id: int, holder: Holder, request: Request) -> dict[str, Any]:
    code = online_codes.create(get_container(request), holder.account_id, credential_id)
    return code.to_dict()


@router.post("/verifications", summary="Check a credential online")
def verify(body: VerificationIn, verifier: Verifier, request: Request) -> dict[str, Any]:
    container = get_container(request)
    given = [v is not None for v in (body.code, body.licence_number, body.consent_id)]
    if sum(given) != 1:
        raise UsageError(
            "VERIFICATION_REQUEST_INVALID",
            "send exactly one of code, licence_number (police) or consent_id",
        )
    if body.code is not None:
        return verifications.check_code(container, verifier, body.code, body.purpose)
    if body.licence_number is not None:
        return verifications.lookup_licence(container, verifier, body.licence_number, body.purpose)
    assert body.consent_id is not None
    return verifications.check_consent(container, verifier, body.consent_id)


@router.post("/consents", status_code=status.HTTP_201_CREATED, summary="Grant standing consent")
def grant_consent(body: ConsentIn, holder: Holder, request: Request) -> dict[str, Any]:
    return consents.grant(
        get_container(request),
        holder.account_id,
        body.organisation_id,
        body.purpose,
        body.valid_until,
        body.valid_from,
    )


@router.get("/consents", summary="My consents")
def list_consents(holder: Holder, request: Request) -> dict[str, Any]:
    return {"items": consents.list_for(get_container(request), holder.account_id)}


@router.delete("/consents/{consent_id}", summary="Revoke a consent at once")
def revoke_consent(consent_id: int, holder: Holder, request: Request) -> dict[str, Any]:
    return consents.revoke(get_container(request), holder.account_id, consent_id)


@router.get("/accounts/me/checks", summary="Who checked my credentials")
def my_checks(holder: Holder, request: Request, limit: int = 100) -> dict[str, Any]:
    return {"items": audit.checks_of_account(get_container(request), holder.account_id, limit)}
