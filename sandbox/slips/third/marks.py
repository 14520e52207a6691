"""Things on a delivery note that are not typed text: logos, barcodes, QR codes, and what people add by hand
and by rubber stamp once the goods arrive (a goods-in stamp across the table, quantities corrected by pen,
ticks against each line, initials).
"""
from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw

from .fonts import font

PEN = [(20, 40, 150), (15, 25, 90), (30, 30, 30), (170, 20, 20)]


def logo(d: ImageDraw.ImageDraw, x: int, y: int, size: int, colour, name: str, rng: random.Random) -> None:
    initials = "".join(w[0] for w in name.split()[:2] if w[0].isalpha()).upper() or "X"
    shape = rng.choice(("circle", "square", "triangle", "leaf"))
    if shape == "circle":
        d.ellipse((x, y, x + size, y + size), fill=colour)
    elif shape == "square":
        d.rounded_rectangle((x, y, x + size, y + size), radius=size // 6, fill=colour)
    elif shape == "triangle":
        d.polygon([(x, y + size), (x + size // 2, y), (x + size, y + size)], fill=colour)
    else:
        d.ellipse((x, y + size // 4, x + size, y + size), fill=colour)
        d.ellipse((x + size // 3, y, x + size, y + size * 2 // 3), fill=colour)
    if shape != "triangle":
        d.text((x + size / 2, y + size / 2), initials, fill=(255, 255, 255),
               font=font("lato", int(size * 0.42), True), anchor="mm")


def barcode(d: ImageDraw.ImageDraw, x: int, y: int, w: int, h: int, ink, rng: random.Random) -> None:
    """Code-128-looking bars (not decodable; what matters is the thin dark strokes next to text)."""
    cx = x
    while cx < x + w - 6:
        bw = rng.choice((2, 2, 3, 4, 6))
        if rng.random() < 0.55:
            d.rectangle((cx, y, cx + bw - 1, y + h), fill=ink)
        cx += bw
    digits = "".join(str(rng.randint(0, 9)) for _ in range(13))
    d.text((x + w / 2, y + h + 2), digits, fill=ink, font=font("inconsolata", 18), anchor="ma")


def qr(d: ImageDraw.ImageDraw, x: int, y: int, size: int, ink, rng: random.Random) -> None:
    n = 25
    cell = size / n
    for i in range(n):
        for j in range(n):
            finder = any(a <= i < a + 7 and b <= j < b + 7 for a, b in ((0, 0), (0, n - 7), (n - 7, 0)))
            if finder:
                a = 0 if i < 7 else n - 7
                b = 0 if j < 7 else n - 7
                ii, jj = i - a, j - b
                on = ii in (0, 6) or jj in (0, 6) or (2 <= ii <= 4 and 2 <= jj <= 4)
            else:
                on = rng.random() < 0.5
            if on:
                d.rectangle((x + j * cell, y + i * cell, x + (j + 1) * cell - 1, y + (i + 1) * cell - 1), fill=ink)


def signature(d: ImageDraw.ImageDraw, x: int, y: int, rng: random.Random) -> None:
    pts = []
    for t in range(60):
        pts.append((x + t * 5 + rng.randint(-2, 2), y + 30 + 22 * math.sin(t / rng.uniform(2, 4)) + rng.randint(-3, 3)))
    d.line(pts, fill=rng.choice(PEN), width=3, joint="curve")


def _hand_text(img: Image.Image, x: int, y: int, text: str, family: str, size: int, colour, angle: float,
               anchor: str = "lm") -> tuple[int, int, int, int]:
    """Pen writing: drawn on its own layer, turned a little, pasted with its alpha."""
    f = font(family, size)
    w = int(f.getlength(text)) + size
    layer = Image.new("RGBA", (w, size * 2), (0, 0, 0, 0))
    ImageDraw.Draw(layer).text((size // 2, size), text, font=f, fill=(*colour, 250), anchor="lm")
    layer = layer.rotate(angle, resample=Image.BICUBIC, expand=True)
    px = int(x if anchor == "lm" else x - layer.width // 2)
    py = int(y - layer.height // 2)
    img.paste(layer, (px, py), layer)
    return px, py, px + layer.width, py + layer.height


def tick(d: ImageDraw.ImageDraw, x: int, y: int, s: int, colour, rng: random.Random) -> None:
    j = lambda: rng.randint(-3, 3)  # noqa: E731
    d.line([(x + j(), y + s // 2 + j()), (x + s // 3 + j(), y + s + j()), (x + s + j(), y - s // 3 + j())],
           fill=colour, width=rng.randint(3, 5), joint="curve")


def stamp(img: Image.Image, cx: int, cy: int, words: str, date_text: str, colour, rng: random.Random) -> None:
    """A rubber goods-in stamp: double frame, word, date, 'Sign.'; uneven ink, half transparent, turned."""
    f1 = font(rng.choice(("lato", "pt-sans-narrow", "libre-baskerville")), 64, True)
    f2 = font("inconsolata", 40, True)
    w = int(max(f1.getlength(words), f2.getlength(date_text)) + 80)
    h = 190
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    alpha = rng.randint(110, 170)
    c = (*colour, alpha)
    d.rounded_rectangle((4, 4, w - 4, h - 4), radius=14, outline=c, width=6)
    d.rounded_rectangle((16, 16, w - 16, h - 16), radius=10, outline=c, width=2)
    d.text((w / 2, 60), words, font=f1, fill=c, anchor="mm")
    d.text((w / 2, 130), date_text, font=f2, fill=c, anchor="mm")
    # patchy ink: knock out random specks
    import numpy as np
    a = np.array(layer)
    mask = np.random.default_rng(rng.randint(0, 2**31)).random(a.shape[:2]) < 0.25
    a[..., 3][mask] = (a[..., 3][mask] * 0.3).astype(a.dtype)
    layer = Image.fromarray(a).rotate(rng.uniform(-25, 25), resample=Image.BICUBIC, expand=True)
    img.paste(layer, (cx - layer.width // 2, cy - layer.height // 2), layer)


def pen_and_stamps(page, plan, rng: random.Random) -> None:
    img, a = page.img, page.anchors
    pen = rng.choice(PEN)
    hand = plan.hand
    hsize = int(page.size * rng.uniform(1.5, 2.0))
    for k, r in enumerate(plan.rows):
        if not r.hand_qty or k not in a.qty:
            continue
        x0, y0, x1, y1 = a.qty[k]
        if r.qty:  # printed figure struck out, the delivered one beside or above it
            ym = (y0 + y1) // 2
            page.d.line((x0 - 6, ym + rng.randint(-3, 3), x1 + 6, ym + rng.randint(-3, 3)), fill=pen, width=3)
            if rng.random() < 0.5:
                _hand_text(img, x1 + 8, ym - hsize // 3, r.hand_qty, hand, hsize, pen, rng.uniform(-8, 8))
            else:
                _hand_text(img, (x0 + x1) // 2, y0 - hsize // 4, r.hand_qty, hand, hsize, pen, rng.uniform(-8, 8),
                           anchor="mm")
        else:  # a blank quantity cell filled in by pen
            _hand_text(img, (x0 + x1) // 2, (y0 + y1) // 2, r.hand_qty, hand, hsize, pen, rng.uniform(-6, 6),
                       anchor="mm")
    if "ticks" in plan.options:
        for box in a.rows.values():
            if rng.random() < 0.9:
                s = int(page.size * 0.9)
                tick(page.d, max(8, box[0] - s - 14), (box[1] + box[3]) // 2 - s // 3, s, pen, rng)
        if a.table:
            _hand_text(img, a.table[2] - 160, a.table[3] + 40, rng.choice(("MK", "J.S.", "ok  AB", "TW", "✓ RP")),
                       hand, hsize, pen, rng.uniform(-10, 10))
    if "stamp" in plan.options and a.table:
        words = rng.choice(plan.wording.stamp)
        colour = rng.choice([(200, 30, 40), (30, 60, 190), (120, 40, 160), (20, 130, 60)])
        from datetime import timedelta
        d = plan.slip.slip_date + timedelta(days=rng.randint(0, 3))
        from .languages import fmt_date
        date_text = f"{d.day:02d}.{d.month:02d}.{d.year}" if rng.random() < 0.5 else \
            fmt_date(d, "%d %b %Y", plan.wording).upper()
        x0, y0, x1, y1 = a.table
        if rng.random() < 0.6:  # across the goods
            cx, cy = rng.randint(x0 + 250, max(x0 + 260, x1 - 250)), rng.randint(y0, max(y0 + 1, y1))
        else:
            cx, cy = rng.randint(page.w // 2, page.w - 300), min(page.h - 200, y1 + 160)
        stamp(img, cx, cy, words, date_text, colour, rng)
