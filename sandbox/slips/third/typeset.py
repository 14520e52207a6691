"""Setting a planned slip on a page: letterhead, reference block, the goods, footer.

Pages are A4 (or US Letter for US suppliers) at about 200 dpi. The typesetter records where each line's
quantity and row ended up (`Anchors`) so pen marks and stamps can later be put where a person would put them.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field

from PIL import Image, ImageDraw

from . import marks
from .compose import Plan, Printed
from .fonts import font

ADDRESSES = {
    "en-US": ("4100 Commerce Dr., Suite 200", "Columbus, OH 43219 · (614) 555-0188"),
    "en-GB": ("Unit 7, Riverside Park, Bolton BL3 2RT", "Tel +44 1204 555 142 · VAT GB 284 5519 06"),
    "de": ("Industriestraße 14 · 50829 Köln", "Tel. +49 221 5550 140 · USt-IdNr. DE 812 345 678"),
    "es": ("Calle Mayor 22, 46001 Valencia", "Tel. 96 555 12 40 · CIF B-46123456"),
    "fr": ("12 rue des Artisans, 13090 Aix-en-Provence", "Tél. 04 42 55 51 20 · SIRET 412 345 678 00021"),
    "it": ("Via Roma 118, 10121 Torino", "Tel. 011 555 1180 · P.IVA IT 01234567890"),
    "nl": ("Havenweg 3, 3089 JB Rotterdam", "Tel. 010 555 0314 · BTW NL8123.45.678.B01"),
    "pt": ("Rua do Comércio 45, 4050-123 Porto", "Tel. 22 555 0450 · NIF 501 234 567"),
    "pl": ("ul. Przemysłowa 9, 30-701 Kraków", "tel. 12 555 09 90 · NIP 676-123-45-67"),
}
NUMERIC = {"qty", "ordered", "backorder", "weight", "pos"}


@dataclass
class Anchors:
    qty: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)  # line -> qty cell box
    rows: dict[int, tuple[int, int, int, int]] = field(default_factory=dict)  # line -> row box
    table: tuple[int, int, int, int] | None = None


class Page:
    def __init__(self, plan: Plan, rng: random.Random):
        self.plan, self.rng = plan, rng
        self.w, self.h = (1700, 2200) if plan.letter else (1654, 2339)
        paper = tuple(rng.randint(246, 255) for _ in range(3))
        self.img = Image.new("RGB", (self.w, self.h), paper)
        self.d = ImageDraw.Draw(self.img)
        self.ink = rng.choice([(20, 20, 20), (35, 35, 45), (10, 20, 60), (45, 45, 45)])
        self.accent = rng.choice([(0, 70, 140), (150, 20, 30), (0, 110, 70), (60, 60, 60), (200, 90, 0)])
        self.size = rng.randint(24, 30) if plan.face != "condensed" else rng.randint(26, 32)
        self.margin = rng.randint(90, 150)
        self.y = rng.randint(80, 130)
        self.anchors = Anchors()

    def f(self, size=None, bold=False, family=None):
        return font(family or self.plan.family, size or self.size, bold)

    def text(self, x, y, s, size=None, bold=False, fill=None, anchor="la", family=None):
        fnt = self.f(size, bold, family)
        self.d.text((x, y), s, font=fnt, fill=fill or self.ink, anchor=anchor)
        return self.d.textbbox((x, y), s, font=fnt, anchor=anchor)

    def width(self, s, size=None, bold=False):
        return self.f(size, bold).getlength(s)

    @property
    def line_h(self):
        return int(self.size * 1.45)


def render(plan: Plan, rng: random.Random) -> tuple[Image.Image, Anchors]:
    page = Page(plan, rng)
    letterhead(page)
    references(page)
    page.y += rng.randint(20, 60)
    layout = plan.slip.layout
    if layout in ("grid", "columns"):
        table(page, range(len(plan.rows)), ruled=layout == "grid")
    elif layout == "erp":
        erp_listing(page)
    elif layout == "blocks":
        blocks(page)
    elif layout == "cards":
        cards(page)
    else:
        pallets(page)
    footer(page)
    marks.pen_and_stamps(page, plan, rng)
    return page.img, page.anchors


# ---------------------------------------------------------------- header

def letterhead(p: Page) -> None:
    plan, rng, s = p.plan, p.rng, p.plan.slip
    x = p.margin
    top = p.y
    if "logo" in plan.options:
        size = rng.randint(70, 110)
        marks.logo(p.d, x, top, size, p.accent, s.supplier, rng)
        x += size + 25
    name_size = int(p.size * rng.uniform(1.3, 1.9))
    p.text(x, top, s.supplier, name_size, bold=True, fill=p.accent if rng.random() < 0.5 else p.ink)
    small = int(p.size * 0.75)
    y = top + int(name_size * 1.4)
    for ln in ADDRESSES[s.language]:
        p.text(x, y, ln, small)
        y += int(small * 1.3)
    # document title: right-aligned big, or centred under the letterhead
    title = plan.header["title"]
    tsize = int(p.size * rng.uniform(1.4, 2.0))
    if rng.random() < 0.6:
        p.text(p.w - p.margin, top, title, tsize, bold=True, anchor="ra")
        p.y = max(y, top + 150) + 20
    else:
        p.y = max(y, top + 110) + 30
        p.text(p.w // 2, p.y, title, tsize, bold=True, anchor="ma")
        p.y += int(tsize * 1.6)


def references(p: Page) -> None:
    plan, rng, h = p.plan, p.rng, p.plan.header
    pairs = [(h["note_label"], h["note"]), (h["date_label"], h["date"]), (h["po_label"], h["po"]),
             (h["customer_label"], h["customer"])]
    if "order_date" in plan.options:
        pairs.insert(3, (h["order_date_label"], h["order_date"]))
    rng.shuffle(pairs[1:3]) if False else None
    left_x = p.margin
    y0 = p.y
    if "ship_to" in plan.options:
        p.text(left_x, y0, plan.wording.ship_to, int(p.size * 0.8), bold=True)
        yy = y0 + int(p.size * 1.2)
        for ln in ("Goods-In / Wareneingang", "Atelier Norden ApS", "Fabriksvej 21", "DK-8600 Silkeborg"):
            p.text(left_x, yy, ln, p.size)
            yy += p.line_h
        ybottom = yy
    else:
        ybottom = y0
    style = rng.choice(("kv", "box", "inline"))
    if style == "inline" and "ship_to" not in plan.options:
        # references on one or two lines: "Lieferschein-Nr. 4711   Datum: 03.04.2027   Ihre Bestellung: PO-12"
        x, y = p.margin, y0
        for label, value in pairs:
            seg = f"{label} {value}"
            wdt = p.width(seg) + 50
            if x + wdt > p.w - p.margin:
                x, y = p.margin, y + p.line_h
            p.text(x, y, label, bold=False)
            p.text(x + p.width(label + " "), y, value, bold=True)
            x += wdt
        p.y = y + p.line_h + 10
        return
    rx = p.w // 2 + rng.randint(40, 160)
    lw = max(p.width(lbl) for lbl, _ in pairs) + 20
    y = y0
    if style == "box":
        bh = len(pairs) * p.line_h + 20
        p.d.rectangle((rx - 15, y - 10, p.w - p.margin, y - 10 + bh), outline=p.ink, width=2)
    for label, value in pairs:
        p.text(rx, y, label, int(p.size * 0.9))
        p.text(rx + lw, y, value, bold=rng.random() < 0.5)
        y += p.line_h
    if "barcode" in plan.options:
        marks.barcode(p.d, rx, y + 10, min(420, p.w - p.margin - rx), 60, p.ink, rng)
        y += 85
    p.y = max(y, ybottom) + 10


# ---------------------------------------------------------------- goods

def _cell(p: Page, r: Printed, key: str) -> str:
    v = getattr(r, key)
    if key == "qty" and p.plan.merged_unit and v:
        return f"{v} {r.unit}"
    return v


def _wrap(p: Page, text: str, width: float) -> list[str]:
    words, lines, cur = text.split(), [], ""
    for wd in words:
        t = f"{cur} {wd}".strip()
        if p.width(t) <= width or not cur:
            cur = t
        else:
            lines.append(cur)
            cur = wd
    return lines + [cur] if cur else lines


def table(p: Page, which, ruled: bool, *, head: bool = True) -> None:
    plan, rng = p.plan, p.rng
    cols = [c for c in plan.columns if not (c == "unit" and plan.merged_unit)]
    rows = [plan.rows[i] for i in which]
    pad = 14 if ruled else 10
    heads = {c: plan.labels[c] for c in cols}
    widths = {}
    for c in cols:
        cells = [_cell(p, r, c) for r in plan.rows]  # all rows: a pallet's table lines up with the others
        if c == "qty" and plan.options & {"handfilled"}:
            cells.append("00000")
        widths[c] = max([p.width(heads[c], bold=True)] + [p.width(x) for x in cells]) + 2 * pad
    avail = p.w - 2 * p.margin
    other = sum(v for k, v in widths.items() if k != "desc")
    widths["desc"] = max(avail - other, 180) if "desc" in widths else 0
    if other + widths.get("desc", 0) > avail:  # squeeze: shrink the font until it fits
        p.size = max(18, int(p.size * avail / (other + widths.get("desc", 0))))
        return table(p, which, ruled, head=head)
    x0 = p.margin
    xs, x = {}, x0
    for c in cols:
        xs[c] = x
        x += widths[c]
    right = x
    y = p.y
    top = y
    if head:
        hh = p.line_h + 10
        if ruled and rng.random() < 0.6:
            p.d.rectangle((x0, y, right, y + hh), fill=(225, 225, 225) if rng.random() < 0.7 else (210, 225, 240))
        for c in cols:
            anchor, tx = ("ra", xs[c] + widths[c] - pad) if c in NUMERIC else ("la", xs[c] + pad)
            p.text(tx, y + 6, heads[c], bold=True, anchor=anchor)
        if not ruled:
            p.d.line((x0, y + hh, right, y + hh), fill=p.ink, width=2)
        y += hh
    row_tops = [y]
    bold_qty = rng.random() < 0.3
    for k, r in zip(which, rows):
        desc_lines = _wrap(p, r.desc, widths.get("desc", 400) - 2 * pad) if "desc" in cols else [""]
        if r.desc2 and "desc" in cols:
            desc_lines.append(r.desc2)
        rh = max(1, len(desc_lines)) * p.line_h + (12 if ruled else 8)
        if plan.options & {"handfilled", "correction"}:
            rh += 10
        for c in cols:
            if c == "desc":
                for j, dl in enumerate(desc_lines):
                    small = dl == r.desc2 and j == len(desc_lines) - 1
                    p.text(xs[c] + pad, y + 6 + j * p.line_h, dl, int(p.size * 0.85) if small else None)
                continue
            v = _cell(p, r, c)
            anchor, tx = ("ra", xs[c] + widths[c] - pad) if c in NUMERIC else ("la", xs[c] + pad)
            bold = c == "qty" and bold_qty
            box = p.text(tx, y + 6, v, bold=bold, anchor=anchor) if v else (xs[c], y, xs[c] + widths[c], y + rh)
            if c == "qty":
                p.anchors.qty[k] = (xs[c], y, xs[c] + widths[c], y + rh) if not v else box
        p.anchors.rows[k] = (x0, y, right, y + rh)
        y += rh
        row_tops.append(y)
        if not ruled and rng.random() < 0.15:
            p.d.line((x0, y - 2, right, y - 2), fill=(190, 190, 190), width=1)
    if ruled:
        lw = rng.choice((1, 2, 2, 3))
        p.d.rectangle((x0, top, right, y), outline=p.ink, width=lw)
        if head:
            p.d.line((x0, top + p.line_h + 10, right, top + p.line_h + 10), fill=p.ink, width=lw)
        for t in row_tops[1:-1]:
            p.d.line((x0, t, right, t), fill=p.ink if rng.random() < 0.9 else (150, 150, 150), width=1)
        for c in cols[1:]:
            p.d.line((xs[c], top, xs[c], y), fill=p.ink, width=1)
    p.anchors.table = (x0, top, right, y)
    p.y = y + 12
    if "totals" in plan.options and head:
        totals(p, which, xs.get("qty", x0), widths.get("qty", 200), right)


def totals(p: Page, which, qx: int, qw: int, right: int) -> None:
    """A totals row: the sum of quantities when all lines share a unit (as ERPs print it), else a count of
    packages. Both are numbers sitting in the quantity column that are no line."""
    plan = p.plan
    lines = [plan.slip.lines[i] for i in which]
    units = {ln.unit for ln in lines}
    from .languages import fmt_number
    label = p.rng.choice(plan.wording.total)
    if len(units) == 1:
        total = sum((ln.quantity for ln in lines), start=type(lines[0].quantity)(0))
        value = fmt_number(total, plan.wording, p.rng, unit=lines[0].unit)
    else:
        value = str(len(lines))
        label = plan.wording.packages if plan.wording.packages.lower() in label.lower() else \
            f"{plan.wording.total[0]} {plan.wording.packages}"
    p.d.line((qx, p.y - 6, right, p.y - 6), fill=p.ink, width=2)
    p.text(qx - 20, p.y + 4, label, bold=True, anchor="ra")
    p.text(qx + qw - 14, p.y + 4, value, bold=True, anchor="ra")
    p.y += p.line_h + 20


def erp_listing(p: Page) -> None:
    """A monospace printout with dashed rules, fixed-width columns and everything in one font size,
    as green-bar / laser ERP reports look. Columns are padded with spaces, not positioned."""
    plan = p.plan
    cols = [c for c in plan.columns if not (c == "unit" and plan.merged_unit)]
    rows = plan.rows
    width = {c: max(len(plan.labels[c]), *(len(_cell(p, r, c)) for r in rows)) for c in cols}
    if "desc" in width:
        width["desc"] = min(width["desc"], 30)
    def fmt(c, v):
        v = v[:width[c]]
        return v.rjust(width[c]) if c in NUMERIC else v.ljust(width[c])
    head = "  ".join(fmt(c, plan.labels[c]) for c in cols)
    cw = p.width("M")
    total_chars = len(head)
    p.size = max(18, min(p.size, int(p.size * (p.w - 2 * p.margin) / (cw * total_chars + 1))))
    cw = p.width("M")
    dash = "-" * len(head) if p.rng.random() < 0.5 else "=" * len(head)
    p.text(p.margin, p.y, head, bold=True)
    p.y += p.line_h
    p.text(p.margin, p.y, dash)
    p.y += p.line_h
    top = p.y
    for k, r in enumerate(rows):
        line = "  ".join(fmt(c, _cell(p, r, c)) for c in cols)
        p.text(p.margin, p.y, line)
        offset = sum(width[c] + 2 for c in cols[:cols.index("qty")])
        p.anchors.qty[k] = (int(p.margin + offset * cw), p.y, int(p.margin + (offset + width["qty"]) * cw),
                            p.y + p.line_h)
        p.anchors.rows[k] = (p.margin, p.y, int(p.margin + len(line) * cw), p.y + p.line_h)
        p.y += p.line_h
        off = sum(width[c] + 2 for c in cols[:cols.index("desc")]) if "desc" in cols else 0
        if "desc" in cols and len(r.desc) > width["desc"]:  # the ERP wraps the name onto a continuation line
            p.text(p.margin + off * cw, p.y, r.desc[width["desc"]:].strip()[:width["desc"]])
            p.y += p.line_h
        if r.desc2:
            p.text(p.margin + off * cw, p.y, r.desc2)
            p.y += p.line_h
    p.anchors.table = (p.margin, top, p.w - p.margin, p.y)
    p.text(p.margin, p.y, dash)
    p.y += p.line_h
    if "totals" in plan.options:
        qoff = sum(width[c] + 2 for c in cols[:cols.index("qty")])
        totals(p, range(len(rows)), int(p.margin + qoff * cw), int(width["qty"] * cw + 14), p.w - p.margin)


def blocks(p: Page) -> None:
    """Two lines per item: code and name, then 'Qty / Lot / Best before' as labelled values."""
    plan, rng = p.plan, p.rng
    lab = plan.labels
    sep_line = rng.random() < 0.6
    for k, r in enumerate(plan.rows):
        top = p.y
        x = p.margin
        p.text(x, p.y, f"{r.pos}.", bold=False)
        x += p.width("000.")
        b = p.text(x, p.y, r.code, bold=True)
        b = p.text(b[2] + 30, p.y, r.desc)
        if r.desc2:
            p.text(b[2] + 30, p.y + 3, r.desc2, int(p.size * 0.8))
        p.y += p.line_h
        x = p.margin + p.width("000.")
        qlabel = lab["qty"]
        b = p.text(x, p.y, f"{qlabel}:", int(p.size * 0.9))
        qb = p.text(b[2] + 10, p.y, f"{r.qty} {r.unit}", bold=True)
        p.anchors.qty[k] = (b[2] + 10, qb[1], b[2] + 10 + int(p.width(r.qty, bold=True)), qb[3])
        x = qb[2] + 50
        for key in ("lot", "expiry"):
            v = getattr(r, key)
            if v:
                label = lab[key] if not (key == "lot" and v.startswith("LOT#")) else ""
                s = f"{label}: {v}" if label else v
                bb = p.text(x, p.y, s, int(p.size * 0.9))
                x = bb[2] + 50
        p.y += p.line_h + 6
        p.anchors.rows[k] = (p.margin, top, p.w - p.margin, p.y)
        if sep_line:
            p.d.line((p.margin, p.y, p.w - p.margin, p.y), fill=(170, 170, 170), width=1)
        p.y += 12
    p.anchors.table = (p.margin, p.anchors.rows[0][1], p.w - p.margin, p.y)
    if "totals" in plan.options:
        totals(p, range(len(plan.rows)), p.margin + 400, 200, p.w - p.margin)


def cards(p: Page) -> None:
    """One box per item, two or three to a row (as some WMS print labels-like notes)."""
    plan, rng = p.plan, p.rng
    per = 2 if rng.random() < 0.7 else 3
    gap = 24
    cw = (p.w - 2 * p.margin - gap * (per - 1)) // per
    lab = plan.labels
    if per == 3:
        p.size = min(p.size, 24)
    ch = p.line_h * 5 + 30
    start = p.y
    for k, r in enumerate(plan.rows):
        col, row = k % per, k // per
        x = p.margin + col * (cw + gap)
        y = start + row * (ch + gap)
        radius = rng.choice((0, 12))
        p.d.rounded_rectangle((x, y, x + cw, y + ch), radius=radius, outline=p.ink, width=2)
        p.d.rectangle((x + 2, y + 2, x + cw - 2, y + p.line_h + 8), fill=(232, 232, 232))
        p.text(x + 12, y + 6, f"{lab['code']} {r.code}", bold=True)
        desc = _wrap(p, r.desc, cw - 24)[0]
        p.text(x + 12, y + 12 + p.line_h, desc)
        yy = y + 14 + 2 * p.line_h
        b = p.text(x + 12, yy, f"{lab['qty']}:", int(p.size * 0.9))
        qb = p.text(b[2] + 12, yy - 4, f"{r.qty} {r.unit}", int(p.size * 1.25), bold=True)
        p.anchors.qty[k] = (b[2] + 12, qb[1], b[2] + 12 + int(p.width(r.qty, int(p.size * 1.25), True)), qb[3])
        yy += int(p.line_h * 1.2)
        for key in ("lot", "expiry"):
            v = getattr(r, key)
            if v:
                p.text(x + 12, yy, f"{lab[key]}: {v}" if not v.startswith("LOT#") else v, int(p.size * 0.9))
                yy += p.line_h
        p.anchors.rows[k] = (x, y, x + cw, y + ch)
    rows_n = (len(plan.rows) + per - 1) // per
    p.y = start + rows_n * (ch + gap) + 10
    p.anchors.table = (p.margin, start, p.w - p.margin, p.y)


def pallets(p: Page) -> None:
    """Goods grouped by pallet: an SSCC heading, the pallet's lines, a subtotal of packages and weight."""
    plan, rng = p.plan, p.rng
    w = plan.wording
    from .languages import fmt_number
    for n, group in enumerate(plan.pallets, start=1):
        sscc = "(00) 3" + "".join(str(rng.randint(0, 9)) for _ in range(16)) + str(rng.randint(0, 9))
        p.d.rectangle((p.margin, p.y, p.w - p.margin, p.y + p.line_h + 8), fill=(236, 236, 236))
        p.text(p.margin + 10, p.y + 4, f"{w.pallet} {n}/{len(plan.pallets)}   SSCC {sscc}", bold=True)
        p.y += p.line_h + 16
        table(p, group, ruled=rng.random() < 0.4, head=n == 1 or rng.random() < 0.5)
        gross = fmt_number(type(plan.slip.lines[0].quantity)(rng.randint(800, 9000)) / 10, w, rng, unit="kg")
        p.text(p.w - p.margin, p.y, f"{w.pallet} {n}: {len(group)} {w.packages} · {gross} kg",
               int(p.size * 0.9), anchor="ra")
        p.y += p.line_h + 24
    p.anchors.table = (p.margin, p.anchors.rows[0][1], p.w - p.margin, p.y)


