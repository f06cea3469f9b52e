"""The one error tree of motorcred.

Every error a user can cause is a :class:`MotorcredError` with a stable
machine-readable ``code`` (``ID_CHECK_DIGIT``, ``MDOC_DIGEST_MISMATCH``,
``LICENCE_SUSPENDED``…) and a human-readable message. Codes are part of the
public interface: API clients, CLI scripts and verifier apps branch on them, so
a code is never renamed or reused for a different meaning.

The category classes below decide the HTTP status (the API renders every
``MotorcredError`` as RFC 9457 problem+json) and the CLI exit code (1 for a
refused request or invalid credential, 2 for a usage error). Raise sites pick
the category that fits and pass their own code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar


class MotorcredError(Exception):
    """Base of every error motorcred reports to a user."""

    http_status: ClassVar[int] = 400
    title: ClassVar[str] = "Request failed"
    exit_code: ClassVar[int] = 1

    def __init__(
        self,
        code: str,
        message: str,
        *,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details: dict[str, Any] = dict(details or {})

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details:
            out["details"] = self.details
        return out


class InvalidInput(MotorcredError):
    """A value breaks a rule of the domain (bad check digit, unknown class…)."""

    http_status = 422
    title = "Invalid input"


class UsageError(MotorcredError):
    """The caller used a command or endpoint wrongly (missing option, bad file)."""

    http_status = 400
    title = "Bad request"
    exit_code = 2


class MalformedData(MotorcredError):
    """An encoded structure (CBOR, COSE, certificate, code) cannot be decoded safely."""

    http_status = 400
    title = "Malformed data"


class VerificationFailed(MotorcredError):
    """A credential, signature or code did not pass a check."""

    http_status = 422
    title = "Verification failed"


class Refused(MotorcredError):
    """A well-formed request that the rules refuse (ineligible licence, city not enabled…)."""

    http_status = 422
    title = "Request refused"


class NotFound(MotorcredError):
    http_status = 404
    title = "Not found"


class Conflict(MotorcredError):
    """The request clashes with the current state (duplicate record, reused code…)."""

    http_status = 409
    title = "Conflict"


class Unauthenticated(MotorcredError):
    http_status = 401
    title = "Authentication required"


class Forbidden(MotorcredError):
    http_status = 403
    title = "Forbidden"


class RateLimited(MotorcredError):
    http_status = 429
    title = "Too many requests"


class ConfigurationError(MotorcredError):
    """The service is configured unsafely or inconsistently; it refuses to start."""

    http_status = 500
    title = "Configuration error"
    exit_code = 2


class Unavailable(MotorcredError):
    """A service this request depends on cannot answer now; retrying later may work."""

    http_status = 503
    title = "Service unavailable"
