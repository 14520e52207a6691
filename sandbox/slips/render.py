"""Drawing a TruthSlip as a scanned page (clean) or a phone photo of one (degraded), with Pillow only.

Four layouts seen at goods-in: a ruled table under a one-line header, a two-column header over a table
whose quantity column holds "12 kg", a numbered list with the details on a second line, and one line per
item with labelled lot and expiry. Every slip also prints things that are not goods (addresses with
numbers, phone, the slip's own number, a customer block, a footer with totals) because real ones do.
The wider families (corpus.WIDER, at the end of this module) add two-line cards, tables with columns in any
order, descriptions wrapping in their cell and totals rows, under boxed or gridded headers, with logos,
stamps, signature lines and page footers.
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

from sandbox.slips.corpus import WIDER, TruthLine, TruthSlip
from sandbox.slips.locales import EXTRAS, EXTRAS_OF, LOCALES, Extras, Locale

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
    if truth.layout in WIDER:
        _wider(image, page, truth, locale, rng)
    else:
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


def _supplier_lines(page: Page, truth: TruthSlip, rng: random.Random, cities: tuple[str, ...]) -> None:
    """The supplier's name and the slip's title, its street and its phone number."""
    title, big = truth.extras["title"], page.size + 12
    page.text(MARGIN, truth.supplier, bold=True, size=big)
    page.text(WIDTH - MARGIN - page.width(title, bold=True, size=big - 4), title, bold=True, size=big - 4)
    page.newline(2.2)
    page.text(MARGIN, f"{rng.choice(['Industriestr.', 'Via Roma', 'Calle Mayor', 'Mill Lane', 'Rue du Port'])} "
                      f"{rng.randint(1, 180)}, {rng.randint(10000, 99999)} {rng.choice(cities)}")
    page.newline()
    page.text(MARGIN, f"Tel. +{rng.randint(1, 49)} {rng.randint(10, 999)} {rng.randint(100000, 9999999)}")
    page.newline(2.0)


def _letterhead(page: Page, truth: TruthSlip, locale: Locale, rng: random.Random) -> None:
    _supplier_lines(page, truth, rng, ('Lyon', 'Bremen', 'Valencia', 'Leeds', 'Parma', 'Denver'))
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
    _column_rules(page, xs, gap, top, ruled)


def _column_rules(page: Page, xs: list[int], gap: int, top: int, ruled: bool) -> None:
    """A ruled grid's lines between columns (OCR may read one as "|" or "1"), and the rule under the goods."""
    if ruled:
        for c in range(1, len(xs)):
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


# The wider families (corpus.WIDER). Modelled on delivery notes as suppliers' systems print them: a logo,
# the PO in a box or a label/value grid, goods as cards or as tables whose columns come in any order, long
# names wrapping in their cell, totals and weight rows, signature lines, "Page 1/1", a stamp across it all.
CUSTOMER_NO = {"en": "Customer No.", "de": "Kunden-Nr.", "es": "N° cliente", "fr": "N° client", "it": "Cod. cliente",
               "nl": "Klantnr.", "pt": "N.º cliente", "pl": "Nr klienta"}
INK = (20, 20, 25)


def _wider(image: Image.Image, page: Page, truth: TruthSlip, locale: Locale, rng: random.Random) -> None:
    extras = EXTRAS[EXTRAS_OF[truth.locale]]
    if rng.random() < 0.5:
        _logo(page, truth, extras, rng)
    _header(page, truth, locale, rng)
    top = page.y
    {"cards": _cards, "shuffled": _shuffled, "wrapped": _wrapped, "totals": _totalled}[truth.layout](
        page, truth, locale, extras, rng)
    bottom = page.y
    _after_goods(page, truth, locale, extras, rng)
    if rng.random() < 0.4:
        _stamp(image, page, rng.choice(extras.stamps), top, max(bottom, top + 200), rng)


