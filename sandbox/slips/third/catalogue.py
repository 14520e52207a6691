"""Who delivers what: suppliers, their goods, their item codes and lot numbers, and the open POs.

Every supplier has its own code scheme (one prints EANs, another '12-345-67', another 'AB12/34'), as in real
life where the item code is the supplier's, not ours. Goods are those a small food / cosmetics / workshop
manufacturer buys: ingredients by weight or volume, packaging by the piece or case, sundries by the metre.
"""
from __future__ import annotations

import calendar
import random
import string
from datetime import date, timedelta
from decimal import Decimal

from integrations.slips.expected import Expected, ExpectedItem, ExpectedOrder

from .truth import Line

SUPPLIERS = {
    "en-US": ["Harvest Valley Foods Inc.", "Great Lakes Packaging LLC", "Sierra Botanicals Corp.",
              "Midwest Container Co.", "Bayou Spice Company"],
    "en-GB": ["Pennine Packaging Ltd", "Thames Valley Ingredients Ltd", "Highland Oils plc",
              "Cotswold Labels Limited", "Northern Dairy Supplies Ltd"],
    "de": ["Hofmann Backzutaten GmbH", "Nordsee Gewürze GmbH & Co. KG", "Schwarzwald Verpackung AG",
           "Gebr. Lindner Etiketten GmbH", "Alpenmilch Handels KG"],
    "es": ["Conservas Rías Baixas S.L.", "Aceites del Sur S.A.", "Envases Levante S.L.",
           "Especias Mediterráneo S.L.", "Harinas Castilla S.A."],
    "fr": ["Laiterie du Val SARL", "Emballages Lemoine SAS", "Moulins de Provence SA",
           "Huilerie Bertin SARL", "Arômes & Saveurs SAS"],
    "it": ["Molino Ferraris S.r.l.", "Oleificio Santoro S.p.A.", "Imballaggi Padani S.r.l.",
           "Caseificio Bruni S.r.l.", "Essenze Liguri S.p.A."],
    "nl": ["Van Dijk Verpakkingen B.V.", "De Graaf Zuivel B.V.", "Kruidenhuis Jansen B.V.",
           "Meelfabriek Hollandia N.V.", "Bakker Etiketten B.V."],
    "pt": ["Frutas do Oeste, Lda.", "Embalagens Minho, Lda.", "Azeites Ribatejo S.A.",
           "Conservas Atlântico, Lda.", "Cortiças Alentejo S.A."],
    "pl": ["Przetwórnia Kowalski Sp. z o.o.", "Opakowania Wisła Sp. z o.o.", "Młyn Zbożowy Nowak S.A.",
           "Mleczarnia Mazury Sp. z o.o.", "Etykiety Kraków Sp. z o.o."],
}

