"""A phone photo of a printed tuning slip: the page on a bench, seen at an angle, shadowed, at low resolution.

(The evaluation corpus has its own camera, sandbox/slips/heldout/camera.py; this one is the tuning set's.)
"""
from __future__ import annotations

import io
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def photograph(page: Image.Image, rng: random.Random, far: random.Random | None = None) -> bytes:
    """With `far` (its own generator, so photos without it draw as before): taken from further away or sent
    small, often a little out of focus — printed text ends up 6 to 9 pixels high, where OCR misreads digits."""
    if far is not None:
        shrink = far.uniform(0.55, 0.8)
        page = page.resize((int(page.width * shrink), int(page.height * shrink)), Image.Resampling.LANCZOS)
        if far.random() < 0.5:
            page = page.filter(ImageFilter.GaussianBlur(far.uniform(0.5, 1.2)))
    w, h = page.size
    pad = int(0.1 * w)
    bench = Image.new("RGB", (w + 2 * pad, h + 2 * pad), rng.choice([(84, 70, 58), (128, 124, 118), (52, 56, 60)]))
    bench.paste(page, (pad, pad))
    # Where the page's corners land in the photo; Image.transform wants the inverse: for each output corner,
    # where it came from. Moving the source corners inwards/outwards by up to 7 % tilts the page.
    wobble = [(rng.uniform(-0.07, 0.07) * w, rng.uniform(-0.07, 0.07) * h) for _ in range(4)]
    corners = [(0, 0), (0, bench.height), (bench.width, bench.height), (bench.width, 0)]  # QUAD order: UL, LL, LR, UR
    source = [(x + dx, y + dy) for (x, y), (dx, dy) in zip(corners, wobble)]
    photo = bench.transform(bench.size, Image.Transform.QUAD, [c for xy in source for c in xy],
                            resample=Image.Resampling.BILINEAR, fillcolor=bench.getpixel((2, 2)))
    photo = _shadow(photo, rng)
    scale = rng.uniform(0.5, 0.72)
    photo = photo.resize((int(photo.width * scale), int(photo.height * scale)), Image.Resampling.BICUBIC)
    pixels = np.asarray(photo, dtype=np.float32)
    pixels += np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(3, 9), pixels.shape)
    out = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(out, format="JPEG", quality=rng.randint(22, 45))
    return out.getvalue()


def _shadow(photo: Image.Image, rng: random.Random) -> Image.Image:
    """A blurred dark wedge (a hand, a shelf) over one side, and light falling off from top to bottom."""
    w, h = photo.size
    mask = Image.new("L", photo.size, 0)
    x = rng.uniform(0.2, 0.8) * w
    ImageDraw.Draw(mask).polygon([(x, 0), (w, 0), (w, h), (x + rng.uniform(-0.3, 0.3) * w, h)],
                                 fill=int(rng.uniform(70, 130)))
    mask = mask.filter(ImageFilter.GaussianBlur(w * 0.03))
    dark = np.asarray(mask, dtype=np.float32)[..., None] / 255
    fall = np.linspace(1.0, rng.uniform(0.7, 0.9), h, dtype=np.float32)[:, None, None]
    pixels = np.asarray(photo, dtype=np.float32) * (1 - dark) * fall
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
