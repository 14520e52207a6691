"""Goods lines found without trusting the slip's headings: by item codes, then by what surrounds them.

An item starts where an item code is printed: a word that is one of the codes the open PO expects (the
dictionary, forgiving OCR's confusions), or failing that a word shaped like a code. Its fields are what
follows on its printed line and, in block layouts, on the lines under it until the next item: a labelled
value first (Lot: …, MHD …, Qty: …), else by what the value looks like — a number with a unit is the
quantity, another code is the lot, a date is the expiry, the remaining words the description. Table rows
whose columns are told only by a heading row are read by `table.py` when the heading is understood.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from integrations.slips import vocab
from integrations.slips.dictionary import Dictionary
from integrations.slips.items import (
    PACK_SIZE,
    QTY_LABEL,
    SEPARATORS,
    Quantity,
    code_certainty,
    is_footer,
    labelled_lot_and_expiry,
    litres,
    looks_like_code,
    quantities,
    read,
    rivalled,
    tidy_code,
    unlabelled_barcode,
)
from integrations.slips.layout import Row, Word
from integrations.slips.values import MONTHS, Convention, find_date
from models.packing_slip import Read, SlipLine

POSITION = re.compile(r"\d{1,2}[.)]?")


@dataclass(frozen=True)
class Anchor:
    row: int  # index into the body rows
    word: int  # index of the code's word in its row
    code: str  # as it will be reported (snapped to the dictionary when it matched)
    certainty: float
    known: bool  # found in the dictionary


def find_anchors(rows: list[Row], dictionary: Dictionary) -> list[Anchor]:
    """One anchor per item row: the dictionary's code if the row has one, else the left-most code-shaped word."""
    anchors: list[Anchor] = []
    shaped: dict[int, list[Word]] = {}  # row → its code-shaped words, for _same_column
    end = len(rows)
    for r, row in enumerate(rows):
        if is_footer(row.text) and ends_goods(rows, r, [rows[a.row].words[a.word].x0 for a in anchors]):
            end = r
            break
        found = _known_code(row, dictionary) or _shaped_code(row, shaped.setdefault(r, []))
        if found is not None and not (not found[3] and anchors and _details_of(row, rows[anchors[-1].row])):
            anchors.append(Anchor(r, *found))
    heading = _heading_above(rows, anchors[0].row) if anchors else None
    anchors = [_same_column(a, rows[a.row], shaped, heading) for a in anchors]
    anchors = anchors if any(a.known for a in anchors) or not dictionary else \
        [a for a in anchors if a.known] or anchors
    return sorted(anchors + _numbered_without_code(rows[:end], anchors), key=lambda a: a.row)


def _details_of(row: Row, item: Row) -> bool:
    """A row that starts with a quantity label under an item whose own row printed no quantity is that
    item's details line ('Qté livrée: 250g  N°tot L261729' under 'S-1524-S  Fleur de sel': the blurred lot
    label let the lot start an item and take the details, third corpus 2705:4). Where each item's row
    starts with its quantity ('Menge: 12 kg  FLR-1001 Weizenmehl', outside review 10) it starts an item."""
    return QTY_LABEL.match(row.text) is not None and not any(q.unit for q in quantities(item.text, Convention()))


def _numbered_without_code(rows: list[Row], anchors: list[Anchor]) -> list[Anchor]:
    """Items of a numbered list printed without an item code ('2.  Palet europeo' between '1.  FLR-1001 …'
    and '3.  SUG-2002 …': a returnable pallet, a service). Each starts an item of its own (code ''): read
    into the item above, it was lost and lent that item its quantity. Only where the coded items are
    numbered too, with the number at the same place."""
    numbered = {a.row for a in anchors}
    places = [rows[a.row].words[0].x0 for a in anchors if _numbered(rows[a.row])]
    return [Anchor(r, 0, "", 0.0, False) for r, row in enumerate(rows)
            if r not in numbered and places and _numbered(row) and _names_something(row, row.words[0].text)
            and any(abs(row.words[0].x0 - x) < row.height for x in places)]


