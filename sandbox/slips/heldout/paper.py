"""The page of an evaluation slip: typefaces, letterhead, logo, stamp, footer — everything but the goods.

Typefaces are ones the tuning corpus never uses: Arimo, IBM Plex Mono, Barlow Condensed and Bitter for
print, Caveat and Kalam for handwriting (PyPI's fontpkg-* wheels, installed with the test extras), Pillow's
own Aileron, and DejaVu Serif Condensed where the system has it. A missing one is replaced by Aileron.
"""
from __future__ import annotations

import importlib.util
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from sandbox.slips.heldout.truth import Slip
from sandbox.slips.heldout.words import LANGUAGES, Language

INK = (25, 28, 40)
PRINT_FACES = (("fontpkg_arimo", "Arimo[wght].ttf"), ("fontpkg_ibm_plex_mono", "IBMPlexMono-Regular.ttf"),
               ("fontpkg_barlow_condensed", "BarlowCondensed-Medium.ttf"), ("fontpkg_bitter", "Bitter[wght].ttf"),
               ("", "aileron"), ("/usr/share/fonts/truetype/dejavu", "DejaVuSerifCondensed.ttf"))
HAND_FACES = (("fontpkg_caveat", "Caveat[wght].ttf"), ("fontpkg_kalam", "Kalam-Regular.ttf"))
Face = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _path(package: str, name: str) -> Path | None:
    if package.startswith("/"):
        path = Path(package) / name
        return path if path.exists() else None
    spec = importlib.util.find_spec(package) if package else None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "files" / name
    return path if path.exists() else None


@lru_cache(maxsize=256)
def face(kind: str, index: int, size: int) -> Face:
    package, name = (HAND_FACES if kind == "hand" else PRINT_FACES)[index]
    path = _path(package, name)
    return ImageFont.truetype(str(path), size) if path else ImageFont.load_default(size)


@dataclass
class Sheet:
    """A page being typeset: a cursor that moves down, in one typeface at one size."""

    image: Image.Image
    draw: ImageDraw.ImageDraw
    typeface: int
    size: int
    margin: int
    y: int

    @property
    def width(self) -> int:
        return self.image.width

    def font(self, scale: float = 1.0) -> Face:
        return face("print", self.typeface, max(9, round(self.size * scale)))

    def measure(self, text: str, scale: float = 1.0) -> int:
        return int(self.draw.textlength(text, font=self.font(scale)))

    def write(self, x: float, text: str, *, scale: float = 1.0, bold: bool = False, y: float | None = None,
              fill: tuple[int, int, int] = INK, right: bool = False) -> None:
        x = x - self.measure(text, scale) if right else x
        self.draw.text((x, self.y if y is None else y), text, font=self.font(scale), fill=fill,
                       stroke_width=1 if bold else 0, stroke_fill=fill)

    def down(self, lines: float = 1.0) -> None:
        self.y += round(self.size * 1.45 * lines)


def new_sheet(rng: random.Random, width: int) -> Sheet:
    image = Image.new("RGB", (width, int(width * 1.6)), (252, 251, 247))
    return Sheet(image, ImageDraw.Draw(image), rng.randrange(len(PRINT_FACES)), rng.randint(19, 26), rng.randint(50, 90),
                 rng.randint(40, 80))


def logo(sheet: Sheet, rng: random.Random, name: str) -> int:
    """A company mark: initials in a coloured disc or block. Returns its width."""
    side = round(sheet.size * rng.uniform(2.6, 3.6))
    colour = rng.choice([(180, 40, 40), (30, 90, 160), (40, 130, 70), (200, 120, 20)])
    box = (sheet.margin, sheet.y, sheet.margin + side, sheet.y + side)
    (sheet.draw.ellipse if rng.random() < 0.5 else sheet.draw.rectangle)(box, fill=colour)
    initials = "".join(w[0] for w in name.split()[:2]).upper()
    font = face("print", 0, round(side * 0.42))
    sheet.draw.text((box[0] + side / 2, box[1] + side / 2), initials, font=font, fill="white", anchor="mm")
    return side


