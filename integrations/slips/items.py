"""Reading one goods line from its text: code, description, quantity with unit, lot, expiry.

Used for slips that list items as text ("FLR-1001 Wheat flour — 12 kg — Lot L2403A — MHD 31.12.2025", or a
numbered item with a details line) and for cells of a table. A number inside a description ("Honey
12x250 g", "Milk 3.5%") is not a quantity: a quantity stands alone before its unit, and a labelled one
("Qty: 12 kg") wins over any other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from integrations.slips import evidence, vocab
from integrations.slips.values import Convention, find_date, parse_number
from models.packing_slip import Read

# not before "-digit": "2416" of the lot "2416-671" or "8" of a misread "B-62001" is no second number on the row
QUANTITY = re.compile(
    r"(?<![\w.,/×+#-])(\d{1,3}(?:[.,']\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\d%×])(?![.,]\d)(?!x\d)(?!-\d)"
    r"(?:\s*([A-Za-zÀ-ÿ]{1,10}\.?)(?![\wÀ-ÿ]))?")
# "uds"/"unidades" after a number count the pack ('Yogur griego 4 uds x 125 g'): a unit there, no label
QTY_LABEL = re.compile(r"(?<![A-Za-zÀ-ÿ])(?:qty|quantity|menge|liefermenge|anzahl|cantidad|cant|"
                       r"(?<!\d)(?<!\d )(?:unidades|uds)|"
                       r"q\.?\s?t[àa]|quantit[àaée]|qt[ée]|aantal|hoeveelheid|quantidade|quant|qtde?|ilo[śs][ćc](?:\s*wyd(?:ana)?)?|shipped|"
                       r"despatched|delivered|geliefert|geleverd)(?![A-Za-zÀ-ÿ])\.?\s*[:.]?\s*", re.I)
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_/.]*[A-Za-z0-9]")
SEPARATORS = " \t|—–·-:;,"
PACK_SIZE = re.compile(r"\d+(?:[.,]\d+)?\s*[x×]\s*(?:\d+(?:[.,]\d+)?\w{0,3})?|[x×]\d+|\d+er", re.I)  # "40x30", "12er"
TOTAL_WORD = re.compile(r"(?<![^\W\d_])(?:sub[\s\-]?total|totale?s?|totaal|summe|zwischensumme|gesamt|razem|suma|soma)",
                        re.I)


def is_footer(text: str) -> bool:
    """A row holding a footer word ('Total', 'Colis', 'colli', 'Peso') ends the goods, unless it is an item's
    own details line: a quantity label on it says so ('Quantité: 25 kg  Colis: 1', 'Aantal: 12 colli'; outside
    review, tests/test_attack7_findings.py), where no total word makes it a total ('Total qty 45',
    'Gesamtmenge 45')."""
    return vocab.FOOTER_WORDS.search(text) is not None and \
        (QTY_LABEL.search(text) is None or TOTAL_WORD.search(text) is not None)


def looks_like_code(token: str) -> bool:
    """'FLR-1001', 'AB12', '4006381333931': what SKUs and lots look like (not words, not prices, not dates)."""
    token = token.strip(SEPARATORS)
    if re.fullmatch(r"[A-Z][A-Z0-9]*(?:[-_/][A-Z0-9]+)+", token) and len(token) >= 5:
        return True  # "MAT-TOMATO", "FF-OIL-5L": capitals joined by dashes are codes even without digits
    if len(token) < 3 or not CODE.fullmatch(token) or not any(c.isdigit() for c in token):
        return False
    if re.fullmatch(r"[\d.,']+", token):  # a plain number is a code only when long, like an EAN
        return token.isdigit() and len(token) >= 6
    return find_date(token) is None


def tidy_code(code: str) -> str:
    """'sUG-1529', 'Po-11942': codes are printed in capitals, a lone small letter is OCR's."""
    letters = [c for c in code if c.isalpha()]
    if len(letters) >= 2 and sum(c.isupper() for c in letters) >= len(letters) - 1:
        return code.upper()
    return code


DATE_AFTER_SLASH = re.compile(r"/(?=\d{1,2}[./\-]\d{1,2}[./\-]\d{2,4}$)")


def code_certainty(code: str) -> float:
    """'P02025-…' may be 'PO2025-…': letters then a zero is where OCR confuses O and 0, so ask. So is a word
    after the digits ('B-66050COPI'): codes end in a digit or one letter; three letters there are more likely
    a stamp's or a neighbour's word the OCR glued on; and so is a date after a slash ('2341-12/10.06.2027':
    the expiry read into the lot)."""
    glued = re.search(r"\d[A-Za-z]{3,}$", code) or DATE_AFTER_SLASH.search(code)  # a word or a date glued on
    # a zero between letters ('24K0A15', 'B0X-3086') is as likely the OCR's O: vocab.unglue leaves it in codes
    o_or_zero = re.match(r"[A-Za-z]{1,3}0\d", code) or re.search(r"[A-Za-z]0[A-Za-z]", code)
    return 0.5 if o_or_zero or glued else 0.95