def _numbered(row: Row) -> bool:
    """'2.' or '2)' before the row's other words: an item's position in a list."""
    return len(row.words) > 1 and re.fullmatch(r"\d{1,2}[.)]", row.words[0].text) is not None


def ends_goods(rows: list[Row], r: int, items_x: list[float]) -> bool:
    """Whether rows[r], which holds a footer word, ends the goods. Not where it is an item row itself
    (Spanish 'Queso tierno peso variable', 'Fage Total 0%') nor where an item row follows it (a block's
    'Peso neto: 8,45 kg' details line), or within the next two rows (a pallet's 'Total de volumes 400' and its
    'Palete 1: …' line between two pallets' items; third corpus 2715:10): stopping there drops every item below
    without a word. Item rows are
    told by a code printed where the items above print theirs (`items_x`), so a total's or a bank line's
    number elsewhere on the row starts nothing."""
    return not any(item_row(row, items_x) for row in rows[r:r + 3])


def item_row(row: Row, items_x: list[float]) -> bool:
    """A code-shaped word on the row that starts where the item codes above start (anywhere, above the first)."""
    return any(not items_x or abs(word.x0 - x) < row.height for word in _code_words(row) for x in items_x or [0])


def codes_x(rows: list[Row]) -> list[float]:
    """Where each row's first code-shaped word starts (rows without one give nothing)."""
    return [words[0].x0 for row in rows if (words := _code_words(row))]


def _code_words(row: Row) -> list[Word]:
    def code(text: str) -> bool:
        return len(text) >= 4 and looks_like_code(text) and not PACK_SIZE.fullmatch(text)
    return [word for word in row.words if code(_unbracketed(word.text.strip(SEPARATORS)))]


def _known_code(row: Row, dictionary: Dictionary) -> tuple[int, str, float, bool] | None:
    """A word (or two OCR split apart) that reads as one of the PO's codes. The code is kept as printed:
    snapping.py replaces it by the PO's and says so. The surest match on the row wins, the left-most among
    equals: '1' and 'HNY-2313' joined are one character off HNY-2313, but 'HNY-2313' alone is the code."""
    found: list[tuple[float, int, str]] = []
    for w, word in enumerate(row.words):
        if (hit := dictionary.code_for(word.text)) is not None:
            found.append((hit[1], w, word.text))
        if w + 1 < len(row.words) and (hit := dictionary.code_for(both := word.text + row.words[w + 1].text)):
            found.append((hit[1], w, both))
    if not found:
        return None
    _, w, text = max(found, key=lambda f: (f[0], -f[1]))
    return w, text.strip(SEPARATORS + BRACKETS), code_certainty(text), True


def _same_column(anchor: Anchor, row: Row, shaped: dict[int, list[Word]], heading: Row | None) -> Anchor:
    """Of two code-shaped words on a table row, the item code is not the one under a lot or expiry heading,
    even where the heading row as a whole was not understood ('Lote' over 'B-95259', 'C6d.' over
    'FLR-2192'): a lot column may come before the code column."""
    candidates = shaped.get(anchor.row, [])
    if heading is None or anchor.known or len(candidates) < 2 or _marked_as_code(row.words, anchor.word):
        return anchor

    def under(word: Word) -> set[str]:
        text = " ".join(h.text for h in heading.words if h.x0 < word.x1 + 8 and word.x0 - 8 < h.x1)
        return {kind for kind, pattern in vocab.COLUMN_WORDS.items() if pattern.search(text)}

    if not under(row.words[anchor.word]) & {"lot", "expiry"}:
        return anchor
    others = [w for w in candidates if w is not row.words[anchor.word] and not under(w) & {"lot", "expiry"}]
    if not others:
        return anchor
    text = _unbracketed(others[0].text.strip(SEPARATORS))
    return Anchor(anchor.row, row.words.index(others[0]), tidy_code(text), code_certainty(text), False)


def _heading_above(rows: list[Row], first: int) -> Row | None:
    """The nearest row above the first item that names two or more kinds of column."""
    for row in reversed(rows[:first]):
        if len({kind for kind, pattern in vocab.COLUMN_WORDS.items() if pattern.search(row.text)} - {"pos"}) >= 2:
            return row
    return None


