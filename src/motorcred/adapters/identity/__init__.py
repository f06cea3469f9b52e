"""Real-person checks (实人认证): does the live selfie show the person on file?

The ``IdentityVerifier`` port is what the application service calls on the
photo-on-file path; ``http.py`` talks to an external verification service,
``local.py`` is the offline demo comparison (see its docstring for its limits).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class IdentityResult:
    matched: bool
    score: float
    """Similarity in [0, 1] as the provider reports it (higher = more alike)."""
    provider: str
    reference: str = ""
    """The provider's own id for the check (for audit), when it gives one."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "matched": self.matched,
            "score": round(self.score, 4),
            "provider": self.provider,
            "reference": self.reference,
        }


class IdentityVerifier(Protocol):
    name: str

    def verify(self, *, on_file: bytes, live: bytes, request_id: str) -> IdentityResult:
        """Compare the live photo with the photo on file (both JPEG/PNG/HEIC bytes).

        Raises ``InvalidInput`` for a live photo that cannot be used (no face, several)
        and ``Unavailable`` when the verification service cannot answer.
        """
        ...
