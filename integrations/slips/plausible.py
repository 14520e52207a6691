"""Values that read cleanly but cannot be what the slip says: marked for a person, never changed.

The OCR is sometimes sure of a wrong character (a lot's B read as 8 at 0.995), and nothing on the slip
can check a lot. Dates can be checked against the slip itself: goods are not delivered already past
their expiry, and no food or packaging on a slip keeps for more than ten years, so an expiry on or
before the slip's date, or that far after it, is a misread (a production date, a year's digit) or a
delivery someone must look at either way. And a lot can be checked against how lots are numbered: where
its letters usually stand, a 0 or 1 may be the letter O or I.
"""
from __future__ import annotations

import calendar
import re
from collections import Counter
from datetime import date, timedelta

from integrations.slips.evidence import ASK
from models.packing_slip import Read, SlipLine

LONGEST_SHELF_LIFE_DAYS = 3653


def implausible_expiries(lines: list[SlipLine], slip_date: date | None) -> list[str]:
    """Mark expiries not after the slip's date or more than ten years after it; the notes say why."""
    notes: list[str] = []
    if slip_date is None:
        return notes
    for index, line in enumerate(lines, start=1):
        expiry = line.expiry.value
        if not isinstance(expiry, date) or 0 < (expiry - slip_date).days <= LONGEST_SHELF_LIFE_DAYS:
            continue
        line.expiry = Read(value=expiry, confidence=min(line.expiry.confidence, ASK), how="exp.implausible")
        when = "on or before" if expiry <= slip_date else "more than ten years after"
        notes.append(f"line {index}: expiry {expiry.isoformat()} is {when} the slip's date {slip_date.isoformat()}")
    return notes


# The recogniser reads the letters O and I as 0 and 1, sure of them (0.99+), in the slips' typefaces, and its
# second choice says nothing (P(O) ~ 0.001 where it misread). Lots carry their letters at their ends: a
# two-letter prefix before a serial and its year ('XS405/26', 'XS-405/26'), a one-letter suffix after a date or
# a serial ('210626A', 'CH1951B'). A 0 or 1 where such a letter stands is marked. On the diagnosis caches (third
# corpus 2706-2745 and the tuning seeds, 1265 lots read sure) these were 9 of the 9 lots shown wrong without ⚠
# ('OO245/26' read '00245/26', 'SI402/27' read 'S1402/27', '210626O' read '2106260', 'CH1951O' read
# 'CH19510'), at 6 lots marked that were right ('CH20100'). A letter and six digits ('L260701', a prefixed
# date) ends in a digit of the date and is left alone, as is a 0 or 1 inside a lot (no letter seen there), and
# one whose suspect places hold other digits in lots shaped alike on the slip ('4711230' beside '4711228':
# the supplier numbers that place; outside review 22). Lots misread alike ('CH19510', 'CH19520', 'CH19530':
# one shift letter on every line) show nothing but 0 there and stay marked (outside review 23).
_PREFIX_READ_AS_DIGITS = re.compile(r"(?=[A-Z]?[01])[A-Z01]{2}[-.]?\d{3}/\d{2}")
_SUFFIX_READ_AS_DIGIT = re.compile(r"(?![A-Z]\d{6}$)[A-Z0-9]{6}[01]")


def lots_with_letters_read_as_digits(lines: list[SlipLine]) -> list[str]:
    """Mark lots whose 0 or 1 stands where a lot's letter O or I would; the notes say why."""
    lots = [line.lot.value for line in lines if line.lot.value]
    notes: list[str] = []
    for index, line in enumerate(lines, start=1):
        lot = line.lot.value
        if not lot or not (places := _where_a_letter_may_be(lot)) or all(
                any(other[place] in "23456789" for other in lots if _shape(other) == _shape(lot))
                for place in places):
            continue
        line.lot = Read(value=lot, confidence=min(line.lot.confidence, ASK), how="lot.o_or_zero")
        notes.append(f"line {index}: lot {lot!r} may have the letter O or I where 0 or 1 was read")
    return notes


def _where_a_letter_may_be(lot: str) -> list[int]:
    """The places of the 0s and 1s that stand where a lot's letter usually does (see above)."""
    if _PREFIX_READ_AS_DIGITS.fullmatch(lot):
        return [place for place in (0, 1) if lot[place] in "01"]
    return [len(lot) - 1] if _SUFFIX_READ_AS_DIGIT.fullmatch(lot) else []


# A letter before the day a lot was made ('B26296': B, the year 26 and its 296th day; 'L260920') is read as the
# digit it looks like ('826296', '1260920'), and sometimes surely (fresh seed 2748:10, B as 8 at 0.944). So a
# lot of digits alone that is one digit a letter looks like and then a day it could have been made on — year,
# month and day, or year and day of the year, with the year in two digits or four, in the MADE_WITHIN_YEARS
# up to the slip's date (goods are delivered within months of being made) — is marked. On the diagnosis
# caches 28 lots were read so, all of them wrong (27 doubted by the OCR already), and none that was right.
# Left alone (outside review 24): a lot that is itself a day in that window (DDMMYY '221225', MMDDYY,
# YYMMDD: the commonest numeric lot, a misread 'B26045' is no day), and one beside lots shaped alike that
# begin with a digit no letter reads as and then a day they were made (the supplier numbers that place).
# Not told apart by the value alone: a supplier's running counter in a day's range ('124100'; marked).
_LIKE_A_LETTER = "012568"  # O or D, I or L, Z, S, G, B
MADE_WITHIN_YEARS = 2


def lots_begun_with_a_letter_read_as_a_digit(lines: list[SlipLine], slip_date: date | None) -> list[str]:
    """Mark lots that read as a letter-like digit and the day they were made (see above); the notes say why."""
    return _letter_beside_a_day(lines, slip_date, first=True)


