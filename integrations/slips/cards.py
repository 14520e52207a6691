"""Item cards printed side by side, read one under another.

Some warehouse systems print a delivery note as one box ("card") per item, two or three cards to a row:
the item code on the card's first line ('Art.nr. UAT-2323'), the description, 'Aantal: 37 colli',
'Charge: …', 'Houdbaar tot: …' under it. `layout.rows_of` joins the same printed line of all the cards in
a row into one Row, so a row of cards read as ONE item: the other cards' items were lost and their
quantities and lots lent to the first card's item.

A row of cards is told by geometry: a row holding nothing but two or more item codes, each after the same
code label or none ('Art.nr. UAT-2323   Art.nr. UAT-2948'), the codes the PO's or shaped alike, each
starting its own card at a distinct x; and the rows under it starting their words at those x. Its cards
are re-laid one under the other, as if printed in one column, so the block reading (goods.py, read_listed)
reads each card as an item of its own. A table row holds more than codes (a name, a quantity), and an
address header holds no item codes: neither is re-laid.
"""
from __future__ import annotations

import difflib
import re
import statistics
from dataclasses import dataclass, replace

from integrations.slips import vocab
from integrations.slips.dictionary import Dictionary
from integrations.slips.items import PACK_SIZE, QTY_LABEL, SEPARATORS, looks_like_code, quantities
from integrations.slips.layout import Row, Word
from integrations.slips.values import Convention

MAX_LABEL_WORDS = 3  # 'Code article', 'Art.-Nr.', 'Item no.': a code label is a few words at most


@dataclass(frozen=True)
class Card:
    x: float  # where the card's first line starts: its code label, or its code when it has none
    label: str
    code: str


def one_under_another(rows: list[Row], dictionary: Dictionary) -> list[Row]:
    """The rows with each row of side-by-side cards re-laid card after card; rows' y keep increasing.
    The rows themselves when there are no such cards."""
    out: list[Row] = []
    shift = 0.0  # how far down the rows below have moved, the cards above now taking more lines
    r = 0
    while r < len(rows):
        cards = _heading(rows[r], dictionary)
        end = _end_of_cards(rows, r, cards, dictionary) if cards else r + 1
        if not cards or not _printed_below(rows[r + 1:end], cards) or not _each_counted(rows[r + 1:end], cards):
            out.append(Row(rows[r].y + shift, rows[r].height, list(rows[r].words)))
            r += 1
            continue
        laid, extra = _laid_out(rows[r:end], [card.x for card in cards], shift)
        out += laid
        shift += extra
        r = end
    return out if shift else rows


def _heading(row: Row, dictionary: Dictionary) -> list[Card] | None:
    """The cards whose first lines make up this row, when it is a row of two or more cards."""
    cards = _cards_on(row, dictionary)
    if cards is None or len(cards) < 2:
        return None
    gaps = [b.x - a.x for a, b in zip(cards, cards[1:], strict=False)]
    if min(gaps) < 4 * row.height:  # cards are a card's width apart, not a word's
        return None
    known = bool(dictionary) and all(dictionary.code_for(card.code) is not None for card in cards)
    if not known and not all(_alike(cards[0].code, card.code) for card in cards[1:]):
        return None
    return cards if _labels_alike([card.label for card in cards]) else None


def _cards_on(row: Row, dictionary: Dictionary) -> list[Card] | None:
    """The row read as nothing but codes, each after a short label or none; None if anything else is on it
    (a table row's name or quantity, a label without a code after it). A code is shaped like one, or is one
    of the PO's ('Stock Code 9120.161': figures with a point are shaped like a number; third corpus 2709:30)."""
    cards: list[Card] = []
    label: list[Word] = []
    for word in row.words:
        code = _code_in(word.text) or _known(word.text, dictionary)
        if code is None:
            label.append(word)
            if len(label) > MAX_LABEL_WORDS or any(c.isdigit() for c in word.text):
                return None
            continue
        glued = word.text[: len(word.text) - len(code)].strip(SEPARATORS + "#")  # 'Art.nr.822418'
        text = " ".join([w.text for w in label] + ([glued] if glued else []))
        cards.append(Card((label[0] if label else word).x0, text.strip(SEPARATORS + "#."), code))
        label = []
    return cards if cards and not label else None


def _code_in(text: str) -> str | None:
    """The item code a word is, or ends in after a code label glued to it ('Art.nr.822418')."""
    code = text.strip(SEPARATORS)
    if (label := vocab.COLUMN_WORDS["sku"].match(text)) and looks_like_code(rest := text[label.end():].strip(
            SEPARATORS + "#.")):
        code = rest  # not 'Art.nr.822418' as a whole, which is code-shaped too
    if len(code) < 4 or PACK_SIZE.fullmatch(code) or not looks_like_code(code):
        return None
    return code


