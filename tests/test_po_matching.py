"""Which open PO a packing slip belongs to, and which PO row each of its lines is."""
from __future__ import annotations

from decimal import Decimal

import pytest

from commands.receiving.matching import (
    PoChoice,
    PoRow,
    match_lines,
    rank_orders,
    same_po_number,
    suggested_order,
    supplier_likeness,
)
from models.packing_slip import PackingSlip, Read, SlipLine


def row(row_id: int, sku: str, name: str, left: str = "10", codes: tuple[str, ...] = ()) -> PoRow:
    return PoRow(row_id=row_id, variant_id=row_id * 10, sku=sku, name=name, remaining=Decimal(left), codes=list(codes))


FARMS = PoChoice(po_id=31, order_no="PO-31", supplier="Fresh Farms Ltd", rows=[
    row(1, "MAT-TOMATO", "Tomatoes"), row(2, "MAT-ONION", "Onions"), row(3, "MAT-OIL", "Olive oil", codes=("FF-OIL-5L",))])
GLASS = PoChoice(po_id=32, order_no="PO-32", supplier="Glassworks GmbH", rows=[
    row(4, "MAT-JAR", "Glass jars"), row(5, "MAT-LABEL", "Labels")])
FARMS_LATER = PoChoice(po_id=35, order_no="PO-35", supplier="Fresh Farms Ltd", rows=[row(6, "MAT-TOMATO", "Tomatoes")])


def slip(*, po: str | None = None, supplier: str | None = None, skus: tuple[str | None, ...] = (),
         names: tuple[str | None, ...] = ()) -> PackingSlip:
    names = names or tuple(None for _ in skus)
    return PackingSlip(po_number=Read(value=po, confidence=0.9), supplier=Read(value=supplier, confidence=0.9),
                       lines=[SlipLine(sku=Read(value=s, confidence=0.9), description=Read(value=n, confidence=0.9),
                                       quantity=Read(value=Decimal(1), confidence=0.9)) for s, n in zip(skus, names)])


@pytest.mark.parametrize(("printed", "order_no", "same"), [
    ("PO-31", "PO-31", True), ("po 31", "PO-31", True), ("PO-0031", "PO-31", True), ("31", "PO-31", True),
    ("PO31", "PO-31", True), ("PO-310", "PO-31", False), ("PO-3", "PO-31", False), ("SO-31", "PO-31", False),
    (None, "PO-31", False), ("", "PO-31", False), ("PO-31", "", False)])
def test_po_numbers_are_compared_as_people_write_them(printed: str | None, order_no: str, same: bool) -> None:
    assert same_po_number(printed, order_no) is same


def test_printed_po_number_decides() -> None:
    ranked = rank_orders(slip(po="PO 32", supplier="Fresh Farms", skus=("MAT-TOMATO",)), [FARMS, GLASS])
    assert [r.po_id for r in ranked] == [32] and ranked[0].printed and "PO-32" in ranked[0].reason
    assert suggested_order(ranked) == ranked[0]


def test_without_a_po_number_supplier_and_skus_rank_the_open_orders() -> None:
    ranked = rank_orders(slip(supplier="FRESH FARMS LIMITED", skus=("mat-tomato", "MAT ONION", "FF-OIL-5L")),
                         [GLASS, FARMS, FARMS_LATER])
    assert [r.po_id for r in ranked] == [31, 35]  # all three products vs one of three; Glassworks not at all
    assert "3 of 3 products" in ranked[0].reason and "Fresh Farms" in ranked[0].reason
    assert suggested_order(ranked) is not None and suggested_order(ranked).po_id == 31  # type: ignore[union-attr]


def test_a_printed_number_that_is_not_open_falls_back_to_ranking() -> None:
    ranked = rank_orders(slip(po="PO-99", supplier="Glassworks", skus=("MAT-JAR",)), [FARMS, GLASS])
    assert ranked[0].po_id == 32 and not ranked[0].printed


def test_two_equally_likely_orders_are_not_guessed() -> None:
    ranked = rank_orders(slip(supplier="Fresh Farms", skus=("MAT-TOMATO",)), [FARMS, FARMS_LATER])
    assert {r.po_id for r in ranked} == {31, 35}
    assert suggested_order(ranked) is None


def test_nothing_in_common_ranks_nothing() -> None:
    assert rank_orders(slip(supplier="Acme Bolts", skus=("BOLT-M8",)), [FARMS, GLASS]) == []
    assert suggested_order([]) is None


def test_supplier_names_ignore_legal_forms_and_case() -> None:
    assert supplier_likeness("FRESH FARMS LTD.", "Fresh Farms Limited") == 1.0
    assert supplier_likeness("Glassworks", "Fresh Farms Ltd") < 0.5
    assert supplier_likeness(None, "Fresh Farms") == 0.0


def test_lines_match_rows_by_sku_supplier_code_or_name() -> None:
    lines = slip(skus=("mat-onion", "FF OIL 5L", None, "UNKNOWN-1"),
                 names=(None, None, "Tomatoes, vine", "Bolts")).lines
    assert match_lines(lines, FARMS) == [2, 3, 1, None]
    assert match_lines(lines, GLASS) == [None, None, None, None]
