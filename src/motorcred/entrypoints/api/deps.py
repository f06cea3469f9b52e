"""FastAPI dependencies: the wired container and caller authentication."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from motorcred.errors import Forbidden, Unauthenticated
from motorcred.services import verifiers
from motorcred.services.accounts import HolderPrincipal, authenticate
from motorcred.services.verifiers import VerifierPrincipal

_bearer = HTTPBearer(auto_error=False)


def get_container(request: Request) -> Any:
    """The application's wired services (built once by ``create_app``)."""
    return request.app.state.container


@dataclass(frozen=True)
class StaffPrincipal:
    subject: str
    roles: frozenset[str]


def require_staff(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> StaffPrincipal:
    """Staff endpoints take ``Authorization: Bearer <staff token>``."""
    if credentials is None:
        raise Unauthenticated("AUTH_REQUIRED", "this endpoint needs a staff bearer token")
    expected = request.app.state.settings.staff_token
    if not hmac.compare_digest(credentials.credentials.encode(), expected.encode()):
        raise Forbidden("STAFF_ROLE_REQUIRED", "the token does not grant a staff role")
    return StaffPrincipal(subject="staff-admin", roles=frozenset({"staff", "admin"}))


Staff = Annotated[StaffPrincipal, Depends(require_staff)]


def require_holder(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> HolderPrincipal:
    """Holder endpoints take ``Authorization: Bearer <session token>`` from a login."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated(
            "HOLDER_AUTH_REQUIRED", "log in and send the session token as a bearer token"
        )
    return authenticate(get_container(request), credentials.credentials)


Holder = Annotated[HolderPrincipal, Depends(require_holder)]


def require_verifier(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> VerifierPrincipal:
    """Verifier endpoints take ``Authorization: Bearer <API key or OAuth2 access token>``."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated(
            "VERIFIER_AUTH_REQUIRED", "send a verifier API key or access token as a bearer token"
        )
    token = credentials.credentials
    if not token.startswith((verifiers.API_KEY_PREFIX, verifiers.TOKEN_PREFIX)):
        # A staff or holder token is a real caller, just not a verifier: say so (403)
        # instead of "log in" (401), so a misconfigured terminal is easy to diagnose.
        expected = request.app.state.settings.staff_token
        is_staff = hmac.compare_digest(token.encode(), expected.encode())
        if is_staff or _is_holder(request, token):
            raise Forbidden(
                "VERIFIER_ROLE_FORBIDDEN",
                "this endpoint is for registered verifier organisations, not staff or holders",
            )
    return verifiers.authenticate(get_container(request), token)


def _is_holder(request: Request, token: str) -> bool:
    try:
        authenticate(get_container(request), token)
    except Unauthenticated:
        return False
    return True


Verifier = Annotated[VerifierPrincipal, Depends(require_verifier)]
