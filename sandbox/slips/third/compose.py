"""Deciding one slip: its truth and how each value will be printed, before any pixel is drawn.

The plan holds the printed strings next to the true values so the typesetter never formats a number or
a date itself (one place decides "12,500 kg" means 12.5 kg).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from . import catalogue
from .languages import W, Wording, fmt_date, fmt_number
from .truth import Slip

LAYOUTS = ("grid", "columns", "erp", "blocks", "cards", "pallets")

# column orders seen on real notes; qty-first and lot-before-code are not rare at all in ERP exports
COLUMN_ORDERS = (
    ("pos", "code", "desc", "qty", "unit", "lot", "expiry"),
    ("qty", "unit", "code", "desc", "lot", "expiry"),
    ("pos", "desc", "code", "lot", "expiry", "qty", "unit"),
    ("pos", "lot", "code", "desc", "qty", "unit", "expiry"),
    ("code", "desc", "ordered", "qty", "backorder", "unit", "lot", "expiry"),
    ("pos", "code", "desc", "lot", "expiry", "weight", "qty", "unit"),
    ("pos", "code", "desc", "unit", "ordered", "qty", "lot"),
)


@dataclass
class Printed:
    """One line as it appears on paper."""
    pos: str
    code: str
    desc: str
    qty: str  # the printed figure (struck through when corrected, blank when filled by hand)
    unit: str
    lot: str
    expiry: str
    ordered: str = ""
    backorder: str = ""
    weight: str = ""
    hand_qty: str = ""  # written by pen: a correction or the whole figure
    desc2: str = ""  # a second line under the name: the EAN, a pack size — another code that is no item code


@dataclass
class Plan:
    slip: Slip
    wording: Wording
    rows: list[Printed]
    header: dict[str, str]
    columns: tuple[str, ...]
    labels: dict[str, str]
    options: set[str] = field(default_factory=set)
    face: str = "sans"
    family: str = "open-sans"
    hand: str = "shadows-into-light"
    merged_unit: bool = False  # quantity and unit in one cell ("12,5 kg")
    pallets: list[list[int]] = field(default_factory=list)
    letter: bool = False


def plan_slip(seed: int, index: int, condition: str, rng: random.Random) -> Plan:
    from .fonts import HAND, PRINT
    language = rng.choice(tuple(W))
    # every run of 18 slips gives each condition every layout once
    layout = LAYOUTS[(index // 3 + 2 * (index % 3)) % len(LAYOUTS)]
    w = W[language]
    supplier = rng.choice(catalogue.SUPPLIERS[language])
    po = catalogue.po_number(rng)
    slip_date = date(2026, 9, 1) + timedelta(days=rng.randint(0, 420))
    n_lines = rng.randint(2, 10 if layout in ("pallets", "columns", "erp") else 7)
    if layout == "cards":
        n_lines = min(n_lines, 6)
    made = catalogue.make_lines(rng, language, slip_date, n_lines)
    date_fmt = rng.choice(w.date_formats)
    exp_fmt = rng.choice(w.expiry_formats)
    month_year = "%d" not in exp_fmt

    options: set[str] = set()
    for name, p in (("stamp", 0.45), ("ticks", 0.35), ("logo", 0.7), ("barcode", 0.4), ("qr", 0.25),
                    ("totals", 0.5), ("terms", 0.7), ("bank", 0.5), ("signature", 0.7), ("order_date", 0.4),
                    ("correction", 0.3), ("handfilled", 0.1), ("ship_to", 0.7), ("page", 0.6)):
        if rng.random() < p:
            options.add(name)
    if layout == "erp":
        face = "mono"
    else:
        face = rng.choice(("sans", "sans", "condensed", "serif", "mono" if rng.random() < 0.3 else "sans"))
    columns = rng.choice(COLUMN_ORDERS)
    if layout in ("blocks", "cards"):
        options.discard("handfilled")
    if "handfilled" in options:
        columns = ("pos", "code", "desc", "ordered", "qty", "unit", "lot", "expiry")
        options.discard("correction")
        options.discard("totals")  # nobody prints a total of figures still to be written in
    if rng.random() < 0.25 and layout != "cards":
        options.add("ean")
    if layout in ("grid", "columns", "pallets") and "lot" in columns and "expiry" in columns and rng.random() < 0.3:
        options.add("lot_exp")  # "L230512 / 12.03.2027" in one cell, no best-before column of its own
    merged_unit = "unit" in columns and rng.random() < 0.3 and "handfilled" not in options

    lines, rows = [], []
    ordered: dict[str, Decimal] = {}
    corrected = set(rng.sample(range(n_lines), k=min(n_lines, rng.randint(1, 2)))) if "correction" in options else set()
    for i, (line, lot_text) in enumerate(made):
        expiry = line.expiry
        shown = columns if layout in ("grid", "columns", "erp", "pallets") else ("lot", "expiry")
        if "expiry" not in shown:  # a template without a best-before column: the truth has none either
            expiry = None
        if "lot" not in shown:
            lot_text = ""
            line = replace(line, lot=None)
        if expiry is not None and month_year:
            expiry = catalogue.month_end(expiry)
        unit_word = rng.choice(w.units[line.unit])
        qty = line.quantity
        printed_qty = fmt_number(qty, w, rng, unit=line.unit)
        hand = ""
        order_q = qty
        if i in corrected:  # printed figure struck out, the delivered one written beside it
            delivered = qty - max(Decimal(1), (qty / 5).quantize(Decimal(1)))
            if delivered <= 0:
                delivered = qty + 1
            hand = fmt_number(delivered, w, random.Random(0), unit="pcs")
            order_q, qty = qty, delivered
        elif "handfilled" in options:
            hand, printed_qty = fmt_number(qty, w, random.Random(0), unit="pcs"), ""
            if rng.random() < 0.3:
                order_q = qty + rng.randint(1, 5)
        elif "ordered" in columns and rng.random() < 0.35:
            order_q = qty + Decimal(rng.randint(1, 10)) * (Decimal(1) if qty >= 10 else Decimal("0.5"))
        ordered[line.sku] = order_q
        line = replace(line, quantity=qty, expiry=expiry)
        lines.append(line)
        weight = ""
        if "weight" in columns:
            kg = (qty if line.unit == "kg" else Decimal(rng.randint(5, 4000)) / 10)
            weight = fmt_number(kg, w, rng, unit="kg")
        rows.append(Printed(
            pos="",
            code=line.sku, desc=line.description, qty=printed_qty, unit=unit_word, lot=lot_text,
            expiry=fmt_date(expiry, exp_fmt, w) if expiry else "",
            ordered=fmt_number(order_q, w, rng, unit=line.unit) if "ordered" in columns else "",
            backorder=(fmt_number(order_q - qty, w, rng, unit=line.unit) if order_q > qty else "0")
            if "backorder" in columns else "",
            weight=weight, hand_qty=hand))
    if "ean" in options:
        for r in rows:
            ean = catalogue._ean13(rng)
            r.desc2 = rng.choice([f"EAN {ean}", f"GTIN: {ean}", f"EAN: {ean}", f"{ean}"])
    if "lot_exp" in options:
        sep = rng.choice((" / ", "  ", " - ", " MHD ")) if language == "de" else rng.choice((" / ", "  ", " - "))
        for r in rows:
            r.lot = sep.join(x for x in (r.lot, r.expiry) if x).strip()
            r.expiry = ""
        columns = tuple(c for c in columns if c != "expiry")
        labels_lot = f"{rng.choice(w.col_lot)} / {rng.choice(w.col_expiry)}"
    else:
        labels_lot = ""
    # position numbers 10, 20, 30 (SAP) or 1, 2, 3 — one habit per slip
    step = 10 if rng.random() < 0.3 else 1
    for i, r in enumerate(rows):
        r.pos = str((i + 1) * step)

    labels = {k: rng.choice(getattr(w, f"col_{k}")) for k in
              ("pos", "code", "desc", "qty", "ordered", "backorder", "unit", "lot", "expiry", "weight")}
    if labels_lot:
        labels["lot"] = labels_lot
    order_date = slip_date - timedelta(days=rng.randint(2, 30))
    header = {
        "title": rng.choice(w.titles),
        "po_label": rng.choice(w.po_labels), "po": catalogue.printed_po(po, rng),
        "note_label": rng.choice(w.note_labels),
        "note": rng.choice([f"{rng.randint(100000, 999999)}", f"LS{slip_date:%y}-{rng.randint(1000, 99999)}",
                            f"{slip_date:%Y}/{rng.randint(100, 9999):04d}", f"DN-{rng.randint(10000, 99999)}"]),
        "date_label": rng.choice(w.date_labels), "date": fmt_date(slip_date, date_fmt, w),
        "order_date_label": rng.choice(w.order_date_labels), "order_date": fmt_date(order_date, date_fmt, w),
        "customer_label": rng.choice(w.customer_labels), "customer": str(rng.randint(10000, 99999)),
    }
    pallets: list[list[int]] = []
    if layout == "pallets":
        idx = list(range(n_lines))
        k = rng.randint(1, min(3, n_lines))
        cuts = sorted(rng.sample(range(1, n_lines), k - 1)) if k > 1 else []
        bounds = [0, *cuts, n_lines]
        pallets = [idx[a:b] for a, b in zip(bounds, bounds[1:])]
    condition_name = condition
    name = f"{seed}:{index}:{layout}:{language}"
    open_orders = catalogue.open_orders(rng, language, supplier, po, lines, ordered)
    slip = Slip(name, language, layout, condition_name, supplier, po, slip_date, lines, open_orders,
                tuple(sorted(options)))
    family = rng.choice(PRINT[face])
    return Plan(slip, w, rows, header, columns, labels, options, face, family, rng.choice(HAND), merged_unit,
                pallets, letter=language == "en-US")
