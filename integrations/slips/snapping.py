"""The read lines snapped to what the purchase order expects, each change noted for the receipt.

A code is replaced by the PO's code it reads as (dictionary.py): surely when they differ only by OCR's
look-alike characters or a glued word, with ⚠ when one character is off. A missing or doubtful unit is
taken from the PO row, marked for checking; a clearly printed unit that differs from the row's stays as
printed (the operator sees both).
"""
from __future__ import annotations

from integrations.slips.dictionary import NEAR, Dictionary
from models.packing_slip import CONFIDENT, Read, SlipLine


def snap_lines(lines: list[SlipLine], dictionary: Dictionary, source: str) -> tuple[list[SlipLine], list[str]]:
    if not dictionary:
        return lines, []
    notes = []
    for index, line in enumerate(lines, start=1):
        read_as = line.sku.value
        hit = dictionary.code_for(read_as) if read_as else None
        if hit is not None and hit[0] != read_as:
            code, certainty = hit
            line.sku = Read(value=code, confidence=min(line.sku.confidence, certainty) if certainty > NEAR
                            else min(certainty, CONFIDENT - 0.05))
            notes.append(f"line {index}: code read as {read_as!r}, taken as {code} from {source}")
        elif hit is not None:
            line.sku = Read(value=read_as, confidence=max(line.sku.confidence, 0.9))
        _prefer_row_unit(line, dictionary.unit_of(line.sku.value) if line.sku.value else None)
    return lines, notes


def _prefer_row_unit(line: SlipLine, expected: str | None) -> None:
    if expected is None:
        return
    if line.unit.value is None or (line.unit.value != expected and line.unit.doubtful):
        line.unit = Read(value=expected, confidence=0.5)
