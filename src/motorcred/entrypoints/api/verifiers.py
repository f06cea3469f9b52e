"""Verifier organisations (staff) and the OAuth2 token endpoint (verifier clients).

* ``POST /api/v1/verifiers`` register an organisation, ``GET`` list them;
* ``POST /api/v1/verifiers/{id}/keys`` a new API key or OAuth2 client (the secret
  is in this one response), ``DELETE /api/v1/verifiers/{id}/keys/{key_id}`` revoke;
* ``POST /api/v1/oauth/token`` ``grant_type=client_credentials`` (form-encoded,
  client id and secret in the body or HTTP Basic) → a short-lived bearer token.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Literal

from fastapi import APIRouter, Form, Request, status
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import BaseModel, ConfigDict, Field

from motorcred.entrypoints.api.deps import Staff, get_container
from motorcred.errors import Unauthenticated, UsageError
from motorcred.services import verifiers

router = APIRouter(prefix="/api/v1", tags=["verifiers"])


class OrgIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=128)
    role: str = Field(description="police, rental, insurer, employer, dealer or bank")
    contact: str = Field(min_length=1, max_length=128)


class KeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["api_key", "client"] = "api_key"
    label: str = Field(default="", max_length=64)


def _issued(key: verifiers.IssuedKey) -> dict[str, Any]:
    out: dict[str, Any] = {"id": key.id, "org_id": key.org_id, "kind": key.kind}
    out["prefix"] = key.prefix
    if key.kind == "client":
        out["client_id"] = key.client_id
        out["client_secret"] = key.secret
    else:
        out["api_key"] = key.secret
    return out


@router.post("/verifiers", status_code=status.HTTP_201_CREATED, summary="Register a verifier")
def register(body: OrgIn, staff: Staff, request: Request) -> dict[str, Any]:
    org = verifiers.register_org(get_container(request), body.name, body.role, body.contact)
    return verifiers.org_view(org, [])


@router.get("/verifiers", summary="Verifier organisations and their keys (no secrets)")
def list_verifiers(staff: Staff, request: Request) -> dict[str, Any]:
    items = verifiers.list_orgs(get_container(request))
    return {"items": [verifiers.org_view(org, keys) for org, keys in items]}


@router.post(
    "/verifiers/{org_id}/keys",
    status_code=status.HTTP_201_CREATED,
    summary="New API key or OAuth2 client (secret shown once)",
)
def add_key(org_id: int, body: KeyIn, staff: Staff, request: Request) -> dict[str, Any]:
    key = verifiers.issue_key(get_container(request), org_id, body.kind, body.label)
    return _issued(key)


@router.delete("/verifiers/{org_id}/keys/{key_id}", summary="Revoke a key at once")
def revoke_key(org_id: int, key_id: int, staff: Staff, request: Request) -> dict[str, Any]:
    changed = verifiers.revoke_key(get_container(request), key_id, org_id)
    return {"id": key_id, "revoked": True, "changed": changed}


def _basic(request: Request) -> tuple[str, str] | None:
    scheme, param = get_authorization_scheme_param(request.headers.get("Authorization"))
    if scheme.lower() != "basic":
        return None
    try:
        user, _, password = base64.b64decode(param, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthenticated("OAUTH_CLIENT_INVALID", "malformed Basic credentials") from None
    return user, password


@router.post("/oauth/token", summary="OAuth2 client credentials grant")
def token(
    request: Request,
    grant_type: str = Form(...),
    client_id: str | None = Form(default=None),
    client_secret: str | None = Form(default=None),
) -> dict[str, Any]:
    if grant_type != "client_credentials":
        raise UsageError(
            "OAUTH_GRANT_UNSUPPORTED", "only grant_type=client_credentials is supported"
        )
    basic = _basic(request)
    if basic is not None:
        client_id, client_secret = basic
    if not client_id or not client_secret:
        raise Unauthenticated("OAUTH_CLIENT_INVALID", "send client_id and client_secret")
    issued = verifiers.client_credentials_token(get_container(request), client_id, client_secret)
    return {
        "access_token": issued.access_token,
        "token_type": issued.token_type,
        "expires_in": issued.expires_in,
    }
