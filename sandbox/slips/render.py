"""Drawing a TruthSlip as a scanned page (clean) or a phone photo of one (degraded), with Pillow only.

Four layouts seen at goods-in: a ruled table under a one-line header, a two-column header over a table
whose quantity column holds "12 kg", a numbered list with the details on a second line, and one line per
item with labelled lot and expiry. Every slip also prints things that are not goods (addresses with
numbers, phone, the slip's own number, a customer block, a footer with totals) because real ones do.
"""
from __future__ import annotations

import importlib.util
import io
import random
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from sandbox.slips.corpus import TruthLine, TruthSlip
from sandbox.slips.locales import LOCALES, Locale

WIDTH = 1240
MARGIN = 60
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# DejaVu from Debian, and typefaces from PyPI's fontpkg-* wheels (test extras) that the evaluation corpus
# does not use: a grotesque, a condensed sans, a narrow display face, a serif. Without the wheel the face
# falls back to DejaVu Sans, so a machine without them still draws every slip.
FAMILIES = (("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"), ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
            ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"), ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
            ("fontpkg_roboto/Roboto[wdth,wght].ttf", ""), ("fontpkg_roboto_condensed/RobotoCondensed[wght].ttf", ""),
            ("fontpkg_oswald/Oswald[wght].ttf", ""), ("fontpkg_merriweather/Merriweather[opsz,wdth,wght].ttf", ""))
HAND = "fontpkg_indie_flower/IndieFlower-Regular.ttf"  # quantities written in by hand
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _face_path(name: str) -> Path | None:
    if "/" not in name:
        path = FONT_DIR / name
        return path if path.exists() else None
    package, file = name.split("/", 1)
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "files" / file
    return path if path.exists() else None


@lru_cache(maxsize=512)
def font(size: int, *, bold: bool = False, family: int = 0, hand: bool = False) -> Font:
    """The family's face (its bold, or the regular drawn with a stroke: see `Page.text`); DejaVu Sans when it
    is not installed, Pillow's own scalable font when not even that is (same on every machine)."""
    regular, heavy = (HAND, "") if hand else FAMILIES[family % len(FAMILIES)]
    for name in ([heavy] if bold and heavy else []) + [regular, FAMILIES[0][0]]:
        path = _face_path(name)
        if path is not None:
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _stroke(bold: bool, family: int) -> int:
    """A face without a bold file is made bold by outlining its strokes."""
    return 1 if bold and not FAMILIES[family % len(FAMILIES)][1] else 0


@dataclass
class Page:
    draw: ImageDraw.ImageDraw
    size: int
    family: int
    y: int = MARGIN
    hand: bool = False  # quantities written into the printed form by hand

    def text(self, x: int, value: str, *, bold: bool = False, size: int | None = None) -> int:
        f = font(size or self.size, bold=bold, family=self.family)
        stroke = _stroke(bold, self.family)
        self.draw.text((x, self.y), value, font=f, fill=(20, 20, 25), stroke_width=stroke, stroke_fill=(20, 20, 25))
        return int(self.draw.textlength(value, font=f)) + 2 * stroke

    def handwritten(self, x: int, value: str) -> int:
        """Blue ballpoint, a little larger than the print and off its baseline."""
        f = font(int(self.size * 1.5), hand=True)
        self.draw.text((x, self.y - int(self.size * 0.35)), value, font=f, fill=(30, 45, 120))
        return int(self.draw.textlength(value, font=f))

    def width(self, value: str, *, bold: bool = False, size: int | None = None) -> int:
        f = font(size or self.size, bold=bold, family=self.family)
        return int(self.draw.textlength(value, font=f)) + 2 * _stroke(bold, self.family)

    def newline(self, factor: float = 1.6) -> None:
        self.y += int(self.size * factor)

    def rule(self) -> None:
        self.draw.line((MARGIN, self.y, WIDTH - MARGIN, self.y), fill=(90, 90, 90), width=2)
        self.y += int(self.size * 0.5)


