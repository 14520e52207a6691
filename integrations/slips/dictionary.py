"""Snapping what OCR read to the codes the purchase order expects.

OCR reads O as 0, l and I as 1, S as 5, B as 8, drops hyphens and glues a code to the word after it
('MAT-LEMLemonjuice'). Folded (integrations.slips.matching.code_key), 'MAT-LEM', 'MAT LEM' and 'MAT-1EM'
are one key, so such a read snaps to the PO's code with confidence; a read one character further off
snaps only when exactly one code is that close, and is marked for a person to check; so does a long code
two characters off, when no other code is within three.
"""
from __future__ import annotations

import re

from integrations.slips.expected import ExpectedItem
from integrations.slips.matching import code_key, distance, one_off
from integrations.slips.vocab import normalise_unit

SURE, GLUED, NEAR = 0.95, 0.9, 0.55  # NEAR is under models.packing_slip.CONFIDENT: such a snap shows ⚠


class Dictionary:
    def __init__(self, items: list[ExpectedItem] | None = None) -> None:
        self.items = list(items or [])
        self._codes: dict[str, tuple[str, ExpectedItem]] = {}
        for item in self.items:
            for code in item.codes:
                if code and len(code_key(code)) >= 3:
                    self._codes.setdefault(code_key(code), (code, item))

    def __bool__(self) -> bool:
        return bool(self._codes)

    def item(self, code: str) -> ExpectedItem | None:
        found = self._codes.get(code_key(code))
        return found[1] if found else None

    def unit_of(self, code: str) -> str | None:
        item = self.item(code)
        return normalise_unit(item.unit) if item and item.unit else None

    def code_for(self, word: str) -> tuple[str, float] | None:
        """The PO's code this word reads as, with how sure the snap is; None when none is close."""
        key = code_key(word)
        if len(key) < 3:
            return None
        if key in self._codes:
            return self._codes[key][0], SURE
        glued = [(k, v) for k, v in self._codes.items() if len(k) >= 4 and key.startswith(k) and _word_after(word, k)]
        if len(glued) == 1:  # a variant ('FLR-1001-BIO', 'FLR-1001B') may be a substitute: asked, with a note
            return glued[0][1][0], NEAR if _variant_suffix(word, glued[0][0]) else GLUED
        near = [v for k, v in self._codes.items() if len(k) >= 5 and one_off(key, k)]
        if len(near) == 1:
            return near[0][0], NEAR
        return self._two_off(key)

    def _two_off(self, key: str) -> tuple[str, float] | None:
        """A long code with two characters misread ('E00-7638' for EGG-7638, 'YWT6012' for YST-6812, both
        on one blurred photo): the PO's code two off, when no other of its codes is within three."""
        if len(key) < 7:
            return None
        close = sorted((distance(key, k, 3), v[0]) for k, v in self._codes.items() if len(k) >= 7)
        if close and close[0][0] == 2 and (len(close) == 1 or close[1][0] > 3):
            return close[0][1], NEAR
        return None


def _after_code(word: str, key: str) -> str:
    """What follows the code's characters in the word ('-BIO' in 'FLR-1001-BIO')."""
    seen = 0
    for i, char in enumerate(word):
        seen += char.isalnum()
        if seen == len(key):
            return word[i + 1:]
    return ""


def _variant_suffix(word: str, key: str) -> bool:
    """'FLR-1001-BIO', 'FLR-1001-EXTRA', 'FLR-1001-bio', 'FLR-1001B', 'FLR-1001/2': suppliers number a variant
    of an item (organic, another size) by a suffix after a separator, or one to three capitals glued on. The
    OCR gluing a neighbouring word on adds no separator ('PKG-BOX-12Shipper'), and such a word is longer or
    lower-case (outside review: '-EXTRA', '-ORGANIC' and '-bio' were snapped sure)."""
    rest = _after_code(word, key)
    if re.match(r"[-_/.][A-Za-z0-9]", rest):
        return True
    return re.fullmatch(r"[A-Z]{1,3}", rest) is not None


def _word_after(word: str, key: str) -> bool:
    """'PKG-BOX-12Shipper': after the code's characters comes a letter, so it was a code glued to a word."""
    seen = 0
    for i, char in enumerate(word):
        if char.isalnum():
            seen += 1
        if seen == len(key):
            rest = word[i + 1:].lstrip("-_/.")
            return bool(rest) and rest[0].isalpha()
    return False
