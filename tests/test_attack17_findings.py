"""Outside review 17: attacks on `git diff 81082c1..HEAD` (93b53aa), after review 16's fixes: the figure alone
above / under an item (table.read_table, corrected_from_above, _corrected_from_below, _subtotal; the same rule on
slips read by their codes, parser.best_reading / _struck), the 'Quant.' / 'Enviado' / 'Evasa' / 'Fornecido'
headings (vocab.py) and read_as_struck's misread unit (overprint.py).

Two groups of tests:

- FINDINGS: each FAILS on the reviewed code (93b53aa). Its docstring names the slip, what was observed, what is
  right, and whether 81082c1 had it too ('pre-existing' ones are near the changed code but not made by it).
  Severity: silent error / wrong value taken / needless ⚠ / lost value.
- ATTACKS THAT DID NOT BREAK IT (names start with `test_holds_`): they PASS on the reviewed code and record what
  was tried.
"""
from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from PIL import Image

from integrations.slips import Expected, ExpectedItem, ExpectedOrder
from integrations.slips.evidence import STRUCK
from integrations.slips.layout import OcrBox
from integrations.slips.overprint import mark_struck_through
from integrations.slips.parser import parse_slip
from models.packing_slip import SlipLine
from tests.slip_boxes import boxes_of, cells_under
from tests.test_slip_cards import placed

HEAD = boxes_of(["Pennine Packaging Ltd", "Delivery Note"], ["Customer Order Ref.: PO-4014", "Date: 13/06/2027"])
COLUMNS = (40, 160, 520, 660, 800)  # code, description, quantity, unit, lot
SPREAD = (40, 160, 480, 800, 1100)  # code, description, two long amount headings, lot
TABLE = ["Code", "Description", "Qty", "Unit", "Lot"]
OIL = ["31-593-25", "Olive oil", "1000", "l", "L260301"]
BOX = ["27-181-16", "Kraft gift box", "500", "units", "L260302"]
TUB = ["14-878-89", "Clear PET tub", "50", "case", "L270510"]
EMPTY = ["", "", "", "", ""]


def _order(*items: tuple[str, str, int | str]) -> Expected:
    return Expected(orders=(ExpectedOrder("PO-4014", "Pennine Packaging Ltd", tuple(
        ExpectedItem((code,), unit, Decimal(amount)) for code, unit, amount in items)),))


ORDER = _order(("31-593-25", "l", 1000), ("27-181-16", "pcs", 500), ("14-878-89", "cases", 50))


def _line(lines: list[SlipLine], sku: str) -> SlipLine:
    return next(line for line in lines if line.sku.value == sku)


def _scored(boxes: list[OcrBox], scores: dict[str, float] | None) -> list[OcrBox]:
    return [dataclasses.replace(box, score=(scores or {}).get(box.text, box.score)) for box in boxes]


def _read(rows: list[list[str]], xs: tuple[int, ...] = COLUMNS, expected: Expected | None = ORDER,
          scores: dict[str, float] | None = None, head: list[OcrBox] = HEAD) -> list[SlipLine]:
    return parse_slip(head + _scored(cells_under(tuple(rows), 4, xs), scores), expected).lines


def _by_codes(*rows: list[tuple[float, str]], expected: Expected = ORDER,
              scores: dict[str, float] | None = None) -> list[SlipLine]:
    """A slip whose heading row is not understood (none printed, or blurred): read by its item codes."""
    return parse_slip(HEAD + _scored(placed([], [], [], *rows), scores), expected).lines


def _shown(line: SlipLine) -> tuple[Decimal | None, bool]:
    return line.quantity.value, line.quantity.doubtful


def _all(lines: list[SlipLine]) -> list[tuple[str | None, Decimal | None, bool]]:
    return [(line.sku.value, *_shown(line)) for line in lines]


def _silent(line: SlipLine, right: Decimal | int) -> bool:
    """A quantity shown without ⚠ that is not what came."""
    return line.quantity.value is not None and line.quantity.value != right and not line.quantity.doubtful


# items as printed on a slip read by codes: code, name, quantity, unit
P_OIL = [(40, "31-593-25"), (200, "Olive oil"), (700, "1000"), (780, "l")]
P_BOX = [(40, "27-181-16"), (200, "Kraft gift box"), (700, "500"), (780, "units")]
P_TUB = [(40, "14-878-89"), (200, "Clear PET tub"), (700, "50"), (780, "cases")]


