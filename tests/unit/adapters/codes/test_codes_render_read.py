from __future__ import annotations

import contextlib
import io
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFilter

from motorcred.adapters.codes.read import read_code, read_codes
from motorcred.adapters.codes.render import (
    qr_version,
    render_code128_png,
    render_code128_svg,
    render_qr_png,
    render_qr_svg,
)
from motorcred.errors import InvalidInput, MalformedData, NotFound
from motorcred.formats.offline_code import encode_offline_code, new_online_handle


def _mc1(size: int, seed: int) -> str:
    rng = random.Random(seed)
    # Half random (salts, digests, signatures), half repetitive CBOR structure.
    payload = rng.randbytes(size // 2) + b"\xa2\x66digest\x58\x20" * (size // 22)
    return encode_offline_code(payload[:size])


@pytest.mark.parametrize("size", [300, 600, 900, 1200])
def test_mc1_qr_round_trip(size: int) -> None:
    text = _mc1(size, size)
    assert qr_version(text, "M") <= 25
    png = render_qr_png(text, scale=3, border=4)
    assert read_code(png) == text


@pytest.mark.parametrize("size", [600, 900])
def test_incompressible_mc1_round_trip(size: int) -> None:
    text = encode_offline_code(random.Random(size).randbytes(size))
    assert qr_version(text, "M") <= 25
    assert read_code(render_qr_png(text, scale=3)) == text


def test_incompressible_1200_bytes_exceeds_version_25() -> None:
    text = encode_offline_code(random.Random(0).randbytes(1200))
    assert qr_version(text, "M") > 25
    with pytest.raises(InvalidInput) as ei:
        render_qr_png(text)
    assert ei.value.code == "CODE_TOO_LONG"
    assert ei.value.details["version"] == qr_version(text, "M")


def test_red_qr_decodes() -> None:
    text = _mc1(400, 7)
    png = render_qr_png(text, scale=4, border=4, colour="#d00000")
    img = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = {img.getpixel((x, y)) for x in range(img.width) for y in range(0, img.height, 3)}
    assert (208, 0, 0) in pixels
    assert read_code(png) == text


def test_svg_outputs() -> None:
    svg = render_qr_svg("MC0:ABC", colour="#d00000")
    assert "<svg" in svg
    assert 'stroke="#d00000"' in svg
    assert "<svg" in render_code128_svg("MC0:ABC")


def test_too_long_and_bad_args() -> None:
    with pytest.raises(InvalidInput) as ei:
        render_qr_png("MC1:" + "A" * 5000)
    assert ei.value.code == "CODE_TOO_LONG"
    with pytest.raises(InvalidInput) as ei:
        render_qr_png("MC1:" + "A" * 200, max_version=3)
    assert ei.value.code == "CODE_TOO_LONG"
    with pytest.raises(InvalidInput):
        qr_version("x", error="Z")
    with pytest.raises(InvalidInput):
        render_code128_png("汉字")


def test_code128_round_trip() -> None:
    handle = new_online_handle(random.Random(3).randbytes)
    png = render_code128_png(handle)
    codes = read_codes(png)
    assert [(c.text, c.format) for c in codes] == [(handle, "Code128")]
    assert read_code(png) == handle


def test_qr_reports_format_and_position() -> None:
    png = render_qr_png("MC0:HELLO", scale=5, border=4)
    (code,) = read_codes(png)
    assert code.format == "QRCode"
    assert len(code.position) == 4
    xs = [x for x, _ in code.position]
    assert min(xs) >= 15 and max(xs) <= Image.open(io.BytesIO(png)).width


def test_photo_of_screen() -> None:
    text = _mc1(500, 11)
    qr = Image.open(io.BytesIO(render_qr_png(text, scale=4, border=4))).convert("L")
    rng = random.Random(5)
    bg = Image.effect_noise((1400, 1000), 40).convert("RGB")
    tinted = Image.new("RGB", bg.size, (120, 110, 90))
    bg = Image.blend(bg, tinted, 0.5)
    qr = qr.resize((int(qr.width * 1.3), int(qr.height * 1.3)), Image.Resampling.BILINEAR)
    qr = qr.rotate(7, expand=True, fillcolor=255, resample=Image.Resampling.BILINEAR)
    bg.paste(qr.convert("RGB"), (rng.randint(50, 300), rng.randint(50, 200)))
    bg = bg.filter(ImageFilter.GaussianBlur(0.8))
    buf = io.BytesIO()
    bg.save(buf, format="JPEG", quality=70)
    assert read_code(buf.getvalue()) == text


def test_blank_image_not_found() -> None:
    buf = io.BytesIO()
    Image.new("RGB", (400, 400), "white").save(buf, format="PNG")
    with pytest.raises(NotFound) as ei:
        read_code(buf.getvalue())
    assert ei.value.code == "CODE_NOT_FOUND"


def test_two_codes_ambiguous() -> None:
    a = Image.open(io.BytesIO(render_qr_png("MC0:AAAA", scale=5))).convert("L")
    b = Image.open(io.BytesIO(render_qr_png("MC0:BBBB", scale=5))).convert("L")
    canvas = Image.new("L", (a.width + b.width + 40, max(a.height, b.height) + 40), 255)
    canvas.paste(a, (10, 20))
    canvas.paste(b, (a.width + 30, 20))
    buf = io.BytesIO()
    canvas.save(buf, format="PNG")
    assert len(read_codes(buf.getvalue())) == 2
    with pytest.raises(InvalidInput) as ei:
        read_code(buf.getvalue())
    assert ei.value.code == "CODE_AMBIGUOUS"


@pytest.mark.parametrize("data", [b"", b"not an image", b"\x89PNG\r\n\x1a\n" + b"\0" * 50])
def test_malformed_image(data: bytes) -> None:
    with pytest.raises(MalformedData) as ei:
        read_codes(data)
    assert ei.value.code == "IMAGE_UNREADABLE"


def test_truncated_png() -> None:
    png = render_qr_png("MC0:HELLO", scale=5)
    with pytest.raises(MalformedData):
        read_codes(png[: len(png) // 2])


def test_image_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    import motorcred.adapters.codes.read as rd

    monkeypatch.setattr(rd, "MAX_PIXELS", 100 * 100)
    buf = io.BytesIO()
    Image.new("L", (200, 200), 255).save(buf, format="PNG")
    with pytest.raises(InvalidInput) as ei:
        read_codes(buf.getvalue())
    assert ei.value.code == "IMAGE_TOO_LARGE"
    monkeypatch.setattr(rd, "MAX_IMAGE_BYTES", 10)
    with pytest.raises(InvalidInput) as ei:
        read_codes(buf.getvalue())
    assert ei.value.code == "IMAGE_TOO_LARGE"


@settings(max_examples=40, deadline=None)
@given(
    st.binary(max_size=400),
    st.sampled_from([b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF89a"]),
)
def test_fuzz_image_bytes_only_project_errors(data: bytes, magic: bytes) -> None:
    with contextlib.suppress(MalformedData, InvalidInput):
        read_codes(magic + data)
