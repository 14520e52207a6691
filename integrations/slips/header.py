"""The slip's letterhead: who sent it, which purchase order it answers, and its date.

The PO is taken after a PO label (the slip's own number, a customer number, phone numbers and postcodes
look just like one); anything else that gives the PO is marked for the operator to confirm. The
supplier is the labelled one, or else the most prominent company name at the top that is not in the
ship-to block — which names *us*, the customer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from integrations.slips import vocab
from integrations.slips.evidence import ASK
from integrations.slips.expected import Expected, ExpectedOrder
from integrations.slips.items import CODE, code_certainty, read, tidy_code
from integrations.slips.layout import Row
from integrations.slips.values import Convention, find_date
from models.packing_slip import Read

HEADER_LABELS = (vocab.PO_LABEL, vocab.DATE_LABEL, vocab.SUPPLIER_LABEL, vocab.SHIP_TO_LABEL)


@dataclass
class Letterhead:
    supplier: Read[Any]
    po_number: Read[Any]
    slip_date: Read[Any]


def is_header_row(row: Row) -> bool:
    text = row.text
    return any(label.search(text) for label in HEADER_LABELS) and not vocab.EXP_LABEL.search(text)


def read_letterhead(rows: list[Row], convention: Convention, expected: Expected | None = None,
                    everything: list[Row] | None = None) -> Letterhead:
    supplier = _supplier(rows)
    po = _po_number(rows)
    if expected is not None and expected.orders:
        po = _against_open_pos(po, supplier.value, rows, everything or rows, expected)
    return Letterhead(supplier, po, _slip_date(rows, convention))


def _against_open_pos(printed: Read[Any], supplier: str | None, rows: list[Row], everything: list[Row],
                      expected: Expected) -> Read[Any]:
    """The number under the slip's PO label, checked against the open POs. One that names an open PO is
    that PO; a read the OCR hesitated over is vouched for by it (as a code the PO lists is) unless another
    open PO's number is a character away (PO-31 and PO-32: Katana numbers POs in sequence). Otherwise,
    each marked (the confirmation asks for the PO to be checked): the one open PO a single character off
    it (OCR's 3 for 8); with no labelled number, an open PO's number printed elsewhere (a label the
    vocabulary lacks — or a postcode: PO31 is Cowes), else the supplier's only open PO. A labelled
    number near no open PO stays as printed, marked."""
    if printed.value and (order := expected.order_named(str(printed.value))) is not None:
        rivals = [o for o in expected.orders_near(str(printed.value), shortest=1) if o is not order]
        if printed.doubtful and rivals:  # a hesitant read of one open PO's number could be another's
            return Read(value=order.order_no, confidence=min(printed.confidence, ASK), how="po.open_rivals")
        return Read(value=order.order_no, confidence=max(printed.confidence, 0.9), how="po.open")
    if printed.value and (order := _number_of_open_po(str(printed.value), expected)) is not None:
        sure = printed.how == "po.label" and not printed.doubtful
        return Read(value=order.order_no, confidence=max(printed.confidence, 0.9) if sure else ASK, how="po.open")
    if printed.value:
        near = expected.orders_near(str(printed.value))
        if len(near) == 1:
            return Read(value=near[0].order_no, confidence=ASK, how="po.near")
        return Read(value=printed.value, confidence=min(printed.confidence, ASK), how="po.not_open")
    elsewhere = _open_po(everything, expected)
    if elsewhere.value:
        return Read(value=elsewhere.value, confidence=min(elsewhere.confidence, ASK), how="po.unlabelled")
    theirs = expected.orders_of(supplier)
    if len(theirs) == 1:
        return Read(value=theirs[0].order_no, confidence=ASK, how="po.only_open")
    return printed


def _number_of_open_po(printed: str, expected: Expected) -> ExpectedOrder | None:
    """'924' under 'Ihre Bestellung PO 924' (the label took the prefix), '2168' under 'Your order': the open
    PO with that number, its prefix left off; only one may have it."""
    if not printed.isdigit() or len(printed.lstrip("0")) < 3:
        return None
    number = r"[^\W\d_]*0*" + printed.lstrip("0")  # letters, then the number with any zeros before it
    found = [o for o in expected.orders if re.fullmatch(number, re.sub(r"[\W_]", "", o.order_no))]
    return found[0] if len(found) == 1 else None


def _open_po(rows: list[Row], expected: Expected) -> Read[Any]:
    """An open PO's number printed anywhere, however OCR spelled it (no label says it is the PO's)."""
    for row in rows:
        words = [w.text.strip(" :#°º.,;") for w in row.words]
        for i, word in enumerate(words):
            for candidate in (word, word + "".join(words[i + 1:i + 2]), word + "".join(words[i + 1:i + 3])):
                order = expected.order_named(candidate) if any(c.isdigit() for c in candidate) else None
                if order is not None:
                    return read(order.order_no, max(row.score, 0.9), 0.97, "po.open")
    return Read()


def _po_number(rows: list[Row]) -> Read[Any]:
    """The number under the PO label that names our order. Slips print the supplier's own order number too
    ('Sales Order', 'Auftrags-Nr.', 'Notre commande'), often first: a label naming the customer's order wins,
    then a plain one ('PO', 'Order No.'), then 'Your ref' (often the buyer's initials: marked where another
    number is printed too); the supplier's own number, the only one printed, is marked."""
    found: dict[str, Read[Any]] = {}
    for index, row in enumerate(rows):
        text = row.text
        for m in vocab.PO_LABEL.finditer(text):
            value = _code_after(text, m, row)
            how = "po.label" if value is not None else "po.below"
            value = value or _code_below(rows, index, row, m.start())
            whose = _whose_order(text, m)
            if value is not None and whose not in found:
                certainty = code_certainty(value[0]) if whose != "theirs" else min(code_certainty(value[0]), ASK)
                found[whose] = read(tidy_code(value[0]), value[1], certainty, how if whose != "theirs" else "po.theirs")
    chosen = next((found[w] for w in ("ours", "plain", "reference", "theirs") if w in found), Read())
    if "reference" in found and len({str(r.value) for r in found.values()}) > 1:  # a reference beside an order no.
        return Read(value=chosen.value, confidence=min(chosen.confidence, ASK), how=chosen.how)
    return chosen