def _shaped_code(row: Row, seen: list[Word] | None = None) -> tuple[int, str, float, bool] | None:
    """The row's item code by its shape: one printed in brackets or after a code label ('Weizenmehl T550
    [FLR-1001]', 'Mehl  Art.-Nr. FLR-1001') before the left-most. Only a row that also names something
    starts an item: 'L2304A  12.05.2026' under an item is its lot and expiry, not the next item."""
    words = row.words
    found: list[tuple[int, str]] = []
    for w, word in enumerate(words):
        text = _unbracketed(word.text.strip(SEPARATORS))
        before = " ".join(x.text for x in words[max(0, w - 2):w])
        if w == 0 and POSITION.fullmatch(text) and len(words) > 1:
            continue
        if _after_label(before):
            break  # "Lot: L123" or "PO: 4711" starts no item, nor does what follows it
        if PACK_SIZE.fullmatch(text) or len(text) < 4 or _postcode_and_town(words, w):
            continue  # "40x30", "12x250g": a pack size in a description, never an item code
        if looks_like_code(text) and any(c.isalpha() for c in " ".join(x.text for x in words)) and \
                not vocab.PHONE_OR_TAX.search(before + " " + text):
            found.append((w, text))
    if seen is not None:
        seen.extend(words[w] for w, _ in found)
    if not found:
        return None
    marked = [f for f in found if _marked_as_code(words, f[0])]
    w, text = (marked or found)[0]
    if not _names_something(row, text) and not _card_heading(words, w):
        return None
    return w, tidy_code(text), code_certainty(text), False


BRACKETS = "()[]{}<>"
COUNTRY_POSTCODE = re.compile(r"(?:DK|DE|NL|BE|FR|ES|IT|PT|PL|AT|CH|LU|SE|NO|FI|CZ|SK|IE|GB)-\d{4,5}")


def _postcode_and_town(words: list[Word], w: int) -> bool:
    """'DK-8600 Silkeborg': a postcode with its country in front and the town after it is the ship-to
    address, not an item code and its name (an item row read it, with the EAN under it as its quantity: an
    invented line). The town ends at a column gap: the letterhead often prints its own fields on the same
    row, right of the address ('DK-8600 Silkeborg      Kunden-Nr. 42725', 'Account No.', 'Cód. cliente'),
    and that number was the invented line's quantity. Beyond the gap no quantity with its unit: that is a
    goods row whose code looks like a postcode."""
    town = _same_cell(words, w)
    rest = " ".join(x.text for x in words[w + 1 + len(town):])
    return COUNTRY_POSTCODE.fullmatch(words[w].text) is not None and bool(town) and \
        all(t.text[:1].isupper() and t.text.replace("-", "").isalpha() for t in town) and \
        not any(q.unit for q in quantities(rest, Convention()))


def _same_cell(words: list[Word], w: int) -> list[Word]:
    """The words after words[w] up to a column gap: a new OCR box further off than a space."""
    out: list[Word] = []
    for before, word in zip(words[w:], words[w + 1:], strict=False):
        if word.cell != before.cell and word.x0 - before.x1 > (word.x1 - word.x0) / max(1, len(word.text)) * 2:
            break
        out.append(word)
    return out


def _unbracketed(token: str) -> str:
    """'[FLR-1001]' → 'FLR-1001', and '[YST-533' whose bracket the OCR lost; a number with a stray
    bracket ('(557755' from a garbled 'Nr.: 557755') stays as it is: no code."""
    inner = token.strip(BRACKETS)
    closed = token[:1] in "([{<" and token[-1:] in ")]}>"
    letters_and_digits = any(c.isalpha() for c in inner) and any(c.isdigit() for c in inner)
    return inner if closed or letters_and_digits else token


def _card_heading(words: list[Word], w: int) -> bool:
    """'Art.nr. UAT-2323' alone on its line: an item card's (or block's) first line, the name printed under it.
    The label says the word is an item code, so it starts an item though the line names nothing."""
    return w == len(words) - 1 and 0 < w <= 3 and _marked_as_code(words, w)