def read(value: object, score: float, certainty: float = 1.0, how: str = "") -> Read[Any]:
    """A value with the OCR's score for its words times how certain its parsing is, at most what the
    evidence it was found by may show (evidence.py)."""
    confidence = round(max(0.0, min(1.0, score * certainty, evidence.cap(how, score))), 3)
    return Read(value=value, confidence=confidence, how=how)


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: Decimal
    certainty: float
    unit: str | None
    how: str = "qty.shape"  # what made it the quantity (evidence.py)


SPACE_GROUPED = re.compile(r"(?<![\w.,])\d{1,3}(?: \d{3})+(?=,\d|[^\d.,]|$)")  # "T55 293": no number


# Twelve or more digits with no grouping or decimal mark: a barcode's figures (UPC, EAN-13, GTIN-14) or an SSCC,
# never an amount delivered ('4075676750159' under an item was read as its quantity, third corpus 2703:8).
# Shorter runs stay numbers: cards.py counts a card by any number on it, and a ten-digit lot is one.
LONG_DIGIT_RUN = re.compile(r"\d{12,}")


def unlabelled_barcode(token: str) -> bool:
    """A 13- or 14-digit number whose last digit is its GS1 check digit: the barcode's own figures printed
    under it, without a label ('4067586416096' on an item's line). Read as the lot by its shape, it was wrong
    every time on the third corpus (9 of 9 lines; no lot there was one); a lot of 13 digits passes the check
    one time in ten, and then is left for a person to fill in."""
    if not re.fullmatch(r"\d{13,14}", token):
        return False
    digits = [int(c) for c in reversed(token[:-1])]
    return (10 - sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits)) % 10) % 10 == int(token[-1])


def quantities(text: str, convention: Convention) -> list[Quantity]:
    if convention.decimal == ",":  # "11 791,5" where thousands are grouped by spaces (fr, pl): one number
        text = SPACE_GROUPED.sub(lambda m: m.group().replace(" ", "."), text)  # same length: spans still hold
    found = []
    for m in QUANTITY.finditer(text):
        number = parse_number(m.group(1), convention)
        if number is None or LONG_DIGIT_RUN.fullmatch(m.group(1)):
            continue
        word = m.group(2)
        unit = vocab.normalise_unit(word) if word else None
        end = m.end() if unit else m.end(1)
        found.append(Quantity(m.start(), end, number[0], number[1], unit))
    return found


def labelled(text: str, label: re.Pattern[str]) -> tuple[int, int, str] | None:
    """The code after a label ('Lot: L2403A' → L2403A) with the span of label and value."""
    for m in label.finditer(text):
        code = CODE.match(text, m.end())
        if code and PACK_SIZE.fullmatch(code.group()):
            continue  # French 'lot 4x125g' is a bundle of four pots, not the batch label
        if code and any(c.isdigit() for c in code.group()):
            value = _without_expiry(code.group())
            return m.start(), code.start() + len(value), tidy_code(value)
    return None


def _without_expiry(code: str) -> str:
    """'LOT#85955/10.01.2028' in a 'Charge/MHD' cell: the lot and its expiry the OCR read as one word. No lot
    ends in a date after a slash: the lot ends at the slash, the date is left to be read as the expiry."""
    slash = DATE_AFTER_SLASH.search(code)
    return code[:slash.start()] if slash and slash.start() >= 2 and find_date(code[slash.end():]) else code


def labelled_date(text: str, convention: Convention) -> tuple[int, int, date, float] | None:
    for m in vocab.EXP_LABEL.finditer(text):
        found = find_date(text[m.end():m.end() + 24], convention, lost_separator=True)
        if found and found.start <= 2:
            return m.start(), m.end() + found.end, found.value, found.certainty
    return None


Labelled = tuple[tuple[int, int, str] | None, tuple[int, int, date, float] | None, list[tuple[int, int]]]


def labelled_lot_and_expiry(text: str, convention: Convention) -> Labelled:
    """'Lot: L1 … MHD 31.12.2025': the lot, the expiry, and the spans they (labels included) take up."""
    lot = labelled(text, vocab.LOT_LABEL)
    expiry = labelled_date(text, convention)
    return lot, expiry, [(hit[0], hit[1]) for hit in (lot, expiry) if hit]


def read_item(text: str, score: float, convention: Convention) -> ItemRead | None:
    """One item's text (its rows joined) → the fields it states; None without a quantity."""
    lot, expiry, spans = labelled_lot_and_expiry(text, convention)
    quantity = _the_quantity(text, convention, spans)
    if quantity is None:
        return None
    quantity = replace(quantity, how="qty.rival") if rivalled(text, quantity, convention, spans) else quantity
    head = text[:min([quantity.start, *(s for s, _ in spans)])]
    head = QTY_LABEL.sub(" ", head) if QTY_LABEL.search(head[-12:] or "") else head
    sku, description = split_code(head)
    return ItemRead(
        sku=read(sku, score, code_certainty(sku), "sku.listed") if sku else Read(),
        description=read(description, score, 0.9, "description") if description else Read(),
        quantity=read(quantity.value, score, quantity.certainty, quantity.how),
        unit=read(quantity.unit, score, 0.95, "unit.label" if quantity.how == "qty.label" else "unit.shape")
        if quantity.unit else Read(),
        lot=read(lot[2], score, code_certainty(lot[2]), "lot.label") if lot else Read(),
        expiry=read(expiry[2], score, expiry[3], "exp.label") if expiry else Read())


