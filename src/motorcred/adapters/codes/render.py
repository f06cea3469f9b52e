"""Draw the dynamic codes: QR with segno, Code 128 with python-barcode.

The colour is the caller's choice: the credential pages draw the QR code red
when the credential's status is not normal (DOMAIN.md section 6).
"""

from __future__ import annotations

import io

import barcode
import segno
from barcode.writer import ImageWriter, SVGWriter

from motorcred.errors import InvalidInput

_ERRORS = {"L", "M", "Q", "H"}


def _make_qr(text: str, error: str, max_version: int) -> segno.QRCode:
    level = error.upper()
    if level not in _ERRORS:
        raise InvalidInput("QR_ERROR_LEVEL", f"unknown QR error correction level {error!r}")
    if not 1 <= max_version <= 40:
        raise InvalidInput("QR_VERSION_RANGE", f"max_version {max_version} is not in 1..40")
    try:
        # boost_error=False: keep the requested level so sizes are reproducible;
        # segno picks alphanumeric mode by itself for MC0/MC1 texts.
        qr = segno.make_qr(text, error=level, boost_error=False)
    except segno.DataOverflowError:
        raise InvalidInput(
            "CODE_TOO_LONG", f"{len(text)} characters do not fit any QR code at level {level}"
        ) from None
    version = int(qr.version)
    if version > max_version:
        raise InvalidInput(
            "CODE_TOO_LONG",
            f"code needs QR version {version} at level {level}; at most {max_version} allowed",
            details={"version": version, "max_version": max_version, "length": len(text)},
        )
    return qr


def qr_version(text: str, error: str = "M") -> int:
    """The QR version (1..40) that ``text`` needs at the given error correction level."""
    return int(_make_qr(text, error, 40).version)


def render_qr_png(
    text: str,
    *,
    scale: int = 4,
    border: int = 4,
    colour: str = "#000000",
    max_version: int = 25,
    error: str = "M",
) -> bytes:
    """A PNG of ``text`` as a QR code; ``CODE_TOO_LONG`` beyond ``max_version``."""
    qr = _make_qr(text, error, max_version)
    buf = io.BytesIO()
    qr.save(buf, kind="png", scale=scale, border=border, dark=colour, light="#ffffff")
    return buf.getvalue()


def render_qr_svg(
    text: str,
    *,
    scale: int = 4,
    border: int = 4,
    colour: str = "#000000",
    max_version: int = 25,
    error: str = "M",
) -> str:
    """An SVG document of ``text`` as a QR code (same rules as :func:`render_qr_png`)."""
    qr = _make_qr(text, error, max_version)
    buf = io.BytesIO()
    qr.save(buf, kind="svg", scale=scale, border=border, dark=colour, light="#ffffff")
    return buf.getvalue().decode("utf-8")


def _code128(text: str, writer: ImageWriter | SVGWriter) -> barcode.Barcode:
    if not text or any(not 32 <= ord(c) < 127 for c in text):
        raise InvalidInput("CODE128_UNSUPPORTED", "Code 128 payload must be printable ASCII")
    return barcode.get("code128", text, writer=writer)


# Text under the bars is left out: the handle is not meant to be typed, and it
# keeps rendering independent of fonts installed on the server.
_OPTIONS = {"write_text": False, "module_width": 0.3, "module_height": 15.0, "quiet_zone": 6.5}


def render_code128_png(text: str) -> bytes:
    """A PNG of ``text`` as a Code 128 barcode (no human-readable line)."""
    buf = io.BytesIO()
    _code128(text, ImageWriter()).write(buf, options=_OPTIONS)
    return buf.getvalue()


def render_code128_svg(text: str) -> str:
    """An SVG document of ``text`` as a Code 128 barcode (no human-readable line)."""
    buf = io.BytesIO()
    _code128(text, SVGWriter()).write(buf, options=_OPTIONS)
    return buf.getvalue().decode("utf-8")
