"""Holder accounts over HTTP: sign-up, sessions, binding to the registry, device key.

Every refusal leaves as problem+json with its stable code (``ACCOUNT_EXISTS``,
``LOGIN_FAILED``, ``ACCOUNT_LOCKED``, ``OTP_INVALID``, ``DEVICE_PROOF_INVALID``…).
A binding code is written to the outbox inside the binding command and handed
to the notifier after the response is sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request, Response, status
from pydantic import BaseModel, Field

from motorcred.adapters.notify import Notifier, build_notifier
from motorcred.entrypoints.api.deps import Holder, get_container
from motorcred.errors import NotFound
from motorcred.services import accounts, binding, devices
from motorcred.services.notifications import dispatch_outbox

router = APIRouter(prefix="/api/v1", tags=["holder accounts"])


class Credentials(BaseModel):
    login: str = Field(
        min_length=1, max_length=64, description="Mainland mobile number or a username"
    )
    password: str = Field(min_length=1, max_length=1024)


class AccountOut(BaseModel):
    id: int
    login_kind: str
    login: str = Field(description="The login name; phone numbers are masked")
    bound: bool
    bound_at: datetime | None
    created_at: datetime


class SessionOut(BaseModel):
    token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme name, not a secret
    account_id: int
    expires_at: datetime


class BindingStartIn(BaseModel):
    id_number: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=64)


class BindingStartedOut(BaseModel):
    challenge_id: int
    sent_to: str = Field(description="The phone on record, masked")
    expires_at: datetime
    resend_after: datetime


class BindingConfirmIn(BaseModel):
    code: str = Field(min_length=1, max_length=16)


class BindingConfirmedOut(BaseModel):
    account_id: int
    person_id: int
    name: str
    id_number: str
    bound_at: datetime


class NonceIn(BaseModel):
    purpose: str = Field(default=devices.PURPOSE_DEVICE_BINDING, max_length=32)


class NonceOut(BaseModel):
    nonce: str = Field(description="base64url; the device signs the raw bytes")
    purpose: str
    expires_at: datetime


class DeviceIn(BaseModel):
    jwk: dict[str, Any] | None = Field(default=None, description="Public P-256 key as a JWK")
    cose_key: str | None = Field(
        default=None, max_length=512, description="Public P-256 key as a base64url COSE_Key"
    )
    nonce: str = Field(min_length=1, max_length=128)
    signature: str = Field(
        min_length=1, max_length=256, description="base64url ES256 signature (r‖s)"
    )


class DeviceOut(BaseModel):
    device_id: int
    thumbprint: str = Field(description="RFC 7638 JWK thumbprint (SHA-256)")
    jwk: dict[str, str]
    bound_at: datetime
    replaced_device_id: int | None = None


class MeOut(AccountOut):
    device: DeviceOut | None


def _account_out(view: accounts.AccountView) -> AccountOut:
    return AccountOut(**view.__dict__)


def _device_out(device: devices.ActiveDevice, replaced: int | None = None) -> DeviceOut:
    return DeviceOut(
        device_id=device.device_id,
        thumbprint=device.thumbprint,
        jwk=device.jwk,
        bound_at=device.bound_at,
        replaced_device_id=replaced,
    )


def _notifier(request: Request) -> Notifier:
    """One notifier per app, built on first use (tests may set ``app.state.notifier``)."""
    notifier: Notifier | None = getattr(request.app.state, "notifier", None)
    if notifier is None:
        notifier = build_notifier(request.app.state.settings)
        request.app.state.notifier = notifier
    return notifier


@router.post("/accounts", status_code=status.HTTP_201_CREATED, summary="Sign up")
def sign_up(body: Credentials, request: Request) -> AccountOut:
    view = accounts.sign_up(get_container(request), body.login, body.password)
    return _account_out(view)


@router.post("/sessions", status_code=status.HTTP_201_CREATED, summary="Log in")
def log_in(body: Credentials, request: Request) -> SessionOut:
    issued = accounts.log_in(get_container(request), body.login, body.password)
    return SessionOut(
        token=issued.token, account_id=issued.account_id, expires_at=issued.expires_at
    )


@router.delete("/sessions", status_code=status.HTTP_204_NO_CONTENT, summary="Log out")
@router.delete("/sessions/current", status_code=status.HTTP_204_NO_CONTENT, summary="Log out")
def log_out(holder: Holder, request: Request) -> Response:
    accounts.log_out(get_container(request), holder)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/accounts/me", summary="The logged-in holder's account")
def me(holder: Holder, request: Request) -> MeOut:
    container = get_container(request)
    view = accounts.get_account(container, holder.account_id)
    device = devices.get_active_device(container, holder.account_id)
    return MeOut(
        **_account_out(view).model_dump(), device=None if device is None else _device_out(device)
    )


@router.post(
    "/accounts/me/binding",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Start binding to a registry person (sends a code to the phone on record)",
)
def start_binding(
    body: BindingStartIn, holder: Holder, request: Request, background: BackgroundTasks
) -> BindingStartedOut:
    container = get_container(request)
    started = binding.start_binding(container, holder.account_id, body.id_number, body.name)
    background.add_task(dispatch_outbox, container, _notifier(request))
    return BindingStartedOut(**started.__dict__)


@router.post("/accounts/me/binding/confirm", summary="Confirm the binding with the code")
def confirm_binding(
    body: BindingConfirmIn, holder: Holder, request: Request
) -> BindingConfirmedOut:
    done = binding.confirm_binding(get_container(request), holder.account_id, body.code)
    return BindingConfirmedOut(**done.__dict__)


@router.post(
    "/accounts/me/device/nonce",
    status_code=status.HTTP_201_CREATED,
    summary="A single-use nonce for the device to sign",
)
def device_nonce(holder: Holder, request: Request, body: NonceIn | None = None) -> NonceOut:
    purpose = (body or NonceIn()).purpose
    issued = devices.issue_nonce(get_container(request), holder.account_id, purpose)
    return NonceOut(**issued.__dict__)


@router.post("/accounts/me/device", summary="Bind a device key (proof of possession)")
def bind_device(body: DeviceIn, holder: Holder, request: Request) -> DeviceOut:
    key = devices.parse_device_key(jwk=body.jwk, cose_key=body.cose_key)
    bound = devices.register_device(
        get_container(request),
        holder.account_id,
        public_key=key,
        nonce=body.nonce,
        signature=body.signature,
    )
    return _device_out(bound.device, bound.replaced_device_id)


@router.get("/accounts/me/device", summary="The account's active device key")
def active_device(holder: Holder, request: Request) -> DeviceOut:
    device = devices.get_active_device(get_container(request), holder.account_id)
    if device is None:
        raise NotFound("DEVICE_NOT_BOUND", "no device key is bound to this account yet")
    return _device_out(device)