# ----------------------------------------------------------------------------------------------------------------
# FINDINGS — headings (vocab.py: 'Enviado', 'Evasa', 'Fornecido', 'Quant.')
# ----------------------------------------------------------------------------------------------------------------


def test_sent_and_supplied_quantity_headings_are_one_heading_each() -> None:
    """NEEDLESS ⚠ on every line of common slips, new. Spanish albarán 'Código | Descripción | Cant. enviada |
    Unidad | Lote' (also 'Cantidad enviada', pt 'Quantidade enviada', 'Qtd. fornecida', 'Quantidade fornecida',
    it 'Quantità evasa', 'Qtà evasa', and 'Quant. enviada/evasa/fornecida'), and the two-amount forms
    'Cant. pedida | Cant. enviada', 'Q.tà ordinata | Q.tà evasa', 'Qtd. encomendada | Qtd. fornecida'. The
    new words 'enviad[oa]s?', 'evas[oa]', 'fornecid[oa]s?' match inside the heading beside 'Cant.' /
    'Quantidade' / 'Qtà' / 'Qtd.', so `_quantity_twice` sees the quantity named twice and every quantity is a
    rival: ⚠ on each line, the PO vouches for none. 81082c1 read all of them right and unmarked (the 'Cant.
    pedida | Cant. enviada' figures too). Right: no ⚠. Fix: compound headings as for 'Qté livrée' / 'Qtd.
    entregue' — `(?:cant(?:idad)?|quantidade|qtde?|quant|q\\.?\\s?t[àa]|quantit[àa])\\.?\\s*(?:enviad[oa]s?|
    evas[oa]|fornecid[oa]s?)` before the bare words; or let `_quantity_twice` ignore a second match that lies
    in the same heading box as the taken one ('Quantité livrée', 'Quantità consegnata', 'Cantidad servida' have
    the same trouble since before 81082c1)."""
    for heading in ("Cant. enviada", "Cantidad enviada", "Quantidade enviada", "Qtd. fornecida", "Quantidade fornecida",
                    "Quantità evasa", "Qtà evasa", "Quant. enviada", "Quant. evasa"):
        lines = _read([["Code", "Description", heading, "Unit", "Lot"], ["31-593-25", "Olive oil", "900", "l", "L260301"],
                       BOX, TUB], SPREAD, _order(("31-593-25", "l", 900), ("27-181-16", "pcs", 500),
                                                 ("14-878-89", "cases", 50)))
        assert [_shown(line) for line in lines] == [(900, False), (500, False), (50, False)], heading
    for ordered, sent in (("Cant. pedida", "Cant. enviada"), ("Q.tà ordinata", "Q.tà evasa"),
                          ("Qtd. encomendada", "Qtd. fornecida")):
        lines = _read([["Code", "Description", ordered, sent, "Lot"], ["31-593-25", "Olive oil", "1000", "900", "L260301"],
                       ["27-181-16", "Kraft gift box", "500", "500", "L260302"],
                       ["14-878-89", "Clear PET tub", "50", "50", "L270510"]], SPREAD)
        assert [_shown(line) for line in lines] == [(900, False), (500, False), (50, False)], (ordered, sent)


@pytest.mark.xfail(strict=True, reason="'Quant. pendente' as one outstanding heading was tried and dropped: the OCR "
                   "reads the separate headings 'Quant.' and 'Pendente' as one box (third corpus 2708:34, 2709:37), "
                   "and the heading row then lost its quantity, description and expiry columns")
