"""Photo intake use case: an uploaded photo in, a storable photo and its pre-check out.

Paths (b) and (c) of DOMAIN.md section 1 (phone camera or album): the upload is
decoded safely and pre-checked automatically. A photo that fails decoding raises a
``PHOTO_*`` error; one that decodes but breaks a photo rule comes back with every
finding, so the holder can fix all of them at once. Storing the photo and queueing it
for review is the review workflow's job; this step touches no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from motorcred.adapters.photo.decode import DEFAULT_LIMITS, DecodedPhoto, DecodeLimits, decode_photo
from motorcred.adapters.photo.precheck import precheck_photo
from motorcred.domain.photo_rules import DEFAULT_THRESHOLDS, PhotoThresholds, PrecheckResult


@dataclass(frozen=True)
class PhotoIntake:
    photo: DecodedPhoto
    precheck: PrecheckResult

    @property
    def passed(self) -> bool:
        return self.precheck.passed

    def to_dict(self) -> dict[str, Any]:
        m = self.precheck.measurements
        return {
            "passed": self.passed,
            "rules_version": self.precheck.rules_version,
            "source": {
                "format": self.photo.source_format,
                "width": self.photo.source_width,
                "height": self.photo.source_height,
            },
            "stored": {
                "width": self.photo.width,
                "height": self.photo.height,
                "bytes": len(self.photo.jpeg),
            },
            "faces": [{"x": f.x, "y": f.y, "width": f.width, "height": f.height} for f in m.faces],
            "findings": [f.to_dict() for f in self.precheck.findings],
        }


def intake_photo(
    data: bytes,
    *,
    limits: DecodeLimits = DEFAULT_LIMITS,
    thresholds: PhotoThresholds = DEFAULT_THRESHOLDS,
) -> PhotoIntake:
    """Decode and pre-check an upload; decoding failures raise ``PHOTO_*`` errors."""
    photo = decode_photo(data, limits)
    return PhotoIntake(photo=photo, precheck=precheck_photo(photo, thresholds))
