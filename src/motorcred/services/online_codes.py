"""Online codes (亮码): a holder shows a single-use random handle; a verifier checks it.

The handle (``MC0:`` + base45 of 128 random bits, :func:`new_online_handle`)
points at one credential for ``online_code_ttl_seconds`` (60 s by default).
Only its SHA-256 is stored, so a database reader cannot replay live codes.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from motorcred.adapters.codes.render import render_code128_svg, render_qr_png, render_qr_svg
from motorcred.errors import NotFound, Refused
from motorcred.formats.offline_code import new_online_handle, parse_online_handle

if TYPE_CHECKING:
    from motorcred.bootstrap import Container


def handle_digest(code: str) -> bytes:
    """SHA-256 of the handle's random bytes (``CODE_UNKNOWN_FORMAT`` for a non-handle)."""
    return hashlib.sha256(parse_online_handle(code.strip())).digest()


@dataclass(frozen=True)
class OnlineCode:
    code: str
    credential_id: int
    expires_at: datetime
    qr_svg: str
    qr_png: bytes
    barcode_svg: str

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "credential_id": self.credential_id,
            "expires_at": self.expires_at.isoformat(),
            "qr_svg": self.qr_svg,
            "qr_png_base64": base64.b64encode(self.qr_png).decode(),
            "barcode_svg": self.barcode_svg,
        }


def create(container: Container, account_id: int, credential_id: int) -> OnlineCode:
    """A fresh code for the holder's own active credential."""
    now = container.clock()
    ttl = timedelta(seconds=container.settings.online_code_ttl_seconds)
    code = new_online_handle(secrets.token_bytes)
    with container.unit_of_work() as uow:
        credential = uow.credentials.get(credential_id)
        if credential is None or credential.account_id != account_id:
            # Someone else's credential looks exactly like a missing one.
            raise NotFound("CREDENTIAL_UNKNOWN", "you hold no credential with this id")
        if credential.state != "active":
            raise Refused(
                "CREDENTIAL_NOT_ACTIVE",
                f"this credential is {credential.state}; show the current one",
            )
        uow.online_codes.add(credential_id, handle_digest(code), now=now, expires_at=now + ttl)
        uow.commit()
    return OnlineCode(
        code=code,
        credential_id=credential_id,
        expires_at=now + ttl,
        qr_svg=render_qr_svg(code),
        qr_png=render_qr_png(code),
        barcode_svg=render_code128_svg(code),
    )
