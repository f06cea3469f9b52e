"""Test portraits made from a real face shipped inside a PyPI package.

Source: ``skimage/data/astronaut.png`` in the scikit-image wheel (a test-only
dependency): NASA's official portrait of astronaut Eileen Collins, a US government
work in the public domain. Nothing is downloaded; every case is derived from it by
cropping, pasting and filtering, so each rule of the pre-check has a photo that
breaks exactly that rule.
"""

from __future__ import annotations

import importlib.util
import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

WIDTH, HEIGHT = 330, 480  # 22:32 portrait, above the 260 × 378 print minimum
BACKGROUND = (246, 246, 244)  # a white wall is never perfectly white


@cache
def astronaut() -> Image.Image:
    spec = importlib.util.find_spec("skimage")
    assert spec is not None and spec.submodule_search_locations
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "astronaut.png"
    with Image.open(path) as image:
        return image.convert("RGB")


@cache
def head_and_shoulders(scale: float = 1.5) -> tuple[Image.Image, Image.Image]:
    """The head-and-shoulders cut-out of the astronaut and its soft mask."""
    crop = astronaut().crop((135, 5, 320, 275))
    crop = crop.resize(
        (round(crop.width * scale), round(crop.height * scale)), Image.Resampling.LANCZOS
    )
    mask = Image.new("L", crop.size, 0)
    draw = ImageDraw.Draw(mask)
    w, h = crop.size
    draw.ellipse((round(w * 0.14), 0, round(w * 0.86), round(h * 0.74)), fill=255)
    draw.rectangle((0, round(h * 0.64), w, h), fill=255)
    return crop, mask.filter(ImageFilter.GaussianBlur(3))


def on_background(
    background: Image.Image | tuple[int, int, int] = BACKGROUND,
    *,
    size: tuple[int, int] = (WIDTH, HEIGHT),
    offset_x: int = 0,
    scale: float = 1.5,
) -> Image.Image:
    """The cut-out pasted bottom-centre on a background (colour or image)."""
    if isinstance(background, tuple):
        canvas = Image.new("RGB", size, background)
    else:
        canvas = background.resize(size, Image.Resampling.BILINEAR).convert("RGB")
    head, mask = head_and_shoulders(scale)
    x = (size[0] - head.width) // 2 + offset_x
    canvas.paste(head, (x, size[1] - head.height), mask)
    return canvas


def good() -> Image.Image:
    return on_background()


def busy_background() -> Image.Image:
    return on_background(astronaut().crop((0, 0, 140, 300)))  # the flag


def striped_background() -> Image.Image:
    stripes = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(stripes)
    for x in range(0, WIDTH, 14):
        draw.rectangle((x, 0, x + 6, HEIGHT), fill=(40, 40, 40))
    return on_background(stripes)


def blue_background() -> Image.Image:
    return on_background((60, 110, 200))


def dark() -> Image.Image:
    return ImageEnhance.Brightness(good()).enhance(0.3)


def overexposed() -> Image.Image:
    return ImageEnhance.Brightness(good()).enhance(1.7)


def blurred() -> Image.Image:
    return good().filter(ImageFilter.GaussianBlur(4))


def small_face() -> Image.Image:
    return on_background(scale=0.7)


def too_close() -> Image.Image:
    """Cropped so tight that the face fills the width and the hair is cut off."""
    return good().crop((80, 150, 240, 383)).resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)


def square() -> Image.Image:
    canvas = Image.new("RGB", (HEIGHT, HEIGHT), BACKGROUND)
    canvas.paste(good(), ((HEIGHT - WIDTH) // 2, 0))
    return canvas


def low_resolution() -> Image.Image:
    return good().resize((240, 349), Image.Resampling.LANCZOS)


def off_centre() -> Image.Image:
    return on_background(offset_x=110)


def two_faces() -> Image.Image:
    left = on_background(offset_x=-85, scale=0.85)
    return on_background(left, offset_x=85, scale=0.85)


def blank() -> Image.Image:
    return Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)


def encode(image: Image.Image, fmt: str = "JPEG", **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **params)
    return out.getvalue()
