"""The goods part of an evaluation slip, in seven layout families.

grid        ruled table, every cell boxed, columns in a random order
open        unruled table, numbers right-aligned, quantity and unit sometimes in one cell
blocks      two-line blocks: code and description, then labelled quantity, lot and expiry on the next line
codeafter   table whose item code comes after the description
cards       one bordered card per item, label: value pairs inside
handwritten ruled table whose quantity column is filled in by hand
inline      one line per item, fields close together (where OCR glues words)
"""
from __future__ import annotations

import random

from sandbox.slips.heldout.paper import INK, Sheet, face
from sandbox.slips.heldout.truth import Line, Slip
from sandbox.slips.heldout.words import LANGUAGES, Language

LAYOUTS = ("grid", "open", "blocks", "codeafter", "cards", "handwritten", "inline")
RULE = (110, 110, 110)


def goods(sheet: Sheet, slip: Slip, rng: random.Random) -> None:
    lang = LANGUAGES[slip.language]
    {"grid": _grid, "open": _open, "blocks": _blocks, "codeafter": _code_after, "cards": _cards,
     "handwritten": _handwritten, "inline": _inline}[slip.layout](sheet, slip, lang, rng)


def _cell(kind: str, line: Line, index: int, joined: bool) -> str:
    return {"line": str(index + 1), "code": line.sku, "name": line.description, "lot": line.lot or "",
            "exp": line.shown_expiry, "unit": line.shown_unit,
            "qty": f"{line.shown_quantity} {line.shown_unit}" if joined else line.shown_quantity}[kind]


def _fit(sheet: Sheet, heads: list[str], rows: list[list[str]], pad: int) -> list[int]:
    """Column widths; the type shrinks until the table fits between the margins."""
    while True:
        widths = [max(sheet.measure(h, 0.9), *(sheet.measure(r[c]) for r in rows)) + pad for c, h in enumerate(heads)]
        if sum(widths) <= sheet.width - 2 * sheet.margin or sheet.size <= 14:
            spare = (sheet.width - 2 * sheet.margin - sum(widths)) // len(widths)
            return [w + max(0, spare) for w in widths]
        sheet.size -= 1


