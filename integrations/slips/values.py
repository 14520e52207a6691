"""Numbers and dates as suppliers print them, read without guessing more than the slip allows.

`1.000,50` and `1,000.50` are both a thousand and a half; `1.720` on a German slip is 1720, on a US slip it
would be 1.72. A single separator followed by exactly three digits is the only truly ambiguous case: it is
settled by the slip's own convention (what its unambiguous numbers use) and, failing that, read as
thousands — with a lower certainty so the confirmation view asks a person.
Dates: `05/06/2025` is May or June depending on the country, settled the same way.
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Literal

DecimalMark = Literal[",", "."]
DateOrder = Literal["DMY", "MDY"]

NUMBER = re.compile(r"^[+]?\d{1,3}(?:[.,' ]\d{3})*(?:[.,]\d+)?$|^[+]?\d+(?:[.,]\d+)?$")
_O_AS_ZERO = str.maketrans({"O": "0", "o": "0"})


@dataclass(frozen=True)
class Convention:
    """How this slip writes numbers and dates, learned from its unambiguous ones."""

    decimal: DecimalMark | None = None
    date_order: DateOrder | None = None


def parse_number(text: str, convention: Convention = Convention()) -> tuple[Decimal, float] | None:
    """'1.000,50' → (Decimal('1000.50'), certainty); None when the text is not a number."""
    raw = text.strip().rstrip(".,")
    if raw and sum(c.isdigit() for c in raw) >= len(raw) - 1:  # "1O0" → "100": OCR's O for 0 inside digits
        raw = raw.translate(_O_AS_ZERO)
    if not NUMBER.match(raw):
        return None
    seps = [c for c in raw if c in ".,' "]
    if not seps:
        return _decimal(raw), 1.0
    if len(set(seps)) > 1:  # "1.000,50": the last separator is the decimal mark
        mark = seps[-1]
        if raw.count(mark) > 1:
            return None
        whole, frac = raw.rsplit(mark, 1)
        return _grouped(whole, frac, certainty=1.0)
    sep = seps[0]
    if len(seps) > 1 or sep in "' ":  # "1.000.000" or "1'000": grouping only
        return _grouped(raw, "", certainty=1.0)
    whole, frac = raw.split(sep)
    if len(frac) != 3 or whole == "0" or len(whole) > 3:
        return _decimal(f"{whole}.{frac}"), 0.95  # "10,5", "2.25", "0.500": only a decimal mark fits
    # "1.720": which the separator is, the slip's convention says, if OCR read the separator right; on photos
    # it reads "," as "." and back (1.039 for 1,039), so the reading is marked unless the PO confirms it
    if convention.decimal == sep:
        return _decimal(f"{whole}.{frac}"), 0.58
    return _decimal(whole + frac), 0.59 if convention.decimal else 0.5


def _grouped(whole: str, frac: str, *, certainty: float) -> tuple[Decimal, float] | None:
    groups = re.split(r"[.,' ]", whole)
    if any(len(g) != 3 for g in groups[1:]) or not groups[0]:
        return None
    return _decimal("".join(groups) + (f".{frac}" if frac else "")), certainty


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text.lstrip("+"))
    except InvalidOperation:  # pragma: no cover - NUMBER already rules this out
        raise ValueError(text) from None


MONTHS = {
    **{m: i for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                   "dec"], 1)},
    "sept": 9, "mär": 3, "mrz": 3, "mai": 5, "okt": 10, "dez": 12,  # German
    "ene": 1, "abr": 4, "ago": 8, "dic": 12,  # Spanish (feb, mar, may… coincide)
    "gen": 1, "mag": 5, "giu": 6, "lug": 7, "set": 9, "ott": 10,  # Italian
    "janv": 1, "févr": 2, "fév": 2, "mars": 3, "avr": 4, "juin": 6, "juil": 7, "aoû": 8, "août": 8, "déc": 12,
    "mrt": 3, "mei": 5,  # Dutch (jan, feb, apr, jun, jul, aug, sep, okt, nov, dec coincide)
    "fev": 2, "out": 10,  # Portuguese (dez as in German)
    "sty": 1, "lut": 2, "kwi": 4, "maj": 5, "cze": 6, "lip": 7, "sie": 8, "wrz": 9, "paź": 10, "paz": 10, "lis": 11,
    "gru": 12,  # Polish
    "maart": 3, "jän": 1, "aout": 8,  # whole names whose first three letters are no abbreviation
}
_SEP = r"\s*[./\-]\s*"
# Not the middle of a longer run of numbers ('2341-12/10.06.2027' holds no date '12/10.06', '4711-05-06-27'
# none '05-06-27'): not after a digit and a hyphen, not before a separator and a digit.
NUMERIC_DATE = re.compile(rf"(?<!\d)(?<!\d-)(\d{{1,4}}){_SEP}(\d{{1,2}}){_SEP}(\d{{2,4}})(?!\d)(?!\s*[./\-]\s*\d)")
# not the tail of a day-month-year: '07-2025' in '26-07-2025' (after a hyphen only when a digit precedes it),
# but '02/2028' in '88617-02/2028' is one: a lot, then a month and year written with another separator
MONTH_YEAR = re.compile(r"(?<![\d.,/])(?:(?<!\d-)|(?=\d{1,2}\s*[./]))(\d{1,2})\s*[./\-]\s*(\d{4})(?![\d.,/])")
WORD_DATE = re.compile(
    r"(?:(\d{1,2})[.\s\-]*(?:de\s+)?([A-Za-zÀ-ÿ]{3,9})[.,\s\-]*(?:de\s+)?(\d{2,4})(?!\d))"  # 12 Mar 2025, 12-ene-26
    r"|(?:([A-Za-zÀ-ÿ]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4}))")  # Mar 12, 2025


@dataclass(frozen=True)
class FoundDate:
    value: date
    certainty: float
    start: int
    end: int


# A date one of whose separators the OCR lost ("0705.2027", "16.042027"): photos lose a dot between digits
# often. Read only where a label or a column heading says a date is printed, never as a date found by shape.
LOST_SEPARATOR = re.compile(r"(?<![\d.,/\-])(\d{2})([./\-])?(\d{2})(?(2)|[./\-])(\d{4})(?![\d.,/\-])")
LOST_SEPARATOR_CERTAINTY = 0.5  # under CONFIDENT: shown with ⚠ however sure the OCR was


def find_date(text: str, convention: Convention = Convention(), *, lost_separator: bool = False) -> FoundDate | None:
    """The first date written in `text`, in any of the usual ways; with `lost_separator`, also one printed
    with two separators of which the OCR read one (where the slip says a date is there)."""
    found = [d for d in (_numeric(text, convention), _worded(text), _month_year(text), _worded_month_year(text))
             if d is not None]
    if not found and lost_separator and (m := LOST_SEPARATOR.search(text)):
        sep = m.group(2) or text[m.end(3):m.start(4)]
        parts, _ = _day_month(int(m.group(1)), int(m.group(3)), int(m.group(4)), sep, convention)
        value = _date(*parts)
        return FoundDate(value, LOST_SEPARATOR_CERTAINTY, m.start(), m.end()) if value else None
    return min(found, key=lambda d: d.start) if found else None


def numeric_dates(text: str) -> Iterator[re.Match[str]]:
    """Every day-month-year shaped run, overlapping: a candidate that is no date is passed by one character,
    not by its whole length — in '2341-445/10.06.2027' the lot's '445/10.06' is none, and the date begins
    inside it."""
    start = 0
    while m := NUMERIC_DATE.search(text, start):
        start = m.start() + 1
        yield m


def _numeric(text: str, convention: Convention) -> FoundDate | None:
    for m in numeric_dates(text):
        a, b, c = m.group(1), m.group(2), m.group(3)
        sep = text[m.end(1):m.start(2)].strip()
        if sep != text[m.end(2):m.start(3)].strip():  # '26-07/2028': a lot's last digits, then a month and year
            continue
        if len(a) == 4:  # 2025-12-31
            parts, certainty = (int(a), int(b), int(c)), 1.0
        elif len(a) == 3:  # no day has three digits: '027-11-16' is 2027-11-16 with the year's 2 lost, a guess
            if not a.startswith("0") or len(c) != 2:
                continue
            parts, certainty = (_year(a), int(b), int(c)), 0.5
        elif len(c) in (2, 4):
            parts, certainty = _day_month(int(a), int(b), _year(c), sep, convention)
        else:
            continue
        value = _date(*parts)
        if value is not None:
            return FoundDate(value, certainty, m.start(), m.end())
    return None


def _day_month(a: int, b: int, year: int, sep: str, convention: Convention) -> tuple[tuple[int, int, int], float]:
    if sep == "." or a > 12:  # dots are European; a 13+ first is a day
        return (year, b, a), 1.0
    if b > 12:
        return (year, a, b), 1.0
    if a == b:
        return (year, a, a), 1.0
    if convention.date_order == "MDY":
        return (year, a, b), 0.85
    return (year, b, a), 0.85 if convention.date_order == "DMY" else 0.5


def _worded(text: str) -> FoundDate | None:
    for m in WORD_DATE.finditer(text):
        day, month, year = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(5), m.group(4), m.group(6))
        number = _month(month)
        value = _date(_year(year), number, int(day)) if number else None
        if value is not None:
            return FoundDate(value, 1.0, m.start(), m.end())
    return None


def _month_year(text: str) -> FoundDate | None:
    """'12/2026' on an expiry: good until the end of that month."""
    m = MONTH_YEAR.search(text)
    if not m or not 1 <= int(m.group(1)) <= 12:
        return None
    year, month = int(m.group(2)), int(m.group(1))
    if not 2000 <= year <= 2099:  # '3.0000' is a number, '12-0000' a phone number's end: no date
        return None
    return FoundDate(date(year, month, calendar.monthrange(year, month)[1]), 0.8, m.start(), m.end())


# A month's name, whole or cut short as slips print it: only these make a word and a year an expiry, so a
# product ('Marzipan 2027', 'Deckel 2027') never does.
_MONTH_NAMES = frozenset(re.findall(r"\S+",
    "january february march april june july august september october november december "  # en
    "januar jänner februar märz juni juli oktober dezember "  # de
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre "  # es
    "gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre "  # it
    "janvier février fevrier avril juin juillet aout septembre octobre novembre décembre decembre "  # fr
    "januari februari maart mei augustus "  # nl
    "janeiro fevereiro março marco maio junho julho setembro outubro novembro dezembro "  # pt
    "styczeń styczen luty marzec kwiecień kwiecien maj czerwiec lipiec sierpień sierpien wrzesień wrzesien "
    "październik pazdziernik listopad grudzień grudzien stycznia lutego marca kwietnia maja czerwca lipca "
    "sierpnia września wrzesnia października pazdziernika listopada grudnia")) | frozenset(MONTHS)
WORD_MONTH_YEAR = re.compile(r"(?<![A-Za-zÀ-ÿ0-9])([A-Za-zÀ-ÿ]{3,12})\.?\s*[\-/]?\s*(\d{4})(?![\d.,/])")


def _worded_month_year(text: str) -> FoundDate | None:
    """'Oct 2027', 'Okt. 2027', 'mar-2027' on an expiry: good until the end of that month. The name leaves no
    doubt which month it is, but the day is the reader's convention, not the slip's: not quite sure."""
    for m in WORD_MONTH_YEAR.finditer(text):
        if m.group(1).lower() not in _MONTH_NAMES:
            continue
        year, month = int(m.group(2)), _month(m.group(1))
        if month and 2000 <= year <= 2099:
            return FoundDate(date(year, month, calendar.monthrange(year, month)[1]), 0.8, m.start(), m.end())
    return None


def names_a_month(text: str) -> bool:
    """A word of `text` is a month's name, whole or cut short ('Sep', 'Okt.', 'marzo')."""
    return any(word.lower() in _MONTH_NAMES for word in re.findall(r"[A-Za-zÀ-ÿ]{3,12}", text))


