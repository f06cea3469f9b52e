"""Licence-photo rules: what the automatic pre-check measures and the limits it applies.

DOMAIN.md section 1: plain white background, face fully visible, bare head, no
retouching. The licence card prints the portrait at 22 mm × 32 mm (width × height),
and the public guidance for the 1-inch licence photo is "head about 2/3 of the
photo, white background, sharp, natural expression". The pre-check turns that into
measurable limits; a photo that passes still goes to a human reviewer, so limits
are set to catch photos that are clearly unusable, not to replace the review.

The image adapter (``adapters/photo/precheck.py``) measures; this module judges the
measurements, so the rules are pure data and testable without pixels. Thresholds
live in one dataclass: a policy change is a data change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final


@dataclass(frozen=True)
class PhotoThresholds:
    """Limits of the automatic pre-check. Ratios are fractions of the image size."""

    # Named and dated, and quoted in every result, so a reviewer or an audit can tell which
    # limits a photo was judged by after a policy change. Change it with any value below.
    version: str = "photo-rules/2026-11-23"
    # 22 mm × 32 mm at 300 dpi (print quality of the card) is 260 × 378 pixels.
    min_width_px: int = 260
    min_height_px: int = 378
    # Width / height. The card is 22:32 = 0.69; phone portrait crops are 3:4 = 0.75 and
    # passport-style 35:45 = 0.78 is accepted too. Square or landscape photos are not.
    min_aspect: float = 0.62
    max_aspect: float = 0.80
    # Width of the detected face box (Haar boxes span brow to chin, cheek to cheek, about
    # 80 % of the head width). "Head 2/3 of the photo" gives a box of about 0.5 of the width;
    # below 0.30 the face is a detail of a larger scene, above 0.75 the head fills the whole
    # width and hair or ears are cut off.
    min_face_width_ratio: float = 0.30
    max_face_width_ratio: float = 0.75
    # Horizontal distance of the face centre from the image centre, as a fraction of width.
    max_face_centre_offset: float = 0.12
    # Vertical position of the face centre: eyes sit a little above the middle of the photo.
    min_face_centre_y: float = 0.25
    max_face_centre_y: float = 0.62
    # Mean luma (0–255, BT.601) of the face: below 70 features are lost in shadow; above 205
    # skin is washed out by flash or direct sun (well-lit fair skin measures 150–190, and a
    # little above 220 the detector no longer finds the face at all).
    min_face_luma: float = 70.0
    max_face_luma: float = 205.0
    # Background around the head: mean luma at least 180 (white wall under indoor light is
    # 190–240, light grey studio card about 200) and little colour (mean max-min of RGB).
    min_background_luma: float = 180.0
    max_background_chroma: float = 24.0
    # Share of background pixels on a strong edge (pattern, furniture, another person).
    max_background_edge_share: float = 0.04
    # Variance of the Laplacian of the face scaled to 128 px wide and to a contrast (standard
    # deviation) of 40 grey levels, so light does not change it. An in-focus face measures
    # 100 and more; a Gaussian blur of 1 % of the face width brings it down to about 15.
    min_face_sharpness: float = 30.0


DEFAULT_THRESHOLDS: Final = PhotoThresholds()


@dataclass(frozen=True)
class FaceBox:
    """A detected face, in pixels of the measured image."""

    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class PhotoMeasurements:
    """What the image adapter measured. ``None`` means the quantity could not be measured."""

    width: int
    height: int
    faces: tuple[FaceBox, ...]
    face_luma: float | None = None
    face_sharpness: float | None = None
    background_luma: float | None = None
    background_chroma: float | None = None
    background_edge_share: float | None = None


@dataclass(frozen=True)
class Finding:
    """One reason the photo fails the pre-check, in words a holder understands."""

    code: str
    measure: str  # what was measured, e.g. "background_chroma" (one code can have several)
    message_zh: str
    message_en: str
    measured: float
    threshold: float
    limit: str  # "min" or "max": which side of the threshold is acceptable

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "measure": self.measure,
            "message": {"zh": self.message_zh, "en": self.message_en},
            "measured": round(self.measured, 3),
            "threshold": self.threshold,
            "limit": self.limit,
        }


@dataclass(frozen=True)
class PrecheckResult:
    measurements: PhotoMeasurements
    findings: tuple[Finding, ...] = field(default=())
    rules_version: str = ""

    @property
    def passed(self) -> bool:
        return not self.findings

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "rules_version": self.rules_version,
            "findings": [f.to_dict() for f in self.findings],
        }


# code → (zh, en). The holder reads these in the app, so they say what to do.
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "PHOTO_RESOLUTION_TOO_LOW": (
        "照片分辨率过低，请使用更清晰的原图。",
        "The photo's resolution is too low; use the original, larger photo.",
    ),
    "PHOTO_ASPECT_RATIO": (
        "照片比例不符合要求，请使用竖版证件照（宽高比约 22:32）。",
        "The photo has the wrong shape; use a portrait (upright) photo of about 22:32.",
    ),
    "PHOTO_NO_FACE": (
        "未检测到人脸，请正面免冠拍摄，露出完整面部。",
        "No face was found; face the camera with your head uncovered and face fully visible.",
    ),
    "PHOTO_MULTIPLE_FACES": (
        "照片中有多张人脸，请只拍摄本人。",
        "More than one face is in the photo; only you may be in it.",
    ),
    "PHOTO_FACE_TOO_SMALL": (
        "人脸过小，请靠近镜头，使头部约占照片的三分之二。",
        "Your face is too small; come closer so your head fills about 2/3 of the photo.",
    ),
    "PHOTO_FACE_TOO_LARGE": (
        "人脸过大或头部被裁切，请离镜头稍远一些。",
        "Your face is too large or your head is cut off; step a little further back.",
    ),
    "PHOTO_FACE_OFF_CENTRE": (
        "人脸未居中，请使面部位于照片中央。",
        "Your face is not centred; place it in the middle of the photo.",
    ),
    "PHOTO_TOO_DARK": (
        "照片过暗，请在光线充足处拍摄。",
        "The photo is too dark; take it in good, even light.",
    ),
    "PHOTO_TOO_BRIGHT": (
        "照片过亮或曝光过度，请避免强光直射或闪光灯。",
        "The photo is too bright; avoid direct sunlight and flash.",
    ),
    "PHOTO_BACKGROUND_NOT_WHITE": (
        "背景不是白色，请在白色墙面前拍摄。",
        "The background is not white; stand in front of a plain white wall.",
    ),
    "PHOTO_BACKGROUND_NOT_PLAIN": (
        "背景不是纯色，请在无图案、无杂物的白色背景前拍摄。",
        "The background is not plain; use a white background with no pattern or objects.",
    ),
    "PHOTO_BLURRED": (
        "照片模糊，请保持手机稳定并对焦于面部。",
        "The photo is blurred; hold the phone still and focus on your face.",
    ),
}


def _finding(code: str, measure: str, measured: float, threshold: float, limit: str) -> Finding:
    zh, en = MESSAGES[code]
    return Finding(code, measure, zh, en, float(measured), float(threshold), limit)


def _below(code: str, measure: str, value: float | None, minimum: float) -> list[Finding]:
    if value is None or value >= minimum:
        return []
    return [_finding(code, measure, value, minimum, "min")]


def _above(code: str, measure: str, value: float | None, maximum: float) -> list[Finding]:
    if value is None or value <= maximum:
        return []
    return [_finding(code, measure, value, maximum, "max")]


def _face_findings(m: PhotoMeasurements, t: PhotoThresholds) -> list[Finding]:
    if not m.faces:
        return [_finding("PHOTO_NO_FACE", "faces", 0, 1, "min")]
    if len(m.faces) > 1:
        return [_finding("PHOTO_MULTIPLE_FACES", "faces", len(m.faces), 1, "max")]
    face = m.faces[0]
    width_ratio = face.width / m.width
    centre_x = (face.x + face.width / 2) / m.width
    centre_y = (face.y + face.height / 2) / m.height
    found = _below("PHOTO_FACE_TOO_SMALL", "face_width_ratio", width_ratio, t.min_face_width_ratio)
    found += _above("PHOTO_FACE_TOO_LARGE", "face_width_ratio", width_ratio, t.max_face_width_ratio)
    # Horizontal offset and vertical position are separate findings of the same code, each
    # with its own measured value, so the holder sees one message and staff see both numbers.
    found += _above(
        "PHOTO_FACE_OFF_CENTRE",
        "face_centre_offset_x",
        abs(centre_x - 0.5),
        t.max_face_centre_offset,
    )
    found += _below("PHOTO_FACE_OFF_CENTRE", "face_centre_y", centre_y, t.min_face_centre_y)
    found += _above("PHOTO_FACE_OFF_CENTRE", "face_centre_y", centre_y, t.max_face_centre_y)
    return found


def evaluate(
    measurements: PhotoMeasurements, thresholds: PhotoThresholds = DEFAULT_THRESHOLDS
) -> PrecheckResult:
    """Judge measurements against the thresholds; every failed rule becomes a finding."""
    m, t = measurements, thresholds
    findings: list[Finding] = []
    findings += _below("PHOTO_RESOLUTION_TOO_LOW", "width_px", m.width, t.min_width_px)
    findings += _below("PHOTO_RESOLUTION_TOO_LOW", "height_px", m.height, t.min_height_px)
    aspect = m.width / m.height
    findings += _below("PHOTO_ASPECT_RATIO", "aspect_ratio", aspect, t.min_aspect)
    findings += _above("PHOTO_ASPECT_RATIO", "aspect_ratio", aspect, t.max_aspect)
    findings += _face_findings(m, t)
    findings += _below("PHOTO_TOO_DARK", "face_luma", m.face_luma, t.min_face_luma)
    findings += _above("PHOTO_TOO_BRIGHT", "face_luma", m.face_luma, t.max_face_luma)
    findings += _below(
        "PHOTO_BACKGROUND_NOT_WHITE", "background_luma", m.background_luma, t.min_background_luma
    )
    findings += _above(
        "PHOTO_BACKGROUND_NOT_WHITE",
        "background_chroma",
        m.background_chroma,
        t.max_background_chroma,
    )
    findings += _above(
        "PHOTO_BACKGROUND_NOT_PLAIN",
        "background_edge_share",
        m.background_edge_share,
        t.max_background_edge_share,
    )
    findings += _below("PHOTO_BLURRED", "face_sharpness", m.face_sharpness, t.min_face_sharpness)
    return PrecheckResult(measurements=m, findings=tuple(findings), rules_version=t.version)