def render(truth: TruthSlip) -> tuple[bytes, str]:
    rng = random.Random(truth.extras["seed"] + ":render")
    locale = LOCALES[truth.locale]
    image = Image.new("RGB", (WIDTH, 2400), "white")
    page = Page(ImageDraw.Draw(image), size=rng.randint(21, 25), family=rng.randrange(len(FAMILIES)),
                hand=rng.random() < 0.2)
    _letterhead(page, truth, locale, rng)
    {"table": _table, "twocol": _table, "list": _list, "inline": _inline, "codeafter": _table, "bare": _table,
     "tight": _tight}[truth.layout](page, truth, locale, rng)
    page.newline(1.2)
    page.text(MARGIN, truth.extras["footer"].format(n=len(truth.lines) + rng.randint(0, 6),
                                                    w=locale.number(Decimal(rng.randint(20, 900)), rng)))
    page.newline(2.0)
    image = image.crop((0, 0, WIDTH, page.y + MARGIN))
    if truth.photo:
        from sandbox.slips.photograph import photograph

        far = random.Random(truth.extras["seed"] + ":far")  # half the photos: small text (photograph.py)
        return photograph(image, rng, far if far.random() < 0.5 else None), "image/jpeg"
    if not truth.degraded:
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue(), "image/png"
    return degrade(image, rng), "image/jpeg"


def _letterhead(page: Page, truth: TruthSlip, locale: Locale, rng: random.Random) -> None:
    title, big = truth.extras["title"], page.size + 12
    page.text(MARGIN, truth.supplier, bold=True, size=big)
    page.text(WIDTH - MARGIN - page.width(title, bold=True, size=big - 4), title, bold=True, size=big - 4)
    page.newline(2.2)
    page.text(MARGIN, f"{rng.choice(['Industriestr.', 'Via Roma', 'Calle Mayor', 'Mill Lane', 'Rue du Port'])} "
                      f"{rng.randint(1, 180)}, {rng.randint(10000, 99999)} {rng.choice(['Lyon', 'Bremen', 'Valencia', 'Leeds', 'Parma', 'Denver'])}")
    page.newline()
    page.text(MARGIN, f"Tel. +{rng.randint(1, 49)} {rng.randint(10, 999)} {rng.randint(100000, 9999999)}")
    page.newline(2.0)
    x = WIDTH // 2 + 40
    meta = [(truth.extras["note_label"], truth.extras["note_number"]), (truth.extras["date_label"], truth.printed_date),
            (truth.extras["po_label"], truth.po_number)]
    rng.shuffle(meta)
    if truth.layout == "twocol":  # label: value pairs stacked in the right column, beside the ship-to block
        page.y -= int(page.size * 3.6)
        for label, value in meta:
            page.text(x, f"{label}:")
            page.text(x + page.width(f"{label}: ") + 20, value)
            page.newline()
        page.newline(0.8)
    else:
        page.text(MARGIN, "     ".join(f"{label}: {value}" for label, value in meta))
        page.newline(2.0)
    page.text(MARGIN, f"{truth.extras['ship_to']}: {truth.extras['customer']}, {rng.randint(1, 99)} "
                      f"{rng.choice(['Harbour Rd', 'Hauptstr.', 'Av. del Puerto', 'Corso Italia'])}")
    page.newline(2.2)


def _columns(truth: TruthSlip, rng: random.Random) -> list[str]:
    if truth.layout == "twocol":  # quantity and unit in one column, in an order other than the usual
        return rng.choice([["pos", "quantity", "sku", "description", "lot", "expiry"],
                           ["sku", "description", "lot", "expiry", "quantity"]])
    if truth.layout == "codeafter":  # the supplier's code after the name, the unit before the quantity
        return rng.choice([["description", "sku", "unit", "quantity", "lot", "expiry"],
                           ["pos", "description", "sku", "quantity", "unit", "expiry", "lot"]])
    return ["pos"] * rng.randint(0, 1) + ["sku", "description", "quantity", "unit", "lot", "expiry"]


def _cell(kind: str, line: TruthLine, index: int, combined: bool) -> str:
    return {
        "pos": str(index + 1), "sku": line.sku, "description": line.description, "lot": line.lot or "",
        "quantity": f"{line.printed_quantity} {line.printed_unit}" if combined else line.printed_quantity,
        "unit": line.printed_unit, "expiry": line.printed_expiry,
    }[kind]


