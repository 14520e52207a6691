"""Labels and headings the vocabulary must know, in the eight languages, and labels the OCR glued to their
values (third corpus, seed 2701: 'Los:B26208', 'Art.nr.822418', 'llość wyd.', 'Termin przydatności').
Hand-made OCR boxes: fast, no OCR run."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from integrations.slips import vocab
from integrations.slips.layout import OcrBox, rows_of
from integrations.slips.parser import parse_slip
from integrations.slips.table import find_heading, read_table
from integrations.slips.values import learn_convention
from tests.slip_boxes import boxes_of, cells_under

DE_HEAD = [["Nordsee Gewürze GmbH", "Lieferschein"], ["Ihre Bestellung: PO-2679"], [""]]
PL_HEAD = [["Opakowania Wisła Sp. z o.o.", "WZ - wydanie zewnętrzne"], ["Nr zamówienia klienta: PO-77912"], [""]]


def printed_table(*rows: list[str], top: int = 2, columns: tuple[int, ...] = (40, 200, 420, 620, 740, 900)
                  ) -> list[OcrBox]:
    """Hand-made OCR boxes of a table whose cells sit under their headings (rows from line `top` down)."""
    return cells_under(rows, top, columns)


def test_a_label_glued_to_its_value_is_cut_off_it() -> None:
    """The OCR lost the space after a label's colon or dot: the label is still a label and the value its
    value, in any of the languages ('Los:B26208' lost the lot, 'Art.nr.822418' a card). A word that is no
    whole label before its dot stays as printed ('S.L.', 'Tel.+49', 'P.IVAIT'). (Fails without
    vocab.unglue's _label_glued_to_value pass.)"""
    assert [vocab.unglue(t) for t in ("Art.nr.822418", "Los:B26208", "Quantidade:21cx", "THT:03/2027",
                                      "Lote:L2609", "Artikel-Nr.:FLR-1", "Ch.B.:L1")] == [
        "Art.nr. 822418", "Los: B26208", "Quantidade: 21cx", "THT: 03/2027", "Lote: L2609",
        "Artikel-Nr.: FLR-1", "Ch.B.: L1"]
    assert [vocab.unglue(t) for t in ("S.L.", "Tel.+49", "P.IVAIT", "Wystawił:system", "n.°1234/AT.")] == [
        "S.L.", "Tel.+49", "P.IVAIT", "Wystawił:system", "n.°1234/AT."]
    read = parse_slip(boxes_of(*DE_HEAD, ["Artikelnummer 239506"], ["Bourbon-Vanille gemahlen"],
                                         ["Liefermenge: 20 g"], ["Los:B26208"], ["Verfall: 11/2027"],
                                         ["Artikelnummer 528041"], ["Rapsöl kaltgepresst"],
                                         ["Liefermenge: 5,00 l"], ["Los:2608-8986"]))
    assert [(l.sku.value, l.quantity.value, l.lot.value) for l in read.lines] == [
        ("239506", 20, "B26208"), ("528041", 5, "2608-8986")]


def test_the_german_lot_label_los_is_never_the_spanish_article() -> None:
    """'Los', 'Los-Nr.', 'Losnummer' label a German lot; 'los' in a Spanish name is an article, and what
    follows it no lot. (Fails without vocab._LOS in LOT_LABEL; the second half if 'los' is taken whatever
    its case.)"""
    assert all(vocab.LOT_LABEL.search(t) for t in ("Los: B26208", "Los-Nr. 4711", "Losnummer 4711", "LOS: 7"))
    assert not vocab.LOT_LABEL.search("Pimientos de los 12 valles")


def test_a_polish_quantity_label_whose_capital_i_the_ocr_read_as_l() -> None:
    """'Ilość wyd.:' read 'llość wyd.:' or 'Illość': the OCR's commonest confusion, I as l. Still the quantity
    label, so not left at the end of the item's name. (Fails without the I/l line in vocab._CONFUSIONS.)"""
    assert [vocab.unglue(t) for t in ("llość wyd.: 54", "Illość", "|lość", "ltem no.", "llama", "Iloraz")] == [
        "Ilość wyd.: 54", "Ilość", "Ilość", "Item no.", "llama", "Iloraz"]
    read = parse_slip(boxes_of(*PL_HEAD, ["Symbol L-1387-L"], ["Zakrętka fi 66 złota"], ["llość wyd.: 54 opak."],
                                         ["Seria: L260806"], ["Symbol L-0469-N"], ["Taśma jutowa 20 mm"],
                                         ["Illość wyd.: 200 m"]))
    assert [(l.sku.value, l.description.value, l.quantity.value, l.unit.value) for l in read.lines] == [
        ("L-1387-L", "Zakrętka fi 66 złota", 54, "cases"), ("L-0469-N", "Taśma jutowa 20 mm", 200, "m")]


def test_an_expiry_column_in_any_of_the_languages_is_read() -> None:
    """'Termin przydatności', 'Data de validade', 'Mindestens haltbar bis', 'F. cad.' head a table's expiry
    column: without them every expiry of the slip is lost (2701:41). (Fails without vocab._EXPIRY_WORDS in
    COLUMN_WORDS['expiry'].)"""
    read = parse_slip(boxes_of(*PL_HEAD) + printed_table(["Symbol", "Nazwa", "Ilość", "jm", "Seria", "Termin przydatności"],
                                              ["745-ZU97", "Śmietanka 30%", "22,500", "litr", "2610-4508",
                                               "2027-04-18"],
                                              ["936-MH83", "Papryka słodka", "48,200", "kg", "201226A",
                                               "2028-11-26"]))
    assert [(l.sku.value, l.quantity.value, l.lot.value, l.expiry.value) for l in read.lines] == [
        ("745-ZU97", Decimal("22.5"), "2610-4508", date(2027, 4, 18)),
        ("936-MH83", Decimal("48.2"), "201226A", date(2028, 11, 26))]
    for heading in ("Data de validade", "Mindestens haltbar bis", "F. cad.", "Data ważności", "Date de péremption",
                    "Data di scadenza", "Houdbaarheidsdatum", "Best before end"):
        assert vocab.COLUMN_WORDS["expiry"].search(heading), heading


def test_the_dash_a_date_was_joined_on_by_is_no_part_of_the_lot() -> None:
    """'Lote / F. cad.' heads one cell with both: 'B26219 -30-09-2028', 'B26231-06-12-2028'. The date is
    the expiry, the lot ends before the dash: 'B26219-' would be a lot no label bears. (Fails with
    table._lot_cell stripping only '/&+|' off the lot.)"""
    head = boxes_of(["Envases Levante S.L.", "Albarán de entrega"], ["Ref. pedido: PO-3548"])
    read = parse_slip(head + printed_table(["Referencia", "Descripción", "Lote / F. cad.", "Unidades", "Ud."],
                                           ["825768", "Aceite de oliva", "B26219 -30-09-2028", "6,0", "litros"],
                                           ["835793", "Vinagre de Jerez", "B26231-06-12-2028", "150", "litros"],
                                           columns=(40, 200, 420, 700, 820)))
    assert [(l.sku.value, l.lot.value, l.expiry.value) for l in read.lines] == [
        ("825768", "B26219", date(2028, 9, 30)), ("835793", "B26231", date(2028, 12, 6))]


def test_a_long_last_heading_over_short_values_keeps_them_in_its_column() -> None:
    """'jm  Termin przydatności' over 'litr  2027-04-18': the blank after the short dates under the long
    heading is wider than the gap between unit and date, yet no column starts right of its heading's
    middle: the dates are the expiries, not the unit cell's (2701:41 lost every expiry). (Fails with
    table.boundaries searching up to the right heading's end.)"""
    def row(y: int, *cells: tuple[str, int, int]) -> list[OcrBox]:
        return [OcrBox(text, 0.999, ((x0, y), (x1, y), (x1, y + 24), (x0, y + 24))) for text, x0, x1 in cells]

    rows = rows_of([  # where 2701:41's photo has these words
        *row(0, ("Lp.", 91, 119), ("Partia", 126, 181), ("Symbol", 233, 298), ("Nazwa", 326, 386), ("Ilość", 632, 680),
             ("jm", 689, 711), ("Termin", 736, 799), ("przydatności", 803, 918)),
        *row(40, ("1", 108, 118), ("2610-4508", 127, 209), ("745-ZU97", 234, 309), ("Śmietanka 30%", 324, 443),
             ("22,500", 627, 678), ("litr", 688, 716), ("2027-04-18", 740, 828)),
        *row(80, ("2", 106, 117), ("201226A", 127, 195), ("936-MH83", 233, 317), ("Papryka słodka", 324, 514),
             ("48,200", 624, 684), ("k28,2", 692, 734), ("2028-11-26", 741, 833)),
        *row(120, ("3", 99, 117), ("791-EL50", 233, 306), ("Karton wysyłkowy 5W", 323, 493), ("1 601", 636, 679),
             ("szt.", 690, 720))])
    heading = find_heading(rows)
    assert heading is not None
    lines = read_table(rows[heading[0]], rows[heading[0] + 1:], heading[1], learn_convention([r.text for r in rows]))
    assert [(l.sku.value, l.expiry.value) for l in lines] == [
        ("745-ZU97", date(2027, 4, 18)), ("936-MH83", date(2028, 11, 26)), ("791-EL50", None)]