def _known(text: str, dictionary: Dictionary) -> str | None:
    """The word, when it is one of the PO's codes exactly (an exact lookup: every word of every row comes here)."""
    code = text.strip(SEPARATORS)
    item = dictionary.item(code) if dictionary and len(code) >= 4 else None
    return code if item is not None and code in item.codes else None


def _alike(a: str, b: str) -> bool:
    """Codes of one numbering ('UAT-2323', 'UAT-2948'): the same length, letters, digits and separators in
    the same places but for one character the OCR may have confused (O and 0)."""
    def shape(code: str) -> str:
        return re.sub(r"\d", "9", re.sub(r"[^\W\d_]", "A", code))
    return len(a) == len(b) and sum(x != y for x, y in zip(shape(a), shape(b), strict=True)) <= 1


def _labels_alike(labels: list[str]) -> bool:
    """Every card labels its code the same way: all without a label, all with the same label (Italian
    'Articolo', which the vocabulary takes for the description's heading; third corpus 2707:30), or all with
    a code label ('Art.nr.'); one the OCR misspelt ('Artkelnummer', 'Artlcolo') still close to the others."""
    if len({label.casefold() for label in labels}) == 1 or all(_close(label, labels[0]) for label in labels):
        return True
    sure = [label for label in labels if _code_label(label)]
    return bool(sure) and all(label in sure or _close(label, sure[0]) for label in labels)


def _close(label: str, other: str) -> bool:
    """One label the OCR misspelt ('Artlcolo' beside 'Articolo'; outside review 15)."""
    return bool(label) and difflib.SequenceMatcher(None, label.lower(), other.lower()).ratio() >= 0.8


def _code_label(text: str) -> bool:
    """'Art.nr.', 'Code article', 'Item no.': the text ends in a code label."""
    return any(m.end() == len(text) for m in vocab.COLUMN_WORDS["sku"].finditer(text))


def _end_of_cards(rows: list[Row], r: int, cards: list[Card], dictionary: Dictionary) -> int:
    """The row after the last line of the row of cards at rows[r]: before a blank stretch, before the next
    row of cards (or a single card: the last row often has one), before a line printed across the cards."""
    end = r + 1
    while end < len(rows):
        row, above = rows[end], rows[end - 1]
        if row.y - above.y > 2.6 * row.height or _across(row, [card.x for card in cards]):
            break
        found = _cards_on(row, dictionary)
        if found and any(_labels_alike([cards[0].label, card.label]) and _alike(cards[0].code, card.code)
                         for card in found):
            break
        end += 1
    return end


def _across(row: Row, xs: list[float]) -> bool:
    """An OCR box reaching over where a card starts: a line printed across the page (a footer, a note)."""
    for cell in {word.cell for word in row.words}:
        words = [word for word in row.words if word.cell == cell]
        if any(words[0].x0 < x - row.height and words[-1].x1 > x + row.height for x in xs[1:]):
            return True
    return False


def _printed_below(rows: list[Row], cards: list[Card]) -> bool:
    """Each card has a line under it starting where the card starts (its description, its quantity)."""
    return bool(rows) and all(any(abs(word.x0 - card.x) < 1.5 * row.height for row in rows for word in row.words)
                              for card in cards)


def _each_counted(rows: list[Row], cards: list[Card]) -> bool:
    """Each card prints its own quantity (a quantity label, or a number with its unit): two codes side by side
    over one item's details ('Art.-Nr. UAT-2323   Ihre Art.-Nr. FLR-1001', the name and quantity under the
    first, lot and best-before under the second) are one item, not two cards (outside review)."""
    xs = [card.x for card in cards]
    texts = ["  ".join(" ".join(w.text for w in row.words if _card_of(row, w, xs) == k) for row in rows)
             for k in range(len(cards))]
    return all(QTY_LABEL.search(text) or quantities(text, Convention()) for text in texts)


def _laid_out(rows: list[Row], xs: list[float], shift: float) -> tuple[list[Row], float]:
    """The rows of a row of cards as one card after the other, each moved left to where the first card
    starts, and how much longer they now run. Each OCR box goes to the card it starts in."""
    step = statistics.median([b.y - a.y for a, b in zip(rows, rows[1:], strict=False)] or [1.5 * rows[0].height])
    span = rows[-1].y - rows[0].y + step
    out = []
    for k in range(len(xs)):
        for row in rows:
            words = [replace(word, x0=word.x0 - xs[k] + xs[0], x1=word.x1 - xs[k] + xs[0])
                     for word in row.words if _card_of(row, word, xs) == k]  # as if printed in the first card
            if words:
                out.append(Row(row.y + shift + k * span, row.height, words))
    return out, (len(xs) - 1) * span


def _card_of(row: Row, word: Word, xs: list[float]) -> int:
    """The card a word is printed in: the last card starting left of its box's first word."""
    first = next(w for w in row.words if w.cell == word.cell)
    return max([k for k, x in enumerate(xs) if first.x0 >= x - 1.5 * row.height] or [0])
