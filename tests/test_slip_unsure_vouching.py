"""The PO's agreement cannot make a figure sure that the OCR could hardly read (thirteenth session,
diagnosis seeds 2706-2717): a stroke or handwriting across the printed figure that the picture check did
not see as one still leaves the OCR unsure of it, and the printed figure is what was ordered."""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
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


@pytest.mark.parametrize("score", [0.38, 0.2, 0.49])
def test_a_figure_the_ocr_read_under_even_odds_is_not_vouched_for_by_the_po(score: float) -> None:
    """'47 cases' struck in blue and 38 written over it on a phone photo: the stroke was not seen, the OCR
    read '47cases' at 0.38 and the PO, expecting 47, vouched for it (2711:35). Fails with
    evidence.PO_VOUCHES_FROM = 0.2 (the old rule: only a figure scored as struck was refused)."""
    tub = _tub(_block_slip(score))
    assert tub.quantity.value == 47 and tub.quantity.doubtful, tub.quantity
    assert tub.quantity.how != "qty.po"


def test_a_figure_read_clearly_is_still_vouched_for_by_the_po() -> None:
    """The same figure read at 0.999 — or at 0.6, capped for asking but more likely right than not — is what
    the PO expects and needs no tick. Fails with evidence.PO_VOUCHES_FROM above evidence.ASK."""
    for score in (0.999, 0.6):
        tub = _tub(_block_slip(score))
        assert (tub.quantity.value, tub.quantity.doubtful, tub.quantity.how) == (47, False, "qty.po"), score
