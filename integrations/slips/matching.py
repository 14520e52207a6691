"""Comparing a code read off a slip with one in Katana, forgiving the OCR's usual confusions.

OCR reads O as 0, l and I as 1, S as 5 and drops or adds separators; a PO printed "PO2025-0117" may come
back "P02025-0117". Matching a PO or SKU by `same_code` keeps such a read usable, while the operator
still sees (and confirms) what was read.
"""
from __future__ import annotations

_FOLD = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "i": "1", "|": "1", "S": "5", "s": "5",
                       "B": "8", "Z": "2", "z": "2"})


def code_key(code: str) -> str:
    """'P0-2025/117' and 'po 2025-117' → the same key: case, separators and look-alike characters folded."""
    return "".join(c for c in code.translate(_FOLD).upper() if c.isalnum())


def same_code(read: str | None, known: str | None) -> bool:
    return bool(read) and bool(known) and code_key(read or "") == code_key(known or "")


def one_off(a: str, b: str) -> bool:
    """One character replaced, dropped or added."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance between `a` and `b`, or limit + 1 as soon as it is sure to exceed `limit`."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