# The same day with the letter after it ('150327S': made 15.03.27, S its shift or line) is read with that
# letter as a digit too ('1503275', third corpus 2755:40, sure at 0.943). A 0 or 1 there is the O/I rule's
# (_SUFFIX_READ_AS_DIGIT); a 2, 5, 6 or 8 after six digits that are a day in the window is marked here.
_LIKE_A_LETTER_AFTER = "2568"  # Z, S, G, B


def lots_ended_with_a_letter_read_as_a_digit(lines: list[SlipLine], slip_date: date | None) -> list[str]:
    """Mark lots that read as the day they were made and then a letter-like digit; the notes say why."""
    return _letter_beside_a_day(lines, slip_date, first=False)


def _letter_beside_a_day(lines: list[SlipLine], slip_date: date | None, *, first: bool) -> list[str]:
    """Mark lots that are a day they were made with a letter-like digit before it (`first`) or after it, unless
    lots shaped alike on the slip hold a digit no letter reads as in that place."""
    notes: list[str] = []
    if slip_date is None:
        return notes
    suspect, numbered = (_letter_then_made, _numbered_first) if first else (_made_then_letter, _numbered_last)
    lots = [line.lot.value for line in lines if line.lot.value]
    for index, line in enumerate(lines, start=1):
        lot = line.lot.value
        if not lot or not suspect(lot, slip_date) or any(
                numbered(other, slip_date) for other in lots if _shape(other) == _shape(lot)):
            continue
        line.lot = Read(value=lot, confidence=min(line.lot.confidence, ASK),
                        how="lot.letter_first" if first else "lot.letter_last")
        where, letters = ("begin", "B, L, O, S…") if first else ("end", "S, B, Z, G")
        notes.append(f"line {index}: lot {lot!r} may {where} with a letter ({letters}) read as a digit")
    return notes


def _letter_then_made(lot: str, slip_date: date) -> bool:
    """A letter-like digit and a day it was made, the whole lot no recent day itself."""
    return lot.isascii() and lot.isdigit() and lot[0] in _LIKE_A_LETTER and \
        _made_by(_made_days(lot[1:]), slip_date) and not _made_by(_days_of(lot), slip_date)


def _made_then_letter(lot: str, slip_date: date) -> bool:
    return lot.isascii() and lot.isdigit() and len(lot) == 7 and lot[-1] in _LIKE_A_LETTER_AFTER \
        and _made_by(_days_of(lot[:-1]), slip_date)


def _numbered_first(other: str, slip_date: date) -> bool:
    return other[0] not in _LIKE_A_LETTER and _made_by(_made_days(other[1:]), slip_date)


def _numbered_last(other: str, slip_date: date) -> bool:
    return other[-1] not in _LIKE_A_LETTER and _made_by(_days_of(other[:-1]), slip_date)


def _made_days(code: str) -> list[date]:
    """The day a lot's code after its letter may say: year, month, day ('260920', '20260920') or year and day of
    the year ('26296', '2026296')."""
    if len(code) in (5, 7):
        year, day = _year(code[:-3]), int(code[-3:])
        return [date(year, 1, 1) + timedelta(days=day - 1)] if 1 <= day <= (366 if calendar.isleap(year) else 365) \
            else []
    return _days(code, "ymd") if len(code) in (6, 8) else []


def _days_of(lot: str) -> list[date]:
    """The days a whole lot of six or eight digits may be, in any of the orders slips print them."""
    return [day for order in ("dmy", "mdy", "ymd") for day in _days(lot, order)] if len(lot) in (6, 8) else []


def _days(code: str, order: str) -> list[date]:
    wide = 4 if len(code) == 8 else 2  # the year's digits
    parts, at = {}, 0
    for part in order:
        size = wide if part == "y" else 2
        parts[part], at = code[at:at + size], at + size
    try:
        return [date(_year(parts["y"]), int(parts["m"]), int(parts["d"]))]
    except ValueError:  # no such day
        return []


def _year(digits: str) -> int:
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def _made_by(days: list[date], slip_date: date) -> bool:
    """One of `days` is in the MADE_WITHIN_YEARS years up to `slip_date`."""
    return any(0 <= (slip_date - day).days <= 366 * MADE_WITHIN_YEARS for day in days)


def odd_codes(lines: list[SlipLine]) -> list[str]:
    """Without a PO to check them against, an item code shaped unlike the slip's others is marked: one
    supplier numbers its items one way ('ALM-555' among 'YST-3215', 'OIL-4626', 'BAG-4421' is more likely
    a digit the OCR dropped than an item numbered differently)."""
    shapes = [_shape(line.sku.value) if line.sku.value else None for line in lines]
    counted = [s for s in shapes if s is not None]
    notes: list[str] = []
    if len(counted) < 3:
        return notes
    ranked = Counter(counted).most_common(2)
    if ranked[0][1] < 2:
        return notes
    # two shapes equally common: neither is the supplier's usual one, so every code is in doubt (picking one
    # by set order read the same slip differently from one process to the next)
    usual = ranked[0][0] if len(ranked) == 1 or ranked[1][1] < ranked[0][1] else None
    for index, (line, shape) in enumerate(zip(lines, shapes, strict=True), start=1):
        if shape is not None and shape != usual:
            line.sku = Read(value=line.sku.value, confidence=min(line.sku.confidence, ASK), how="sku.odd_shape")
            notes.append(f"line {index}: code {line.sku.value!r} is written unlike the slip's other codes")
    return notes


def _shape(code: str) -> str:
    """'YST-3215' → 'A-9999': letters and digits by kind and count, separators kept."""
    return re.sub(r"[A-Za-z]", "A", re.sub(r"\d", "9", code))