def test_a_pending_column_after_the_delivered_one_is_not_taken() -> None:
    """WRONG VALUE TAKEN on every line, new ('Quant.'; the same since before 81082c1 for 'Qtd. | Qtd. pendente',
    'Cant. servida | Cant. pendiente', 'Quantità evasa | Quantità residua'). Portuguese 'Ref. | Descrição |
    Quant. entregue | Quant. pendente | Lote' (and 'Quant. | Quant. pendente', 'Quant. | Quant. em falta',
    'Quant. | Quant. a entregar'): 900 delivered, 100 still to come; 500 and 50 delivered in full, 0 pending.
    'pendente' / 'em falta' head the outstanding amount, but the 'Quant.' in front of them is now a second
    quantity heading, the last one: the column taken is the PENDING one — 100, 0, 0 read as what came (marked).
    81082c1 read 'Quant. entregue | Quant. pendente' right (900, 500, 50) and the others not at all. Right:
    900, 500, 50. Fix: 'quant\\.' (and 'qtd\\.?', 'cant\\.?', 'quantit[àa]') followed by an outstanding word
    ('pendente', 'em falta', 'a entregar', 'pendiente', 'residua', 'da consegnare') is one outstanding heading;
    generally, a quantity match overlapped in its heading box by an outstanding or ordered one is none."""
    for delivered, pending in (("Quant. entregue", "Quant. pendente"), ("Quant.", "Quant. pendente"),
                               ("Quant.", "Quant. em falta"), ("Quant.", "Quant. a entregar")):
        lines = _read([["Ref.", "Descrição", delivered, pending, "Lote"], ["31-593-25", "Olive oil", "900", "100", "L260301"],
                       ["27-181-16", "Kraft gift box", "500", "0", "L260302"],
                       ["14-878-89", "Clear PET tub", "50", "0", "L270510"]], SPREAD)
        assert [line.quantity.value for line in lines] == [900, 500, 50], (delivered, pending, _all(lines))


def test_a_letterhead_labels_row_naming_enviado_is_no_table_heading() -> None:
    """LOST VALUES, new. A Portuguese guia de remessa whose boxed header prints its labels on a row of their own
    (no digits): 'Código Cliente | Enviado a | Unidade | Vendedor' (or 'Fornecido por | Ref.ª Cliente | Lote de
    entrega'), above the table 'Ref. | Descrição | Qtd. encomendada | Qtd. entregue | Lote'. With 'enviad[oa]',
    'fornecid[oa]' now quantity headings, that labels row names a code, a quantity and a unit: `find_heading`
    takes the FIRST such row, the table is read under the letterhead's columns, the ordered column is not
    known, and the oil (900 of 1000) and the tub are left without a quantity. 81082c1 read 900, 500, 50.
    Right: 900, 500, 50. Fix: 'Enviado a/para/por', 'Fornecido por' (a party, not an amount) are no heading
    (`enviad[oa]s?(?!\\s*(?:a|para|por|to)\\b)`), and/or of two rows that read as headings prefer the one
    right above the goods (the first item row)."""
    for labels in (["Código Cliente", "Enviado a", "Unidade", "Vendedor"],
                   ["Fornecido por", "Ref.ª Cliente", "Lote de entrega", "Vendedor"]):
        head = HEAD + boxes_of([], [], [], labels)
        lines = _read([["Ref.", "Descrição", "Qtd. encomendada", "Qtd. entregue", "Lote"],
                       ["31-593-25", "Olive oil", "1000", "900", "L260301"], ["27-181-16", "Kraft gift box", "500", "500", "L260302"],
                       ["14-878-89", "Clear PET tub", "50", "50", "L270510"]], SPREAD, head=head)
        assert [line.quantity.value for line in lines] == [900, 500, 50], (labels, _all(lines))


# ----------------------------------------------------------------------------------------------------------------
# FINDINGS — a figure alone on a slip read by its codes (parser.best_reading)
# ----------------------------------------------------------------------------------------------------------------


def test_a_pallet_subtotal_on_a_slip_read_by_codes_corrects_nothing() -> None:
    """NEEDLESS ⚠ and WRONG VALUE TAKEN, new. A slip read by its codes (its heading row not understood) with
    goods by pallet: pallet 1 'Olive oil 300 l', 'Kraft gift box 200 units', its subtotal '500' printed bare
    under the quantities, 'Pallet 2 of 2' (taken out by pallets.py), then 'Clear PET tub 400 cases'. The table
    reading skips a subtotal (table._subtotal) but parser.best_reading does not: the tub, right, becomes a rival
    (⚠, never vouched); where the tub's 400 was struck and '380' written under it, the tub TAKES 500 — the
    pallet's subtotal. 81082c1: 400, unmarked (and 400 struck-and-marked). Right: 400 unmarked; struck, 400
    or 380 marked. Fix: in best_reading, skip a figure alone that is the sum of two or more items right above
    (reuse table._subtotal on by_code), as read_table does."""
    expected = _order(("31-593-25", "l", 300), ("27-181-16", "pcs", 200), ("14-878-89", "cases", 400))
    rows = ([(40, "31-593-25"), (200, "Olive oil"), (700, "300"), (780, "l")],
            [(40, "27-181-16"), (200, "Kraft gift box"), (700, "200"), (780, "units")], [(700, "500")],
            [(40, "Pallet 2 of 2")], [(40, "14-878-89"), (200, "Clear PET tub"), (700, "400"), (780, "cases")])
    assert _shown(_line(_by_codes(*rows, expected=expected), "14-878-89")) == (400, False)
    struck = _by_codes(*rows, [(700, "380")], expected=expected, scores={"400": STRUCK})
    assert _line(struck, "14-878-89").quantity.value in (400, 380), _all(struck)


