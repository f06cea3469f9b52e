"""Offline photo comparison for the demo profile — NOT a biometric face match.

No face-recognition model that ships inside a PyPI package fits this project's
dependencies (DESIGN.md allows OpenCV's bundled files only), so this adapter does
what OpenCV's bundled Haar cascade plus plain image statistics can honestly do:

1. find exactly one frontal face in the live photo and in the photo on file
   (otherwise ``IDENTITY_NO_FACE`` / ``IDENTITY_SEVERAL_FACES``);
2. compare the two face crops by local binary pattern (LBP) texture histograms
   on a 4 × 4 grid, the classic LBPH descriptor, as a chi-square similarity.

It tells the same picture (recropped, rescaled, re-exposed, recompressed) from a
clearly different face, which is what the demo needs. It does NOT reliably tell
two similar-looking people apart, and it has no liveness detection: a print of
the photo on file passes. The production profile therefore refuses it
(``Settings.check_identity``): production uses the HTTP adapter and a real
verification service.
"""

from __future__ import annotations

import io
from typing import Final

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image

from motorcred.adapters.identity import IdentityResult
from motorcred.adapters.photo.decode import decode_photo
from motorcred.adapters.photo.faces import detect_faces
from motorcred.domain.photo_rules import FaceBox
from motorcred.errors import InvalidInput

FACE_SIDE: Final = 96
GRID: Final = 4
DEFAULT_THRESHOLD: Final = 0.88
"""Similarity at or above which two faces count as one person. The same portrait
recropped, re-exposed and recompressed scores about 0.96; different faces from the
LFW sample in scikit-image score at most 0.79 (tests/unit/adapters/identity)."""

# Uniform LBP: the 58 patterns with at most two 0/1 transitions get their own bin,
# all others share one (59 bins), as in Ojala et al. 2002.
_OFFSETS: Final = ((-1, -1), (-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1))


def _uniform_table() -> npt.NDArray[np.int64]:
    table = np.full(256, 58, dtype=np.int64)
    label = 0
    for code in range(256):
        bits = [(code >> i) & 1 for i in range(8)]
        transitions = sum(bits[i] != bits[(i + 1) % 8] for i in range(8))
        if transitions <= 2:
            table[code] = label
            label += 1
    return table


_UNIFORM: Final = _uniform_table()


class LocalIdentityVerifier:
    name = "local"

    def __init__(self, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold

    def verify(self, *, on_file: bytes, live: bytes, request_id: str) -> IdentityResult:
        live_face = _face(live, "live photo")
        file_face = _face(on_file, "photo on file")
        score = similarity(_descriptor(live_face), _descriptor(file_face))
        return IdentityResult(score >= self.threshold, score, self.name, f"local:{request_id}")


def _gray(data: bytes) -> npt.NDArray[np.uint8]:
    photo = decode_photo(data)  # bounded, type-sniffed, orientation applied
    with Image.open(io.BytesIO(photo.jpeg)) as image:
        return np.asarray(image.convert("L"), dtype=np.uint8)


def _face(data: bytes, what: str) -> npt.NDArray[np.uint8]:
    gray = _gray(data)
    faces = detect_faces(gray)
    if not faces:
        raise InvalidInput("IDENTITY_NO_FACE", f"no face was found in the {what}")
    if len(faces) > 1:
        raise InvalidInput(
            "IDENTITY_SEVERAL_FACES", f"the {what} shows {len(faces)} faces; it must show one"
        )
    return _crop(gray, faces[0])


def _crop(gray: npt.NDArray[np.uint8], box: FaceBox) -> npt.NDArray[np.uint8]:
    face = gray[box.y : box.y + box.height, box.x : box.x + box.width]
    resized = np.asarray(
        cv2.resize(face, (FACE_SIDE, FACE_SIDE), interpolation=cv2.INTER_AREA), dtype=np.uint8
    )
    return np.asarray(cv2.equalizeHist(resized), dtype=np.uint8)


def _descriptor(face: npt.NDArray[np.uint8]) -> npt.NDArray[np.float64]:
    centre = face[1:-1, 1:-1].astype(np.int16)
    codes = np.zeros(centre.shape, dtype=np.int64)
    h, w = face.shape
    for bit, (dy, dx) in enumerate(_OFFSETS):
        neighbour = face[1 + dy : h - 1 + dy, 1 + dx : w - 1 + dx].astype(np.int16)
        codes |= (neighbour >= centre).astype(np.int64) << bit
    labels = _UNIFORM[codes]
    cell = labels.shape[0] // GRID
    histograms = []
    for gy in range(GRID):
        for gx in range(GRID):
            block = labels[gy * cell : (gy + 1) * cell, gx * cell : (gx + 1) * cell]
            hist = np.bincount(block.ravel(), minlength=59).astype(np.float64)
            histograms.append(hist / max(1.0, hist.sum()))
    return np.concatenate(histograms) / (GRID * GRID)


def similarity(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> float:
    """1 − chi-square distance / 2 over normalised histograms: 1 = identical, 0 = disjoint."""
    total = a + b
    mask = total > 0
    chi = float(np.sum((a[mask] - b[mask]) ** 2 / total[mask]))
    return max(0.0, 1.0 - chi / 2.0)
