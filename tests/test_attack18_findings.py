"""Outside review 18: attacks on 8fa7e49 (evidence.PO_VOUCHES_FROM = 0.5) and 0fa3d7f (overprint.GLUED_RUN = 1.0,
a stroke through an amount glued to its unit or a quantity's label needs to run one text height, not 1.5).

Each test failed on the reviewed code (0fa3d7f). Fixed: the item above a figure alone keeps its mark when the
item below takes the figure (table.settle_written_figures), PO_VOUCHES_FROM 0.5 -> 0.4. Left as a strict
xfail, a cost and no silent error: the false strike on bold small print itself. Its docstring names the slip, what was observed and what is
right. The pictures are rendered here with the DejaVu fonts; the OCR boxes are what RapidOCR (the product's
models, integrations/slips/ocr.recognise) returned for exactly these pictures, recorded so the tests need no
OCR run.
"""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.layout import OcrBox
from integrations.slips.overprint import Colours, mark_overprinted, mark_struck_through
from integrations.slips.parser import parse_slip
from models.packing_slip import SlipLine
from tests.slip_boxes import boxes_of

FONTS = "/usr/share/fonts/truetype/dejavu/"


def _page(bag: str, *, written: str | None) -> Image.Image:
    """A delivery note as a phone photo of small print: a table Code / Description / Quantity, the quantities
    printed bold condensed and glued to their unit ('72kg', 'Qty:44each'); `written`: a figure written by hand
    in blue right under the first item's quantity (the delivered amount, the printed 72 left unstruck or its
    stroke missed). Nothing on the page is struck through."""
    scale, size = 0.75, 18
    page = Image.new("RGB", (int(1100 * scale), int(700 * scale)), (250, 250, 248))
    draw = ImageDraw.Draw(page)
    regular = ImageFont.truetype(FONTS + "DejaVuSans.ttf", int(size * scale))
    big = ImageFont.truetype(FONTS + "DejaVuSans-Bold.ttf", int(28 * scale))
    bold = ImageFont.truetype(FONTS + "DejaVuSansCondensed-Bold.ttf", int(size * scale))
    hand = ImageFont.truetype(FONTS + "DejaVuSans-Oblique.ttf", int(size * 1.2 * scale))

    def at(x: float, y: float, text: str, face: ImageFont.FreeTypeFont, ink: tuple[int, int, int] = (20, 20, 20)) -> None:
        draw.text((int(x * scale), int(y * scale)), text, fill=ink, font=face)

    at(60, 40, "Highland Oils plc", big)
    at(700, 40, "Delivery Note", big)
    at(60, 110, "Order No.  PO 26804", regular)
    at(60, 200, "Code", regular), at(260, 200, "Description", regular), at(760, 200, "Quantity", regular)
    at(60, 250, "JZW-1177", regular), at(260, 250, "Strong white bread flour", regular), at(760, 250, "72kg", bold)
    if written:
        draw.text((int(770 * scale), int(250 * scale) + int(34 * scale)), written, fill=(30, 40, 150), font=hand)
    at(60, 320, "JZW-7130", regular), at(260, 320, "Rye flour T997", regular), at(760, 320, bag, bold)
    at(60, 450, "Received in good order:", regular)
    return page.filter(ImageFilter.GaussianBlur(0.8))


