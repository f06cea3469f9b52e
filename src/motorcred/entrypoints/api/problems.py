"""RFC 9457 problem details: every error leaves the API as ``application/problem+json``.

The body always carries the stable ``code`` next to the standard members, so a
client branches on ``code`` and shows ``detail`` to a person. Unexpected
exceptions become a generic 500 problem without internals; request-validation
errors from FastAPI become ``REQUEST_INVALID`` with the offending fields.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from motorcred.errors import MotorcredError

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("motorcred.api")


def problem_response(
    status: int,
    code: str,
    title: str,
    detail: str,
    *,
    instance: str | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"urn:motorcred:problem:{code.lower().replace('_', '-')}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    if extra:
        body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _for_error(request: Request, exc: MotorcredError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
    retry_after = exc.details.get("retry_after_seconds")
    if exc.http_status == 429 and isinstance(retry_after, int):
        headers = {"Retry-After": str(retry_after)}  # RFC 9110 §10.2.3
    extra = {"details": exc.details} if exc.details else None
    return problem_response(
        exc.http_status, exc.code, exc.title, exc.message,
        instance=request.url.path, extra=extra, headers=headers,
    )


_HTTP_CODES = {
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


def install(app: FastAPI) -> None:
    async def on_motorcred_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, MotorcredError)
        return _for_error(request, exc)

    async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        fields = [
            {"field": ".".join(str(p) for p in err.get("loc", ())), "message": err.get("msg", "")}
            for err in exc.errors()
        ]
        summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
        return problem_response(
            422, "REQUEST_INVALID", "Invalid request", summary or "request is invalid",
            instance=request.url.path, extra={"errors": fields},
        )

    async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        code = _HTTP_CODES.get(exc.status_code, f"HTTP_{exc.status_code}")
        return problem_response(
            exc.status_code, code, str(exc.detail), str(exc.detail),
            instance=request.url.path, headers=dict(exc.headers or {}) or None,
        )

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(
            500, "INTERNAL_ERROR", "Internal error",
            "the server could not complete the request; nothing was changed",
            instance=request.url.path,
        )

    app.add_exception_handler(MotorcredError, on_motorcred_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
