"""Verifier organisations and how they authenticate: API keys and OAuth2 clients.

Staff register an organisation with its role (police, rental, insurer,
employer, dealer, bank); the role decides what the masking policy shows it. An
organisation holds several credentials, each revocable on its own:

* an **API key** ``mcv_<prefix>_<secret>`` sent as a bearer token;
* an **OAuth2 client** (``client_id`` ``mcc_<prefix>`` and a secret) that trades
  its secret for a short-lived bearer token ``mct_…`` at ``POST /api/v1/oauth/token``
  (``grant_type=client_credentials``).

Secrets are 256-bit random values shown once; only their SHA-256 is stored,
with the prefix kept in clear so staff can tell keys apart.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from motorcred.adapters.db.repositories.verifiers import VerifierKey, VerifierOrg
from motorcred.domain.masking import VERIFIER_ROLES
from motorcred.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthenticated

if TYPE_CHECKING:
    from motorcred.bootstrap import Container

API_KEY_PREFIX = "mcv_"
CLIENT_PREFIX = "mcc_"
TOKEN_PREFIX = "mct_"  # noqa: S105 - a public marker, not a secret
KEY_KINDS = ("api_key", "client")
_SECRET_BYTES = 32
_MAX_NAME = 128


@dataclass(frozen=True)
class VerifierPrincipal:
    """The organisation behind a verifier request."""

    org_id: int
    org_name: str
    role: str
    key_id: int

    @property
    def actor(self) -> str:
        """How the audit log names this verifier (no personal data)."""
        return f"verifier:{self.org_id}"


@dataclass(frozen=True)
class IssuedKey:
    """A new credential of an organisation; ``secret`` is shown this once."""

    id: int
    org_id: int
    kind: str
    prefix: str
    secret: str
    """The API key itself, or the OAuth2 client secret."""

    @property
    def client_id(self) -> str | None:
        return self.prefix if self.kind == "client" else None


@dataclass(frozen=True)
class AccessToken:
    access_token: str
    expires_in: int
    token_type: str = "Bearer"  # noqa: S105 - RFC 6750 token type name


def _digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def _text(name: str, value: str, limit: int = _MAX_NAME) -> str:
    value = value.strip()
    if not value or len(value) > limit or any(ord(c) < 0x20 for c in value):
        raise InvalidInput(
            "VERIFIER_FIELD_INVALID", f"{name} must be 1 to {limit} printable characters"
        )
    return value


def register_org(container: Container, name: str, role: str, contact: str) -> VerifierOrg:
    """Register an organisation (staff). Registering the same name twice is refused."""
    name = _text("name", name)
    contact = _text("contact", contact)
    if role not in VERIFIER_ROLES:
        raise InvalidInput(
            "VERIFIER_ROLE_UNKNOWN", f"role must be one of {', '.join(VERIFIER_ROLES)}"
        )
    now = container.clock()
    with container.unit_of_work() as uow:
        if uow.verifiers.org_by_name(name) is not None:
            raise Conflict("VERIFIER_EXISTS", f"an organisation named {name!r} is registered")
        org_id = uow.verifiers.add_org(name, role, contact, now=now)
        org = uow.verifiers.get_org(org_id)
        uow.commit()
    assert org is not None
    return org


def list_orgs(container: Container) -> list[tuple[VerifierOrg, list[VerifierKey]]]:
    with container.unit_of_work() as uow:
        return [(org, uow.verifiers.keys_of(org.id)) for org in uow.verifiers.orgs()]


def get_org(container: Container, org_id: int) -> VerifierOrg:
    with container.unit_of_work() as uow:
        org = uow.verifiers.get_org(org_id)
    if org is None:
        raise NotFound("VERIFIER_UNKNOWN", f"no verifier organisation {org_id}")
    return org


def issue_key(container: Container, org_id: int, kind: str, label: str = "") -> IssuedKey:
    """A new API key or OAuth2 client for the organisation (staff)."""
    if kind not in KEY_KINDS:
        raise InvalidInput("VERIFIER_KEY_KIND", f"kind must be one of {', '.join(KEY_KINDS)}")
    label = _text("label", label or kind, 64)
    prefix = (API_KEY_PREFIX if kind == "api_key" else CLIENT_PREFIX) + secrets.token_hex(6)
    random_part = secrets.token_urlsafe(_SECRET_BYTES)
    secret = f"{prefix}_{random_part}" if kind == "api_key" else random_part
    now = container.clock()
    with container.unit_of_work() as uow:
        if uow.verifiers.get_org(org_id) is None:
            raise NotFound("VERIFIER_UNKNOWN", f"no verifier organisation {org_id}")
        key_id = uow.verifiers.add_key(org_id, kind, prefix, _digest(secret), label, now=now)
        uow.commit()
    return IssuedKey(key_id, org_id, kind, prefix, secret)


def revoke_key(container: Container, key_id: int, org_id: int | None = None) -> bool:
    """Revoke a key (and the tokens issued under it) at once; False when already revoked."""
    now = container.clock()
    with container.unit_of_work() as uow:
        key = uow.verifiers.get_key(key_id)
        if key is None or (org_id is not None and key.org_id != org_id):
            raise NotFound("VERIFIER_KEY_UNKNOWN", f"no verifier key {key_id}")
        changed = uow.verifiers.revoke_key(key_id, now=now)
        uow.commit()
    return changed


def _auth_required(message: str) -> Unauthenticated:
    return Unauthenticated("VERIFIER_AUTH_REQUIRED", message)


def _principal(container: Container, key: VerifierKey) -> VerifierPrincipal:
    with container.unit_of_work() as uow:
        org = uow.verifiers.get_org(key.org_id)
    if org is None:  # pragma: no cover - keys cascade with their organisation
        raise _auth_required("the key's organisation no longer exists")
    return VerifierPrincipal(org.id, org.name, org.role, key.id)


def _live_key(container: Container, prefix: str, secret: str, kind: str) -> VerifierKey:
    with container.unit_of_work() as uow:
        key = uow.verifiers.key_by_prefix(prefix)
    if (
        key is None
        or key.kind != kind
        or not hmac.compare_digest(key.secret_hash, _digest(secret))
        or key.revoked_at is not None
    ):
        raise _auth_required("the verifier credentials are not valid")
    return key


def authenticate(container: Container, token: str) -> VerifierPrincipal:
    """The organisation behind an API key or an OAuth2 bearer token."""
    if token.startswith(API_KEY_PREFIX):
        prefix = "_".join(token.split("_", 2)[:2])  # the secret part may hold "_" itself
        return _principal(container, _live_key(container, prefix, token, "api_key"))
    if token.startswith(TOKEN_PREFIX):
        now = container.clock()
        with container.unit_of_work() as uow:
            found = uow.verifiers.token(_digest(token))
        if found is None or found[0].revoked_at is not None:
            raise _auth_required("the bearer token is not valid; request a new one")
        key, expires_at = found
        if now >= expires_at:
            raise _auth_required("the bearer token has expired; request a new one")
        return _principal(container, key)
    raise _auth_required("send an API key or an OAuth2 bearer token of a verifier")


def client_credentials_token(
    container: Container, client_id: str, client_secret: str
) -> AccessToken:
    """OAuth2 client credentials grant (RFC 6749 §4.4): a short-lived bearer token."""
    if not client_id.startswith(CLIENT_PREFIX):
        raise Unauthenticated("OAUTH_CLIENT_INVALID", "unknown client or wrong secret")
    try:
        key = _live_key(container, client_id, client_secret, "client")
    except Unauthenticated:
        raise Unauthenticated("OAUTH_CLIENT_INVALID", "unknown client or wrong secret") from None
    ttl = container.settings.verifier_token_ttl_seconds
    token = TOKEN_PREFIX + secrets.token_urlsafe(_SECRET_BYTES)
    now = container.clock()
    with container.unit_of_work() as uow:
        uow.verifiers.purge_tokens(now=now)
        uow.verifiers.add_token(
            key.id, _digest(token), now=now, expires_at=now + timedelta(seconds=ttl)
        )
        uow.commit()
    return AccessToken(token, ttl)


def require_role(principal: VerifierPrincipal, roles: tuple[str, ...]) -> VerifierPrincipal:
    if principal.role not in roles:
        raise Forbidden(
            "VERIFIER_ROLE_FORBIDDEN",
            f"this endpoint is for {', '.join(roles)} verifiers, not {principal.role}",
        )
    return principal


def key_view(key: VerifierKey) -> dict[str, object]:
    """A key as listings show it: never the secret or its hash."""
    return {
        "id": key.id,
        "kind": key.kind,
        "prefix": key.prefix,
        "label": key.label,
        "created_at": key.created_at.isoformat(),
        "revoked_at": None if key.revoked_at is None else key.revoked_at.isoformat(),
    }


def org_view(org: VerifierOrg, keys: list[VerifierKey] | None = None) -> dict[str, object]:
    out: dict[str, object] = {
        "id": org.id,
        "name": org.name,
        "role": org.role,
        "contact": org.contact,
        "created_at": org.created_at.isoformat(),
    }
    if keys is not None:
        out["keys"] = [key_view(k) for k in keys]
    return out