def _table(sheet: Sheet, slip: Slip, lang: Language, rng: random.Random, kinds: list[str], *, ruled: bool,
           joined: bool, hand: bool = False) -> None:
    heads = [rng.choice(lang.heads[k]) for k in kinds]
    rows = [[_cell(k, line, i, joined) for k in kinds] for i, line in enumerate(slip.lines)]
    if hand:
        rows = [[("" if k == "qty" and line.handwritten else text) for k, text in zip(kinds, row)]
                for row, line in zip(rows, slip.lines)]
    widths = _fit(sheet, heads, rows, pad=sheet.size)
    xs = [sheet.margin + sum(widths[:c]) for c in range(len(kinds))]
    height = round(sheet.size * (2.0 if ruled else 1.7))
    right = {"qty", "line"} if not ruled else set()
    top = sheet.y
    if ruled:
        sheet.draw.rectangle((sheet.margin, top, sheet.width - sheet.margin, top + height), fill=(225, 225, 225))
    for c, head in enumerate(heads):
        x = xs[c] + widths[c] - sheet.size // 2 if kinds[c] in right else xs[c] + sheet.size // 2
        sheet.write(x, head, scale=0.9, bold=True, right=kinds[c] in right, y=top + height * 0.25)
    sheet.y = top + height
    if not ruled:
        sheet.draw.line((sheet.margin, sheet.y - 4, sheet.width - sheet.margin, sheet.y - 4), fill=RULE, width=2)
    for row, line in zip(rows, slip.lines):
        for c, text in enumerate(row):
            x = xs[c] + widths[c] - sheet.size // 2 if kinds[c] in right else xs[c] + sheet.size // 2
            sheet.write(x, text, right=kinds[c] in right, y=sheet.y + height * 0.22)
            if hand and kinds[c] == "qty" and line.handwritten:
                handwrite(sheet, rng, f"{line.shown_quantity}", xs[c] + sheet.size // 2, sheet.y, height)
        sheet.y += height
        if ruled:
            sheet.draw.line((sheet.margin, sheet.y, sheet.width - sheet.margin, sheet.y), fill=RULE, width=1)
    if ruled:
        for x in [*xs, sheet.width - sheet.margin]:
            sheet.draw.line((x, top, x, sheet.y), fill=RULE, width=1)
        sheet.draw.rectangle((sheet.margin, top, sheet.width - sheet.margin, sheet.y), outline=RULE, width=2)
    sheet.down(0.8)


def handwrite(sheet: Sheet, rng: random.Random, text: str, x: int, y: int, height: int) -> None:
    """Digits written with a pen: a handwriting face, blue ink, a little askew and off the baseline."""
    from PIL import Image, ImageDraw

    font = face("hand", rng.randrange(2), round(height * rng.uniform(0.85, 1.05)))
    probe = ImageDraw.Draw(sheet.image)
    w = int(probe.textlength(text, font=font)) + 16
    ink = Image.new("RGBA", (w, height + 12), (0, 0, 0, 0))
    ImageDraw.Draw(ink).text((8, 0), text, font=font, fill=rng.choice([(20, 40, 140, 235), (30, 30, 35, 235)]))
    ink = ink.rotate(rng.uniform(-5, 5), expand=True, resample=Image.Resampling.BICUBIC)
    sheet.image.paste(ink, (x + rng.randint(0, 10), y - rng.randint(0, 6)), ink)


def _order(rng: random.Random, slip: Slip, first: list[str]) -> list[str]:
    rest = [k for k in ("qty", "unit", "lot", "exp") if k != "exp" or any(l.expiry for l in slip.lines)]
    rest = [k for k in rest if k != "lot" or any(l.lot for l in slip.lines)]
    rng.shuffle(rest)
    return (["line"] if rng.random() < 0.4 else []) + first + rest


def _grid(sheet: Sheet, slip: Slip, lang: Language, rng: random.Random) -> None:
    _table(sheet, slip, lang, rng, _order(rng, slip, ["code", "name"]), ruled=True, joined=False)


def _open(sheet: Sheet, slip: Slip, lang: Language, rng: random.Random) -> None:
    kinds = _order(rng, slip, ["code", "name"])
    joined = rng.random() < 0.5
    _table(sheet, slip, lang, rng, [k for k in kinds if not (joined and k == "unit")], ruled=False, joined=joined)


def _code_after(sheet: Sheet, slip: Slip, lang: Language, rng: random.Random) -> None:
    kinds = _order(rng, slip, ["name", "code"])
    _table(sheet, slip, lang, rng, kinds, ruled=rng.random() < 0.5, joined=False)


def _handwritten(sheet: Sheet, slip: Slip, lang: Language, rng: random.Random) -> None:
    kinds = ["code", "name", "unit", "qty"] + [k for k in ("lot", "exp") if any(getattr(l, "lot" if k == "lot" else "expiry")
                                                                           for l in slip.lines)]
    _table(sheet, slip, lang, rng, kinds, ruled=True, joined=False, hand=True)


def _labelled(lang: Language, rng: random.Random, line: Line) -> list[str]:
    parts = [f"{rng.choice(lang.labels['qty'])} {line.shown_quantity} {line.shown_unit}"]
    if line.lot:
        parts.append(f"{rng.choice(lang.labels['lot'])} {line.lot}")
    if line.expiry:
        parts.append(f"{rng.choice(lang.labels['exp'])} {line.shown_expiry}")
    return parts


def _blocks(sheet: Sheet, slip: Slip, lang: Language, rng: random.Random) -> None:
    numbered = rng.random() < 0.5
    for i, line in enumerate(slip.lines):
        x = sheet.margin + (sheet.size * 2 if numbered else 0)
        if numbered:
            sheet.write(sheet.margin, f"{i + 1}")
        sheet.write(x, f"{line.sku}   {line.description}", bold=True)
        sheet.down()
        sheet.write(x + sheet.size, "      ".join(_labelled(lang, rng, line)), scale=0.92)
        sheet.down(1.5)


def _cards(sheet: Sheet, slip: Slip, lang: Language, rng: random.Random) -> None:
    half = (sheet.width - 2 * sheet.margin) // 2
    for line in slip.lines:
        top = sheet.y
        sheet.y += sheet.size // 2
        sheet.write(sheet.margin + 14, line.description, bold=True)
        sheet.down()
        pairs = [(rng.choice(lang.labels["code"]), line.sku),
                 (rng.choice(lang.labels["qty"]), f"{line.shown_quantity} {line.shown_unit}")]
        pairs += [(rng.choice(lang.labels["lot"]), line.lot)] if line.lot else []
        pairs += [(rng.choice(lang.labels["exp"]), line.shown_expiry)] if line.expiry else []
        for k, (label, value) in enumerate(pairs):
            x = sheet.margin + 14 + (k % 2) * half
            sheet.write(x, f"{label} {value}", scale=0.92)
            if k % 2 or k == len(pairs) - 1:
                sheet.down()
        sheet.y += sheet.size // 3
        sheet.draw.rectangle((sheet.margin, top, sheet.width - sheet.margin, sheet.y), outline=RULE, width=2)
        sheet.y += sheet.size // 2


def _inline(sheet: Sheet, slip: Slip, lang: Language, rng: random.Random) -> None:
    texts = [" ".join([line.sku, line.description, *_labelled(lang, rng, line)]) for line in slip.lines]
    while max(sheet.measure(t) for t in texts) > sheet.width - 2 * sheet.margin and sheet.size > 14:
        sheet.size -= 1
    for text in texts:
        sheet.write(sheet.margin, text)
        sheet.down(1.3)
    sheet.down(0.5)


__all__ = ["INK", "LAYOUTS", "goods"]
