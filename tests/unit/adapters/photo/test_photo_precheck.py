"""Automatic photo pre-check on real face images, one broken rule per case."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import portraits
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFilter

from motorcred.adapters.photo.decode import decode_photo
from motorcred.adapters.photo.precheck import measure_photo, precheck_photo
from motorcred.domain.photo_rules import DEFAULT_THRESHOLDS, PhotoThresholds, PrecheckResult


def check(image: Image.Image, thresholds: PhotoThresholds = DEFAULT_THRESHOLDS) -> PrecheckResult:
    return precheck_photo(decode_photo(portraits.encode(image, quality=90)), thresholds)


def test_good_portrait_on_white_passes() -> None:
    result = check(portraits.good())
    assert result.passed, result.to_dict()
    assert result.to_dict() == {
        "passed": True,
        "rules_version": DEFAULT_THRESHOLDS.version,
        "findings": [],
    }
    face = result.measurements.faces[0]
    assert 0.4 < face.width / portraits.WIDTH < 0.6


def test_good_portrait_as_png_passes() -> None:
    photo = decode_photo(portraits.encode(portraits.good(), "PNG"))
    assert precheck_photo(photo).passed


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (portraits.blurred, ("PHOTO_BLURRED",)),
        (portraits.overexposed, ("PHOTO_TOO_BRIGHT",)),
        (portraits.off_centre, ("PHOTO_FACE_OFF_CENTRE",)),
        (portraits.two_faces, ("PHOTO_MULTIPLE_FACES",)),
        (portraits.blank, ("PHOTO_NO_FACE",)),
        (portraits.too_close, ("PHOTO_FACE_TOO_LARGE",)),
        (portraits.square, ("PHOTO_ASPECT_RATIO",)),
        (portraits.low_resolution, ("PHOTO_RESOLUTION_TOO_LOW", "PHOTO_RESOLUTION_TOO_LOW")),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_each_rule_has_a_photo_that_breaks_only_it(
    make: Callable[[], Image.Image], expected: tuple[str, ...]
) -> None:
    assert check(make()).codes == expected


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (portraits.busy_background, "PHOTO_BACKGROUND_NOT_WHITE"),
        (portraits.striped_background, "PHOTO_BACKGROUND_NOT_PLAIN"),
        (portraits.blue_background, "PHOTO_BACKGROUND_NOT_WHITE"),
        (portraits.dark, "PHOTO_TOO_DARK"),
        (portraits.small_face, "PHOTO_FACE_TOO_SMALL"),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_photos_that_break_a_rule_and_its_consequences(
    make: Callable[[], Image.Image], expected: str
) -> None:
    result = check(make())
    assert not result.passed
    assert expected in result.codes
    # The face itself is still found: the finding is about the rule, not a failed detection.
    assert len(result.measurements.faces) == 1


def test_findings_carry_messages_measurement_and_threshold() -> None:
    result = check(portraits.dark())
    dark = next(f for f in result.findings if f.code == "PHOTO_TOO_DARK")
    assert dark.measured < dark.threshold == DEFAULT_THRESHOLDS.min_face_luma
    assert dark.limit == "min"
    assert "暗" in dark.message_zh
    assert "dark" in dark.message_en
    entry = result.to_dict()["findings"][0]
    assert set(entry) == {"code", "measure", "message", "measured", "threshold", "limit"}
    assert dark.measure == "face_luma"
    assert set(entry["message"]) == {"zh", "en"}


def test_blue_background_is_reported_by_colour_and_by_lightness() -> None:
    measured = {(f.code, f.measure) for f in check(portraits.blue_background()).findings}
    assert ("PHOTO_BACKGROUND_NOT_WHITE", "background_luma") in measured
    assert ("PHOTO_BACKGROUND_NOT_WHITE", "background_chroma") in measured


def test_all_findings_are_listed_at_once() -> None:
    bad = portraits.on_background((60, 110, 200), offset_x=110).filter(ImageFilter.GaussianBlur(3))
    codes = set(check(bad).codes)
    assert {"PHOTO_BACKGROUND_NOT_WHITE", "PHOTO_FACE_OFF_CENTRE", "PHOTO_BLURRED"} <= codes


def test_thresholds_are_data_a_stricter_policy_changes_the_verdict() -> None:
    strict = PhotoThresholds(version="photo-rules/strict-test", min_face_width_ratio=0.6)
    result = check(portraits.good(), strict)
    assert result.codes == ("PHOTO_FACE_TOO_SMALL",)
    assert result.rules_version == "photo-rules/strict-test"


def test_measurements_are_in_source_pixels_for_large_uploads() -> None:
    big = portraits.good().resize((1650, 2400), Image.Resampling.BICUBIC)
    photo = decode_photo(portraits.encode(big, quality=88))
    measured = measure_photo(photo)
    assert (measured.width, measured.height) == (1650, 2400)
    face = measured.faces[0]
    assert 0.4 < face.width / 1650 < 0.6


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    width=st.integers(min_value=200, max_value=900),
    height=st.integers(min_value=200, max_value=900),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
    kind=st.sampled_from(["noise", "flat", "stripes"]),
)
def test_any_decodable_picture_gets_a_consistent_verdict(
    width: int, height: int, seed: int, kind: str
) -> None:
    rng = np.random.default_rng(seed)
    if kind == "noise":
        pixels = rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)
    elif kind == "flat":
        pixels = np.full((height, width, 3), rng.integers(0, 256, size=3), dtype=np.uint8)
    else:
        pixels = np.zeros((height, width, 3), dtype=np.uint8)
        pixels[:, :: int(rng.integers(2, 40))] = 255
    result = check(Image.fromarray(pixels))
    assert result.passed == (not result.findings)
    assert not result.passed  # none of these is a portrait
    for finding in result.findings:
        assert (finding.measured < finding.threshold) == (finding.limit == "min")


def test_extreme_shapes_are_measured_without_error() -> None:
    for size in ((200, 4000), (4000, 200)):
        result = check(Image.new("RGB", size, portraits.BACKGROUND))
        assert "PHOTO_ASPECT_RATIO" in result.codes
        assert "PHOTO_NO_FACE" in result.codes
