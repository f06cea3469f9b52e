"""Automatic pre-check of a licence photo: measure the pixels, then judge them.

Measuring (this module) is CPU work on a small working copy of the photo: one face
detection, a few means and one Laplacian. Judging is pure and lives in
``domain/photo_rules.py`` with the thresholds. The result lists every finding with
the measured value and the threshold, so a holder sees all reasons at once and a
reviewer sees the numbers behind them.
"""

from __future__ import annotations

from typing import Final

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from motorcred.adapters.photo.decode import DecodedPhoto
from motorcred.adapters.photo.faces import DEFAULT_DETECTOR, DetectorSettings, detect_faces
from motorcred.domain.photo_rules import (
    DEFAULT_THRESHOLDS,
    FaceBox,
    PhotoMeasurements,
    PhotoThresholds,
    PrecheckResult,
    evaluate,
)

# Measurements run on a copy whose long side is this many pixels, so every measure is
# independent of the camera's resolution and the whole check stays in tens of ms.
WORK_LONG_SIDE_PX: Final = 480
# The face is rescaled to this width before its sharpness is measured, for the same reason.
SHARPNESS_FACE_WIDTH_PX: Final = 128
# Grey-level standard deviation the face is scaled to before its sharpness is measured.
SHARPNESS_CONTRAST: Final = 40.0
# A background pixel is "on an edge" above this Sobel gradient magnitude (0–255 scale after
# a light blur that removes sensor noise): outlines of objects and patterns, not shading.
EDGE_GRADIENT: Final = 48.0
# Fewer background pixels than this share of the image and no background verdict is given.
MIN_BACKGROUND_SHARE: Final = 0.01


def _working_copy(image: Image.Image) -> npt.NDArray[np.uint8]:
    scale = min(1.0, WORK_LONG_SIDE_PX / max(image.size))
    if scale < 1.0:
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.BILINEAR)
    return np.asarray(image.convert("RGB"), dtype=np.uint8)


def _background_mask(face: FaceBox | None, width: int, height: int) -> npt.NDArray[np.bool_]:
    mask = np.zeros((height, width), dtype=bool)
    if face is None:
        mask[: int(height * 0.15), :] = True
        band = int(width * 0.12)
        mask[: int(height * 0.55), :band] = True
        mask[: int(height * 0.55), width - band :] = True
        return mask
    # Above the chin, outside the head: the hair reaches about 0.65 face heights above the
    # brow line of a Haar box and 0.3 face widths beyond its sides.
    bottom = min(height, int(face.y + face.height * 1.1))
    mask[:bottom, :] = True
    head_x0 = max(0, int(face.x - 0.3 * face.width))
    head_x1 = min(width, int(face.x + 1.3 * face.width))
    head_y0 = max(0, int(face.y - 0.65 * face.height))
    mask[head_y0:bottom, head_x0:head_x1] = False
    return mask


def _sharpness(crop: npt.NDArray[np.uint8]) -> float | None:
    if crop.shape[0] < 8 or crop.shape[1] < 8:
        return None
    target_h = max(8, round(crop.shape[0] * SHARPNESS_FACE_WIDTH_PX / crop.shape[1]))
    interpolation = cv2.INTER_AREA if crop.shape[1] > SHARPNESS_FACE_WIDTH_PX else cv2.INTER_CUBIC
    scaled = cv2.resize(crop, (SHARPNESS_FACE_WIDTH_PX, target_h), interpolation=interpolation)
    spread = float(scaled.std())
    if spread < 1.0:
        return 0.0  # a flat patch has no detail at all
    # Normalise contrast first, so a dark or low-contrast face is not mistaken for a blurred
    # one: the Laplacian variance scales with the square of the contrast.
    normalised = (scaled.astype(np.float32) - float(scaled.mean())) * (SHARPNESS_CONTRAST / spread)
    return float(cv2.Laplacian(normalised, cv2.CV_32F).var())


def _scaled(face: FaceBox, factor: float) -> FaceBox:
    return FaceBox(
        x=round(face.x * factor),
        y=round(face.y * factor),
        width=round(face.width * factor),
        height=round(face.height * factor),
    )


def measure_photo(
    photo: DecodedPhoto, detector: DetectorSettings = DEFAULT_DETECTOR
) -> PhotoMeasurements:
    """Measure what the photo rules need; faces are reported in source-image pixels."""
    rgb = _working_copy(photo.image)
    height, width = rgb.shape[:2]
    gray = np.asarray(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
    faces = detect_faces(gray, detector)
    subject = faces[0] if len(faces) == 1 else None

    # Light and focus are judged on the face; without exactly one face there is nothing to
    # judge them on and the face finding already tells the holder what to do.
    face_luma = face_sharpness = None
    if subject is not None:
        face_pixels = gray[
            subject.y : subject.y + subject.height, subject.x : subject.x + subject.width
        ]
        face_luma = float(face_pixels.mean())
        face_sharpness = _sharpness(face_pixels)

    background = _background_mask(subject, width, height)
    background_luma = background_chroma = edge_share = None
    if background.sum() >= MIN_BACKGROUND_SHARE * width * height:
        pixels = rgb[background].astype(np.int16)
        background_luma = float(gray[background].mean())
        background_chroma = float((pixels.max(axis=1) - pixels.min(axis=1)).mean())
        smooth = cv2.GaussianBlur(gray, (5, 5), 0)
        gx = cv2.Sobel(smooth, cv2.CV_32F, 1, 0, ksize=3)
        gy = cv2.Sobel(smooth, cv2.CV_32F, 0, 1, ksize=3)
        # Sobel 3×3 peaks at 4× the step height; divide so the threshold reads in grey levels.
        magnitude = cv2.magnitude(gx, gy) / 4.0
        edge_share = float((magnitude[background] > EDGE_GRADIENT).mean())

    factor = photo.source_width / width
    return PhotoMeasurements(
        width=photo.source_width,
        height=photo.source_height,
        faces=tuple(_scaled(face, factor) for face in faces),
        face_luma=face_luma,
        face_sharpness=face_sharpness,
        background_luma=background_luma,
        background_chroma=background_chroma,
        background_edge_share=edge_share,
    )


def precheck_photo(
    photo: DecodedPhoto,
    thresholds: PhotoThresholds = DEFAULT_THRESHOLDS,
    detector: DetectorSettings = DEFAULT_DETECTOR,
) -> PrecheckResult:
    """Run the automatic pre-check; ``result.passed`` when there is no finding."""
    return evaluate(measure_photo(photo, detector), thresholds)