def _marked_as_code(words: list[Word], w: int) -> bool:
    """'[FLR-1001]', '(FLR-1001)' or 'Art.-Nr. FLR-1001': the slip says this word is the item's code."""
    word = words[w].text.strip(SEPARATORS)
    if word[:1] in "([{<" or word[-1:] in ")]}>":
        return True
    tail = " ".join(x.text for x in words[max(0, w - 2):w])[-16:].rstrip(" :#")
    return any(m.end() == len(tail) for m in vocab.COLUMN_WORDS["sku"].finditer(tail))


# 'EAN', 'EAN-13:', 'EAN-Code:', 'GTIN', 'UPC-A', 'Barcode:' (and the other languages' words) before an item's
# barcode, also with a letter of OCR noise ('GTINe') or a
# space read as an underscore ('EAN_4006524928260')
BARCODE_LABEL = re.compile(
    r"(?<![A-Za-zÀ-ÿ])(?:ean(?:[\s\-]*(?:13|code|nr\.?|no\.?|nummer))?|gtin(?:[\s\-]*1[34])?|upc(?:[\s\-]*a)?|barcode|"
    r"strichcode|streepjescode|code[\s\-]*barre|c[oó]digo\s*de\s*barras|kod\s*kreskowy)[a-z]?\s*[:.#_]?(?![A-Za-z])",
    re.I)

BARCODE = re.compile(BARCODE_LABEL.pattern + r"\s*\d{8,14}(?!\d)", re.I)


def _names_something(row: Row, code: str) -> bool:
    """A word of three letters or more on the row that is not the code, a label, a month or the unit
    after a number ('72 cartons' is a quantity, 'Caisse carton' a name). A barcode label names nothing:
    'EAN: 4097764776919  125' under an item is that item's barcode line, not an item (2701:29)."""
    text = row.text.replace(code, " ")
    for label in (QTY_LABEL, vocab.LOT_LABEL, vocab.EXP_LABEL, vocab.COLUMN_WORDS["sku"], BARCODE_LABEL):
        text = label.sub(" ", text)
    tokens = text.split()
    for i, token in enumerate(tokens):
        token = token.strip(SEPARATORS + BRACKETS + ".")
        letters = sum(c.isalpha() for c in token)
        if letters < 3 or letters < len(token) - 1:
            continue
        if vocab.normalise_unit(token) and i and re.fullmatch(r"[\d.,']+", tokens[i - 1]):
            continue
        if len(token) <= 5 and token.lower()[:3] in MONTHS:
            continue
        return True
    return False


def _after_label(before: str) -> bool:
    tail = before[-16:]
    return any(label.search(tail) and label.search(tail).end() >= len(tail) - 1  # type: ignore[union-attr]
               for label in (vocab.LOT_LABEL, vocab.PO_LABEL, vocab.EXP_LABEL, vocab.DOC_NUMBER_LABEL))


def regions(rows: list[Row], anchors: list[Anchor]) -> list[tuple[Anchor, list[Row]]]:
    """Each anchor's rows: its own and those under it (a block's details), up to the next item."""
    out = []
    for i, anchor in enumerate(anchors):
        end = anchors[i + 1].row if i + 1 < len(anchors) else len(rows)
        block = [rows[anchor.row]]
        for row in rows[anchor.row + 1:end]:  # a footer word above the next item is an item's own detail
            if (is_footer(row.text) and end == len(rows)) or row.y - block[-1].y > 2.6 * row.height:
                break
            block.append(row)
        out.append((anchor, block[:5]))  # code, name, quantity, lot, expiry: an item card's five lines
    return out


