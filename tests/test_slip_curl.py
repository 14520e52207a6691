"""A page that curls: its text lines bend, so after turning the page by its median slant a row's figures at
the right sit half a line off its code at the left, and rows were split or joined wrongly (photo 2724:41:
slant 7° at the left, 4-5° at the right; '18 liter' read as a row of its own, quantities one row off).
layout.rows_of fits what is left of the slant as a plane over the page and moves each point along its line.

Mutations that fail these tests: _levelled returning the identity (the rendered curl: 6 of 12 quantities
right on the old code); the misfit guard removed or BEND_MISFIT_DEGREES raised to 5 (the noisy page is bent); the spread rule
dropped (slants from one column extrapolated across the page);
the x²/2 term dropped (the rendered curl).
"""
from __future__ import annotations

import io
import math
import random
from decimal import Decimal

import pytest

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.layout import OcrBox, _levelled

NAMES = ["Weizenmehl Type 550", "Zucker fein", "Meersalz grob", "Rapsoel kaltgepresst", "Haselnusskerne",
         "Versandkarton 40x30", "Sahne 30 % Fett", "Paprika edelsuess", "Deckel TO 66 gold", "Schraubglas 212 ml",
         "Roggenmehl 1150", "Honig 12x250 g"]
AMOUNTS = [("12", "kg"), ("7", "kg"), ("25", "kg"), ("30", "l"), ("18", "kg"), ("228", "Stk"), ("40", "l"),
           ("5", "kg"), ("600", "Stk"), ("1440", "Stk"), ("50", "kg"), ("45", "Krt")]
UNITS = {"kg": "kg", "l": "l", "Stk": "pcs", "Krt": "cases"}


def _curled_slip() -> bytes:
    """A table of twelve rows, the page bent so its lines drop 10 px more at the quantities than at the codes."""
    cv2 = pytest.importorskip("cv2")
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("RGB", (1400, 1000), "white")
    draw = ImageDraw.Draw(page)
    draw.text((60, 30), "Bergmuehle Schneider KG", fill="black", font=ImageFont.load_default(size=34))
    draw.text((60, 90), "Lieferschein 4711   Bestellung: BST-80078   Datum: 23.02.2027", fill="black",
              font=ImageFont.load_default(size=24))
    columns = [60, 230, 880, 1010, 1110]
    for x, heading in zip(columns, ["Artikel", "Bezeichnung", "Menge", "Einheit", "Charge"], strict=True):
        draw.text((x, 170), heading, fill="black", font=ImageFont.load_default(size=24))
    for row, (name, (amount, unit)) in enumerate(zip(NAMES, AMOUNTS, strict=True)):
        for x, text in zip(columns, [f"ART-{1001 + row}", name, amount, unit, f"L24{row:02d}A"], strict=True):
            draw.text((x, 215 + 34 * row), text, fill="black", font=ImageFont.load_default(size=22))
    ys, xs = np.mgrid[0:1000, 0:1400].astype(np.float32)
    bent = cv2.remap(np.asarray(page), xs, ys + 0.04 * (xs - 100) ** 2 / 1000 - 0.05 * xs - 40, cv2.INTER_LINEAR,
                     borderValue=(255, 255, 255))
    picture = io.BytesIO()
    Image.fromarray(bent).save(picture, "PNG")
    return picture.getvalue()


def test_a_curled_page_s_quantities_are_read_on_their_own_rows() -> None:
    pytest.importorskip("rapidocr", reason="offline OCR not installed (pip install rapidocr onnxruntime)")
    from integrations.slips.offline import ocr_photo, parse_boxes

    items = tuple(ExpectedItem((f"ART-{1001 + row}",), UNITS[unit], Decimal(amount))
                  for row, (amount, unit) in enumerate(AMOUNTS))
    read = parse_boxes(ocr_photo(_curled_slip()), Expected(orders=(ExpectedOrder("BST-80078", "Bergmuehle", items),)))
    got = {line.sku.value: line.quantity for line in read.lines}
    assert [str(got[item.codes[0]].value) if item.codes[0] in got else None for item in items] == \
        [amount for amount, _ in AMOUNTS]


def _long_box(x: float, y: float, slope: float) -> tuple[OcrBox, list[tuple[float, float]]]:
    quad = [(x, y), (x + 200, y + 200 * slope), (x + 200, y + 200 * slope + 24), (x, y + 24)]
    return OcrBox("Weizenmehl Type 550", 0.999, tuple(quad)), quad


def test_only_a_slant_that_varies_smoothly_over_the_page_bends_the_rows() -> None:
    """Slants that grow from left to right (a curl) bend the rows; slants scattered ±2° at random (handwriting,
    a noisy photo) fit no plane, and the rows are left as the median's turn made them."""
    curl = [_long_box(x, y, 0.00005 * x) for x in (50, 400, 800) for y in range(100, 900, 100)]
    assert _levelled(curl)(1000, 500) != 500
    jitter = random.Random(7)
    noisy = [_long_box(x, y, math.radians(jitter.uniform(-2, 2))) for x in (50, 400, 800) for y in range(100, 900, 100)]
    assert _levelled(noisy)(1000, 500) == 500
    one_column = [_long_box(400 + 2 * (y % 3), y, 0.00005 * y) for y in range(100, 1400, 100)]
    page_wide = one_column + [(OcrBox("12", 0.999, ((1300, 500), (1330, 500), (1330, 524), (1300, 524))),
                               [(1300, 500), (1330, 500), (1330, 524), (1300, 524)])]
    assert _levelled(page_wide)(1000, 500) == 500  # slants from one column say nothing about a slope along x