def test_an_items_own_figure_on_its_second_line_marks_nothing_on_a_slip_read_by_codes() -> None:
    """NEEDLESS ⚠, new. Read by codes: 'Olive oil extra virgin   l' with its quantity '1000' printed on the
    line under it (a two-line cell aligned to its bottom), then 'Kraft gift box 500 units'. The oil rightly
    takes 1000 from its second line — and the same 1000, right above the gift box, marks the gift box's 500 as
    a rival. read_table skips a figure the item above took for its own (`alone.value == taken`);
    parser.best_reading does not. 81082c1: 500 unmarked. Right: no ⚠. Fix: in best_reading, skip a figure
    alone equal to the item above's quantity (as read_table does)."""
    lines = _by_codes([(40, "31-593-25"), (200, "Olive oil extra virgin"), (780, "l")], [(700, "1000")], P_BOX, P_TUB)
    assert _shown(_line(lines, "31-593-25"))[0] == 1000
    assert _shown(_line(lines, "27-181-16")) == (500, False)


def test_a_correction_beside_the_struck_figure_is_not_replaced_by_a_figure_above_on_a_slip_read_by_codes() -> None:
    """WRONG VALUE TAKEN, new. Read by codes: 'Olive oil 1000 l' with '900' written under it (its correction),
    then 'Kraft gift box 500 units' with 500 struck and '400' written beside it on its own row. parser._struck
    asks only whether some word of the block scored <= STRUCK has the line's value: the gift box TAKES 900, the
    oil's figure, and the 400 beside its own struck figure is passed over. (Without the figure above it keeps
    500, marked.) read_table guards this with `_struck_printed` and `_line`'s written-beside rule; the by-code
    path has neither. 81082c1: 500, marked. Right: 400 (or the item's own 500), marked. Fix: in best_reading,
    do not take a figure from above where the item's own row holds another bare figure of its order of size
    beside the struck one (take that one instead)."""
    lines = _by_codes(P_OIL, [(700, "900")], [*P_BOX, (880, "400")], P_TUB, scores={"500": STRUCK})
    assert _line(lines, "27-181-16").quantity.value in (400, 500), _all(lines)


# ----------------------------------------------------------------------------------------------------------------
# FINDINGS — which item a figure alone corrects (table.read_table, both paths)
# ----------------------------------------------------------------------------------------------------------------


def test_corrections_written_under_each_figure_are_not_taken_for_the_next_item() -> None:
    """WRONG VALUE TAKEN, new. A person corrects by striking the printed figure and writing the delivered one
    UNDER it, read as a row of its own: 'Olive oil 1000' struck, '900' under it; 'Kraft gift box 500' struck,
    '400' under it; 'Clear PET tub 50'. The gift box's struck 500 takes the figure above it — 900, the OIL's
    correction — though its own 400 is right under it; the tub is marked. Same where the oil's stroke was
    missed (only the box seen struck), and on the slip read by its codes. 81082c1: 500 (the box's own printed
    figure, marked). Right: 400, or the box's own 500, marked. Fix (as review 16 proposed): a figure alone is
    taken for the struck item below only when no figure alone follows that item too (then the slip writes its
    corrections under the figures, and the one under the item is its own); and never when the item above was
    struck as well."""
    for scores in ({"1000": STRUCK, "500": STRUCK}, {"500": STRUCK}):
        lines = _read([TABLE, OIL, ["", "", "900", "", ""], BOX, ["", "", "400", "", ""], TUB], scores=scores)
        assert _line(lines, "27-181-16").quantity.value in (400, 500), (scores, _all(lines))
        lines = _by_codes(P_OIL, [(700, "900")], P_BOX, [(700, "400")], P_TUB, scores=scores)
        assert _line(lines, "27-181-16").quantity.value in (400, 500), (scores, _all(lines))


