"""A seeded corpus of packing-slip images with their ground truth, for measuring the offline reader.

`make_corpus(40)` gives the same 40 slips on every machine (same seed, same fonts when DejaVu is
installed): half clean scans, half degraded like a phone photo on a workbench (rotated up to ±5°,
uneven light, blur, sensor noise, JPEG). Truth is what a careful person would type in from the slip.
"""
from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sandbox.slips.locales import EXTRAS, EXTRAS_OF, LOCALES, PERISHABLE, PRODUCTS, Locale

CLASSIC = ("table", "twocol", "list", "inline", "codeafter", "bare", "tight")
# Wider families (render.py): two-line cards, tables with columns in any order, descriptions wrapping inside
# their cell, tables with totals rows; each with a boxed or gridded header, logos, stamps, footers and units
# written out. In the rotation, so seeds draw other layouts than before from the 8th pair of slips on:
# `make_corpus(…, layouts=CLASSIC)` draws the slips those seeds drew before.
WIDER = ("cards", "shuffled", "wrapped", "totals")
LAYOUTS = CLASSIC + WIDER


@dataclass(frozen=True)
class TruthLine:
    sku: str
    description: str
    quantity: Decimal
    unit: str
    lot: str | None
    expiry: date | None
    # what is printed, so the renderer shows exactly what the truth was derived from
    printed_quantity: str = ""
    printed_unit: str = ""
    printed_expiry: str = ""


@dataclass(frozen=True)
class TruthSlip:
    name: str
    locale: str
    layout: str
    degraded: bool
    supplier: str
    po_number: str
    slip_date: date
    lines: list[TruthLine]
    printed_date: str = ""
    extras: dict[str, str] = field(default_factory=dict)  # distractors: note number, customer, footer, seed
    photo: bool = False  # a phone photo of the page (perspective, shadow, low resolution) rather than a scan

    def to_json(self) -> str:
        data = asdict(self)
        return json.dumps(data, default=str, ensure_ascii=False, indent=1)


def make_truth(index: int, *, degraded: bool, seed: int = 7, photo: bool = False,
               layouts: tuple[str, ...] = LAYOUTS) -> TruthSlip:
    rng = random.Random(f"{seed}:{index}")
    pair = index // 2  # a clean and a degraded slip share locale and layout, so the split compares like with like
    locale = LOCALES[list(LOCALES)[pair % len(LOCALES)]]
    layout = layouts[(pair + pair // len(LOCALES)) % len(layouts)]
    slip_date = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 700))
    chosen = rng.sample(PRODUCTS, rng.randint(3, 7))
    lines = [_line(rng, locale, prefix, unit, names, slip_date) for prefix, unit, names in chosen]
    if layout in WIDER:  # drawn from a generator of their own: the classic layouts' slips stay as they were
        lines = _widen(random.Random(f"{seed}:{index}:wider"), locale, layout, lines)
    extras = {
        "note_label": rng.choice(locale.note_labels), "note_number": f"{rng.choice(['DN', 'LS', 'A', ''])}{rng.randint(10000, 99999)}",
        "customer": rng.choice(locale.customers), "footer": rng.choice(locale.footers),
        "po_label": rng.choice(locale.po_labels), "date_label": rng.choice(locale.date_labels),
        "title": rng.choice(locale.titles), "ship_to": rng.choice(locale.ship_to), "seed": f"{seed}:{index}",
    }
    return TruthSlip(
        name=f"slip-{index:03d}-{locale.code}-{layout}{'-photo' if photo else '-degraded' if degraded else ''}",
        locale=locale.code, layout=layout, degraded=degraded, supplier=rng.choice(locale.suppliers),
        po_number=_po_number(rng), slip_date=slip_date, lines=lines, printed_date=locale.date(slip_date, rng),
        extras=extras, photo=photo)


