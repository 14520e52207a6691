"""Turning whatever was attached as "the packing-slip photo" into a picture both readers can use.

Phones store the camera's orientation in EXIF instead of rotating the pixels, so a slip photographed in
portrait arrives sideways unless the tag is applied. The vision model downscales anything over 1568 px on
the long side anyway (only adding latency), and the OCR gains nothing from more pixels either.

Only Pillow decides what is an image: a declared content type or file name proves nothing (an expired Slack
link answers with an HTML sign-in page). Errors carry a message for floor staff, never the bytes.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_LONG_SIDE = 1568
MAX_PIXELS = 60_000_000  # a 60 MP photo is already more than any phone takes; larger is a decompression bomb
PNG_BUDGET = 3_500_000  # base64 of this stays under the API's 5 MB per image; beyond it JPEG is used

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
    """Too many pixels to decode safely."""


@dataclass(frozen=True)
class PreparedPhoto:
    content: bytes
    media_type: str  # image/jpeg or image/png, what the Messages API's image block accepts
    width: int
    height: int


def open_upright(data: bytes) -> Image.Image:
    """Decode, refuse what is not a picture, apply the EXIF orientation; the result is RGB."""
    if not data:
        raise NotAPhoto("The file is empty. Take the photo again and attach it.")
    if _looks_like_markup(data):
        raise NotAPhoto("That file is a web page, not a photo (Slack may have sent a sign-in page). "
                        "Attach the packing-slip photo as JPG, PNG, WEBP or HEIC.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_PIXELS:
                raise PhotoTooLarge("That photo has too many pixels to read. Take it again at normal size.")
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoTooLarge("That photo has too many pixels to read. Take it again at normal size.") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise NotAPhoto("That file is not a photo the bot can read. "
                        "Attach the packing-slip photo as JPG, PNG, WEBP or HEIC.") from None
    return _flatten(ImageOps.exif_transpose(image))


def prepare_photo(data: bytes, *, max_long_side: int = MAX_LONG_SIDE) -> PreparedPhoto:
    """bytes → upright, at most `max_long_side` px, re-encoded (PNG for drawings/scans, JPEG for photos)."""
    image = scaled(open_upright(data), max_long_side)
    content, media_type = encode(image, prefer_png=data.startswith(b"\x89PNG"))
    return PreparedPhoto(content, media_type, image.width, image.height)


def scaled(image: Image.Image, max_long_side: int = MAX_LONG_SIDE) -> Image.Image:
    long_side = max(image.size)
    if long_side <= max_long_side:
        return image
    factor = max_long_side / long_side
    size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
    return image.resize(size, Image.Resampling.LANCZOS)


def encode(image: Image.Image, *, prefer_png: bool) -> tuple[bytes, str]:
    if prefer_png:  # lossless keeps thin print sharp; a noisy photo saved as PNG would be huge, so cap it
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False)
        if out.tell() <= PNG_BUDGET:
            return out.getvalue(), "image/png"
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue(), "image/jpeg"


def _flatten(image: Image.Image) -> Image.Image:
    """Transparent areas become white paper, palettes and greyscale become RGB."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGB", rgba.size, "white")
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    return image.convert("RGB") if image.mode != "RGB" else image


def _looks_like_markup(data: bytes) -> bool:
    head = data[:512].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body")) and b"<svg" not in head
