"""Preparing a packing-slip photo: upright by EXIF, at most 1568 px, re-encoded; non-photos refused clearly."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from integrations.slips.images import (
    HEIC_SUPPORTED,
    MAX_LONG_SIDE,
    NotAPhoto,
    PhotoTooLarge,
    SlipImageError,
    open_upright,
    prepare_photo,
)


def photo(size: tuple[int, int], *, fmt: str = "JPEG", orientation: int | None = None, mode: str = "RGB") -> bytes:
    """A landscape picture whose left half is black: where black ends up shows how it was turned."""
    image = Image.new(mode, size, "white")
    image.paste(Image.new(mode, (size[0] // 2, size[1]), "black"), (0, 0))
    out = io.BytesIO()
    exif = Image.Exif()
    if orientation is not None:
        exif[0x0112] = orientation
    image.save(out, format=fmt, exif=exif.tobytes()) if fmt == "JPEG" else image.save(out, format=fmt)
    return out.getvalue()


def test_exif_rotation_is_applied() -> None:
    # Orientation 6: the camera was held upright, the pixels are stored sideways; shown turned 90° clockwise.
    upright = open_upright(photo((400, 200), orientation=6))
    assert upright.size == (200, 400)
    assert upright.getpixel((100, 50))[0] < 60 and upright.getpixel((100, 350))[0] > 200  # black went to the top


def test_a_photo_without_exif_is_left_as_it_is() -> None:
    assert open_upright(photo((400, 200))).size == (400, 200)


def test_large_photos_are_scaled_to_the_long_side_limit() -> None:
    prepared = prepare_photo(photo((4032, 3024), orientation=6))
    assert (prepared.width, prepared.height) == (1176, MAX_LONG_SIDE)
    assert prepared.media_type == "image/jpeg"
    with Image.open(io.BytesIO(prepared.content)) as again:
        assert again.size == (1176, MAX_LONG_SIDE) and again.format == "JPEG"


def test_small_photos_are_not_enlarged() -> None:
    prepared = prepare_photo(photo((800, 600)))
    assert (prepared.width, prepared.height) == (800, 600)


def test_png_scans_stay_png_and_transparency_becomes_paper() -> None:
    prepared = prepare_photo(photo((300, 200), fmt="PNG", mode="RGBA"))
    assert prepared.media_type == "image/png"
    with Image.open(io.BytesIO(prepared.content)) as again:
        assert again.mode == "RGB"


def test_webp_is_read() -> None:
    assert prepare_photo(photo((300, 200), fmt="WEBP")).media_type == "image/jpeg"


@pytest.mark.skipif(not HEIC_SUPPORTED, reason="pillow-heif not installed")
def test_heic_is_read_when_pillow_heif_is_installed() -> None:
    out = io.BytesIO()
    try:
        Image.new("RGB", (320, 240), "white").save(out, format="HEIF")
    except (KeyError, OSError, ValueError):  # pragma: no cover - a build without the encoder
        pytest.skip("no HEIF encoder to make a sample")
    assert prepare_photo(out.getvalue()).media_type == "image/jpeg"


@pytest.mark.parametrize("content, words", [
    (b"<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in</body></html>", "web page"),
    (b"  \n<html><body>login</body></html>", "web page"),
    (b"%PDF-1.7 packing slip", "not a photo"),
    (b"", "empty"),
    (photo((400, 300))[:200], "not a photo"),  # a truncated upload
])
def test_what_is_not_a_photo_is_refused_with_a_message_for_people(content: bytes, words: str) -> None:
    with pytest.raises(NotAPhoto) as refused:
        prepare_photo(content)
    message = str(refused.value)
    assert words in message and "JPG" in message or words == "empty"
    assert "<" not in message and "%PDF" not in message  # never the file's bytes
    assert isinstance(refused.value, SlipImageError)


def test_a_decompression_bomb_is_refused() -> None:
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, format="PNG")  # 144 MP of nothing: tiny file, huge decode
    with pytest.raises(PhotoTooLarge):
        prepare_photo(out.getvalue())
