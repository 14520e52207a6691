"""Goods grouped by pallet: the rows a delivery note prints around each pallet's lines, none of them goods.

Notes for mixed deliveries list the goods per pallet: a heading row naming the pallet and its SSCC (the
pallet's 18-digit shipping label number, printed after the application identifier '(00)'; German notes
call it NVE), often the table's column headings again under it, then the pallet's lines and a subtotal
row of its packages and weight ('Pallet 1: 3 packages · 523.4 kg', 'Paleta 1: 5 Opakowania · 302,00 kg').
Read as goods, a subtotal is an invented line (its package count a quantity), an SSCC a code, and the
repeated headings lend the last line above them a lot ('Partia  Symbol': lot 'Symbol'). The per-pallet
total before the next pallet's heading ('Razem Opakowania 5') ended the goods there, and every pallet
after the first was lost. These rows are taken out before the goods are read, so the pallets' lines read
as the one table they are.
"""
from __future__ import annotations

import dataclasses
import re

from integrations.slips import vocab
from integrations.slips.layout import Row, Word

# The word for a pallet in en, de, es, fr, it, nl, pt, pl ('Palé' as the OCR often reads it: 'Pale', 'Palè').
_PALLET = r"(?:pallet|palette|paletta|paleta|palete|palet|pal[eéè]|bancale|plt\.?|pal\.)"
# Its number on the note: '1/2', '1 of 2' ('von', 'de', 'di', 'sur', 'van', 'z'), 'Nr. 1', 'n° 1', '#1', '1'.
_OF = r"\d{1,3}\s*(?:/|of|von|de|di|sur|van|z)\s*\d{1,3}"
_MARKED = r"(?:n[°º.]?|nr\.?|no\.?|#)\s*\d{1,3}"
_NUMBER = rf"(?:{_OF}|{_MARKED}|\d{{1,3}})"
# An SSCC: 18 digits (the OCR may space them) after '(00)' or its label; bare, only 18 digits in one word.
_SSCC = r"(?:(?:sscc|nve)(?:[\s\-]*(?:nr\.?|no\.?|code))?\s*[:#.]?\s*(?:\(00\)\s*)?|\(00\)\s*)(?:\d\s?){17}\d(?!\d)"
_TOTAL = r"(?:sub[\s\-]?total|total(?:e|es)?|totaal|summe|zwischensumme|gesamt|razem|suma|soma)"

# 'Palette 1/2  SSCC (00) 3531…', 'Pallet 2 of 3', 'SSCC (00) 3531…': a pallet's heading row. A pallet
# word and its number with an SSCC after it, or alone on the row when the number says which of how many
# or is marked as one ('Nr. 2'); an SSCC leading the row. Never an item: a returnable pallet listed as goods
# ('Palette EUR 1200x800  3 Stk', '2. Palet europeo', 'Palette  2') has no SSCC nor such a number.
HEADING = re.compile(rf"\s*(?:{_PALLET}\s*{_NUMBER}\s*[:.\-–·]?\s*.*?{_SSCC}.*|{_PALLET}\s*(?:{_OF}|{_MARKED})"
                     rf"\s*[:.\-–·]?|{_SSCC}.*|\d{{18}})\s*", re.I)
# 'Pallet 1: 3 packages · 523.4 kg', 'Palette 2 : 4 colis', 'Palé 1 1 Bultos · 838,900 kg' (the photo lost the
# colon: a weight ends it), 'Total palette 1 …': a pallet's subtotal row.
# The count needs its packages word where the colon is lost: a goods row of a table with a weight column
# ('PLT270 Dinner plate 27 cm 24 pcs 18.5 kg', 'Palette 80x120 Einweg 10 Stk 150,0 kg') is no subtotal.
_PACKAGES = r"(?:packages?|pkgs?|packst(?:ü|ue)ck(?:e|en)?|colis|bultos|colli|opakowa\w*|pakket\w*|volumes?)"
SUBTOTAL = re.compile(rf"\s*(?:{_TOTAL}\s*[:.]?\s*)?{_PALLET}\s*{_NUMBER}(?![\dx×])\s*"
                      rf"(?:[:=]\s*\S.*|\d+\s*{_PACKAGES}\b.*)"
                      rf"|\s*{_TOTAL}\s*[:.]?\s*{_PALLET}\s*{_NUMBER}(?:\D.*)?", re.I)


def without_pallet_rows(rows: list[Row]) -> list[Row]:
    """The rows without pallet headings, pallet subtotals and the column headings printed again under a
    pallet heading (the first column headings of the slip stay: they are the table's). A subtotal ends
    nothing: goods are printed after the last pallet's (exchanged Euro pallets, a loose sack) and a pallet's
    summary may come right under its heading, above its lines (outside review, test_attack7_findings)."""
    kept: list[Row] = []
    headings_seen = after_pallet = False
    for row in rows:
        if HEADING.fullmatch(row.text):
            after_pallet = True
            continue
        if SUBTOTAL.fullmatch(row.text):
            after_pallet = True
            continue
        if column_headings(row):
            if after_pallet and headings_seen:
                continue
            headings_seen = True
        after_pallet = False
        if (words := _without_sscc(row.words)):
            kept.append(dataclasses.replace(row, words=words))  # a stamp's row stays one
    return kept


def column_headings(row: Row) -> bool:
    """A row that names two kinds of column or more and holds no digit: the table's heading row."""
    text = row.text
    if any(c.isdigit() for c in text):
        return False
    return len({kind for kind, pattern in vocab.COLUMN_WORDS.items() if pattern.search(text)} - {"pos"}) >= 2


# A word of an SSCC: its label ('SSCC', 'NVE', 'SSCC-Nr.:'), its application identifier '(00)', digits.
_SSCC_WORD = re.compile(r"((?:sscc|nve)(?:[\-\s]?(?:nr|no)\.?)?[:#.]?)?(\(00\))?(\d*)", re.I)


def _without_sscc(words: list[Word]) -> list[Word]:
    """The row's words without an SSCC printed among them ('1.  FLR-1001  Wheat flour  25 kg  SSCC 3534…',
    an NVE column): an SSCC is no item's code, lot or quantity (it was read as the item's lot, and in a
    column no heading names it took the unit's cell). 18 digits after its label or '(00)', the OCR may
    split them; bare, only as one word."""
    dropped: set[int] = set()
    w = 0
    while w < len(words):
        j, labelled, digits = w, False, ""
        while j < len(words) and (m := _SSCC_WORD.fullmatch(words[j].text)) and len(digits + m[3]) <= 18:
            if (m[1] or m[2]) and digits:
                break  # a second label starts another SSCC
            labelled, digits, j = labelled or bool(m[1] or m[2]), digits + m[3], j + 1
        if len(digits) == 18 and (labelled or j - w == 1):
            dropped.update(range(w, j))
            w = j
        else:
            w += 1
    return [word for i, word in enumerate(words) if i not in dropped]