def _month(word: str) -> int | None:
    word = word.lower()
    for length in (5, 4, 3):
        if word[:length] in MONTHS:
            return MONTHS[word[:length]]
    return None


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if year < 100 else year


def _date(year: int, month: int, day: int) -> date | None:
    if not 2000 <= year <= 2099:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


# Words of languages that write decimal commas, and English ones: a weak vote when numbers don't tell.
_COMMA_LANGUAGE = re.compile(
    r"(?i)(?<!\w)(menge|charge|datum|lieferschein|bestell\w*|cantidad|lote|fecha|pedido|albar[aá]n|quantit[àé]|"
    r"lotto|scad\w*|ordine|qt[ée]|désignation|commande|livraison|dluo|ddm|mhd|stk|stück|uds|pz|pezzi|cajas|colis|"
    r"aantal|omschrijving|pakbon|leverdatum|partij|tht|stuks|quantidade|descrição|encomenda|validade|guia|"
    r"ilo[śs][ćc]|nazwa|partia|szt|zam[óo]wienie|wa[żz]ne|odbiorca|dostawa)(?!\w)")
_POINT_LANGUAGE = re.compile(r"(?i)(?<!\w)(qty|quantity|ship\s*date|purchase\s*order|delivery\s*note|each|pcs|"
                             r"best\s*before|use\s*by|batch)(?!\w)")