def letterhead(sheet: Sheet, slip: Slip, rng: random.Random) -> None:
    lang = LANGUAGES[slip.language]
    top, x = sheet.y, sheet.margin
    if rng.random() < 0.7:
        x += logo(sheet, rng, slip.supplier) + sheet.size
    sheet.write(x, slip.supplier, scale=1.5, bold=True)
    sheet.down(1.6)
    sheet.write(x, f"{rng.choice(['Unit', 'Hall', 'Dock'])} {rng.randint(1, 40)}, {rng.choice(lang.towns)}", scale=0.85)
    sheet.down(0.9)
    sheet.write(x, f"Tel {rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}  ·  "
                   f"VAT {rng.choice(['DE', 'ES', 'FR', 'GB', 'NL', 'PT', 'PL', 'IT', 'US'])}{rng.randint(10**8, 10**9 - 1)}",
                scale=0.85)
    title = rng.choice(lang.title)
    sheet.write(sheet.width - sheet.margin, title, scale=1.35, bold=True, right=True, y=top)
    sheet.y = max(sheet.y + sheet.size * 2, top + round(sheet.size * 4.2))
    meta(sheet, slip, lang, rng)
    ship_to(sheet, lang, rng)


def meta(sheet: Sheet, slip: Slip, lang: Language, rng: random.Random) -> None:
    """Document number, date and our PO: as a row of boxes (label above value), a column, or one line."""
    pairs = [(rng.choice(lang.doc_no), slip.extras["doc_no"]), (rng.choice(lang.date), slip.shown_date),
             (rng.choice(lang.po), slip.po_number)]
    rng.shuffle(pairs)
    style = rng.randrange(3)
    if style == 0:  # boxes: the label on one line, the value under it
        width = (sheet.width - 2 * sheet.margin) // 3
        for i, (label, value) in enumerate(pairs):
            x0 = sheet.margin + i * width
            sheet.draw.rectangle((x0, sheet.y, x0 + width - 12, sheet.y + sheet.size * 3), outline=(120, 120, 120))
            sheet.write(x0 + 10, label, scale=0.8, y=sheet.y + 6)
            sheet.write(x0 + 10, value, bold=True, y=sheet.y + 8 + sheet.size)
        sheet.down(2.6)
    elif style == 1:
        x = sheet.width // 2 + sheet.size * 2
        for label, value in pairs:
            sheet.write(x, f"{label}:", scale=0.95)
            sheet.write(x + sheet.measure(f"{label}: ", 0.95) + sheet.size, value)
            sheet.down()
    else:
        sheet.write(sheet.margin, "    ".join(f"{label} {value}" for label, value in pairs))
        sheet.down()
    sheet.down(0.6)


def ship_to(sheet: Sheet, lang: Language, rng: random.Random) -> None:
    sheet.write(sheet.margin, f"{rng.choice(lang.ship_to)}:", scale=0.9, bold=True)
    sheet.down(0.9)
    sheet.write(sheet.margin, f"Shopfloor Kitchens · {rng.randint(1, 99)} Harbour Road · {rng.choice(lang.towns)}",
                scale=0.9)
    sheet.down(1.8)


def footer(sheet: Sheet, slip: Slip, rng: random.Random) -> None:
    lang = LANGUAGES[slip.language]
    sheet.down(0.8)
    for text in rng.sample(lang.footer, 2):
        sheet.write(sheet.margin, text.format(n=len(slip.lines) + rng.randint(0, 5), w=rng.randint(12, 700)), scale=0.9)
        sheet.down()
    sheet.write(sheet.width - sheet.margin, "1/1", scale=0.8, right=True)
    sheet.down(1.5)


def stamp(image: Image.Image, rng: random.Random, slip: Slip, *, top: int) -> Image.Image:
    """A rubber stamp over the footer (from `top` down), in red or blue ink, askew."""
    words = {"en": "RECEIVED", "de": "GEPRÜFT", "es": "RECIBIDO", "fr": "REÇU", "it": "RICEVUTO", "nl": "ONTVANGEN",
             "pt": "RECEBIDO", "pl": "PRZYJĘTO"}
    text = f"{words[LANGUAGES[slip.language].words]}  {slip.shown_date}"
    font = face("print", 0, rng.randint(26, 34))
    probe = ImageDraw.Draw(image)
    w, h = int(probe.textlength(text, font=font)) + 40, font.size + 36
    mark = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    ink = rng.choice([(200, 30, 40, 150), (30, 60, 170, 150)])
    draw = ImageDraw.Draw(mark)
    draw.rounded_rectangle((2, 2, w - 3, h - 3), radius=10, outline=ink, width=4)
    draw.text((20, 16), text, font=font, fill=ink)
    mark = mark.rotate(rng.uniform(-14, 14), expand=True, resample=Image.Resampling.BICUBIC)
    x = rng.randint(image.width // 2, max(image.width // 2 + 1, image.width - mark.width - 20))
    y = rng.randint(top, max(top + 1, image.height - mark.height - 10))
    image.paste(mark, (x, y), mark)
    return image
