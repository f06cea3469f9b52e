"""The offline demo comparison: same portrait matches, other faces do not, no face is refused."""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageEnhance

from motorcred.adapters.identity.local import LocalIdentityVerifier
from motorcred.errors import InvalidInput

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "photo"))
import portraits


@cache
def lfw_faces() -> np.ndarray:
    """Faces 0-99 of scikit-image's LFW sample (25 × 25 grey, shipped in the wheel)."""
    spec = importlib.util.find_spec("skimage")
    assert spec is not None and spec.submodule_search_locations
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "lfw_subset.npy"
    return np.load(path)[:100]


def other_person(index: int) -> bytes:
    face = Image.fromarray((lfw_faces()[index] * 255).astype("uint8"))
    face = face.resize((150, 150), Image.Resampling.BICUBIC).convert("RGB")
    canvas = Image.new("RGB", (portraits.WIDTH, portraits.HEIGHT), portraits.BACKGROUND)
    canvas.paste(face, (90, 200))
    return portraits.encode(canvas, quality=90)


ON_FILE = portraits.encode(portraits.good(), quality=90)


def test_the_same_portrait_retaken_matches() -> None:
    verifier = LocalIdentityVerifier()
    brighter = ImageEnhance.Brightness(portraits.good()).enhance(1.15)
    for live in (
        portraits.encode(brighter, quality=70),
        portraits.encode(portraits.on_background(offset_x=20, scale=1.4), quality=85),
    ):
        result = verifier.verify(on_file=ON_FILE, live=live, request_id="r1")
        assert result.matched and result.score >= verifier.threshold
        assert result.provider == "local" and result.reference == "local:r1"


@pytest.mark.parametrize("index", [0, 7, 23, 42, 99])
def test_other_faces_do_not_match(index: int) -> None:
    result = LocalIdentityVerifier().verify(
        on_file=ON_FILE, live=other_person(index), request_id="r2"
    )
    assert not result.matched and result.score < 0.88


def test_a_live_photo_without_exactly_one_face_is_refused() -> None:
    verifier = LocalIdentityVerifier()
    with pytest.raises(InvalidInput) as info:
        verifier.verify(on_file=ON_FILE, live=portraits.encode(portraits.blank()), request_id="r")
    assert info.value.code == "IDENTITY_NO_FACE"
    with pytest.raises(InvalidInput) as info:
        verifier.verify(
            on_file=ON_FILE, live=portraits.encode(portraits.two_faces()), request_id="r"
        )
    assert info.value.code == "IDENTITY_SEVERAL_FACES"
