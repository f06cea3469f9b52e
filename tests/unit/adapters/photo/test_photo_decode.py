"""Safe decoding of uploaded photos: type sniffing, limits, EXIF, normalisation."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from portraits import encode, good

from motorcred.adapters.photo.decode import (
    DEFAULT_LIMITS,
    DecodeLimits,
    decode_photo,
    sniff_type,
)
from motorcred.adapters.photo.precheck import precheck_photo
from motorcred.errors import InvalidInput, MalformedData, MotorcredError

EXIF_ORIENTATION = 0x0112
EXIF_GPS_IFD = 0x8825


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_header_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a size its (tiny) data does not have: a bomb's signature."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def rotated_with_exif(orientation: int, transpose: Image.Transpose) -> bytes:
    """The good portrait stored sideways, with EXIF telling viewers how to turn it back."""
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:11:20 09:30:00"  # DateTime
    return encode(good().transpose(transpose), exif=exif.tobytes(), quality=92)


# --- accepted inputs ----------------------------------------------------------------------


def test_jpeg_is_decoded_and_stored_as_clean_rgb_jpeg() -> None:
    photo = decode_photo(encode(good(), quality=92))
    assert photo.source_format == "jpeg"
    assert (photo.source_width, photo.source_height) == good().size
    assert photo.image.mode == "RGB"
    stored = Image.open(io.BytesIO(photo.jpeg))
    assert stored.format == "JPEG"
    assert stored.size == photo.image.size
    assert len(photo.jpeg) <= DEFAULT_LIMITS.store_max_bytes


def test_exif_orientation_is_applied_and_metadata_stripped() -> None:
    # Orientation 6: the camera stored the picture turned 90° anticlockwise.
    data = rotated_with_exif(6, Image.Transpose.ROTATE_90)
    raw = Image.open(io.BytesIO(data))
    assert raw.size == (good().height, good().width)
    assert raw.getexif()[0x010F] == "PhoneMaker"

    photo = decode_photo(data)
    assert (photo.source_width, photo.source_height) == good().size
    assert photo.image.size == good().size
    stored = Image.open(io.BytesIO(photo.jpeg))
    assert len(stored.getexif()) == 0
    assert "exif" not in stored.info
    assert precheck_photo(photo).passed


def test_orientation_8_is_applied_too() -> None:
    photo = decode_photo(rotated_with_exif(8, Image.Transpose.ROTATE_270))
    assert photo.image.size == good().size
    assert precheck_photo(photo).passed


def test_without_the_orientation_tag_the_sideways_photo_has_no_upright_face() -> None:
    sideways = encode(good().transpose(Image.Transpose.ROTATE_90), quality=92)
    assert "PHOTO_NO_FACE" in precheck_photo(decode_photo(sideways)).codes


def test_png_transparency_is_flattened_onto_white() -> None:
    rgba = good().convert("RGBA")
    rgba.putpixel((0, 0), (0, 0, 0, 0))
    photo = decode_photo(encode(rgba, "PNG"))
    assert photo.source_format == "png"
    assert photo.image.getpixel((0, 0)) == (255, 255, 255)


def test_sixteen_bit_grey_png_and_cmyk_jpeg_are_normalised_to_rgb() -> None:
    grey16 = good().convert("L").point(lambda v: v * 257).convert("I;16")
    assert decode_photo(encode(grey16, "PNG")).image.mode == "RGB"
    cmyk = decode_photo(encode(good().convert("CMYK"), quality=90))
    assert cmyk.image.mode == "RGB"
    assert precheck_photo(cmyk).passed


def test_large_photo_is_downscaled_for_storage_but_keeps_its_source_size() -> None:
    big = good().resize((2200, 3200), Image.Resampling.BICUBIC)
    photo = decode_photo(encode(big, quality=85))
    assert (photo.source_width, photo.source_height) == (2200, 3200)
    assert photo.width <= DEFAULT_LIMITS.store_max_width
    assert photo.height <= DEFAULT_LIMITS.store_max_height
    assert precheck_photo(photo).passed


# --- type sniffing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\xff\xd8\xff\xe0" + b"\x00" * 20, "jpeg"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "png"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "heic"),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", "heic"),
    ],
)
def test_sniff_type(data: bytes, kind: str) -> None:
    assert sniff_type(data) == kind


@pytest.mark.parametrize(
    ("data", "detected"),
    [
        (b"GIF89a" + b"\x00" * 40, "gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 40, "webp"),
        (b"BM" + b"\x00" * 40, "bmp"),
        (b"II*\x00" + b"\x00" * 40, "tiff"),
        (b"%PDF-1.7" + b"\x00" * 40, "pdf"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1", "isobmff:avif"),
        (b"hello, this is not a photo at all", "unknown"),
    ],
)
def test_other_types_are_refused_by_their_magic_bytes(data: bytes, detected: str) -> None:
    with pytest.raises(InvalidInput) as err:
        decode_photo(data)
    assert err.value.code == "PHOTO_TYPE_UNSUPPORTED"
    assert err.value.details["detected"] == detected


def test_a_file_name_or_extension_plays_no_part() -> None:
    # A GIF is refused even though Pillow could decode it.
    with pytest.raises(InvalidInput) as err:
        decode_photo(encode(good(), "GIF"))
    assert err.value.code == "PHOTO_TYPE_UNSUPPORTED"


VECTORS = Path(__file__).resolve().parents[3] / "vectors" / "photo"


@pytest.mark.parametrize("name", ["portrait.heic", "portrait_orientation6.heic"])
def test_heic_from_a_phone_is_decoded_upright_and_passes(name: str) -> None:
    data = (VECTORS / name).read_bytes()
    assert sniff_type(data) == "heic"
    photo = decode_photo(data)
    assert photo.source_format == "heic"
    assert (photo.source_width, photo.source_height) == good().size
    stored = Image.open(io.BytesIO(photo.jpeg))
    assert stored.format == "JPEG"
    assert len(stored.getexif()) == 0
    assert precheck_photo(photo).passed


def test_truncated_heic_is_reported_as_corrupt() -> None:
    data = (VECTORS / "portrait.heic").read_bytes()
    with pytest.raises(MalformedData) as err:
        decode_photo(data[: len(data) // 2])
    assert err.value.code == "PHOTO_CORRUPT"


def test_damaged_heic_is_reported_as_corrupt() -> None:
    data = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200
    with pytest.raises(MalformedData) as err:
        decode_photo(data)
    assert err.value.code == "PHOTO_CORRUPT"


# --- limits -------------------------------------------------------------------------------


def test_too_many_bytes() -> None:
    data = encode(good(), quality=95)
    with pytest.raises(InvalidInput) as err:
        decode_photo(data, DecodeLimits(max_bytes=len(data) - 1))
    assert err.value.code == "PHOTO_TOO_LARGE"


def test_pixel_bomb_is_refused_from_its_header() -> None:
    bomb = png_header_claiming(30_000, 30_000)
    assert len(bomb) < 200
    with pytest.raises(InvalidInput) as err:
        decode_photo(bomb)
    assert err.value.code == "PHOTO_TOO_MANY_PIXELS"


def test_pillow_bomb_guard_is_a_second_line_of_defence() -> None:
    # Our own limit raised out of the way: Pillow's MAX_IMAGE_PIXELS check still refuses.
    lax = DecodeLimits(max_pixels=10**12)
    with pytest.raises(InvalidInput) as err:
        decode_photo(png_header_claiming(30_000, 30_000), lax)
    assert err.value.code == "PHOTO_TOO_MANY_PIXELS"


def test_own_pixel_limit_applies_below_pillows() -> None:
    data = encode(good(), quality=90)
    with pytest.raises(InvalidInput) as err:
        decode_photo(data, DecodeLimits(max_pixels=100_000))
    assert err.value.code == "PHOTO_TOO_MANY_PIXELS"


def test_too_small() -> None:
    with pytest.raises(InvalidInput) as err:
        decode_photo(encode(good().resize((150, 218)), quality=90))
    assert err.value.code == "PHOTO_TOO_SMALL"


@pytest.mark.parametrize(
    "data",
    [
        encode(good(), quality=90)[:3000],  # truncated upload
        b"\xff\xd8\xff\xe0" + b"\x13" * 400,  # JPEG magic, garbage after
        png_header_claiming(400, 600),  # valid header, far too little data
        b"\xff\xd8\xff",  # too short to be anything
    ],
)
def test_corrupt_photos(data: bytes) -> None:
    with pytest.raises(MalformedData) as err:
        decode_photo(data)
    assert err.value.code == "PHOTO_CORRUPT"


_SAMPLE = encode(good().resize((220, 320)), quality=80)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    position=st.integers(min_value=0, max_value=len(_SAMPLE) - 1),
    garbage=st.binary(min_size=1, max_size=64),
    cut=st.booleans(),
)
def test_mutated_uploads_decode_or_fail_with_a_code(
    position: int, garbage: bytes, cut: bool
) -> None:
    data = _SAMPLE[:position] + garbage + (b"" if cut else _SAMPLE[position + len(garbage) :])
    try:
        photo = decode_photo(data)
    except MotorcredError as exc:
        assert exc.code.startswith("PHOTO_")
    else:
        assert photo.image.mode == "RGB"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=256))
def test_random_bytes_never_escape_as_an_unexpected_exception(data: bytes) -> None:
    with pytest.raises(MotorcredError) as err:
        decode_photo(data)
    assert err.value.code.startswith("PHOTO_")