# RapidOCR's boxes for _page("Qty:44each", written="60") (identical for the rest of the page without the 60)
_BOXES = [
    OcrBox('Highland Oils plc', 0.9706, ((42.0, 29.0), (248.0, 29.0), (248.0, 56.0), (42.0, 56.0)),
           (('Highland', 0.9997, 48.0, 147.0), ('Oils', 0.9985, 163.0, 201.0), ('plc', 0.9974, 212.0, 241.0))),
    OcrBox('Delivery Note', 1.0, ((522.0, 29.0), (689.0, 29.0), (689.0, 56.0), (522.0, 56.0)),
           (('Delivery', 1.0, 526.0, 624.0), ('Note', 1.0, 634.0, 687.0))),
    OcrBox('Order No. PO 26804', 0.9912, ((42.0, 80.0), (182.0, 80.0), (182.0, 99.0), (42.0, 99.0)),
           (('Order', 0.9998, 46.0, 85.0), ('No.', 0.9995, 87.0, 110.0), ('PO', 0.9992, 118.0, 132.0),
            ('26804', 1.0, 137.0, 179.0))),
    OcrBox('Code', 1.0, ((41.0, 147.0), (82.0, 147.0), (82.0, 168.0), (41.0, 168.0)), (('Code', 1.0, 45.0, 78.0),)),
    OcrBox('Description', 1.0, ((190.0, 148.0), (272.0, 148.0), (272.0, 169.0), (190.0, 169.0)),
           (('Description', 0.9999, 199.0, 268.0),)),
    OcrBox('Quantity', 0.9999, ((566.0, 149.0), (629.0, 149.0), (629.0, 169.0), (566.0, 169.0)),
           (('Quantity', 0.9997, 570.0, 627.0),)),
    OcrBox('JZW-1177', 0.9998, ((41.0, 185.0), (111.0, 185.0), (111.0, 205.0), (41.0, 205.0)),
           (('JZW-1177', 0.9988, 45.0, 110.0),)),
    OcrBox('Strong white bread flour', 1.0, ((193.0, 185.0), (356.0, 185.0), (356.0, 205.0), (193.0, 205.0)),
           (('Strong', 0.9998, 198.0, 237.0), ('white', 1.0, 244.0, 277.0), ('bread', 1.0, 284.0, 317.0),
            ('flour', 0.9997, 324.0, 354.0))),
    OcrBox('72kg', 1.0, ((565.0, 184.0), (607.0, 184.0), (607.0, 208.0), (565.0, 208.0)), (('72kg', 1.0, 571.0, 603.0),)),
    OcrBox('60', 1.0, ((572.0, 209.0), (602.0, 209.0), (602.0, 233.0), (572.0, 233.0)), (('60', 1.0, 576.0, 600.0),)),
    OcrBox('JZW-7130', 0.9993, ((41.0, 238.0), (112.0, 238.0), (112.0, 258.0), (41.0, 258.0)),
           (('JZW-7130', 0.9952, 45.0, 110.0),)),
    OcrBox('Rye flour T997', 0.9908, ((190.0, 236.0), (292.0, 236.0), (292.0, 258.0), (190.0, 258.0)),
           (('Rye', 1.0, 195.0, 220.0), ('flour', 0.943, 220.0, 254.0), ('T997', 0.9291, 257.0, 290.0))),
    OcrBox('Qty:44each', 1.0, ((566.0, 237.0), (649.0, 237.0), (649.0, 258.0), (566.0, 258.0)),
           (('Qty:44each', 0.9999, 571.0, 644.0),)),
    OcrBox('Received in good order:', 1.0, ((42.0, 335.0), (201.0, 335.0), (201.0, 355.0), (42.0, 355.0)),
           (('Received', 0.9999, 46.0, 103.0), ('in', 1.0, 106.0, 120.0), ('good', 1.0, 126.0, 156.0),
            ('order:', 0.9993, 163.0, 201.0))),
]

ORDER = Expected(orders=(ExpectedOrder("PO-26804", "Highland Oils plc", (
    ExpectedItem(("JZW-1177",), "kg", Decimal(72)), ExpectedItem(("JZW-7130",), "kg", Decimal(44)))),))


def _read(page: Image.Image, boxes: list[OcrBox]) -> dict[str, SlipLine]:
    """What offline.ocr_photo does after the OCR (marks pens and stamps, then strikes), then the parser."""
    colours = Colours.of(page)
    marked = mark_struck_through(page, mark_overprinted(page, boxes, colours), colours)
    return {line.sku.value: line for line in parse_slip(marked, ORDER).lines}


def test_a_false_strike_on_the_next_item_takes_the_written_figure_from_the_item_above() -> None:
    """Slip: _page('Qty:44each', written='60'): item 1 printed '72kg' (PO expects 72) with 60 written by hand in
    blue right under it, item 2 printed 'Qty:44each' in bold condensed small print (PO expects 44); nothing is
    struck. Observed: the picture check judges the unstruck 'Qty:44each' struck (the 4s' crossbars and the 'e'
    under a little blur join into a run of one box height, GLUED_RUN); settle_written_figures then gives the 60
    to the struck item below and exempts the item above, so item 1 shows 72 WITHOUT ⚠ (how 'qty.po', the PO
    vouching), while 60 came — a silent error — and item 2's right 44 becomes 60 (⚠). With GLUED_RUN =
    STRIKE_RUN (before 0fa3d7f) both items are marked ('qty.rival'), as a figure alone between two items asks.
    Expected: item 1's quantity marked ⚠ (a figure written right under it may be its delivered amount)."""
    lines = _read(_page("Qty:44each", written="60"), _BOXES)
    flour = lines["JZW-1177"]
    assert flour.quantity.doubtful, flour.quantity