# ---------------------------------------------------------------- footer

def footer(p: Page) -> None:
    plan, rng, w = p.plan, p.rng, p.plan.wording
    y = max(p.y + 40, p.h - 420)
    if y > p.h - 150:
        y = p.y + 20
    small = int(p.size * 0.72)
    if "signature" in plan.options:
        labels = rng.sample(w.signature, 2)
        for i, lbl in enumerate(labels):
            x = p.margin + i * (p.w - 2 * p.margin) // 2
            p.d.line((x, y + 70, x + 420, y + 70), fill=p.ink, width=1)
            p.text(x, y + 78, lbl, small)
        if rng.random() < 0.6:
            marks.signature(p.d, p.margin + 30, y + 10, rng)
        y += 130
    if "terms" in plan.options:
        for t in w.terms:
            p.text(p.margin, y, t, small)
            y += int(small * 1.35)
    if "bank" in plan.options:
        p.text(p.margin, y + 6, w.bank, small)
        y += int(small * 1.6)
    if "qr" in plan.options:
        marks.qr(p.d, p.w - p.margin - 130, p.h - 240, 130, p.ink, rng)
    if "page" in plan.options:
        p.text(p.w // 2, p.h - 90, w.page.format(p=1, n=1) if rng.random() < 0.7 else "1/1", small, anchor="ma")
