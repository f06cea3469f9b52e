"""Safe decoding of an uploaded photo: bytes in, a clean upright RGB image out.

An upload is untrusted input from a phone camera or album. Before any pixel is
decoded the bytes are bounded (size), the type is sniffed from magic bytes (never
from a file name or a client's content type) and only JPEG, PNG and HEIC/HEIF are
accepted, each opened by its own decoder only. Dimensions are read from the header
and bounded before decompression, so a small file that expands to gigapixels
(a decompression bomb) is refused without allocating it; Pillow's own
``MAX_IMAGE_PIXELS`` guard is turned into an error as a second line of defence.

The stored form is a baseline RGB JPEG of bounded dimensions with no metadata:
EXIF (GPS position, device, time) is dropped after its orientation has been
applied to the pixels, and a colour profile is converted to sRGB.
"""

from __future__ import annotations

import io
import threading
import warnings
from dataclasses import dataclass
from typing import Final

from PIL import Image, ImageCms, ImageOps

from motorcred.errors import InvalidInput, MalformedData, MotorcredError

JPEG: Final = "jpeg"
PNG: Final = "png"
HEIC: Final = "heic"

# ISO BMFF major/compatible brands of HEIF still images (ISO/IEC 23008-12). AVIF ("avif",
# "avis") shares the container but needs an AV1 decoder the HEIC wheel does not ship.
_HEIF_BRANDS: Final = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1"})
_PILLOW_FORMAT: Final = {JPEG: "JPEG", PNG: "PNG", HEIC: "HEIF"}
_EXIF_ORIENTATION: Final = 0x0112
_ORIENTATIONS_SWAPPING_SIDES: Final = frozenset({5, 6, 7, 8})  # the four 90°/270° turns


@dataclass(frozen=True)
class DecodeLimits:
    # Phone photos are 2–6 MB; 15 MB leaves room for 50 MP HEIC/JPEG from high-end cameras.
    max_bytes: int = 15 * 1024 * 1024
    # 50 megapixels (8160 × 6120) covers every phone camera; beyond that it is not a photo
    # from a phone, and an RGB buffer of 50 MP is already 150 MB.
    max_pixels: int = 50_000_000
    # Below 200 px on the short side nothing can be checked or printed; the licence print
    # size is checked later by the pre-check (PHOTO_RESOLUTION_TOO_LOW).
    min_side_px: int = 200
    # Stored copy: enough for the 22 × 32 mm print at 600 dpi (520 × 756) with margin.
    store_max_width: int = 720
    store_max_height: int = 960
    store_quality: int = 90
    store_max_bytes: int = 400 * 1024


DEFAULT_LIMITS: Final = DecodeLimits()


@dataclass(frozen=True)
class DecodedPhoto:
    """An upright RGB photo ready for the pre-check, plus its storable JPEG."""

    image: Image.Image  # RGB, orientation applied, at most store_max_* pixels
    source_format: str  # "jpeg" | "png" | "heic"
    source_width: int  # full size of the upload, upright, before any downscaling
    source_height: int
    jpeg: bytes  # what is stored: baseline JPEG, sRGB, no metadata

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height


def sniff_type(data: bytes) -> str:
    """The photo type from its leading bytes, or ``PHOTO_TYPE_UNSUPPORTED``."""
    if data[:3] == b"\xff\xd8\xff":
        return JPEG
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return PNG
    if data[4:8] == b"ftyp":
        brands = {data[8:12]} | {data[i : i + 4] for i in range(16, min(len(data), 64), 4)}
        if data[8:12] in _HEIF_BRANDS or (brands & _HEIF_BRANDS and b"avif" not in brands):
            return HEIC
    raise InvalidInput(
        "PHOTO_TYPE_UNSUPPORTED",
        "The photo must be a JPEG, PNG or HEIC image.",
        details={"detected": _describe(data)},
    )


def _describe(data: bytes) -> str:
    known = {
        b"GIF8": "gif",
        b"RIFF": "webp" if data[8:12] == b"WEBP" else "riff",
        b"II*\x00": "tiff",
        b"MM\x00*": "tiff",
        b"%PDF": "pdf",
    }
    if data[:2] == b"BM":
        return "bmp"
    if data[4:8] == b"ftyp":
        return "isobmff:" + data[8:12].decode("ascii", "replace")
    return known.get(data[:4], "unknown")


_heif_lock = threading.Lock()
_heif_registered = False


def _enable_heif() -> None:
    """Register the HEIF decoder with Pillow on first use (never at import time)."""
    global _heif_registered
    with _heif_lock:
        if not _heif_registered:
            # Loaded on demand: a native decoder only HEIC uploads need.
            import pi_heif  # type: ignore[import-untyped]

            pi_heif.register_heif_opener()
            _heif_registered = True