def test_a_missed_stroke_above_a_struck_item_is_no_silent_error() -> None:
    """SILENT ERROR, PRE-EXISTING (81082c1 the same), left open by review 16's fix. 'Olive oil 1000' with '900'
    written under it — its stroke too pale for the picture check — then 'Kraft gift box 500' struck, '400'
    written under it. `_corrected_from_below` marks the item above a figure alone only when the item below was
    NOT seen struck; here it was, so the 900 is given to the box (see the finding above) and the oil shows
    1000 'qty.po' without ⚠ — the PO vouches for the ordered figure. Right: the oil marked. Fix: mark the item
    above whatever the item below is (a figure alone between two items may correct either: both marked), and
    take it for the one below only as in the finding above."""
    lines = _read([TABLE, OIL, ["", "", "900", "", ""], BOX, ["", "", "400", "", ""], TUB], scores={"500": STRUCK})
    assert not _silent(_line(lines, "31-593-25"), 900), _all(lines)


def test_a_figure_filled_in_by_hand_is_not_a_struck_one() -> None:
    """WRONG VALUE TAKEN, new. A slip whose quantity column is blank and filled in by hand (common where the
    warehouse writes what it packed): the OCR scores handwriting low (0.15 here, under STRUCK = 0.2). The oil's
    '1000' is written low in its cell and falls on a row of its own; the gift box's '500' sits on its row.
    `_struck_printed` calls any cell scored <= STRUCK struck, so the gift box TAKES 1000 — the oil's figure.
    Review 16 reported the low-score-is-no-strike problem (test_an_unsure_reading_is_not_a_struck_figure); its
    fix compares the cell's OCR score instead of the confidence, which a handwritten cell still passes.
    81082c1: 500 (marked). Right: 500 (marked is fine). Fix: take the figure above only for a figure the
    picture check struck (a flag or a distinct score set by overprint.mark_struck_through, e.g. exactly
    STRUCK from a stroke, not any score under it), or only where the printed figure was printed (a cell whose
    word scored OCR_SURE-like before the strike)."""
    lines = _read([TABLE, ["31-593-25", "Olive oil", "", "l", "L260301"], ["", "", "1000", "", ""], BOX, TUB],
                  scores={"1000": 0.15, "500": 0.15, "50": 0.15})
    assert _line(lines, "27-181-16").quantity.value == 500, _all(lines)


def test_a_page_number_far_under_the_table_marks_nothing() -> None:
    """NEEDLESS ⚠, new. The page's number '1' printed at the foot of the page, four blank lines under the last
    item, where the quantity column runs (centred page numbers often do). `_corrected_from_below` takes it for
    a correction written under the last item's figure: 6 cases is marked, never vouched (1 is 'of the order'
    of 6). 81082c1: 6 unmarked. Right: no ⚠. Fix: a figure alone corrects an item only right under (or right
    above) its row — within about one and a half row heights — not from across a blank stretch."""
    expected = _order(("31-593-25", "l", 10), ("27-181-16", "pcs", 5), ("14-878-89", "cases", 6))
    lines = _read([TABLE, ["31-593-25", "Olive oil", "10", "l", "L260301"], ["27-181-16", "Kraft gift box", "5", "units", "L260302"],
                   ["14-878-89", "Clear PET tub", "6", "case", "L270510"], EMPTY, EMPTY, EMPTY, EMPTY, ["", "", "1", "", ""]],
                  expected=expected)
    assert _all(lines) == [("31-593-25", 10, False), ("27-181-16", 5, False), ("14-878-89", 6, False)]


# ----------------------------------------------------------------------------------------------------------------
# FINDINGS — read_as_struck's misread unit (overprint._misread_unit) and continued tables
# ----------------------------------------------------------------------------------------------------------------