def _whose_order(text: str, label: re.Match[str]) -> str:
    """'ours', 'theirs', 'plain' or 'reference': what the label and the words of its cell around it say about
    whose order the number is ('Nr zamówienia klienta' names the customer after the label). 'Your ref' names
    ours but may hold the buyer's initials or cost centre ('JS-12'), not the PO: a reference."""
    before = re.split(r"\s{2,}", text[:label.start()])[-1].split()[-2:]
    after = text[label.end():].split()[:1]
    words = " ".join([*before, label.group(), *(w for w in after if not any(c.isdigit() for c in w))])
    if vocab.OUR_ORDER.search(words):
        return "reference" if re.search(r"\bref", label.group(), re.I) else "ours"
    return "theirs" if vocab.THEIR_ORDER.search(words) else "plain"


def _code_after(text: str, label: re.Match[str], row: Row) -> tuple[str, float] | None:
    """'PO: 4711', or 'PO-4711' where the label is the number's own prefix; with the OCR's score for its words."""
    start = len(text) - len(text[label.end():].lstrip(" :#°º."))
    for code in (CODE.match(text, start, min(len(text), start + 30)), CODE.match(text, label.start())):
        if code and any(c.isdigit() for c in code.group()) and find_date(code.group()) is None:
            words = row.words_between(code.start(), code.end())
            return code.group(), min((w.score for w in words), default=row.score)
    return None


def _code_below(rows: list[Row], index: int, row: Row, start: int) -> tuple[str, float] | None:
    """A label in a box with its value on the line under it ('Your order' over 'PO-4711')."""
    _, xs = row.char_positions()
    if index + 1 >= len(rows) or start >= len(xs):
        return None
    x = xs[start]
    for word in rows[index + 1].words:
        if abs(word.x0 - x) < 3 * row.height:
            code = CODE.fullmatch(word.text.strip(" :#.,"))
            if code and any(c.isdigit() for c in code.group()) and find_date(code.group()) is None:
                return code.group(), word.score
    return None


def _slip_date(rows: list[Row], convention: Convention) -> Read[Any]:
    fallback: Read[Any] = Read()
    for row in rows:
        text = row.text
        if vocab.EXP_LABEL.search(text) and not vocab.DATE_LABEL.search(text):
            continue
        for m in vocab.DATE_LABEL.finditer(text):
            if vocab.ORDER_DATE_LABEL.search(text[max(0, m.start() - 12):m.end()]):
                continue
            found = find_date(text[m.end():m.end() + 24], convention)
            if found and found.start <= 3:
                return read(found.value, row.score, found.certainty, "date.label")
        found = find_date(text, convention)
        if found and fallback.value is None and not vocab.EXP_LABEL.search(text):
            fallback = read(found.value, row.score, found.certainty * 0.6, "date.shape")  # an unlabelled date: ask
    return fallback


def _supplier(rows: list[Row]) -> Read[Any]:
    for row in rows:
        m = vocab.SUPPLIER_LABEL.search(row.text)
        if m and not vocab.SHIP_TO_LABEL.search(row.text[:m.start() + 1]):
            name = _tidy_company(_name_after(row.text[m.end():]) or "")
            if name:
                return read(name, row.score, 0.9, "supplier.label")
    best: tuple[float, str, float] | None = None
    for rank, row in enumerate(rows[:8]):
        if vocab.SHIP_TO_LABEL.search(row.text):
            continue
        for cell, score in _cells(row):
            name = _tidy_company(cell.strip(" :|"))
            if vocab.TITLE_WORDS.search(name) or not _plausible_company(name):
                continue
            suffix = bool(vocab.COMPANY_SUFFIX.search(name))
            weight = row.height * (1.5 if suffix else 1.0) - rank * 2
            if best is None or weight > best[0]:
                best = (weight, name, score * (0.85 if suffix else 0.55))
    return read(best[1], best[2], 1.0, "supplier.top") if best else Read()


def _cells(row: Row) -> list[tuple[str, float]]:
    cells: dict[int, list[tuple[str, float]]] = {}
    for word in row.words:
        cells.setdefault(word.cell, []).append((word.text, word.score))
    return [(" ".join(w for w, _ in words), min(s for _, s in words)) for _, words in sorted(cells.items())]


def _plausible_company(name: str) -> bool:
    letters = sum(c.isalpha() for c in name)
    digits = sum(c.isdigit() for c in name)
    if letters < 3 or digits > 2 or any(label.search(name) for label in HEADER_LABELS):
        return False
    return not re.match(r"(?i)tel|fax|phone|www\.|https?:|e-?mail", name)


def _name_after(text: str) -> str | None:
    name = re.split(r"\s{2,}|,", text.strip(" :"), maxsplit=1)[0].strip()
    return name if _plausible_company(name) else None


def _tidy_company(name: str) -> str:
    """OCR reads the l of the Italian 'S.r.l.' as a capital I; no legal form is spelled that way."""
    return re.sub(r"(?<![A-Za-z])S\.\s?r\.\s?[I1|]\.", "S.r.l.", name)