def _table(page: Page, truth: TruthSlip, locale: Locale, rng: random.Random) -> None:
    kinds = _columns(truth, rng)
    combined = "unit" not in kinds
    heads = [rng.choice(locale.columns[k]) for k in kinds]
    cells = [[_cell(k, line, i, combined) for k in kinds] for i, line in enumerate(truth.lines)]
    while True:  # shrink the type until the table fits the page
        widths = [max([page.width(h, bold=True)] + [page.width(row[c]) for row in cells]) for c, h in enumerate(heads)]
        gap = (WIDTH - 2 * MARGIN - sum(widths)) // max(1, len(kinds) - 1)
        if gap >= 24 or page.size <= 14:
            break
        page.size -= 1
    xs = [MARGIN + sum(widths[:c]) + gap * c for c in range(len(kinds))]
    ruled = rng.random() < 0.35  # a grid: a rule between columns (OCR may read one as "|" or "1")
    page.rule()
    top = page.y
    if truth.layout != "bare":  # "bare": a table printed without a heading row, columns told only by content
        for c, head in enumerate(heads):
            page.text(xs[c], head, bold=True)
        page.newline(1.3)
        page.rule()
    for row in cells:
        for c, value in enumerate(row):
            if page.hand and kinds[c] == "quantity":
                page.handwritten(xs[c], value)
            else:
                page.text(xs[c], value)
        page.newline(1.7)
    if ruled:
        for c in range(1, len(kinds)):
            x = xs[c] - gap // 2
            page.draw.line((x, top - 4, x, page.y), fill=(90, 90, 90), width=2)
    page.rule()


def _details(line: TruthLine, locale: Locale, rng: random.Random) -> list[str]:
    parts = [f"{rng.choice(locale.list_labels['quantity'])} {line.printed_quantity} {line.printed_unit}"]
    if line.lot:
        parts.append(f"{rng.choice(locale.list_labels['lot'])} {line.lot}")
    if line.expiry:
        parts.append(f"{rng.choice(locale.list_labels['expiry'])} {line.printed_expiry}")
    return parts


def _list(page: Page, truth: TruthSlip, locale: Locale, rng: random.Random) -> None:
    for i, line in enumerate(truth.lines):
        page.text(MARGIN, f"{i + 1}.")
        page.text(MARGIN + 50, f"{line.sku}   {line.description}", bold=rng.random() < 0.5)
        page.newline(1.4)
        page.text(MARGIN + 50, "     ".join(_details(line, locale, rng)))
        page.newline(2.0)


def _inline(page: Page, truth: TruthSlip, locale: Locale, rng: random.Random) -> None:
    sep = rng.choice(["  —  ", "  ·  ", "  |  ", "    "])
    texts = []
    for line in truth.lines:
        details = _details(line, locale, rng)
        details[0] = f"{line.printed_quantity} {line.printed_unit}"  # the quantity unlabelled, after the name
        texts.append(sep.join([f"{line.sku} {line.description}", *details]))
    while max(page.width(t) for t in texts) > WIDTH - 2 * MARGIN and page.size > 14:
        page.size -= 1
    for text in texts:
        page.text(MARGIN, text)
        page.newline(1.9)


def _tight(page: Page, truth: TruthSlip, locale: Locale, rng: random.Random) -> None:
    """One line per item, single spaces between fields: where OCR glues a code to a word, a unit to a label."""
    texts = [" ".join([line.sku, line.description, *_details(line, locale, rng)]) for line in truth.lines]
    while max(page.width(t) for t in texts) > WIDTH - 2 * MARGIN and page.size > 14:
        page.size -= 1
    for text in texts:
        page.text(MARGIN, text)
        page.newline(1.5)


def degrade(image: Image.Image, rng: random.Random) -> bytes:
    """A phone photo of the page: on a darker bench, turned up to ±5°, uneven light, blur, noise, JPEG."""
    bench = Image.new("RGB", (image.width + 120, image.height + 120), (118, 108, 96))
    bench.paste(image, (60, 60))
    angle = rng.choice([-1, 1]) * rng.uniform(1.0, 5.0)
    turned = bench.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(118, 108, 96))
    pixels = np.asarray(turned, dtype=np.float32)
    light = np.linspace(rng.uniform(0.72, 0.85), 1.0, pixels.shape[1], dtype=np.float32)
    if rng.random() < 0.5:
        light = light[::-1]
    pixels = pixels * light[None, :, None]
    noisy = pixels + np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(6, 16), pixels.shape)
    photo = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.3)))
    out = io.BytesIO()
    photo.save(out, format="JPEG", quality=rng.randint(45, 75))
    return out.getvalue()
