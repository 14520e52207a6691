"""A rubber stamp pressed on at an angle: the OCR reads its date as sure as print, and where the stamp lies
across a row's empty expiry cell that date became the line's expiry, shown without ⚠ (third corpus 2716:15,
a pale green 'SPRAWDZONO 26.02.2027' the colour check did not find). Print is level with the page; boxes
turned against it (layout.stamped) are scored under evidence.OCR_SURE and make rows of their own (layout.rows_of).

Mutations that fail these tests: rows_of not scoring a stamp's words unsure (the first); stamps grouped with
the print (the first); both at once (the rendered one: the old code); the slant measured against 0 instead of the page's skew (the
turned page's print marked); the three-widths rule dropped (a short handwritten 'kg' marked);
STAMP_TILT_DEGREES raised to 10 (the 9° stamp left sure).
"""
from __future__ import annotations

import io
import math
from decimal import Decimal
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.layout import OcrBox, rows_of, stamped
from models.packing_slip import Read

ITEMS = (ExpectedItem(("FLR-1001",), "kg", Decimal(12)), ExpectedItem(("BOX-2002",), "pcs", Decimal(228)))
PO = Expected(orders=(ExpectedOrder("BST-80078", "Bergmuehle Schneider KG", ITEMS),))


def _box(text: str, x: float, y: float, width: float, *, height: float = 24, degrees: float = 0.0) -> OcrBox:
    """A box `width` wide turned `degrees` about its top-left corner (y grows downwards, as in a picture)."""
    turn = math.radians(degrees)
    along, down = (math.cos(turn), math.sin(turn)), (-math.sin(turn), math.cos(turn))
    corners = [(0, 0), (width, 0), (width, height), (0, height)]
    quad = tuple((x + a * along[0] + b * down[0], y + a * along[1] + b * down[1]) for a, b in corners)
    return OcrBox(text, 0.999, quad, ((text, 0.999, quad[0][0], quad[1][0]),))


@pytest.mark.parametrize("page", [0.0, 5.0], ids=["level page", "page turned 5 degrees"])
def test_only_a_long_box_turned_against_the_page_s_text_is_a_stamp_s(page: float) -> None:
    print_ = [_box(text, 60, 40 * row, 13 * len(text), degrees=page)
              for row, text in enumerate(["Lieferschein Bestellung: BST-80078", "FLR-1001 Weizenmehl 12 kg",
                                          "BOX-2002 Versandkarton 228 Stk", "Charge L2403A MHD 30.05.2027"])]
    stamp = _box("26.02.2027", 800, 120, 150, degrees=page - 9)
    pen = _box("kg", 700, 120, 30, degrees=page + 8)  # a short word's slant is a few pixels: not measured
    assert stamped([*print_, stamp, pen]) == [False, False, False, False, True, False]
    rows = rows_of([*print_, stamp, pen])
    scores = {word.text: word.score for row in rows for word in row.words}
    assert scores["26.02.2027"] < 0.99  # under evidence.OCR_SURE: a value read from it is marked
    assert [[word.text for word in row.words] for row in rows if "26.02.2027" in row.text] == [["26.02.2027"]]


def stamped_expiries(date_written: str, turned: float) -> tuple[Read[Any], Read[Any]]:
    """A table of two rows, the second with an empty expiry cell, and a grey 'ERHALTEN' stamp turned `turned`°
    with `date_written` on it pressed across that cell, read by the real OCR with the PO: the expiries of the
    first line (printed) and the second (the stamp's date, if taken)."""
    pytest.importorskip("rapidocr", reason="offline OCR not installed (pip install rapidocr onnxruntime)")
    from integrations.slips.offline import ocr_photo, parse_boxes

    page = Image.new("RGB", (1100, 500), "white")
    draw = ImageDraw.Draw(page)
    draw.text((60, 40), "Bergmuehle Schneider KG", fill="black", font=ImageFont.load_default(size=34))
    draw.text((60, 100), "Lieferschein    Bestellung: BST-80078    Datum: 23.02.2027", fill="black",
              font=ImageFont.load_default(size=24))
    rows = [["Artikel", "Bezeichnung", "Menge", "Einheit", "Charge", "MHD"],
            ["FLR-1001", "Weizenmehl", "12", "kg", "L2403A", "30.05.2027"],
            ["BOX-2002", "Versandkarton", "228", "Stk", "", ""]]
    for r, row in enumerate(rows):
        for x, text in zip([60, 220, 520, 620, 720, 880], row, strict=True):
            draw.text((x, 200 + 50 * r), text, fill="black", font=ImageFont.load_default(size=24))
    stamp = Image.new("RGBA", (320, 110), (0, 0, 0, 0))
    ink = ImageDraw.Draw(stamp)
    ink.rectangle((2, 2, 317, 107), outline=(110, 110, 110, 255), width=5)
    ink.text((60, 12), date_written, fill=(110, 110, 110, 255), font=ImageFont.load_default(size=30))
    ink.text((30, 55), "ERHALTEN", fill=(110, 110, 110, 255), font=ImageFont.load_default(size=40))
    stamp = stamp.rotate(turned, expand=True, resample=Image.Resampling.BICUBIC)
    page.paste(stamp, (800, 262), stamp)
    picture = io.BytesIO()
    page.save(picture, "PNG")
    lines = {line.sku.value: line for line in parse_boxes(ocr_photo(picture.getvalue()), PO).lines}
    return lines["FLR-1001"].expiry, lines["BOX-2002"].expiry


def test_a_grey_stamp_s_date_over_an_empty_expiry_cell_is_marked() -> None:
    """A grey 'ERHALTEN' stamp turned 9°, its date across the second row's empty expiry cell, read by the
    real OCR: the date may be taken for that line's expiry, but not shown as sure."""
    printed, stamped = stamped_expiries("26.02.2027", 9)
    assert printed.value is not None and not printed.doubtful  # print: sure
    assert stamped.value is None or stamped.doubtful, stamped
