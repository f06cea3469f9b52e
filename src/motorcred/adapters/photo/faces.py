"""Frontal-face detection with the Haar cascade that ships inside opencv-python-headless.

The cascade file is part of the wheel (``cv2.data.haarcascades``), so detection works
offline and nothing is downloaded. Loading it parses a 1 MB XML file, so it happens
once per process on first use, never at import time. ``cv2.CascadeClassifier`` is not
documented as thread-safe, so each thread gets its own instance.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import cv2
import numpy as np
import numpy.typing as npt

from motorcred.domain.photo_rules import FaceBox
from motorcred.errors import ConfigurationError

CASCADE_FILE: Final = "haarcascade_frontalface_default.xml"


@dataclass(frozen=True)
class DetectorSettings:
    # Detection runs on a copy whose long side is at most this many pixels: a licence
    # portrait's face is large (a third of the width or more), and at 256 px it still spans
    # 50 px or more, twice the cascade's 24 px window, while detection costs a fraction of
    # what it costs on a full-size photo.
    detect_long_side_px: int = 256
    # Smallest face searched for, as a fraction of the image width. Faces below 0.30 fail the
    # size rule; searching down to half of that still reports them as too small (a clearer
    # message than "no face"), and not searching smaller saves most of the detection time.
    min_face_ratio: float = 0.15
    scale_factor: float = 1.1
    # Overlapping hits needed to accept a face: 5 is OpenCV's usual trade-off between
    # missed faces and false hits on patterned clothing or backgrounds.
    min_neighbors: int = 5


DEFAULT_DETECTOR: Final = DetectorSettings()

_local = threading.local()


def _cascade() -> cv2.CascadeClassifier:
    cascade: cv2.CascadeClassifier | None = getattr(_local, "cascade", None)
    if cascade is None:
        # cv2.data is in the wheel but not in its type stubs.
        path = Path(cv2.data.haarcascades) / CASCADE_FILE  # type: ignore[attr-defined]
        cascade = cv2.CascadeClassifier(str(path))
        if cascade.empty():
            raise ConfigurationError(
                "PHOTO_FACE_MODEL_MISSING",
                f"The face detector model {CASCADE_FILE} is not in the OpenCV package.",
            )
        _local.cascade = cascade
    return cascade


def detect_faces(
    gray: npt.NDArray[np.uint8], settings: DetectorSettings = DEFAULT_DETECTOR
) -> tuple[FaceBox, ...]:
    """Frontal faces in a grayscale image, in that image's pixel coordinates."""
    height, width = gray.shape[:2]
    scale = min(1.0, settings.detect_long_side_px / max(width, height))
    small = gray
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        small = np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
    # Stretch the grey levels linearly so an under-exposed photo still shows its face to the
    # detector (its darkness is a separate finding). Histogram equalisation is not used: on
    # a mostly white photo it crushes the face's own contrast.
    low, high = int(small.min()), int(small.max())
    if high > low:
        stretched = (small.astype(np.float32) - low) * (255.0 / (high - low))
        small = stretched.astype(np.uint8)
    min_side = max(20, round(small.shape[1] * settings.min_face_ratio))
    hits = _cascade().detectMultiScale(
        small,
        scaleFactor=settings.scale_factor,
        minNeighbors=settings.min_neighbors,
        minSize=(min_side, min_side),
    )
    boxes = [
        FaceBox(
            x=round(int(x) / scale),
            y=round(int(y) / scale),
            width=round(int(w) / scale),
            height=round(int(h) / scale),
        )
        for (x, y, w, h) in (hits if len(hits) else [])
    ]
    boxes.sort(key=lambda b: b.width * b.height, reverse=True)
    return tuple(boxes)
