"""Turning whatever was attached as "the packing-slip photo" into a picture both readers can use, once.

Phones store the camera's orientation in EXIF instead of rotating the pixels, so a slip photographed in
portrait arrives sideways unless the tag is applied. The vision model downscales anything over 1568 px on
the long side anyway (only adding latency), and the OCR gains nothing from more than ~2000 px either, so a
photo is decoded once, straight to a working size, and both readers share that picture.

Memory is what a hostile file attacks: a 16 KiB PNG can declare 60 megapixels. The header is read first
and the decode refused unless its cost (pixels × bytes per pixel of the mode it decodes to) fits the
budget. What phones take fits: 12 MP (4032×3024) by default, 24 MP (5712×4284) on recent iPhones; the
48–50 MP "full resolution" modes save JPEGs, which decode at ½ or ¼ scale (libjpeg's DCT scaling) for the
same cost. Only Pillow decides what is an image: a declared content type or file name proves nothing (an
expired Slack link answers with an HTML sign-in page). Errors carry a message for floor staff, never bytes.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

MAX_LONG_SIDE = 1568  # what the vision model is sent
WORK_LONG_SIDE = 1568  # what a photo is decoded to: what both readers read (more costs OCR time, no accuracy)
MAX_PIXELS = 26_000_000  # decoded at full size (PNG, WEBP, HEIC, GIF): a 24 MP phone photo fits
MAX_JPEG_PIXELS = 52_000_000  # JPEG decodes at a fraction of its size (draft): 48/50 MP modes fit
DECODE_BUDGET = 110 * 2**20  # bytes one decode may allocate before the picture is scaled down
PNG_BUDGET = 3_500_000  # base64 of this stays under the API's 5 MB per image; beyond it JPEG is used
BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "LA": 2, "La": 2, "PA": 2, "I;16": 2, "I;16L": 2, "I;16B": 2,
                   "I;16N": 2, "RGB": 3, "YCbCr": 3, "LAB": 3, "HSV": 3, "RGBA": 4, "RGBa": 4, "RGBX": 4,
                   "CMYK": 4, "I": 4, "F": 4}  # Pillow keeps a "1" image at one byte per pixel
_ORIENTATION = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
                4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270,
                7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_90}
TOO_LARGE = "That photo has too many pixels to read. Take it again with the phone's normal camera settings."
NOT_READABLE = "That file is not a photo the bot can read. Attach the packing-slip photo as JPG, PNG, WEBP or HEIC."

try:  # iPhones send HEIC; the wheel is optional, without it HEIC is refused like any unreadable file
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIC_SUPPORTED = True
except ImportError:  # pragma: no cover - depends on the machine
    HEIC_SUPPORTED = False


class SlipImageError(Exception):
    """The file cannot be read as a packing-slip photo; `str()` is safe to show floor staff."""


class NotAPhoto(SlipImageError):
    """The bytes are not a picture Pillow can decode (a web page, a PDF, a truncated upload…)."""


class PhotoTooLarge(SlipImageError):
    """Too many pixels, or too many bytes per pixel, to decode safely."""


@dataclass(frozen=True)
class Photo:
    """A slip photo decoded once: upright RGB, at most WORK_LONG_SIDE px; what both readers read."""

    image: Image.Image
    was_png: bool  # drawings and scans stay lossless when re-encoded for the vision model


@dataclass(frozen=True)
class PreparedPhoto:
    content: bytes
    media_type: str  # image/jpeg or image/png, what the Messages API's image block accepts
    width: int
    height: int


def decode_photo(data: bytes, *, long_side: int = WORK_LONG_SIDE) -> Photo:
    """Bytes → Photo. Raises NotAPhoto or PhotoTooLarge (before decoding anything large)."""
    _refuse_obvious(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            _check_cost(image, long_side)  # before anything decodes: a PNG's getexif() loads the pixels
            image.load()
            orientation = image.getexif().get(0x0112)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoTooLarge(TOO_LARGE) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise NotAPhoto(NOT_READABLE) from None
    picture = _normalised(image, long_side)  # scaled before turning: the copies made after are small
    if orientation in _ORIENTATION:
        picture = picture.transpose(_ORIENTATION[orientation])
    return Photo(picture, was_png=data.startswith(b"\x89PNG"))


def open_upright(data: bytes) -> Image.Image:
    """Decode, refuse what is not a picture, apply the EXIF orientation; the result is RGB."""
    return decode_photo(data).image


def prepare_photo(data: bytes | Photo, *, max_long_side: int = MAX_LONG_SIDE) -> PreparedPhoto:
    """A photo → upright, at most `max_long_side` px, re-encoded (PNG for drawings/scans, JPEG for photos)."""
    photo = data if isinstance(data, Photo) else decode_photo(data)
    image = scaled(photo.image, max_long_side)
    content, media_type = encode(image, prefer_png=photo.was_png)
    return PreparedPhoto(content, media_type, image.width, image.height)


def _refuse_obvious(data: bytes) -> None:
    if not data:
        raise NotAPhoto("The file is empty. Take the photo again and attach it.")
    if _looks_like_markup(data):
        raise NotAPhoto("That file is a web page, not a photo (Slack may have sent a sign-in page). "
                        "Attach the packing-slip photo as JPG, PNG, WEBP or HEIC.")


def _check_cost(image: Image.Image, long_side: int) -> None:
    """Refuse from the header alone what would cost too much memory to decode."""
    pixels = image.width * image.height
    if image.format == "JPEG" and pixels <= MAX_JPEG_PIXELS:
        factor = long_side / max(image.size)  # the largest reduction still at least `long_side` px
        image.draft("RGB", (max(1, round(image.width * factor)), max(1, round(image.height * factor))))
        pixels = image.width * image.height  # what draft will decode: ½, ¼ or ⅛ of each side
    elif pixels > MAX_PIXELS:
        raise PhotoTooLarge(TOO_LARGE)
    per_pixel = BYTES_PER_PIXEL.get(image.mode)
    if per_pixel is None:
        raise NotAPhoto(NOT_READABLE)
    if pixels * per_pixel > DECODE_BUDGET or pixels > MAX_PIXELS:
        raise PhotoTooLarge(TOO_LARGE)


def scaled(image: Image.Image, max_long_side: int = MAX_LONG_SIDE) -> Image.Image:
    long_side = max(image.size)
    if long_side <= max_long_side:
        return image
    factor = max_long_side / long_side
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)


def encode(image: Image.Image, *, prefer_png: bool) -> tuple[bytes, str]:
    if prefer_png:  # lossless keeps thin print sharp; a noisy photo saved as PNG would be huge, so cap it
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
        if out.tell() <= PNG_BUDGET:
            return out.getvalue(), "image/png"
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue(), "image/jpeg"


def _normalised(image: Image.Image, long_side: int) -> Image.Image:
    """RGB at most `long_side` px: transparent areas become white paper; one-bit, greyscale and 16-bit
    pictures are scaled while still one channel, so no full-size RGB copy of them is ever made."""
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (image.mode == "P" and "transparency" in image.info):
        rgba = scaled(image.convert("RGBA"), long_side)
        paper = Image.new("RGB", rgba.size, "white")
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    if image.mode.startswith("I;16") or image.mode == "I":
        image = image.convert("I").point(lambda v: v * (1 / 256))
    if image.mode in ("1", "I", "F"):
        image = image.convert("L")
    if image.mode == "L":
        return scaled(image, long_side).convert("RGB")
    return scaled(image.convert("RGB") if image.mode != "RGB" else image, long_side)


def _looks_like_markup(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body")) and b"<svg" not in head
