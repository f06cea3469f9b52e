"""Licence-photo rules judged on measurements alone (no pixels)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motorcred.domain.photo_rules import (
    DEFAULT_THRESHOLDS,
    MESSAGES,
    FaceBox,
    PhotoMeasurements,
    evaluate,
)

GOOD = PhotoMeasurements(
    width=660,
    height=960,
    faces=(FaceBox(x=165, y=300, width=330, height=330),),
    face_luma=150.0,
    face_sharpness=120.0,
    background_luma=240.0,
    background_chroma=3.0,
    background_edge_share=0.0,
)


def codes(m: PhotoMeasurements) -> tuple[str, ...]:
    return evaluate(m).codes


def test_good_measurements_pass() -> None:
    result = evaluate(GOOD)
    assert result.passed
    assert result.findings == ()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (
            {"width": 255, "height": 378, "faces": (FaceBox(64, 116, 127, 127),)},
            "PHOTO_RESOLUTION_TOO_LOW",
        ),
        ({"faces": ()}, "PHOTO_NO_FACE"),
        ({"face_luma": 60.0}, "PHOTO_TOO_DARK"),
        ({"face_luma": 230.0}, "PHOTO_TOO_BRIGHT"),
        ({"face_sharpness": 10.0}, "PHOTO_BLURRED"),
        ({"background_luma": 150.0}, "PHOTO_BACKGROUND_NOT_WHITE"),
        ({"background_chroma": 60.0}, "PHOTO_BACKGROUND_NOT_WHITE"),
        ({"background_edge_share": 0.2}, "PHOTO_BACKGROUND_NOT_PLAIN"),
        ({"faces": (FaceBox(255, 375, 150, 150),)}, "PHOTO_FACE_TOO_SMALL"),
        ({"faces": (FaceBox(60, 300, 540, 540),)}, "PHOTO_FACE_TOO_LARGE"),
        ({"faces": (FaceBox(300, 300, 330, 330),)}, "PHOTO_FACE_OFF_CENTRE"),
        ({"faces": (FaceBox(165, 20, 330, 330),)}, "PHOTO_FACE_OFF_CENTRE"),
        ({"faces": (FaceBox(165, 500, 330, 330),)}, "PHOTO_FACE_OFF_CENTRE"),
        ({"faces": (FaceBox(0, 0, 300, 300), FaceBox(330, 0, 300, 300))}, "PHOTO_MULTIPLE_FACES"),
    ],
)
def test_each_rule_on_its_own(change: dict[str, object], code: str) -> None:
    assert codes(replace(GOOD, **change)) == (code,)  # type: ignore[arg-type]


def test_aspect_ratio_both_ways() -> None:
    wide = replace(GOOD, width=960, faces=(FaceBox(315, 300, 330, 330),))
    assert codes(wide) == ("PHOTO_ASPECT_RATIO",)
    narrow = replace(GOOD, width=500, faces=(FaceBox(85, 300, 330, 330),))
    assert codes(narrow) == ("PHOTO_ASPECT_RATIO",)


def test_unmeasured_quantities_give_no_verdict() -> None:
    unmeasured = replace(
        GOOD,
        face_luma=None,
        face_sharpness=None,
        background_luma=None,
        background_chroma=None,
        background_edge_share=None,
    )
    assert evaluate(unmeasured).passed


def test_boundaries_are_inclusive() -> None:
    t = DEFAULT_THRESHOLDS
    at_limits = replace(
        GOOD,
        face_luma=t.min_face_luma,
        face_sharpness=t.min_face_sharpness,
        background_luma=t.min_background_luma,
        background_chroma=t.max_background_chroma,
        background_edge_share=t.max_background_edge_share,
    )
    assert evaluate(at_limits).passed


def test_every_code_has_both_languages() -> None:
    for code, (zh, en) in MESSAGES.items():
        assert code.startswith("PHOTO_")
        assert zh and en and zh != en


@given(
    luma=st.floats(min_value=0, max_value=255),
    sharpness=st.floats(min_value=0, max_value=1000),
    x=st.integers(min_value=0, max_value=600),
    size=st.integers(min_value=10, max_value=660),
)
def test_findings_agree_with_passed_and_quote_their_threshold(
    luma: float, sharpness: float, x: int, size: int
) -> None:
    m = replace(
        GOOD, face_luma=luma, face_sharpness=sharpness, faces=(FaceBox(x, 300, size, size),)
    )
    result = evaluate(m)
    assert result.passed == (not result.findings)
    for finding in result.findings:
        assert finding.code in MESSAGES
        if finding.limit == "min":
            assert finding.measured < finding.threshold
        else:
            assert finding.measured > finding.threshold
