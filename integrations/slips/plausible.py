"""Values that read cleanly but cannot be what the slip says: marked for a person, never changed.

The OCR is sometimes sure of a wrong character (a lot's B read as 8 at 0.995), and nothing on the slip
can check a lot. Dates can be checked against the slip itself: goods are not delivered already past
their expiry, and no food or packaging on a slip keeps for more than ten years, so an expiry on or
before the slip's date, or that far after it, is a misread (a production date, a year's digit) or a
delivery someone must look at either way.
"""
from __future__ import annotations

from datetime import date

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