def quantity_column(rows: list[Row], convention: Convention) -> tuple[float, float] | None:
    """Where the item rows print their quantities: the x-range of the numbers that have their unit beside
    them ('68.90 kg'), when at least two rows agree on it. A row whose unit the photo blurred ('15.793  9')
    or whose name holds a number ('Bocal verre 370 ml  853') has its quantity in the same column."""
    spans = [span for row in rows if (span := _sure_quantity(row, convention)) is not None]
    if len(spans) < 2:
        return None
    lefts, rights = sorted(s[0] for s in spans), sorted(s[1] for s in spans)
    left, right = lefts[len(lefts) // 2], rights[len(rights) // 2]
    agree = sum(1 for a, b in spans if a < right and b > left)
    return (left, right) if agree >= 2 and agree * 3 >= len(spans) * 2 else None


def _sure_quantity(row: Row, convention: Convention) -> tuple[float, float] | None:
    """The x-range of the one number on the row with its unit printed beside it ('30kg', '68.90  kg')."""
    found = []
    for w, word in enumerate(row.words):
        after = row.words[w + 1].text if w + 1 < len(row.words) else ""
        glued = quantities(word.text, convention)
        with_unit = bool(glued and glued[0].unit and (glued[0].start, glued[0].end) == (0, len(word.text)))
        unit_after = vocab.normalise_unit(after) is not None and after.lower() not in vocab.WEAK_UNITS
        if with_unit or (unit_after and _lone_number(word, convention)):
            found.append((word.x0, word.x1))
    return found[0] if len(found) == 1 else None


def _lone_number(word: Word, convention: Convention) -> Quantity | None:
    """The word is a number and nothing else ('853', '15.793'): a quantity without its unit."""
    found = quantities(word.text, convention)
    return found[0] if len(found) == 1 and (found[0].start, found[0].end) == (0, len(word.text)) \
        and not found[0].unit else None


def _in_column(row: Row, anchor: int, column: tuple[float, float], convention: Convention) -> Quantity | None:
    """The one bare number of the item's row inside the quantity column (marked: only its place says so).
    Found by its place on the row, not in the region's text: its start and end are -1."""
    inside = [q for w, word in enumerate(row.words) if w != anchor and word.x0 < column[1] and word.x1 > column[0]
              and (q := _lone_number(word, convention)) is not None]
    return replace(inside[0], start=-1, end=-1, how="qty.column") if len(inside) == 1 else None


def read_region(anchor: Anchor, block: list[Row], convention: Convention, dictionary: Dictionary,
                column: tuple[float, float] | None = None) -> SlipLine | None:
    first = block[0]
    head = " ".join(w.text for w in first.words[:anchor.word])
    rest = [_text_after(first, anchor.word)] + [row.text for row in block[1:]]
    score = min(row.score for row in block)
    text = "  ".join(part for part in (_without_code_label(_strip_position(head)), *rest) if part)
    fields = _fields(text, convention)
    if fields.quantity is None and column is not None:  # the item's row first, then the lines under it
        fields.quantity = next((q for r, row in enumerate(block)
                                if (q := _in_column(row, anchor.word if r == 0 else -1, column, convention))), None)
    if fields.quantity is None and not any(vocab.normalise_unit(w) for w in text.split()):
        return _bare(anchor, fields, score, dictionary) if anchor.known or _labelled_item(anchor, block, convention) \
            else None
    item = dictionary.item(anchor.code)
    unit, unit_certainty, unit_how = _unit(fields, text, item.unit if item else None)
    quantity = fields.quantity
    return SlipLine(
        sku=read(anchor.code, first.words[anchor.word].score, anchor.certainty, _sku_how(anchor)) if anchor.code
        else Read(),
        description=read(fields.description, score, 0.9, "description") if fields.description else Read(),
        quantity=read(quantity.value, score, quantity.certainty, quantity.how) if quantity else Read(),
        unit=read(unit, score, unit_certainty, unit_how) if unit else Read(),
        lot=read(fields.lot, score, code_certainty(fields.lot), fields.lot_how) if fields.lot else Read(),
        expiry=read(fields.expiry[0], score, fields.expiry[1], fields.expiry_how) if fields.expiry else Read())


def _labelled_item(anchor: Anchor, block: list[Row], convention: Convention) -> bool:
    """A code with a details line under it that labels a lot or an expiry ('Lote: L2304A') is an item whose
    quantity was not printed (written in by hand, smudged): kept with its quantity left to fill in, not
    dropped and not lent the next item's. A label on the code's own row proves nothing ('Nlot L260730
    N lot: 3025384293' of two cards side by side)."""
    lot, expiry, _ = labelled_lot_and_expiry("  ".join(row.text for row in block[1:]), convention)
    return bool(anchor.code) and bool(lot or expiry)


def _text_after(row: Row, word: int) -> str:
    """The row's text after its `word`-th word, a column gap kept as two spaces (`Row.text`): one space
    would make "T55" and "293 kg" of neighbouring cells one number."""
    return Row(row.y, row.height, row.words[word + 1:]).text


def _sku_how(anchor: Anchor) -> str:
    return "sku.po" if anchor.known else "sku.shape"


def _bare(anchor: Anchor, fields: Fields, score: float, dictionary: Dictionary) -> SlipLine:
    """A known item whose quantity could not be read (handwriting, a smudge): kept, to be filled in."""
    item = dictionary.item(anchor.code)
    return SlipLine(sku=read(anchor.code, score, anchor.certainty, _sku_how(anchor)),
                    description=read(fields.description, score, 0.9, "description") if fields.description else Read(),
                    unit=read(item.unit, score, 0.5, "unit.po") if item and item.unit else Read(),
                    lot=read(fields.lot, score, code_certainty(fields.lot), fields.lot_how) if fields.lot else Read(),
                    expiry=read(fields.expiry[0], score, fields.expiry[1], fields.expiry_how) if fields.expiry
                    else Read())


def _without_code_label(text: str) -> str:
    """The words before the item's code without the label that names it ('Art.nr.', 'Code article'): the
    label is not the item's name ('Art.nr. Deksel twist-off' was read off an item card)."""
    while (tail := text.rstrip(" :#")) and (label := next((m for m in vocab.COLUMN_WORDS["sku"].finditer(tail)
                                                          if m.end() == len(tail)), None)):
        text = tail[:label.start()]
    return text.rstrip()


def _strip_position(text: str) -> str:
    return re.sub(r"^\s*\d{1,2}[.)]?(?:\s+|$)", "", text) if text else text


@dataclass
class Fields:
    quantity: Quantity | None
    lot: str | None
    expiry: tuple[date, float] | None
    description: str | None
    lot_how: str = "lot.label"
    expiry_how: str = "exp.label"


def _fields(text: str, convention: Convention) -> Fields:
    lot, expiry, taken = labelled_lot_and_expiry(text, convention)
    taken += [m.span() for m in BARCODE.finditer(text)]  # the item's barcode line: neither its lot nor amount
    dates = [] if expiry else _dates(text, convention, taken)
    taken += [(d[0], d[1]) for d in dates]
    quantity = _quantity(text, convention, taken)
    if quantity is not None:
        quantity = replace(quantity, how="qty.rival") if rivalled(text, quantity, convention, taken) else quantity
        taken.append((quantity.start, quantity.end))
    lot_value = lot[2] if lot else _unlabelled_lot(text, taken)
    if lot_value and not lot:
        start = text.find(lot_value)
        taken.append((start, start + len(lot_value)))
    exp = (expiry[2], expiry[3]) if expiry else ((dates[0][2], dates[0][3]) if dates else None)
    return Fields(quantity, lot_value, exp, _description(text, taken), "lot.label" if lot else "lot.shape",
                  "exp.label" if expiry else "exp.shape")


def _dates(text: str, convention: Convention, taken: list[tuple[int, int]]) -> list[tuple[int, int, date, float]]:
    found: list[tuple[int, int, date, float]] = []
    pos = 0
    while pos < len(text):
        hit = find_date(text[pos:], convention)
        if hit is None:
            break
        start, end = pos + hit.start, pos + hit.end
        if not any(s <= start < e for s, e in taken):
            found.append((start, end, hit.value, hit.certainty))
        pos = end
    return found


def _quantity(text: str, convention: Convention, taken: list[tuple[int, int]]) -> Quantity | None:
    free = [q for q in quantities(text, convention) if not any(s <= q.start < e for s, e in taken)]
    for m in QTY_LABEL.finditer(text):
        after = [q for q in free if m.end() <= q.start <= m.end() + 2]
        if after:  # "Menge: 7201" with no unit anywhere is "720 l" whose l the OCR read as 1
            return replace(after[0] if after[0].unit else litres(text, after[:1], convention) or after[0],
                           how="qty.label")
    with_unit = [q for q in free if q.unit and not PACK_SIZE.fullmatch(text[q.start:q.end])]  # "12x": a 12-pack
    if with_unit:  # '500 pcs  200 pcs' (ordered, delivered): the first by place, and the PO may not vouch for it
        rival = any(q.unit == with_unit[0].unit and q.value != with_unit[0].value for q in with_unit[1:])
        return replace(with_unit[0], how="qty.rival") if rival else with_unit[0]
    before_unit = [q for q in free if _unit_before(text, q.start)]
    if before_unit:
        return replace(before_unit[0], how="qty.unit_before")
    lost = litres(text, free, convention)  # "4,43 1": the l of litres read as 1, or glued to the number
    if lost is not None:
        return lost
    return replace(free[0], how="qty.lone") if len(free) == 1 else None


def _unit_before(text: str, start: int) -> str | None:
    words = text[:start].split()
    return vocab.normalise_unit(words[-1]) if words and words[-1].lower() not in vocab.WEAK_UNITS else None


def _unlabelled_lot(text: str, taken: list[tuple[int, int]]) -> str | None:
    """A code-shaped word that is nothing else on the line; after the quantity if there is one there
    (before it, words like '60x40' or '12x250' are pack sizes in the description)."""
    after = max((e for s, e in taken), default=0)
    found = []
    for m in re.finditer(r"\S+", text):
        token = _before_taken(m, taken).strip(SEPARATORS + "/")
        if any(s <= m.start() < e for s, e in taken) or PACK_SIZE.fullmatch(token) or \
                re.search(r"[a-zà-ÿ]{3}", token) or unlabelled_barcode(token):
            continue  # "25-kg-Sack" in a name wrapped onto the next line: lots are not spelled in words
        digits = sum(c.isdigit() for c in token)
        if looks_like_code(token) and (digits >= 4 or (digits >= 2 and m.start() >= after)):
            found.append((m.start() >= after, tidy_code(token)))
    found.sort(key=lambda f: not f[0])
    return found[0][1] if found else None


def _before_taken(word: re.Match[str], taken: list[tuple[int, int]]) -> str:
    """The word up to a value already read inside it: 'L2341G/04-06-2028' is a lot and its expiry printed in
    one cell (a table's 'Lote/Val.'), the date read first; no lot ends in a date, so the lot is 'L2341G'."""
    inside = [s for s, _ in taken if word.start() < s < word.end()]
    return word.group()[:min(inside) - word.start()] if inside else word.group()


def _description(text: str, taken: list[tuple[int, int]]) -> str | None:
    cut = min([s for s, _ in taken] + [len(text)])
    head = QTY_LABEL.sub(" ", text[:cut]).rstrip()
    # a unit cell printed before the quantity cell, a column gap away; "5 L" and the size in "Eier M" stay
    while (cell := re.search(r"\S\s{2,}(\S+)$", head)) and vocab.normalise_unit(cell.group(1)) and \
            not re.search(r"(?<!\S)[\d.,]+$", head[:cell.start() + 1]):
        head = head[:cell.start() + 1]
    description = " ".join(head.split()).strip(SEPARATORS).strip()
    return description or None


def _unit(fields: Fields, text: str, expected: str | None) -> tuple[str | None, float, str]:
    """The unit printed with the quantity, else a unit word on the line, else the PO row's (to be checked).
    A unit is as vouched for as the quantity it came with."""
    quantity = fields.quantity
    how = "unit.label" if quantity is not None and quantity.how == "qty.label" else "unit.shape"
    if quantity is not None and quantity.unit:
        return quantity.unit, 0.95 if quantity.unit == expected or expected is None else 0.9, how
    if quantity is not None and quantity.start >= 0 and (before := _unit_before(text, quantity.start)):
        return before, 0.9, how
    units = {vocab.normalise_unit(w) for w in text.split() if w.lower() not in vocab.WEAK_UNITS} - {None}
    if len(units) == 1:
        return units.pop(), 0.85, "unit.shape"
    return (expected, 0.5, "unit.po") if expected else (None, 0.0, "")