def _corrupt(detail: str) -> MalformedData:
    return MalformedData(
        "PHOTO_CORRUPT",
        "The photo could not be read; it may be damaged or incomplete. Take or choose it again.",
        details={"reason": detail[:200]},
    )


def _check_dimensions(width: int, height: int, limits: DecodeLimits) -> None:
    if width * height > limits.max_pixels:
        raise InvalidInput(
            "PHOTO_TOO_MANY_PIXELS",
            f"The photo has {width} × {height} pixels; at most {limits.max_pixels:,} are accepted.",
            details={"width": width, "height": height, "max_pixels": limits.max_pixels},
        )
    if min(width, height) < limits.min_side_px:
        raise InvalidInput(
            "PHOTO_TOO_SMALL",
            f"The photo is only {width} × {height} pixels; each side needs at least "
            f"{limits.min_side_px}.",
            details={"width": width, "height": height, "min_side_px": limits.min_side_px},
        )


def _open(data: bytes, kind: str, limits: DecodeLimits) -> tuple[Image.Image, tuple[int, int]]:
    """Open and decode; returns the image and its full size as stated in the header."""
    if kind == HEIC:
        _enable_heif()
    with warnings.catch_warnings():
        # Pillow warns above MAX_IMAGE_PIXELS and raises above twice that; both are refusals.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMAT[kind]])
            header_size = image.size
            _check_dimensions(image.width, image.height, limits)
            if kind == JPEG:
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the photo is far larger
                # than what is stored: a 12 MP phone photo decodes several times faster. The
                # target is turned like the stored pixels, which EXIF will turn upright later.
                target = (limits.store_max_width, limits.store_max_height)
                if image.getexif().get(_EXIF_ORIENTATION, 1) in _ORIENTATIONS_SWAPPING_SIDES:
                    target = (target[1], target[0])
                image.draft(None, target)
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise InvalidInput(
                "PHOTO_TOO_MANY_PIXELS", "The photo has too many pixels.", details={}
            ) from exc
        except MotorcredError:
            raise
        except Exception as exc:
            # Pillow's decoders raise many types on hostile input (OSError, SyntaxError,
            # struct.error, IndexError…); each one means the upload cannot be read.
            raise _corrupt(f"{type(exc).__name__}: {exc}") from exc
    return image, header_size


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Convert to RGB, flattening transparency onto white and applying an ICC profile."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = image.point(lambda v: v / 257).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    if icc and image.mode in ("RGB", "RGBA", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(
                image.convert("RGB") if image.mode == "RGBA" else image,
                source,
                ImageCms.createProfile("sRGB"),
                outputMode="RGB",
            )
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile is ignored: the pixels are still usable as they are
    return image.convert("RGB")


def _encode_jpeg(image: Image.Image, limits: DecodeLimits) -> bytes:
    quality = limits.store_quality
    while True:
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=quality, optimize=True)
        encoded = out.getvalue()
        if len(encoded) <= limits.store_max_bytes or quality <= 50:
            return encoded
        quality -= 10


def decode_photo(data: bytes, limits: DecodeLimits = DEFAULT_LIMITS) -> DecodedPhoto:
    """Decode an uploaded photo safely; errors carry a ``PHOTO_*`` code."""
    if len(data) > limits.max_bytes:
        raise InvalidInput(
            "PHOTO_TOO_LARGE",
            f"The photo is {len(data):,} bytes; at most {limits.max_bytes:,} are accepted.",
            details={"size": len(data), "max_bytes": limits.max_bytes},
        )
    if len(data) < 16:
        raise _corrupt("file too short")
    kind = sniff_type(data)
    image, (source_width, source_height) = _open(data, kind, limits)
    try:
        icc = image.info.get("icc_profile")
        if image.getexif().get(_EXIF_ORIENTATION, 1) in _ORIENTATIONS_SWAPPING_SIDES:
            source_width, source_height = source_height, source_width
        upright = ImageOps.exif_transpose(image)
        rgb = _to_srgb(upright, icc if isinstance(icc, bytes) else None)
    except Exception as exc:  # malformed EXIF or colour data: see _open
        raise _corrupt(f"{type(exc).__name__}: {exc}") from exc
    # A fresh image carries no info dict, so nothing of the upload's metadata survives.
    clean = Image.frombytes("RGB", rgb.size, rgb.tobytes())
    clean.thumbnail((limits.store_max_width, limits.store_max_height), Image.Resampling.LANCZOS)
    return DecodedPhoto(
        image=clean,
        source_format=kind,
        source_width=source_width,
        source_height=source_height,
        jpeg=_encode_jpeg(clean, limits),
    )