@pytest.mark.xfail(strict=True, reason="a cost kept for the struck figures it finds: bold condensed small print "
                   "under blur joins into a one-height run; measured on 630 diagnosis and tuning slips, 1 such false "
                   "strike (marked, the value right) against 5 real strikes found; with settle_written_figures no "
                   "longer taking a mark away, a false strike costs a ⚠ and never a silent error")
def test_an_unstruck_amount_glued_to_its_label_and_unit_is_not_judged_struck() -> None:
    """Slip: _page('Qty:44each', written=None): the same note with no handwriting and nothing struck; item 2
    printed 'Qty:44each' (bold condensed, a photo's blur), PO expects 44. Observed: judged struck by the
    one-height run (score STRUCK), so the PO does not vouch for the right 44 and it shows ⚠ (confidence 0.2,
    'qty.label'). Expected: 44 vouched for by the PO without ⚠, as with GLUED_RUN = STRIKE_RUN. A needless ⚠
    (cost, not a silent error) — measured: over 27,000 renderings of 20 unstruck glued amounts ('44each',
    '444kg', '100g', '47cases', '250ea', '1.800,0kg', 'Menge:444', …; 9 DejaVu faces, 14-40 px, blur 0-2, JPEG
    60 or none, box padding 0-4 px) the words judged struck rose from 1,625 to 2,766 (+70 %), nearly all bold
    faces at 14-18 px; through the real OCR on whole rendered slips of bold small print (fonts Sans-Bold /
    Condensed-Bold / Serif-Bold, 11-14 px, blur 0.6-1, JPEG 50 or none), 21 of 72 pages gained a false strike."""
    boxes = [box for box in _BOXES if box.text != "60"]
    bag = _read(_page("Qty:44each", written=None), boxes)["JZW-7130"]
    assert (bag.quantity.value, bag.quantity.doubtful) == (44, False), bag.quantity


def test_an_ambiguous_thousand_the_po_confirms_is_still_vouched_for() -> None:
    """Slip (hand-made boxes, every word read at 0.999): 'Nordvik AS', 'PO 26804', item 1 'JZW-1177  Mel T550
    1.000 kg', item 2 'JZW-7130  Rug  47 kg'; no number or word on the slip tells its decimal mark, so
    values.parse_number reads '1.000' as 1000 with certainty 0.5 ('marked unless the PO confirms it', its
    docstring). PO expects 1000. Observed: confidence 0.999 x 0.5 = 0.499 < PO_VOUCHES_FROM, so the PO no longer
    confirms it: 1000 shown ⚠ ('qty.shape'); the same slip with OCR scores of exactly 1.0 gets 0.5 and IS
    vouched (0.9, 'qty.po'). Before 8fa7e49 both were vouched. Expected: vouched — the OCR read the figure
    clearly; its 0.5 is the 1000-or-1 question the PO's 1000 answers, not 'a reading under even odds'
    (evidence.py's comment). Needless ⚠ on a right value (cost), and a threshold that splits 0.999 from 1.0."""
    rows = [["Nordvik AS"], ["PO 26804"], ["1.", "JZW-1177", "Mel T550", "1.000 kg"], ["2.", "JZW-7130", "Rug", "47 kg"]]
    order = Expected(orders=(ExpectedOrder("PO-26804", "Nordvik AS", (
        ExpectedItem(("JZW-1177",), "kg", Decimal(1000)), ExpectedItem(("JZW-7130",), "kg", Decimal(47)))),))
    boxes = [dataclasses.replace(box, score=0.999) for box in boxes_of(*rows)]
    flour = next(line for line in parse_slip(boxes, order).lines if line.sku.value == "JZW-1177")
    assert (flour.quantity.value, flour.quantity.doubtful, flour.quantity.how) == (1000, False, "qty.po"), flour.quantity
