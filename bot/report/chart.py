"""The report's picture: one PNG, two panels stacked for a phone held upright, large type.

Top: planned vs made per product (a pale bar for the plan, a narrower solid bar inside it for what was
made, the yield written at its end). Bottom: scrap by reason (bars with quantity and share). Drawn with matplotlib's
object API on the Agg canvas (no pyplot, so no process-wide figure registry and safe off the event loop);
matplotlib is imported when the first chart is drawn, not at start-up, since it costs ~0.3 s.
"""
from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from bot.report.figures import ShiftFigures
from bot.report.message import num, pct

WIDTH_PX, HEIGHT_PX, DPI = 1000, 1250, 100  # 4:5, what Slack shows full width on a phone
CHART_SIZE = (WIDTH_PX, HEIGHT_PX)
BARS = 8  # more products or reasons than this: the biggest ones, the rest are in the message and CSV
LABEL_CHARS = 14  # what the left margin holds at FONT
FONT = 22  # points at 100 dpi: ~30 px, still ~11 pt on a phone screen
PLANNED, MADE, SCRAP = "#c8d3de", "#2b6cb0", "#c05621"


def wants_chart(figures: ShiftFigures) -> bool:
    return bool(figures.products or figures.scrap_by_reason)


def label(text: str) -> str:
    """Text from Katana or the floor, as matplotlib should draw it: `$` would start its math mode."""
    return text.replace("$", r"\$")[:LABEL_CHARS]


def draw(figures: ShiftFigures) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # lazy: start-up and acks stay fast
    from matplotlib.figure import Figure  # lazy, as above

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    # Fixed margins (room for 14-character labels) instead of a layout engine, which measured every text
    # twice and took half of the drawing time (bench row 7).
    made_axes, scrap_axes = figure.subplots(2, 1, height_ratios=(3, 2), gridspec_kw={
        "left": 0.3, "right": 0.97, "top": 0.88, "bottom": 0.05, "hspace": 0.32})
    figure.suptitle(figures.period.title, fontsize=FONT, fontweight="bold")  # our words, not typed text
    planned_vs_made(made_axes, figures)
    scrap_by_reason(scrap_axes, figures)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})  # flat colours: zlib's fastest
    return out.getvalue()


def planned_vs_made(axes: Any, figures: ShiftFigures) -> None:
    products = figures.products[:BARS]
    axes.set_title(f"Made vs planned (pale) — yield {pct(figures.shift_yield)}", fontsize=FONT, loc="left")
    if not products:
        return nothing(axes, "No MO finished")
    rows = range(len(products))[::-1]  # biggest on top
    axes.barh(rows, [float(p.planned) for p in products], color=PLANNED, height=0.8)
    axes.barh(rows, [float(p.made) for p in products], color=MADE, height=0.5)
    for row, product in zip(rows, products, strict=True):
        axes.text(float(max(product.made, product.planned)), row, f"  {pct(product.yield_percent)}",
                  va="center", fontsize=FONT)
    axes.set_yticks(list(rows), [label(p.sku) for p in products], fontsize=FONT)
    finish(axes, max(max(p.made, p.planned) for p in products), len(products))


def scrap_by_reason(axes: Any, figures: ShiftFigures) -> None:
    reasons = figures.scrap_by_reason[:BARS]
    axes.set_title(f"Scrap by reason — {num(figures.scrap)} in all", fontsize=FONT, loc="left")
    if not reasons:
        return nothing(axes, "No scrap recorded")
    rows = range(len(reasons))[::-1]
    axes.barh(rows, [float(r.quantity) for r in reasons], color=SCRAP, height=0.6)
    for row, reason in zip(rows, reasons, strict=True):
        axes.text(float(reason.quantity), row, f"  {num(reason.quantity)} ({num(reason.percent)} %)",
                  va="center", fontsize=FONT)
    axes.set_yticks(list(rows), [label(r.label) for r in reasons], fontsize=FONT)
    finish(axes, max(r.quantity for r in reasons), len(reasons))


def finish(axes: Any, largest: Decimal, bars: int) -> None:
    axes.set_xlim(0, float(largest) * 1.45)  # room for the labels after the longest bar
    axes.set_ylim(bars - 0.6 - max(bars, 3), bars - 0.4)  # one or two bars stay bars (not slabs), at the top
    axes.tick_params(axis="x", labelsize=FONT * 0.8)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def nothing(axes: Any, words: str) -> None:
    axes.text(0.5, 0.5, words, ha="center", va="center", fontsize=FONT, transform=axes.transAxes)
    axes.set_axis_off()
