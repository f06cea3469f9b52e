"""Photo pre-check for the holder app: ``POST /api/v1/photos/precheck``.

The app sends the photo it is about to submit (phone camera or album) as the raw
request body and gets back every finding of the automatic pre-check, so the holder
can retake the photo before applying. The endpoint stores nothing. A photo that
cannot be decoded safely is a problem+json with its ``PHOTO_*`` code; a photo that
decodes but breaks photo rules is a normal answer with ``passed: false``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from motorcred.adapters.photo.decode import DEFAULT_LIMITS
from motorcred.entrypoints.api.deps import Holder
from motorcred.errors import InvalidInput
from motorcred.services.photo_intake import intake_photo

router = APIRouter(prefix="/api/v1", tags=["photos"])

_IMAGE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The photo's bytes (JPEG, PNG or HEIC; the type is read from the bytes).",
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}}
            for media in ("image/jpeg", "image/png", "image/heic", "application/octet-stream")
        },
    }
}


class SourceOut(BaseModel):
    format: str
    width: int
    height: int


class StoredOut(BaseModel):
    width: int
    height: int
    bytes: int


class FaceOut(BaseModel):
    x: int
    y: int
    width: int
    height: int


class FindingOut(BaseModel):
    code: str
    measure: str
    message: dict[str, str]
    measured: float
    threshold: float
    limit: str


class PrecheckOut(BaseModel):
    passed: bool
    rules_version: str
    source: SourceOut
    stored: StoredOut
    faces: list[FaceOut]
    findings: list[FindingOut]


def _too_large(size: int) -> InvalidInput:
    return InvalidInput(
        "PHOTO_TOO_LARGE",
        f"The photo is larger than {DEFAULT_LIMITS.max_bytes:,} bytes.",
        details={"size_at_least": size, "max_bytes": DEFAULT_LIMITS.max_bytes},
    )


async def _read_bounded(request: Request, limit: int) -> bytes:
    """The body, refused as soon as it passes ``limit`` (never buffered beyond it)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(int(declared))
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(size)
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "/photos/precheck",
    summary="Pre-check a licence photo before submitting it",
    response_model=PrecheckOut,
    openapi_extra=_IMAGE_BODY,
)
async def precheck(request: Request, holder: Holder) -> dict[str, Any]:
    # Logged-in holders only: the check costs tens of milliseconds of CPU per call.
    data = await _read_bounded(request, DEFAULT_LIMITS.max_bytes)
    # Decoding and face detection are CPU work: keep them off the event loop.
    intake = await run_in_threadpool(intake_photo, data)
    return intake.to_dict()
