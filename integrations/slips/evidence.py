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

Codes read by shape alone (no PO to compare with) keep the OCR's word score: the code is what starts an
item, so a wrong one is a misread, not a wrong cell, and the PO is the check that catches it when known.
"""
from __future__ import annotations

from models.packing_slip import CONFIDENT

ASK = round(CONFIDENT - 0.05, 2)  # shown with ⚠: a person ticks or corrects it

CAPS: dict[str, float] = {
    "qty.shape": ASK,  # a number with a unit on the item's line: the first/last such, by position
    "qty.unit_before": ASK,  # a number after a unit word ("kg  12")
    "qty.lone": ASK,  # the only number left on the line
    "qty.litre": ASK,  # "12 1" read as 12 l: OCR lost the unit's letter
    "unit.shape": ASK,  # the unit of a quantity found by shape, or a unit word somewhere on the line
    "lot.shape": ASK,  # a code-shaped word that is nothing else on the line
    "exp.shape": ASK,  # an unlabelled date on the item's lines
    "date.shape": ASK,  # an unlabelled date at the top of the slip
    "po.below": ASK,  # the code under a PO label in a boxed header: by position
    "qty.crowded": ASK,  # a table cell with two numbers: the first taken (table.py)
    "unit.crowded": ASK,
    "lot.crowded": ASK,
    "exp.crowded": ASK,
}


# OCR word scores are not probabilities: on the tuning corpus (seeds 11 and 12, 102 slips with photos) values
# read from words scored under 0.7 were wrong about 1 in 30, those over 0.8 about 1 in 600. A value whose
# words scored under OCR_SURE is marked, however it was found, unless the PO vouches for it.
OCR_SURE = 0.8


def cap(how: str, score: float = 1.0) -> float:
    """The most confidence a value found this way, from words the OCR scored `score`, may show."""
    ceiling = CAPS.get(how, 1.0)
    return min(ceiling, ASK) if score < OCR_SURE and how != "description" else ceiling