def _logo(page: Page, truth: TruthSlip, extras: Extras, rng: random.Random) -> None:
    """A coloured mark with the supplier's initials, and a tagline beside it."""
    colour = rng.choice([(180, 40, 40), (30, 90, 160), (40, 120, 60), (200, 120, 20)])
    size = rng.randint(70, 100)
    box = (MARGIN, page.y, MARGIN + size, page.y + size)
    if rng.random() < 0.5:
        page.draw.ellipse(box, fill=colour)
    else:
        page.draw.rounded_rectangle(box, radius=14, fill=colour)
    initials = "".join(w[0] for w in truth.supplier.split()[:2] if w[:1].isalpha()).upper()
    f = font(int(size * 0.42), bold=True, family=page.family)
    w = page.draw.textlength(initials, font=f)
    page.draw.text((MARGIN + (size - w) / 2, page.y + size * 0.25), initials, font=f, fill="white")
    y = page.y
    page.y += size // 2 - page.size // 2
    page.text(MARGIN + size + 24, rng.choice(extras.tagline), size=page.size - 2)
    page.y = y + size + 20


def _header(page: Page, truth: TruthSlip, locale: Locale, rng: random.Random) -> None:
    _supplier_lines(page, truth, rng, ('Lyon', 'Bremen', 'Parma'))
    meta = [(truth.extras["note_label"], truth.extras["note_number"]), (truth.extras["date_label"], truth.printed_date),
            (truth.extras["po_label"], truth.po_number)]
    style = rng.choice(["line", "box", "grid"])
    if style == "grid":  # labels on one row, values under them, in ruled cells
        meta.append((CUSTOMER_NO[EXTRAS_OF[truth.locale]], f"{rng.choice(['K', 'C', ''])}{rng.randint(1000, 99999)}"))
        rng.shuffle(meta)
        small = page.size - 3
        widths = [max(page.width(label, size=small), page.width(value)) + 40 for label, value in meta]
        x, top = MARGIN, page.y - 6
        for (label, value), width in zip(meta, widths, strict=True):
            page.text(x + 12, label, size=small)
            page.y += int(page.size * 1.4)
            page.text(x + 12, value, bold=rng.random() < 0.4)
            page.y -= int(page.size * 1.4)
            page.draw.rectangle((x, top, x + width, top + int(page.size * 2.9)), outline=(90, 90, 90), width=2)
            page.draw.line((x, top + int(page.size * 1.3), x + width, top + int(page.size * 1.3)), fill=(150, 150, 150))
            x += width
        page.newline(3.6)
    elif style == "box":  # the PO in a box of its own on the right, the other two as label: value lines
        po_label, po = meta.pop()
        rng.shuffle(meta)
        y = page.y
        for label, value in meta:
            page.text(MARGIN, f"{label}: {value}")
            page.newline()
        page.y = y
        x = WIDTH - MARGIN - max(page.width(po_label), page.width(po, bold=True, size=page.size + 6)) - 40
        if rng.random() < 0.5:  # label over the number
            page.text(x + 20, po_label, size=page.size - 2)
            page.newline(1.2)
            page.text(x + 20, po, bold=True, size=page.size + 6)
            page.draw.rectangle((x, y - 10, WIDTH - MARGIN, page.y + page.size + 16), outline=INK, width=3)
        else:  # label and number on one line inside the box
            x = WIDTH - MARGIN - page.width(f"{po_label}: {po}", bold=True) - 40
            page.text(x + 20, f"{po_label}: {po}", bold=True)
            page.draw.rectangle((x, y - 10, WIDTH - MARGIN, y + page.size + 14), outline=INK, width=3)
        page.y = max(page.y, y + int(page.size * 3.2))
        page.newline(0.8)
    else:
        rng.shuffle(meta)
        page.text(MARGIN, "     ".join(f"{label}: {value}" for label, value in meta))
        page.newline(2.0)
    page.text(MARGIN, f"{truth.extras['ship_to']}: {truth.extras['customer']}, {rng.randint(1, 99)} "
                      f"{rng.choice(['Harbour Rd', 'Hauptstr.', 'Av. del Puerto', 'Corso Italia'])}")
    page.newline(2.2)


def _labelled(label: str, value: str, labels: bool) -> str:
    return f"{label} {value}" if labels else value