# (description, unit kind, perishable?)  kind: weight, volume, count, case, length, gram
GOODS = {
    "en-US": [("Organic cane sugar, 50 lb bag", "weight", True), ("Amber glass jar 8 oz w/ lid", "count", False),
              ("Cold-pressed sunflower oil", "volume", True), ("Shipping carton 12x10x8 RSC", "count", False),
              ("Smoked paprika powder", "weight", True), ("Vanilla extract, pure", "volume", True),
              ("Kraft tape 2in x 110yd", "case", False), ("Cotton twine natural", "length", False),
              ("Citric acid anhydrous", "gram", True), ("Pecan halves, fancy", "weight", True)],
    "en-GB": [("Strong white bread flour", "weight", True), ("Rapeseed oil, cold pressed", "volume", True),
              ("Kraft gift box with window", "count", False), ("Sea salt flakes", "weight", True),
              ("Jute ribbon 15 mm", "length", False), ("Clear PET tub 500 ml", "case", False),
              ("Free range egg yolk, pasteurised", "volume", True), ("Saffron threads grade I", "gram", True),
              ("Tamper-evident labels", "count", False), ("Golden caster sugar", "weight", True)],
    "de": [("Weizenmehl Type 550", "weight", True), ("Rapsöl kaltgepresst", "volume", True),
           ("Schraubglas 212 ml TO 66", "count", False), ("Deckel TO 66 gold", "case", False),
           ("Paprika edelsüß gemahlen", "weight", True), ("Haselnusskerne geröstet", "weight", True),
           ("Geschenkband Satin 10 mm", "length", False), ("Bourbon-Vanille gemahlen", "gram", True),
           ("Versandkarton 300x200x150", "count", False), ("Sahne 30 % Fett", "volume", True)],
    "es": [("Aceite de oliva virgen extra", "volume", True), ("Harina de trigo T-55", "weight", True),
           ("Tarro de vidrio 370 ml", "count", False), ("Tapa twist-off 70 mm", "case", False),
           ("Pimentón de la Vera dulce", "weight", True), ("Almendra marcona tostada", "weight", True),
           ("Cinta de yute 20 mm", "length", False), ("Azafrán en hebra", "gram", True),
           ("Caja de cartón kraft", "count", False), ("Vinagre de Jerez", "volume", True)],
    "fr": [("Farine de blé T65", "weight", True), ("Beurre doux AOP 82 %", "weight", True),
           ("Pot verre 250 ml", "count", False), ("Capsule métal 63 mm", "case", False),
           ("Huile de noix vierge", "volume", True), ("Fleur de sel de Guérande", "gram", True),
           ("Ruban coton 12 mm", "length", False), ("Étiquettes adhésives rondes", "count", False),
           ("Crème fraîche épaisse", "volume", True), ("Chocolat noir 70 % pistoles", "weight", True)],
    "it": [("Farina di grano tenero tipo 00", "weight", True), ("Olio extravergine di oliva", "volume", True),
           ("Vasetto vetro 314 ml", "count", False), ("Capsula 70 mm oro", "case", False),
           ("Pistacchio di Bronte sgusciato", "weight", True), ("Zucchero semolato", "weight", True),
           ("Nastro raso 15 mm", "length", False), ("Zafferano in pistilli", "gram", True),
           ("Scatola regalo kraft", "count", False), ("Panna fresca 35 %", "volume", True)],
    "nl": [("Tarwebloem type 405", "weight", True), ("Zonnebloemolie", "volume", True),
           ("Glazen pot 350 ml", "count", False), ("Deksel twist-off 82 mm", "case", False),
           ("Kaneel gemalen Ceylon", "weight", True), ("Roomboter ongezouten", "weight", True),
           ("Lint katoen 10 mm", "length", False), ("Nootmuskaat gemalen", "gram", True),
           ("Verzenddoos 40x30x20", "count", False), ("Slagroom 35%", "volume", True)],
    "pt": [("Farinha de trigo tipo 65", "weight", True), ("Azeite virgem extra", "volume", True),
           ("Frasco vidro 250 ml", "count", False), ("Tampa metálica 66 mm", "case", False),
           ("Amêndoa torrada", "weight", True), ("Flor de sal", "gram", True),
           ("Fita de juta 15 mm", "length", False), ("Caixa cartão canelado", "count", False),
           ("Vinho do Porto para culinária", "volume", True), ("Açúcar mascavado", "weight", True)],
    "pl": [("Mąka pszenna typ 650", "weight", True), ("Olej rzepakowy tłoczony na zimno", "volume", True),
           ("Słoik szklany 300 ml", "count", False), ("Zakrętka fi 66 złota", "case", False),
           ("Papryka słodka mielona", "weight", True), ("Orzechy włoskie łuskane", "weight", True),
           ("Taśma jutowa 20 mm", "length", False), ("Szafran cięty", "gram", True),
           ("Karton wysyłkowy 5W", "count", False), ("Śmietanka 30%", "volume", True)],
}

KIND_UNIT = {"weight": "kg", "volume": "l", "count": "pcs", "case": "cases", "length": "m", "gram": "g"}


