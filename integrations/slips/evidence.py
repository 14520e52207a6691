"""How a value read offline was found, and the most confidence that evidence may show.

OCR's score says how clearly characters were printed, not whether the right words were taken for the
field: a lot read perfectly from the wrong cell scores 0.99. So each value also carries how it was found
(`Read.how`), and a value that only its *shape* put in its field is shown with ⚠ unless something
independent vouches for it:

- vouched by the slip itself: a label before the value ("Lot:", "Qty:", "MHD") or a column heading that
  was understood ("*.label", "*.cell") — the OCR score and the parsing certainty decide;
- vouched by the purchase order (snapping.py): a code that is one of the PO's, a quantity equal to what
  the row still expects, the unit of the PO row ("sku.exact", "qty.po", "unit.po_agrees");
- shape only ("*.shape"): a number with a unit on an item's line taken as its quantity, a code-shaped word
  taken as its lot, a date on the line taken as its expiry, a date somewhere at the top taken as the
  slip's. Nothing on the slip says that is what they are (a pack size, an article number, a production
  date look the same), so they are capped under models.packing_slip.CONFIDENT.

Codes read by shape alone (no PO to compare with) are marked too: the wider tuning layouts print the lot
column first, or a lot glued to its date, and such a word starts an item just as the item code would (9
silent errors reading alone on seeds 31+32, 2 with the cap, at 0.3 more ⚠ per line). With open POs a
code is snapped to the PO's and vouched for by it.
"""
from __future__ import annotations

from models.packing_slip import CONFIDENT

ASK = round(CONFIDENT - 0.05, 2)  # shown with ⚠: a person ticks or corrects it
STRUCK = 0.2  # the OCR score of a figure struck out by pen on the slip (overprint.mark_struck_through)
# The PO vouches for a figure it agrees with: a misread that spells exactly what the row still expects is rare.
# It says nothing when the printed figure is not what came — struck out and corrected by hand, which is what
# was ordered — and a stroke or handwriting across the figure that the picture did not show as one still leaves
# the OCR unsure of it: a figure whose reading (the OCR's score times how certain its parse is) is under 0.4 is
# not vouched for (third corpus 2711:35, '47cases' read at 0.38 under a blue stroke and 38 written over it;
# 2713:7, 'Qtd.59UN' at 0.35 under a pale grey stroke). The least certain parse of a clearly read figure
# stays above it (a glued litre 0.45, a thousand that may be a decimal 0.5: which reading is the question the
# PO answers; outside review 18). Diagnosis seeds 2706-2717 (540 slips): silent errors 14 -> 12, ⚠ per line
# 1.44 -> 1.47; tuning seeds 21+31: silent 0 = 0, ⚠ per line 1.47 -> 1.49.
PO_VOUCHES_FROM = 0.4

CAPS: dict[str, float] = {
    "sku.shape": ASK,  # a code-shaped word that starts an item, no PO to compare with: a lot column printed
    # first, or a lot glued to its date, looks the same (wider tuning layouts: 9 such silent errors alone)
    "qty.shape": ASK,  # a number with a unit on the item's line: the first/last such, by position
    "qty.unit_before": ASK,  # a number after a unit word ("kg  12")
    "qty.lone": ASK,  # the only number left on the line
    "qty.column": ASK,  # the bare number under the other rows' quantities (goods.quantity_column)
    "qty.litre": ASK,  # "12 1" read as 12 l: OCR lost the unit's letter
    "unit.shape": ASK,  # the unit of a quantity found by shape, or a unit word somewhere on the line
    "lot.shape": ASK,  # a code-shaped word that is nothing else on the line
    "exp.shape": ASK,  # an unlabelled date on the item's lines
    "date.shape": ASK,  # an unlabelled date at the top of the slip
    "po.below": ASK,  # the code under a PO label in a boxed header: by position
    "qty.crowded": ASK,  # a table cell with two numbers: the first taken (table.py)
    "qty.rival": ASK,  # another number that may be the delivered amount: ordered, or a pen correction (table.py)
    "unit.crowded": ASK,
    "lot.crowded": ASK,
    "lot.rival": ASK,  # a bare figure where lots are figures, beside a struck quantity: or the written amount
    "lot.label_glued": ASK,  # 'LOT55522': a lot numbered so, or 'LOT#55522' with its '#' lost (table.py)
    "sku.crowded": ASK,  # a code cell holding pieces printed apart: which is the code, or whether they join
    "exp.crowded": ASK,
}


# A word's score is its least sure character's (ocr._WordScores). On the tuning corpus (seeds 21 and 22, 90
# slips, a third photographed) words that should spell a printed code, lot or quantity were misread: 0 of
# 945 scored 0.995 or more, 1 of 31 at 0.99–0.995, 3 of 90 at 0.95–0.99, 7 of 42 at 0.8–0.95. (Before the
# scores were a word's own, 0.8 was chosen here from scores that belonged to other characters.) A value
# whose words scored under OCR_SURE is marked, however it was found, unless the PO vouches for it.
OCR_SURE = 0.99


def cap(how: str, score: float = 1.0) -> float:
    """The most confidence a value found this way, from words the OCR scored `score`, may show."""
    ceiling = CAPS.get(how, 1.0)
    return min(ceiling, ASK) if score < OCR_SURE and how != "description" else ceiling