def learn_convention(texts: list[str], stamps: list[str] | tuple[str, ...] = ()) -> Convention:
    """Vote over the whole slip: unambiguous numbers and dates tell how the ambiguous ones are meant,
    the slip's language breaks a tie (at most as much as two unambiguous numbers). `stamps`: the text of rubber
    stamps, whose dates are written the stamp's owner's way — a goods-in stamp's the receiver's ('RECEIVED
    14 OCT 2026' on a US slip, third corpus 2750:7) — so only the address they carry votes (a supplier's
    company stamp says where it writes from; outside review 25)."""
    joined = "\n".join(texts)
    comma = min(2.0, 0.5 * len(_COMMA_LANGUAGE.findall(joined)))
    point = min(2.0, 0.5 * len(_POINT_LANGUAGE.findall(joined)))
    dmy = mdy = 0
    for text in texts:
        stripped = NUMERIC_DATE.sub(" ", text)
        comma += len(re.findall(r"(?<![\d.,])\d+(?:\.\d{3})*,\d{1,2}(?![\d.,])|\d\.\d{3},\d", stripped))
        point += len(re.findall(r"(?<![\d.,])\d+(?:,\d{3})*\.\d{1,2}(?![\d.,])|\d,\d{3}\.\d", stripped))
        for m in numeric_dates(text):
            a, b, sep = int(m.group(1)), int(m.group(2)), text[m.end(1):m.start(2)].strip()
            if len(m.group(1)) > 2 or _date(*_day_month(a, b, _year(m.group(3)), sep, Convention())[0]) is None:
                continue  # a year first says nothing of the order; '240 / 09/11' (a lot's tail) is no date
            dmy += sep == "." or (a > 12 >= b)
            mdy += b > 12 >= a and sep != "."
    decimal: DecimalMark | None = "," if comma > point else "." if point > comma else None
    day_first, month_first = _date_order_hints(joined, "\n".join(stamps))
    dmy, mdy = dmy + day_first, mdy + month_first
    order: DateOrder | None = "DMY" if dmy > mdy else "MDY" if mdy > dmy else None
    if order is None and decimal == ",":  # decimal commas go with day-first dates; a decimal point does not
        order = "DMY"  # tell: the UK, Ireland, India and Australia write points and day-first dates
    return Convention(decimal, order)