def _ean13(rng: random.Random) -> str:
    body = "40" + "".join(rng.choice(string.digits) for _ in range(10))
    check = (10 - sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body)) % 10) % 10
    return body + str(check)


def _code_scheme(rng: random.Random):
    """One supplier's item-code shape; returned as a maker so a slip's codes share a look."""
    L, D = string.ascii_uppercase.replace("O", "").replace("I", ""), string.digits
    def pick(alpha, n):
        return "".join(rng.choice(alpha) for _ in range(n))
    prefix = pick(L, 3)
    letter = pick(L, 1)
    schemes = [
        lambda: f"{prefix}-{pick(D, 4)}",                      # ABC-1234
        lambda: f"{rng.randint(100000, 999999)}",              # 100234
        lambda: f"{pick(D, 2)}-{pick(D, 3)}-{pick(D, 2)}",      # 12-345-67
        lambda: f"{pick(L, 2)}{pick(D, 2)}/{pick(D, 2)}",       # AB12/34
        lambda: f"{letter}-{pick(D, 4)}-{pick(L, 1)}",          # X-9981-B
        lambda: _ean13(rng),                                   # EAN-13 as item code
        lambda: f"{pick(D, 4)}.{pick(D, 3)}",                   # 4711.815 (dotted, reads like a decimal)
        lambda: f"{prefix[:2]}{pick(D, 5)}",                    # AB40211
        lambda: f"{pick(D, 3)}-{pick(L, 2)}{pick(D, 2)}",       # 402-KX12
        lambda: f"0{pick(D, 5)}",                              # 012345 (leading zero)
    ]
    return rng.choice(schemes)


def _lot(rng: random.Random, made: date) -> tuple[str, str]:
    """(lot value, how it is printed). Only the LOT# form carries a label inside the printed text."""
    L = string.ascii_uppercase
    v = rng.choice([
        lambda: f"L{made:%y%m%d}",
        lambda: f"{made:%y}-{rng.randint(1, 9999):04d}",
        lambda: f"CH{rng.randint(1000, 9999)}{rng.choice(L)}",
        lambda: f"{made:%y%m}-{rng.randint(1, 9999):04d}",
        lambda: f"B{made:%y%j}",
        lambda: f"{rng.randint(10**9, 10**10 - 1)}",
        lambda: f"{rng.choice(L)}{rng.choice(L)}{rng.randint(100, 999)}/{made:%y}",
        lambda: f"{rng.randint(10000, 99999)}",
        lambda: f"{made:%d%m%y}{rng.choice(L)}",
    ])()
    if v.isdigit() and len(v) == 5 and rng.random() < 0.6:
        return v, f"LOT#{v}"
    return v, v


def month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _quantity(rng: random.Random, kind: str) -> Decimal:
    if kind == "weight":
        return rng.choice([Decimal(rng.randint(1, 60)) * 5, Decimal(rng.randint(10, 400)) / 4,
                           Decimal(rng.randint(1000, 2500)), Decimal(rng.randint(10, 990)) / 10])
    if kind == "volume":
        return rng.choice([Decimal(rng.randint(1, 40)) * 5, Decimal(rng.randint(2, 80)) / 2, Decimal(1000)])
    if kind == "count":
        return Decimal(rng.choice([rng.randint(1, 99), rng.randint(1, 24) * 12, rng.randint(1, 9) * 500,
                                   rng.randint(1001, 4800)]))
    if kind == "case":
        return Decimal(rng.randint(1, 60))
    if kind == "length":
        return rng.choice([Decimal(rng.randint(1, 20)) * 25, Decimal(rng.randint(10, 300)) / 2])
    return Decimal(rng.choice([50, 100, 250, 500, 125, 20]))  # grams


def po_number(rng: random.Random) -> str:
    return f"PO-{rng.choice([rng.randint(100, 999), rng.randint(1000, 9999), rng.randint(10000, 99999)])}"