# A figure glued on after the unit's letters ('2274k³819', '2274 kg1819'): the OCR read the printed amount and a
# pen's correction written over its unit as one word (third corpus 2704:43) — which came is a guess
GLUED_FIGURE = re.compile(r"\s?[^\W\d_]{1,4}\.?[\d¹²³]")


def figure_glued_after(text: str, quantity: Quantity) -> bool:
    return quantity.start >= 0 and GLUED_FIGURE.match(text, quantity.end) is not None


def rivalled(text: str, quantity: Quantity, convention: Convention, taken: list[tuple[int, int]]) -> bool:
    """Another bare number after the quantity may be the delivered amount: one of the same order of size on
    the item's lines ('127 g' under 'Bestellmenge', the delivered '125' on the row under it beside the EAN),
    or any printed right after it ('33,75 kg  2': a pen correction the OCR read in part). The figure taken
    is then as likely the ordered one, which always equals what the PO expects: marked, and the PO may not
    vouch for it (snapping.RIVALLED)."""
    if quantity.start < 0 or quantity.value <= 0:
        return False
    if figure_glued_after(text, quantity):
        return True
    after = [q for q in quantities(text, convention) if q.start >= quantity.end and not q.unit
             and not any(s <= q.start < e for s, e in taken)]
    if any(q.value != quantity.value and Decimal("0.1") <= q.value / quantity.value <= 10 for q in after):
        return True
    if not after or after[0].value in (quantity.value, 1):  # '1500  1500' say the same; '77,30  1' is 77,30 l
        return False
    return all(vocab.normalise_unit(word.strip(".")) for word in text[quantity.end:after[0].start].split())


def _the_quantity(text: str, convention: Convention, taken: list[tuple[int, int]]) -> Quantity | None:
    free = [q for q in quantities(text, convention) if not any(s <= q.start < e for s, e in taken)]
    for m in QTY_LABEL.finditer(text):  # "Menge: 1.952,7 kg" beats every other number
        after = [q for q in free if m.end() <= q.start <= m.end() + 2]
        if after:
            return replace(after[0] if after[0].unit else litres(text, after[:1], convention) or after[0],
                           how="qty.label")
    with_unit = [q for q in free if q.unit]
    return with_unit[-1] if with_unit else litres(text, free, convention)


def litres(text: str, candidates: list[Quantity], convention: Convention) -> Quantity | None:
    """No unit anywhere: OCR's usual way of losing one is reading the l of litres as 1, | or I."""
    bar = "|" if text.count("|") == 1 else ""  # where "|" separates fields it is no l
    for q in reversed(candidates):  # "6,31 1 Lot: …", "17,15| Lote"
        if re.match(rf"\s+1(?![\w.,])|\s*[{bar}I](?![\w.,])", text[q.end:]):
            return Quantity(q.start, q.end + 2, q.value, min(q.certainty, 0.6), "l", "qty.litre")
    glued = [g for q in candidates if (g := glued_litre(text[q.start:q.end], q.start, convention))]
    return glued[-1] if glued else None


def glued_litre(number: str, start: int, convention: Convention) -> Quantity | None:
    """'1,746.141' where the slip says '1,746.14 l': OCR joined the unit and read its l as 1.

    Only tried when nothing else on the line has a unit, and always marked for a person to check.
    """
    if not number.endswith("1") or len(number) < 3 or not number[-2].isdigit():
        return None
    parsed = parse_number(number[:-1], convention)
    if parsed is None:
        return None
    return Quantity(start, start + len(number), parsed[0], min(parsed[1], 0.45), "l", "qty.litre")


def split_code(head: str) -> tuple[str | None, str | None]:
    """'3. FLR-1001  Wheat flour T550 |' → ('FLR-1001', 'Wheat flour T550')."""
    words = head.split()
    if words and re.fullmatch(r"\d{1,2}[.)]?\S{0,2}", words[0]) and len(words) > 1 and looks_like_code(words[1]):
        words = words[1:]  # the item's position number ("3." that OCR may read as "3.1")
    elif words and re.fullmatch(r"\d{1,2}[.)]?", words[0]):
        words = words[1:]
    sku = None
    if words and looks_like_code(words[0]):
        sku = tidy_code(words[0].strip(SEPARATORS))
        words = words[1:]
    description = " ".join(words).strip(SEPARATORS).strip()
    description = re.sub(r"\s*[|—–·]\s*$", "", description)
    return sku, description or None


@dataclass(frozen=True)
class ItemRead:
    sku: Read[Any]
    description: Read[Any]
    quantity: Read[Any]
    unit: Read[Any]
    lot: Read[Any]
    expiry: Read[Any]