def _line(rng: random.Random, locale: Locale, prefix: str, unit: str, names: dict[str, str],
          slip_date: date) -> TruthLine:
    quantity = _quantity(rng, unit)
    perishable = prefix in PERISHABLE
    lot = _lot(rng) if perishable or rng.random() < 0.3 else None
    expiry = slip_date + timedelta(days=rng.randrange(30, 720)) if perishable and rng.random() < 0.9 else None
    return TruthLine(
        sku=f"{prefix}-{rng.randint(100, 9999):0{rng.choice([3, 4])}d}", description=names.get(locale.language, names["en"]),
        quantity=quantity, unit=unit, lot=lot, expiry=expiry, printed_quantity=locale.number(quantity, rng),
        printed_unit=rng.choice(locale.units[unit]), printed_expiry=locale.date(expiry, rng) if expiry else "")


def _widen(rng: random.Random, locale: Locale, layout: str, lines: list[TruthLine]) -> list[TruthLine]:
    """Units written out on some slips ("kilograms", "Liter", "unidades", "szt."), and on wrapped tables
    descriptions long enough to wrap inside their cell (the tail is part of the description)."""
    extras = EXTRAS[EXTRAS_OF[locale.code]]
    spelled = rng.random() < 0.45
    out = []
    for line in lines:
        if spelled:
            line = replace(line, printed_unit=rng.choice(extras.spelled[line.unit]))
        if layout == "wrapped" and rng.random() < 0.75:
            line = replace(line, description=f"{line.description}, {rng.choice(extras.tails)}")
        out.append(line)
    return out


def _quantity(rng: random.Random, unit: str) -> Decimal:
    if unit in ("pcs", "cases"):  # whole units, sometimes in the thousands ("1.720" Stk)
        return Decimal(rng.choice([rng.randint(1, 99), rng.randint(100, 999), rng.randint(1000, 9999)]))
    if unit == "g":
        return Decimal(rng.choice([rng.randint(50, 999), rng.randint(1000, 20000)]))
    scale = rng.choice([0, 1, 2, 2])
    whole = rng.choice([rng.randint(1, 99), rng.randint(100, 2500)])
    fraction = Decimal(rng.randint(1, 10 ** scale - 1) if scale else 0) / (10 ** scale)
    return (Decimal(whole) + fraction).normalize() if scale else Decimal(whole)


def _lot(rng: random.Random) -> str:
    return rng.choice([
        lambda: f"L{rng.randint(2301, 2612)}{rng.choice('ABCDEFGH')}",
        lambda: f"B-{rng.randint(10000, 99999)}",
        lambda: f"{rng.randint(2301, 2612)}-{rng.randint(10, 999)}",
        lambda: f"LOT{rng.randint(100000, 999999)}",
        lambda: f"CH{rng.randint(10000, 99999)}",
    ])()


def _po_number(rng: random.Random) -> str:
    return rng.choice([
        lambda: f"PO-{rng.randint(10000, 99999)}",
        lambda: f"45000{rng.randint(10000, 99999)}",
        lambda: f"PO{rng.randint(2024, 2026)}-{rng.randint(1, 9999):04d}",
        lambda: f"BST-{rng.randint(10000, 99999)}",
    ])()


@dataclass
class Sample:
    truth: TruthSlip
    image: bytes
    media_type: str


def make_corpus(count: int = 40, *, seed: int = 7, photos: bool = False,
                layouts: tuple[str, ...] = LAYOUTS) -> list[Sample]:
    """`count` slips, alternating clean and degraded so any prefix of the corpus is balanced; with `photos`,
    every third slip is a phone photo of the page instead (clean, degraded, photo, clean, …)."""
    from sandbox.slips.render import render

    samples = []
    for index in range(count):
        photo = photos and index % 3 == 2
        degraded = index % 3 == 1 or photo if photos else index % 2 == 1
        truth = make_truth(index, degraded=degraded, seed=seed, photo=photo, layouts=layouts)
        image, media_type = render(truth)
        samples.append(Sample(truth, image, media_type))
    return samples


def write_corpus(samples: list[Sample], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for sample in samples:
        suffix = ".png" if sample.media_type == "image/png" else ".jpg"
        (out / f"{sample.truth.name}{suffix}").write_bytes(sample.image)
        (out / f"{sample.truth.name}.json").write_text(sample.truth.to_json(), encoding="utf-8")
