"""Attack 3 (outside review): inputs that break the offline packing-slip reader. Each test fails on main."""
from __future__ import annotations

from decimal import Decimal

from PIL import Image, ImageDraw, ImageFont

from integrations.slips.layout import OcrBox
from integrations.slips.overprint import mark_overprinted
from integrations.slips.parser import parse_slip
from integrations.slips.values import find_date
from tests.test_slip_failure_classes import boxes_of, printed_table


def test_attack3_yellow_copy_paper_is_not_a_stamp() -> None:
    """The yellow (canary) copy of a carbonless delivery note, or a photo under warm light: the paper
    itself is 'saturated ink', so every box with black print is capped under OCR_SURE and every value
    of the slip gets ⚠, though nothing is stamped over it."""
    box = OcrBox("LOT CH32067", 0.999, ((5, 10), (250, 10), (250, 45), (5, 45)), (("LOT", 0.999, 5, 60),))
    for paper in ((255, 240, 150), (235, 190, 120)):  # canary copy paper; white paper under tungsten light
        page = Image.new("RGB", (400, 60), paper)
        ImageDraw.Draw(page).text((10, 15), "LOT CH32067", fill=(0, 0, 0), font=ImageFont.load_default(size=20))
        assert mark_overprinted(page, [box])[0].score == 0.999, f"plain print on {paper} paper read as stamped"


def test_attack3_qty_ordered_column_is_not_taken_as_shipped_without_mark() -> None:
    """'Qty Ord | Qty Ship': two quantity headings of equal length; the first (ordered, 500) is taken as the
    quantity cell and shown as sure, the shipped 200 is dropped (a short delivery read as complete)."""
    head = boxes_of(["Lone Star Provisions Inc.", "PACKING LIST"], ["PO #: PO-31", "Ship Date: 04/23/2026"])
    read = parse_slip(head + printed_table(["Item", "Description", "Qty Ord", "Qty Ship", "Unit", "Lot"],
                                           ["PKG-BOX-12", "Shipper box", "500", "200", "pcs", "L26897"]))
    line = read.lines[0]
    assert line.quantity.value == Decimal(200) or line.quantity.doubtful, line.quantity


def test_attack3_month_year_with_year_zero_does_not_crash() -> None:
    """'12/0000', '3.0000' (a four-decimal quantity or price), 'Tel. 089 12-0000': MONTH_YEAR reads it
    as a month and year 0, and datetime raises — the whole slip fails to parse."""
    for text in ("3.0000", "12/0000", "Ref 01-0000"):
        assert find_date(text) is None
    read = parse_slip(boxes_of(["Acme Foods GmbH", "Tel. 089 12-0000"], ["Lieferschein"],
                               ["FLR-1001 Weizenmehl", "12 kg"]))
    assert read.lines


def test_attack3_a_thin_strip_picture_does_not_exhaust_memory() -> None:
    """A 20×1568 px picture (a few KB as PNG, accepted by decode_photo) is scaled by RapidOCR's detector
    until its short side is large: 5.6 GB peak RSS and ~90 s for a blank strip; 3×2000 px was killed by the
    kernel's OOM killer on a 23 GB machine. A 1568×1568 page takes 0.76 GB and ~12 s.
    Run in a child process with a wall-clock limit so the failure does not take the test run down."""
    import subprocess
    import sys

    import pytest

    pytest.importorskip("rapidocr")
    code = ("from PIL import Image\nfrom integrations.slips.offline import ocr_photo\n"
            "from integrations.slips.images import Photo\n"
            "ocr_photo(Photo(Image.new('RGB', (20, 1568), 'white'), False))\n")
    try:
        done = subprocess.run([sys.executable, "-c", code], timeout=40, capture_output=True)
    except subprocess.TimeoutExpired:
        pytest.fail("OCR of a 20x1568 px strip ran past 40 s (memory grows to GBs)")
    assert done.returncode == 0, done.stderr[-500:]