def test_a_printed_word_one_letter_off_a_unit_after_a_glued_quantity_label_is_not_struck() -> None:
    """NEEDLESS ⚠, new. Review 16's fix keeps 'any word' after 'Qty:6-' only for a unit with one letter
    misread (`_misread_unit`: four letters or more, any one letter off a unit synonym). Ordinary printed words
    are one letter off a unit too: 'Qty:6-cans' (a six-can pack; 'ctns'), 'Menge:3-fach' (threefold; 'each'),
    'Qty:2-part' and 'Qty:3-cart' ('kart'), 'Anzahl:4-Kant' (square-section stock; 'kart'), 'Qty:1-door'
    ('doos'). Where the OCR glues the label on, each is called struck: score 0.2, ⚠, never vouched although the
    PO agrees. 81082c1 did not mark them. Right: not struck. Fix: count only the letters the OCR confuses
    (l↔i as in 'calxas', rn↔m, 0↔o, 1↔l, c↔e, u↔v …) as a misread, not any letter; or require the word to be
    no word of the slip's languages (a short list of the pack words seen: can(s), fach, part, door …)."""
    page = Image.new("RGB", (600, 300), "white")
    for text in ("Qty:6-cans", "Menge:3-fach", "Qty:2-part", "Qty:3-cart", "Anzahl:4-Kant", "Qty:1-door"):
        assert mark_struck_through(page, [_word(text)])[0].words[0][1] > STRUCK, text


def test_a_brought_forward_row_atop_a_continued_table_is_no_goods_line() -> None:
    """SILENT ERROR (an invented line without ⚠), PRE-EXISTING (81082c1 the same), found on the continued tables
    the brief named. Page 2 of a delivery note, photographed on its own: the heading again, then the running
    total carried over from page 1 — 'Transporte  1500' (pt; also 'Übertrag', 'Report', 'Riporto', 'Brought
    forward', 'A transportar'), then the items. `_line` keeps it as a goods line (no code, no lot, but
    'Transporte' 'names goods'), quantity 1500, qty.cell, no ⚠ — a line nothing was delivered for. (The same
    row at the foot, 'Carried forward 1550', is dropped by `_without_total` when it sums the page.) Right: no
    such line, or marked. Fix: carry-over words (übertrag, transporte, a transportar, report, riporto, brought
    / carried forward, suma anterior is already one) as footer-like words for a codeless row, or mark every kept
    line that has neither code nor lot."""
    for word in ("Transporte", "Übertrag", "Report", "Riporto", "Brought forward", "A transportar"):
        lines = _read([TABLE, ["", word, "1500", "", ""], OIL, BOX, TUB])
        assert not any(line.quantity.value == 1500 and not line.quantity.doubtful for line in lines), (word, _all(lines))


# ----------------------------------------------------------------------------------------------------------------
# ATTACKS THAT DID NOT BREAK IT (pass on the reviewed code)
# ----------------------------------------------------------------------------------------------------------------


def _word(text: str) -> OcrBox:
    width = 13.0 * len(text)
    return OcrBox(text, 0.999, ((100.0, 100.0), (100.0 + width, 100.0), (100.0 + width, 124.0), (100.0, 124.0)),
                  ((text, 0.999, 100.0, 100.0 + width),))


def test_holds_sent_shipped_supplied_alone_head_the_quantity() -> None:
    """Tried: 'Enviado', 'Evasa', 'Fornecido' alone, and 'Encomendado | Enviado', 'Pedido | Enviado', 'Ordinato |
    Evaso' (ordered, then sent): read right and unmarked (81082c1 lost most of them); 'Quant. entr.', 'Quant.
    liv.' (abbreviated delivered) read unmarked."""
    expected = _order(("31-593-25", "l", 900), ("27-181-16", "pcs", 500), ("14-878-89", "cases", 50))
    for heading in ("Enviado", "Evasa", "Fornecido", "Quant. entr.", "Quant. liv."):
        lines = _read([["Code", "Description", heading, "Unit", "Lot"], ["31-593-25", "Olive oil", "900", "l", "L260301"],
                       BOX, TUB], SPREAD, expected)
        assert [_shown(line) for line in lines] == [(900, False), (500, False), (50, False)], heading
    for ordered, sent in (("Encomendado", "Enviado"), ("Pedido", "Enviado"), ("Ordinato", "Evaso")):
        lines = _read([["Code", "Description", ordered, sent, "Lot"], ["31-593-25", "Olive oil", "1000", "900", "L260301"],
                       ["27-181-16", "Kraft gift box", "500", "500", "L260302"],
                       ["14-878-89", "Clear PET tub", "50", "50", "L270510"]], SPREAD)
        assert [_shown(line) for line in lines] == [(900, False), (500, False), (50, False)], (ordered, sent)