def _cards(page: Page, truth: TruthSlip, locale: Locale, extras: Extras, rng: random.Random) -> None:
    """Two-line blocks: the code and name on one line, quantity, lot and expiry on the next one or two,
    indented, labelled or not; the name may come first with the code in brackets or after its label."""
    variant = rng.choice(["code first", "brackets", "code label"])
    labels, split, boxed = rng.random() < 0.6, rng.random() < 0.4, rng.random() < 0.3
    numbered, indent = rng.random() < 0.4, rng.choice([0, 30, 60, 100])
    code_label, brackets = rng.choice(extras.code_labels), rng.choice(["()", "[]"])
    page.rule()
    for i, line in enumerate(truth.lines):
        top, x = page.y, MARGIN + 12
        if numbered:
            page.text(x, f"{i + 1}.")
            x += 50
        first = {"code first": f"{line.sku}   {line.description}",
                 "brackets": f"{line.description} {brackets[0]}{line.sku}{brackets[1]}",
                 "code label": f"{line.description}    {code_label} {line.sku}"}[variant]
        page.text(x, first, bold=rng.random() < 0.5)
        page.newline(1.45)
        quantity = _labelled(rng.choice(locale.list_labels["quantity"]), f"{line.printed_quantity} {line.printed_unit}",
                             labels)
        lot = _labelled(rng.choice(locale.list_labels["lot"]), line.lot, labels) if line.lot else ""
        expiry = _labelled(rng.choice(locale.list_labels["expiry"]), line.printed_expiry, labels) \
            if line.printed_expiry else ""
        details = [[quantity], [lot, expiry]] if split else [[quantity, lot, expiry]]
        for parts in details:
            if any(parts):
                page.text(x + indent, "      ".join(p for p in parts if p))
                page.newline(1.4)
        if boxed:
            page.draw.rectangle((MARGIN, top - 10, WIDTH - MARGIN, page.y - 6), outline=(110, 110, 110), width=2)
            page.newline(0.7)
        else:
            page.newline(0.6)
    page.rule()


def _kinds(rng: random.Random) -> list[str]:
    """Columns in any order; quantity and unit in one cell or two; lot and expiry in one cell or two."""
    kinds = ["sku", "description", "quantity", "lot", "expiry"]
    if rng.random() < 0.5:
        kinds.append("unit")
    if rng.random() < 0.4:
        kinds = [k for k in kinds if k not in ("lot", "expiry")] + ["lotexp"]
    rng.shuffle(kinds)
    return ["pos"] * (rng.random() < 0.4) + kinds


def _wide_cell(kind: str, line: TruthLine, index: int, kinds: list[str]) -> str:
    if kind == "lotexp":
        return " / ".join(v for v in (line.lot, line.printed_expiry) if v)
    return _cell(kind, line, index, "unit" not in kinds)


def _heads(kinds: list[str], locale: Locale, extras: Extras, rng: random.Random) -> list[str]:
    return [rng.choice(extras.lot_expiry) if k == "lotexp" else rng.choice(locale.columns[k]) for k in kinds]


def _grid(page: Page, kinds: list[str], heads: list[str], cells: list[list[list[str]]], rng: random.Random,
          extra_rows: list[dict[str, str]] | None = None) -> None:
    """A table whose cells may hold several lines (a wrapped description); numbers right-aligned or not,
    other cells at the top of their row or in its middle."""
    right = rng.random() < 0.5
    middle = rng.random() < 0.25
    ruled = rng.random() < 0.35
    while True:
        widths = [max([page.width(h, bold=True)] + [page.width(t) for row in cells for t in row[c]])
                  for c, h in enumerate(heads)]
        gap = (WIDTH - 2 * MARGIN - sum(widths)) // max(1, len(kinds) - 1)
        if gap >= 24 or page.size <= 14:
            break
        page.size -= 1
    xs = [MARGIN + sum(widths[:c]) + gap * c for c in range(len(kinds))]

    def put(c: int, value: str) -> None:
        x = xs[c] + widths[c] - page.width(value) if right and kinds[c] == "quantity" else xs[c]
        if page.hand and kinds[c] == "quantity":
            page.handwritten(x, value)
        else:
            page.text(x, value)

    page.rule()
    top = page.y
    for c, head in enumerate(heads):
        page.text(xs[c], head, bold=True)
    page.newline(1.3)
    page.rule()
    for row in cells:
        height = max(len(cell) for cell in row)
        y = page.y
        for c, cell in enumerate(row):
            start = (height - len(cell)) // 2 if middle else 0
            for k, value in enumerate(cell):
                page.y = y + int(page.size * 1.3) * (start + k)
                put(c, value)
        page.y = y + int(page.size * 1.3) * (height - 1)
        page.newline(1.7)
    _column_rules(page, xs, gap, top, ruled)
    for extra in extra_rows or []:  # totals under the goods, in the goods' columns
        for c, kind in enumerate(kinds):
            if kind in extra:
                put(c, extra[kind])
        page.newline(1.7)


