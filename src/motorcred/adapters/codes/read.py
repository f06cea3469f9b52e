"""Read codes from a photo or screenshot with zxing-cpp.

Images come from untrusted uploads, so Pillow's decoder is bounded: the file
size and the pixel count are checked before the pixels are decoded, and any
decoder failure becomes ``MalformedData("IMAGE_UNREADABLE")``.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import zxingcpp
from PIL import Image

from motorcred.errors import InvalidInput, MalformedData, NotFound

MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000

_WANTED = zxingcpp.BarcodeFormats([zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.Code128])
_FORMATS = {
    zxingcpp.BarcodeFormat.QRCode: "QRCode",
    zxingcpp.BarcodeFormat.Code128: "Code128",
}


@dataclass(frozen=True, slots=True)
class DecodedCode:
    """One code found in an image; ``position`` is the four corners (x, y), clockwise."""

    text: str
    format: str
    position: tuple[tuple[int, int], ...]


def _load(image_bytes: bytes) -> Image.Image:
    if len(image_bytes) > MAX_IMAGE_BYTES:
        raise InvalidInput(
            "IMAGE_TOO_LARGE", f"image is {len(image_bytes)} bytes; limit {MAX_IMAGE_BYTES}"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(image_bytes))
            width, height = img.size
            if width * height > MAX_PIXELS:
                raise InvalidInput(
                    "IMAGE_TOO_LARGE", f"image is {width}x{height} pixels; limit {MAX_PIXELS}"
                )
            img.load()
            return img.convert("L")
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput("IMAGE_TOO_LARGE", "image has too many pixels") from None
    except Exception as exc:  # Pillow raises many types for corrupt files
        raise MalformedData("IMAGE_UNREADABLE", f"image cannot be decoded: {exc}") from None


def read_codes(image_bytes: bytes) -> list[DecodedCode]:
    """Every QR code and Code 128 barcode zxing-cpp finds in the image."""
    img = _load(image_bytes)
    found = zxingcpp.read_barcodes(img, formats=_WANTED)
    out: list[DecodedCode] = []
    for r in found:
        if not r.valid:
            continue
        p = r.position
        corners = tuple(
            (int(c.x), int(c.y)) for c in (p.top_left, p.top_right, p.bottom_right, p.bottom_left)
        )
        out.append(
            DecodedCode(text=r.text, format=_FORMATS.get(r.format, str(r.format)), position=corners)
        )
    return out


def read_code(image_bytes: bytes) -> str:
    """The text of the one code in the image (``CODE_NOT_FOUND`` / ``CODE_AMBIGUOUS``)."""
    codes = read_codes(image_bytes)
    texts = {c.text for c in codes}
    if not texts:
        raise NotFound("CODE_NOT_FOUND", "no QR code or Code 128 barcode found in the image")
    if len(texts) > 1:
        raise InvalidInput(
            "CODE_AMBIGUOUS",
            f"{len(texts)} different codes found in the image; show exactly one",
            details={"count": len(texts)},
        )
    return texts.pop()
