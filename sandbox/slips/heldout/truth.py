"""What an evaluation slip says (its ground truth) and what Katana knows when it arrives (the open POs).

Each slip belongs to one supplier with its own way of numbering items and lots; its PO is open in Katana
with rows for the goods (coded with our SKU or with the supplier's own code, as Katana's supplier item
codes allow), often more than is delivered, sometimes less (an over-delivery), plus rows still to come.
Other suppliers' POs are open at the same time, some with look-alike codes.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from integrations.slips.expected import Expected, ExpectedItem, ExpectedOrder
from sandbox.slips.heldout.words import GOODS, LANGUAGES, MONTHS, PERISHABLE, Language

CONDITIONS = ("clean", "degraded", "photo")
SUPPLIERS = {
    "en-us": ("Lone Star Provisions Inc.", "Bayside Packaging Corp.", "Harvest Moon Foods LLC"),
    "en-gb": ("Pennine Ingredients Ltd", "Crown Catering Supplies Ltd", "Wessex Larder Co."),
    "de": ("Rheinland Rohstoffe GmbH", "Bäckereibedarf Koch KG", "Nordsee Feinkost AG"),
    "es": ("Distribuciones Levante S.L.", "Ingredientes Ibéricos S.A.", "Envases del Norte S.L."),
    "fr": ("Maison Girard SAS", "Comptoir des Épices SARL", "Emballages Rhône SA"),
    "it": ("Dolciaria Emiliana S.r.l.", "Forniture Lombarde S.p.A.", "Agrumi di Sicilia S.r.l."),
    "nl": ("Van Dijk Grondstoffen B.V.", "Hollandse Verpakking B.V.", "De Graaf Levensmiddelen N.V."),
    "pt": ("Mercearia Atlântica Lda.", "Embalagens do Douro S.A.", "Frutos Secos Algarve Lda."),
    "pl": ("Hurtownia Wisła Sp. z o.o.", "Opakowania Mazury S.A.", "Bakalie Polskie Sp. z o.o."),
}


@dataclass(frozen=True)
class Line:
    sku: str  # the code printed on the slip
    description: str
    quantity: Decimal
    unit: str
    lot: str | None
    expiry: date | None
    shown_quantity: str = ""
    shown_unit: str = ""
    shown_expiry: str = ""
    handwritten: bool = False


@dataclass(frozen=True)
class Slip:
    name: str
    language: str
    layout: str
    condition: str
    supplier: str
    po_number: str
    slip_date: date
    lines: list[Line]
    shown_date: str
    open_orders: Expected
    seed: str
    extras: dict[str, str] = field(default_factory=dict)

    @property
    def degraded(self) -> bool:
        return self.condition != "clean"


def item_code(rng: random.Random, style: int, family: str) -> str:
    n = rng.randint
    return [lambda: f"MAT-{family}", lambda: f"PKG-{family}-{n(2, 48)}", lambda: f"{family}{n(1000, 9999)}",
            lambda: f"{n(10, 99)}-{n(1000, 9999)}-{n(1, 99):02d}", lambda: f"{n(1000000, 9999999)}",
            lambda: f"{rng.choice('XKZR')}{n(1, 9)}.{n(100, 999)}.{n(10, 99)}", lambda: f"SP/{n(1000, 9999)}",
            lambda: f"{family}-{n(100, 999)}{rng.choice('ABCDEF')}"][style]()


def lot_code(rng: random.Random, style: int, made: date) -> str:
    n = rng.randint
    return [lambda: f"L{n(10000, 99999)}", lambda: f"{made:%y%m}-{n(100, 999)}", lambda: f"B{n(100000, 999999)}",
            lambda: f"CH-{n(1000, 9999)}", lambda: f"{rng.choice('AKPTX')}{rng.choice('ABCXYZ')}{n(1000, 9999)}",
            lambda: f"{made:%y%j}{rng.choice('ABC')}"][style]()


def po_number(rng: random.Random) -> str:
    n = rng.randint
    return rng.choice([lambda: f"PO-{n(10000, 99999)}", lambda: f"45{n(10000000, 99999999)}",
                       lambda: f"PO{n(24, 27)}-{n(1, 9999):04d}", lambda: f"PO-{n(2025, 2026)}-{n(1, 999):04d}",
                       lambda: f"EK-{n(1000, 99999)}"])()


def amount(rng: random.Random, unit: str) -> Decimal:
    if unit in ("pcs", "cases"):
        return Decimal(rng.choice([rng.randint(2, 60), rng.randint(100, 950), rng.randint(1000, 24000)]))
    if unit == "g":
        return Decimal(rng.choice([rng.randint(20, 900), rng.randint(1000, 5000)]))
    places = rng.choice([0, 0, 1, 2, 3])
    whole = rng.choice([rng.randint(1, 80), rng.randint(100, 1500)])
    return (Decimal(whole) + Decimal(rng.randint(1, 10 ** places - 1)) / 10 ** places).normalize() if places else Decimal(whole)


def number_text(value: Decimal, lang: Language, rng: random.Random) -> str:
    whole, _, frac = f"{value:f}".partition(".")
    if lang.group and len(whole) > 3 and rng.random() < 0.8:
        whole = f"{int(whole):,}".replace(",", lang.group)
    if frac and len(frac) == 1 and rng.random() < 0.4:
        frac += "0"
    return whole + (lang.decimal + frac if frac else "")


def date_text(value: date, lang: Language, rng: random.Random) -> str:
    pattern = rng.choice(lang.dates)
    month = MONTHS[lang.words].split()[value.month - 1]
    parts = {"d": f"{value.day:02d}", "m": f"{value.month:02d}", "y": str(value.year), "b": month}
    return "".join(parts.get(c, c) for c in pattern)


def make_slip(index: int, *, seed: int = 1801, layouts: tuple[str, ...] = ()) -> Slip:
    rng = random.Random(f"heldout:{seed}:{index}")
    condition = CONDITIONS[index % 3]
    lang = LANGUAGES[list(LANGUAGES)[(index // 3) % len(LANGUAGES)]]
    layout = layouts[(index // 3 + index // (3 * len(LANGUAGES))) % len(layouts)] if layouts else "grid"
    supplier = rng.choice(SUPPLIERS[lang.code])
    code_style, lot_style = rng.randrange(8), rng.randrange(6)
    shipped = date(2025, 3, 1) + timedelta(days=rng.randrange(650))
    goods = rng.sample(GOODS, rng.randint(2, 6))
    lines = [_line(rng, lang, code_style, lot_style, g, shipped, layout == "handwritten") for g in goods]
    lines = _distinct_codes(lines, rng, code_style)
    number = po_number(rng)
    return Slip(name=f"eval-{index:03d}-{lang.code}-{layout}-{condition}", language=lang.code, layout=layout,
                condition=condition, supplier=supplier, po_number=number, slip_date=shipped, lines=lines,
                shown_date=date_text(shipped, lang, rng), open_orders=_open_orders(rng, number, supplier, lines, lang),
                seed=f"heldout:{seed}:{index}", extras={"doc_no": f"{rng.choice(['', 'LS', 'WZ/', 'DN'])}{rng.randint(1000, 99999)}"})


def _line(rng: random.Random, lang: Language, code_style: int, lot_style: int, good: tuple[str, str, dict[str, str]],
          shipped: date, handwritten: bool) -> Line:
    family, unit, names = good
    quantity = amount(rng, unit)
    fresh = family in PERISHABLE
    lot = lot_code(rng, lot_style, shipped - timedelta(days=rng.randrange(5, 60))) if fresh or rng.random() < 0.25 else None
    expiry = shipped + timedelta(days=rng.randrange(40, 800)) if fresh and rng.random() < 0.85 else None
    return Line(sku=item_code(rng, code_style, family), description=names[lang.words], quantity=quantity, unit=unit,
                lot=lot, expiry=expiry, shown_quantity=number_text(quantity, lang, rng),
                shown_unit=rng.choice(lang.units[unit]), shown_expiry=date_text(expiry, lang, rng) if expiry else "",
                handwritten=handwritten and rng.random() < 0.7)


def _distinct_codes(lines: list[Line], rng: random.Random, style: int) -> list[Line]:
    seen: set[str] = set()
    out = []
    for line in lines:
        while line.sku in seen:
            line = Line(**{**line.__dict__, "sku": item_code(rng, (style + 2) % 8, line.sku[:3])})
        seen.add(line.sku)
        out.append(line)
    return out


def _open_orders(rng: random.Random, number: str, supplier: str, lines: list[Line], lang: Language) -> Expected:
    """The slip's PO (its rows in Katana) and other suppliers' open POs, in no particular order."""
    rows = []
    for line in lines:
        ours = line.sku if rng.random() < 0.5 else f"RM-{rng.randint(100, 999)}"
        left = line.quantity * rng.choice([1, 1, 1, 2]) if rng.random() < 0.9 else line.quantity / 2
        rows.append(ExpectedItem((ours, line.sku) if ours != line.sku else (ours,), line.unit, left, line.description))
    for family, unit, names in rng.sample(GOODS, 2):  # still to come on a later delivery
        rows.append(ExpectedItem((f"RM-{rng.randint(100, 999)}", item_code(rng, rng.randrange(8), family)), unit,
                                 amount(rng, unit), names[lang.words]))
    orders = [ExpectedOrder(number, supplier, tuple(rows))]
    for other in rng.sample([s for names in SUPPLIERS.values() for s in names if s != supplier], 3):
        items = tuple(ExpectedItem((item_code(rng, rng.randrange(8), family),), unit, amount(rng, unit), names["en"])
                      for family, unit, names in rng.sample(GOODS, rng.randint(2, 5)))
        orders.append(ExpectedOrder(po_number(rng), other, items))
    rng.shuffle(orders)
    return Expected(orders=tuple(orders))