_MONTH_FIRST_WORDS = re.compile(r"(?<![\w])([A-Za-z]{3,9})\.?\s+\d{1,2},\s+\d{4}(?!\d)")  # "Mar 12, 2025"
_DAY_FIRST_WORDS = re.compile(r"(?<![\w.,])\d{1,2}\.?\s+([A-Za-zÀ-ÿ]{3,9})\.?\s+\d{4}(?!\d)")  # "12 Mar 2025"
# the 50 states and DC
_US_STATE = (r"A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|"
             r"V[TA]|W[AVIY]")
# "Dallas, TX 75001": a real state's code and a ZIP after a town (its comma, or its capitalised name), ending
# the address; a French 'BL 24051' (bon de livraison) or Swiss 'CH 8004' is no US address. (A scan's 'Columbus;
# OH·43219' is not taken: a German 'Mühlweg 5; DE 80331' would be too; outside review 25.)
_US = re.compile(rf"(?:,\s*|[A-Z][a-z]+\s+)(?:{_US_STATE})\s\d{{5}}(?:-\d{{4}})?(?![\d\w])"
                 r"|(?<![A-Za-z])(?:USA|U\.S\.A\.)(?![A-Za-z])|\$\s?\d")
_DAY_FIRST_COUNTRY = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}(?![A-Za-z])|£\s?\d|Ltd\.?|plc|Pty|GmbH|S\.?A\.?S|S\.?r\.?l)")


def _date_order_hints(text: str, stamps: str = "") -> tuple[int, int]:
    """Votes (day first, month first) from how dates are worded and where the slip (or a stamp) comes from."""
    addresses = f"{text}\n{stamps}"
    day_first = sum(1 for m in _DAY_FIRST_WORDS.findall(text) if _month(m))
    day_first += min(2, len(_DAY_FIRST_COUNTRY.findall(addresses)))
    month_first = sum(1 for m in _MONTH_FIRST_WORDS.findall(text) if _month(m)) + min(2, len(_US.findall(addresses)))
    return day_first, month_first
