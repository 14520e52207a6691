"""Typefaces of this corpus, none shared with the other two generators.

Print faces stand for what suppliers' systems print: a monospace for ERP / dot-matrix style printouts, a
condensed face for dense tables, serifs for old-fashioned office templates, plain sans for the rest.
Handwriting faces are for what the driver or the goods-in clerk adds by pen.
"""
from __future__ import annotations

from functools import lru_cache

import fontpkg
from PIL import ImageFont

PRINT = {
    "sans": ("open-sans", "lato", "source-sans-3"),
    "condensed": ("pt-sans-narrow", "fira-sans-condensed"),
    "serif": ("pt-serif", "libre-baskerville"),
    "mono": ("inconsolata", "space-mono"),
}
HAND = ("shadows-into-light", "permanent-marker", "zeyada")
ALL = tuple(f for group in PRINT.values() for f in group) + HAND


@lru_cache(maxsize=256)
def font(family: str, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = fontpkg.path(family, weight=700 if bold else 400, nearest=True)
    f = ImageFont.truetype(str(path), size)
    try:  # variable fonts: pick the weight on the wght axis (and keep width at normal)
        axes = f.get_variation_axes()
    except OSError:
        return f
    values = []
    for axis in axes:
        name = axis.get("name", b"")
        name = name.decode() if isinstance(name, bytes) else str(name)
        if name.lower().startswith("weight"):
            values.append(700 if bold else 400)
        elif name.lower().startswith("width"):
            values.append(100)
        else:
            values.append(axis["default"])
    f.set_variation_by_axes(values)
    return f