def _shuffled(page: Page, truth: TruthSlip, locale: Locale, extras: Extras, rng: random.Random) -> None:
    kinds = _kinds(rng)
    cells = [[[_wide_cell(k, line, i, kinds)] for k in kinds] for i, line in enumerate(truth.lines)]
    _grid(page, kinds, _heads(kinds, locale, extras, rng), cells, rng)


def _wrap(page: Page, text: str, width: int) -> list[str]:
    out: list[str] = []
    for word in text.split():
        if out and page.width(f"{out[-1]} {word}") <= width:
            out[-1] += f" {word}"
        else:
            out.append(word)
    return out


def _wrapped(page: Page, truth: TruthSlip, locale: Locale, extras: Extras, rng: random.Random) -> None:
    """A narrow description column: long names take two or three lines of their cell."""
    kinds = _kinds(rng) if rng.random() < 0.5 else ["pos"] * rng.randint(0, 1) + [
        "sku", "description", "quantity", "unit", "lot", "expiry"]
    width = rng.randint(200, 300)
    cells = [[_wrap(page, line.description, width) if k == "description" else [_wide_cell(k, line, i, kinds)]
              for k in kinds] for i, line in enumerate(truth.lines)]
    _grid(page, kinds, _heads(kinds, locale, extras, rng), cells, rng)


def _totalled(page: Page, truth: TruthSlip, locale: Locale, extras: Extras, rng: random.Random) -> None:
    """A table closed by a subtotal row in its own columns: a number in the quantity column that is no item."""
    kinds = _kinds(rng) if rng.random() < 0.5 else ["sku", "description", "quantity", "unit", "lot", "expiry"]
    cells = [[[_wide_cell(k, line, i, kinds)] for k in kinds] for i, line in enumerate(truth.lines)]
    total = sum((line.quantity for line in truth.lines), Decimal(0))
    label_at = next(k for k in kinds if k in ("description", "sku", "pos"))
    rows = [{label_at: rng.choice(extras.subtotal), "quantity": locale.number(total, rng)}]
    if rng.random() < 0.5:
        rows.append({label_at: f"{len(truth.lines)} {rng.choice(locale.columns['pos'])}"})
    _grid(page, kinds, _heads(kinds, locale, extras, rng), cells, rng, rows)


def _after_goods(page: Page, truth: TruthSlip, locale: Locale, extras: Extras, rng: random.Random) -> None:
    page.newline(1.2)
    weight = locale.number(Decimal(rng.randint(2000, 90000)) / 10, rng)
    if truth.layout == "totals" or rng.random() < 0.5:
        parts = [rng.choice(extras.weight).format(w=weight), rng.choice(extras.pallets).format(n=rng.randint(1, 6))]
        page.text(MARGIN, "        ".join(parts))
        page.newline(1.8)
    page.text(MARGIN, truth.extras["footer"].format(n=len(truth.lines) + rng.randint(0, 6), w=weight))
    page.newline(2.0)
    if rng.random() < 0.5:
        page.text(MARGIN, rng.choice(extras.signature))
        page.newline(2.0)
    if rng.random() < 0.6:
        footer = rng.choice(extras.page)
        page.text((WIDTH - page.width(footer)) // 2 if rng.random() < 0.5 else WIDTH - MARGIN - page.width(footer),
                  footer, size=page.size - 3)
        page.newline(1.6)


def _stamp(image: Image.Image, page: Page, word: str, top: int, bottom: int, rng: random.Random) -> None:
    """A rubber stamp, turned and half-transparent, somewhere across the goods."""
    colour = rng.choice([(200, 30, 40), (30, 60, 170), (40, 130, 60)])
    f = font(int(page.size * 2.2), bold=True, family=0)
    w = int(page.draw.textlength(word, font=f))
    layer = Image.new("RGBA", (w + 60, int(page.size * 2.2) + 60), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    alpha = rng.randint(110, 190)
    draw.rectangle((6, 6, layer.width - 6, layer.height - 6), outline=(*colour, alpha), width=5)
    draw.text((30, 22), word, font=f, fill=(*colour, alpha))
    turned = layer.rotate(rng.uniform(-30, 30), expand=True, resample=Image.Resampling.BICUBIC)
    x = rng.randint(MARGIN, max(MARGIN, WIDTH - MARGIN - turned.width))
    y = rng.randint(top, max(top, bottom - turned.height // 2))
    image.paste(turned, (x, y), turned)
