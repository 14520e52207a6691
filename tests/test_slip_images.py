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
    decode_photo,
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


def one_bit_png(side: int) -> bytes:
    """A one-bit PNG of nothing: a few KiB on the wire, `side`² pixels once decoded. Written row by row with
    zlib, so making it costs this test no more memory than the file."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" + b"\xff" * ((side + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


PEAK = """
import re, sys
from pathlib import Path
from integrations.slips.images import decode_photo, SlipImageError

def kib(name):
    return int(re.search(name + r":\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1))

data = open(sys.argv[1], "rb").read()
Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from here
before = kib("VmRSS")
try:
    decode_photo(data)
    outcome = "decoded"
except SlipImageError as exc:
    outcome = str(exc)
print(outcome)
print((kib("VmHWM") - before) // 1024)
"""


def peak_mib_decoding(tmp_path: object, data: bytes) -> tuple[str, int]:
    """Decode in a fresh process and report what the decode added to its peak memory (MiB)."""
    import subprocess
    import sys
    from pathlib import Path

    path = Path(str(tmp_path)) / "photo.bin"
    path.write_bytes(data)
    done = subprocess.run([sys.executable, "-c", PEAK, str(path)], capture_output=True, text=True, timeout=60,
                          cwd=Path(__file__).resolve().parents[1], check=True)
    outcome, peak = done.stdout.strip().splitlines()
    return outcome, int(peak)


def test_a_one_bit_png_bomb_is_refused_before_it_costs_memory(tmp_path: object) -> None:
    hostile = one_bit_png(7745)  # 60 MP: passed the old 60 MP limit and cost ~370 MiB per read
    assert len(hostile) < 64 * 1024
    outcome, peak = peak_mib_decoding(tmp_path, hostile)
    assert "too many pixels" in outcome and "<" not in outcome
    assert peak < 16, f"refusing it cost {peak} MiB"


def test_a_phone_sized_photo_is_decoded_within_a_bounded_budget(tmp_path: object) -> None:
    out = io.BytesIO()  # a 48 MP JPEG, as phones' full-resolution modes save: decoded at a quarter of each side
    Image.new("RGB", (8000, 6000), "white").save(out, format="JPEG", quality=60)
    outcome, peak = peak_mib_decoding(tmp_path, out.getvalue())
    assert outcome == "decoded" and peak < 40, f"decoding it cost {peak} MiB (a full decode is 137 MiB)"
    almost = one_bit_png(5000)  # 25 MP one-bit scan: decoded at one byte per pixel, scaled before RGB
    outcome, peak = peak_mib_decoding(tmp_path, almost)
    assert outcome == "decoded" and peak < 90, f"decoding it cost {peak} MiB"


def test_a_mode_the_bot_cannot_price_is_refused() -> None:
    out = io.BytesIO()
    Image.new("I;16", (64, 64), 30000).save(out, format="PNG")
    assert open_upright(out.getvalue()).mode == "RGB"  # 16-bit greyscale is priced and read
    assert decode_photo(photo((300, 200))).was_png is False and decode_photo(photo((30, 20), fmt="PNG")).was_png