def printed_po(po: str, rng: random.Random) -> str:
    """How a supplier copies our PO number into its ERP: our form, spaced, glued, zero-padded, lowercase."""
    n = po.split("-")[1]
    return rng.choice([po, po, f"PO {n}", f"PO{n}", f"PO-{n.zfill(6)}", f"PO/{n}", f"po-{n}", f"PO-{n}"])


def make_lines(rng: random.Random, language: str, slip_day: date, count: int) -> list[tuple[Line, str]]:
    """Lines with (truth, printed lot text)."""
    goods = rng.sample(GOODS[language], count)
    make_code = _code_scheme(rng)
    out, codes = [], set()
    for desc, kind, perishable in goods:
        code = make_code()
        while code in codes:
            code = make_code()
        codes.add(code)
        unit = KIND_UNIT[kind]
        qty = _quantity(rng, kind)
        lot = printed = expiry = None
        if perishable or rng.random() < 0.15:
            made = slip_day - timedelta(days=rng.randint(3, 120))
            lot, printed = _lot(rng, made)
            if perishable and rng.random() < 0.85:
                expiry = slip_day + timedelta(days=rng.randint(30, 900))
        out.append((Line(code, desc, qty, unit, lot, expiry), printed or ""))
    return out


def _look_alike(code: str, rng: random.Random) -> str:
    """One character off: the kind of neighbour a misread snaps to."""
    swaps = {"0": "8", "8": "3", "1": "7", "5": "6", "6": "5", "3": "8", "7": "1", "2": "7", "4": "9", "9": "4"}
    idx = [i for i, c in enumerate(code) if c.isalnum()]
    i = rng.choice(idx)
    c = code[i]
    new = swaps.get(c) or (rng.choice("BEFHKMNPRT") if c.isalpha() else "1")
    if new == c:
        new = "X" if c != "X" else "Y"
    return code[:i] + new + code[i + 1:]


def open_orders(rng: random.Random, language: str, supplier: str, po: str, lines: list[Line],
                ordered: dict[str, Decimal]) -> Expected:
    """The slip's PO (its rows, plus rows still to come), then other suppliers' POs, some with look-alikes."""
    items = []
    for ln in lines:
        codes = (ln.sku,) if rng.random() < 0.5 else (f"RM-{rng.randint(1, 999):04d}", ln.sku)
        remaining = ordered.get(ln.sku, ln.quantity)
        if rng.random() < 0.1:  # over-delivery: the PO had less left than came
            remaining = max(Decimal(1), (ln.quantity * Decimal("0.8")).quantize(Decimal(1)))
        items.append(ExpectedItem(codes, ln.unit, remaining, ln.description))
    spare = [g for g in GOODS[language] if g[0] not in {ln.description for ln in lines}]
    for desc, kind, _ in rng.sample(spare, min(len(spare), rng.randint(1, 3))):
        items.append(ExpectedItem((f"RM-{rng.randint(1, 999):04d}", f"{rng.randint(10000, 99999)}"),
                                  KIND_UNIT[kind], _quantity(rng, kind), desc))
    rng.shuffle(items)
    orders = [ExpectedOrder(po, supplier, tuple(items))]
    others = [s for lang, names in SUPPLIERS.items() for s in names if s != supplier]
    for other in rng.sample(others, rng.randint(2, 4)):
        rows = []
        for _ in range(rng.randint(2, 5)):
            base = rng.choice(lines)
            code = _look_alike(base.sku, rng) if rng.random() < 0.5 else f"{rng.randint(100000, 999999)}"
            kind = rng.choice(list(KIND_UNIT))
            rows.append(ExpectedItem((code,), KIND_UNIT[kind], _quantity(rng, kind), base.description
                                     if rng.random() < 0.3 else rng.choice(GOODS[rng.choice(list(GOODS))])[0]))
        other_po = po_number(rng)
        while other_po == po:
            other_po = po_number(rng)
        orders.append(ExpectedOrder(other_po, other, tuple(rows)))
    rng.shuffle(orders)
    return Expected(orders=tuple(orders))
