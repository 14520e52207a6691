"""Printed figures struck and corrected by hand that the reader took as sure (thirteenth session, diagnosis
seeds 2706-2717): the printed figure is what was ordered, so the PO vouched for it. A stroke through a figure
the OCR glued to its unit or label is found; one the picture check still misses leaves the OCR unsure of the
figure, and the PO no longer vouches for a figure read that unsure (evidence.PO_VOUCHES_FROM)."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.evidence import STRUCK
from integrations.slips.layout import OcrBox
from integrations.slips.overprint import mark_struck_through
from integrations.slips.parser import parse_slip
from models.packing_slip import SlipLine
from tests.slip_boxes import boxes_of

ORDER = Expected(orders=(ExpectedOrder("PO-26804", "Highland Oils plc", (
    ExpectedItem(("JZW-1177",), "kg", Decimal(72)), ExpectedItem(("JZW-7130",), "cases", Decimal(47)))),))


def _block_slip(score_of_47: float) -> list[SlipLine]:
    """Two items as blocks: code and description on one line, 'Delivered: <amount>' on the next (2711:35)."""
    boxes = boxes_of(["Highland Oils plc", "Delivery Note"], ["Order No.", "PO 26804"],
                     ["1.", "JZW-1177", "Strong white bread flour"], ["Delivered:", "72 kg", "Batch: CH1007Q"],
                     ["2.", "JZW-7130", "Clear PET tub 500 ml"], ["Delivered:", "47cases"])
    boxes = [dataclasses.replace(box, score=score_of_47) if box.text == "47cases" else box for box in boxes]
    return parse_slip(boxes, ORDER).lines


def _tub(lines: list[SlipLine]) -> SlipLine:
    return next(line for line in lines if line.sku.value == "JZW-7130")


@pytest.mark.parametrize("score", [0.38, 0.2, 0.3])
def test_a_figure_the_ocr_could_hardly_read_is_not_vouched_for_by_the_po(score: float) -> None:
    """'47 cases' struck in blue and 38 written over it on a phone photo: the stroke was not seen, the OCR
    read '47cases' at 0.38 and the PO, expecting 47, vouched for it (2711:35). Fails with
    evidence.PO_VOUCHES_FROM = 0.2 (the old rule: only a figure scored as struck was refused)."""
    tub = _tub(_block_slip(score))
    assert tub.quantity.value == 47 and tub.quantity.doubtful, tub.quantity
    assert tub.quantity.how != "qty.po"


def test_a_figure_read_clearly_is_still_vouched_for_by_the_po() -> None:
    """The same figure read at 0.999 — or at 0.6, or 0.45, capped for asking — is what the PO expects and needs
    no tick. Fails with evidence.PO_VOUCHES_FROM above 0.45."""
    for score in (0.999, 0.6, 0.45):
        tub = _tub(_block_slip(score))
        assert (tub.quantity.value, tub.quantity.doubtful, tub.quantity.how) == (47, False, "qty.po"), score


FONTS = "/usr/share/fonts/truetype/dejavu/"


def _glued_word(label: str, figure: str, unit: str, font: str, *, struck: bool, blur: float = 0.0) -> float:
    """'Qty: 84 each' printed and the OCR's one word for it glued ('Qty:84each'), the figure alone optionally
    struck by a dark ballpoint line from just before it to just past it: the word's score after the check."""
    page = Image.new("RGB", (700, 120), (248, 247, 244))
    draw, face = ImageDraw.Draw(page), ImageFont.truetype(FONTS + font, 30)
    start = draw.textlength(label, font=face) + 60
    draw.text((60, 40), label + figure + unit, fill=(20, 20, 20), font=face)
    left, top, right, bottom = draw.textbbox((60, 40), label + figure + unit, font=face)
    if struck:
        middle = (top + bottom) / 2 + 2
        draw.line((start - 4, middle + 1, start + draw.textlength(figure, font=face) + 4, middle - 1),
                  fill=(30, 30, 45), width=3)
    if blur:
        page = page.filter(ImageFilter.GaussianBlur(blur))
    text = (label + figure + unit).replace(" ", "")
    box = OcrBox(text, 0.9, ((left - 2.0, top - 4.0), (right + 2.0, top - 4.0), (right + 2.0, bottom + 4.0),
                             (left - 2.0, bottom + 4.0)), ((text, 0.9, left - 2.0, right + 2.0),))
    return mark_struck_through(page, [box])[0].words[0][1]


@pytest.mark.parametrize(("label", "figure", "unit"), [("Qty: ", "84", " each"), ("", "100", "g"),
                                                       ("", "47", " cases"), ("Qtd.: ", "59", " UN")])
@pytest.mark.parametrize("font", ["DejaVuSansMono.ttf", "DejaVuSans.ttf"])
def test_a_stroke_through_a_figure_glued_to_its_unit_or_label_is_found(label: str, figure: str, unit: str,
                                                                       font: str) -> None:
    """A dark stroke through '84' of 'Qty: 84 each', read as one word 'Qty:84each', runs about one text
    height: the check asked 1.5 heights (or nearly the whole word), and the PO vouched for the struck 84
    (2711:43; '100g' on 2709:17). Fails with overprint.GLUED_RUN = STRIKE_RUN. Unstruck, the same word keeps
    its score, crisp or blurred as on a phone photo."""
    assert _glued_word(label, figure, unit, font, struck=True) == STRUCK
    assert _glued_word(label, figure, unit, font, struck=False) > STRUCK
    assert _glued_word(label, figure, unit, font, struck=False, blur=1.2) > STRUCK


def test_print_s_own_joins_in_a_long_code_are_no_stroke() -> None:
    """The shorter stroke counts only over an amount glued to a unit or to a quantity's label: in a barcode
    printed bold and condensed, blurred as on a phone photo, the digits' bars join into runs a text height
    long (2717:18, 2710:13: 'EAN:4000103736697' and 'GTIN:…' struck when every word was judged so). Fails
    with _run_through giving GLUED_RUN for every word."""
    assert _glued_word("EAN: ", "4040351846854", "", "DejaVuSansCondensed-Bold.ttf", struck=False, blur=1.6) > STRUCK