def test_holds_read_as_struck_leaves_dates_and_pack_words_alone() -> None:
    """Tried: dates and spans after a delivered label ('Shipped:12-Mar', 'Enviado:12-Junho', 'Enviado:2-dias',
    'Quant.:3-meses'), and pack words not one letter off a unit ('Qty:2-ply', 'Qty:2-kits', 'Qty:1-pair',
    'Qty:2-rolls', 'Menge:2-Paar', 'Qtd:2-lote', 'Qty:1-lata'): none is struck."""
    page = Image.new("RGB", (600, 300), "white")
    for text in ("Shipped:12-Mar", "Enviado:12-Junho", "Enviado:2-dias", "Quant.:3-meses", "Qty:2-ply", "Qty:2-kits",
                 "Qty:1-pair", "Qty:2-rolls", "Menge:2-Paar", "Qtd:2-lote", "Qty:1-lata"):
        assert mark_struck_through(page, [_word(text)])[0].words[0][1] > STRUCK, text


def test_holds_second_rows_that_are_no_correction_mark_nothing() -> None:
    """Tried: the item's own quantity printed again on its EAN row ('EAN 4017761163852  1000'); a weight
    column with the gross weight on a second row '(gross 940,5)'; a pallet subtotal of decimal quantities
    ('12,5' + '7,25' = '19,75' bare between items); a labelled carry-over at the foot ('Carried forward 1550',
    the page's sum): nothing marked, nothing invented."""
    lines = _read([TABLE, OIL, ["", "EAN 4017761163852", "1000", "", ""], BOX, TUB])
    assert [_shown(line) for line in lines] == [(1000, False), (500, False), (50, False)]
    lines = _read([["Code", "Description", "Qty", "Unit", "Net weight", "Lot"], [*OIL[:4], "920,0", OIL[4]],
                   ["", "", "", "", "(gross 940,5)", ""], [*BOX[:4], "12,5", BOX[4]], [*TUB[:4], "210,0", TUB[4]]],
                  (40, 160, 480, 600, 720, 880))
    assert [_shown(line) for line in lines] == [(1000, False), (500, False), (50, False)]
    expected = _order(("31-593-25", "l", "12.5"), ("27-181-16", "pcs", "7.25"), ("14-878-89", "cases", 15))
    lines = _read([TABLE, ["31-593-25", "Olive oil", "12,5", "l", "L1"], ["27-181-16", "Kraft gift box", "7,25", "units", "L2"],
                   ["", "", "19,75", "", ""], ["14-878-89", "Clear PET tub", "15", "case", "L3"]], expected=expected)
    assert [_shown(line) for line in lines] == [(Decimal("12.5"), False), (Decimal("7.25"), False), (15, False)]
    lines = _read([TABLE, OIL, BOX, TUB, ["", "Carried forward", "1550", "", ""]])
    assert [_shown(line) for line in lines] == [(1000, False), (500, False), (50, False)]


def test_holds_a_letterhead_naming_enviado_without_two_other_headings_is_harmless() -> None:
    """Tried: 'Enviado a: Hotel Miramar' and 'Enviado a: Hotel Miramar  Ref. Cliente' in the letterhead (two
    kinds at most, so no heading row): the table under it is read right."""
    for extra in (["Enviado a:", "Hotel Miramar"], ["Enviado a:", "Hotel Miramar", "Ref. Cliente"]):
        lines = _read([["Ref.", "Descrição", "Qtd. encomendada", "Qtd. entregue", "Lote"],
                       ["31-593-25", "Olive oil", "1000", "900", "L260301"], ["27-181-16", "Kraft gift box", "500", "500", "L260302"],
                       ["14-878-89", "Clear PET tub", "50", "50", "L270510"]], SPREAD, head=HEAD + boxes_of([], [], extra))
        assert [_shown(line) for line in lines] == [(900, False), (500, False), (50, False)], extra


def test_holds_a_written_figure_above_a_struck_item_on_a_slip_read_by_codes() -> None:
    """Tried (the rule as meant): by codes, '400' written above the gift box's struck 500, nothing under it: 400
    taken, marked; the tub below unmarked. And the oil's correction '900' under it with the gift box not struck:
    both oil and box marked, no silent error."""
    lines = _by_codes(P_OIL, [(700, "400")], P_BOX, P_TUB, scores={"500": STRUCK})
    assert (_shown(_line(lines, "27-181-16")), _shown(_line(lines, "14-878-89"))) == ((400, True), (50, False))
    lines = _by_codes(P_OIL, [(700, "900")], P_BOX, P_TUB)
    assert _line(lines, "31-593-25").quantity.doubtful and _line(lines, "27-181-16").quantity.doubtful
