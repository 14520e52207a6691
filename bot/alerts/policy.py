"""The alert policy: what counts as low stock or poor yield, and how bad it is. Pure functions, no I/O.

Severity ladder (worst last): medium < high < critical.
- Unleashed low stock: on hand below the product's `MinStockAlertLevel` → medium; below half of it → high;
  nothing on hand → critical. Products without a level (null or 0) are never alerted on.
- Amazon low stock: fulfillable below `AMAZON_LOW_STOCK_UNITS` → medium, below half → high; days of cover
  ((fulfillable + inbound) ÷ recent daily sales) below `AMAZON_MIN_DAYS_COVER` → medium, below half → high;
  nothing fulfillable → critical. The worse of the two checks counts. Without sales, cover is not computed.
- Yield of a finished manufacturing order (actual ÷ planned): below 95 % → medium, below 90 % → high.
  Scrap the floor recorded on the MO ("scrap 4 (burnt)" lines in additional_info, see /cook and /pack)
  is counted too: its total and reasons go into the alert, and scrap of 5 % or more of the planned
  quantity raises at least a medium alert even when the yield looks fine (more was cooked than planned).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from integrations.amazon import FbaSummary, UnitsSold
from integrations.katana import ManufacturingOrder
from integrations.unleashed import ProductLevel, StockLine
from models.alerts import Severity, rank

YIELD_MEDIUM = Decimal("0.95")
YIELD_HIGH = Decimal("0.90")


@dataclass(frozen=True)
class Finding:
    source: str
    kind: str
    item: str
    title: str
    severity: Severity
    summary: str
    facts: dict[str, str]
    observed: str = ""
    link: str | None = None


@dataclass
class Reading:
    """What one sync read: findings, which items were looked at (only those can resolve), cache rows."""

    source: str
    kind: str
    items_read: int = 0
    seen: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)
    stock: list[tuple[str, str, Decimal]] = field(default_factory=list)  # (sku, location, quantity)
    cover: dict[str, Decimal] = field(default_factory=dict)  # Amazon: days of cover per SKU, where sales show it
    notes: list[str] = field(default_factory=list)
    partial: bool = False  # something was left out (e.g. no order history): the run says so


def below(value: Decimal, threshold: Decimal) -> Severity | None:
    """medium below the threshold, high below half of it, None otherwise."""
    if value < threshold / 2:
        return "high"
    if value < threshold:
        return "medium"
    return None


def worst(*severities: Severity | None) -> Severity | None:
    present: list[Severity] = [s for s in severities if s is not None]
    if not present:
        return None
    chosen: Severity = max(present, key=rank)
    return chosen


def number(value: Decimal) -> str:
    """12, 12.5 — never 12.000 or 1.2E+1."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- Unleashed ------------------------------------------------------------------------------------


class UnleashedTally:
    """Unleashed low stock, reduced page by page as the pages arrive (stock and products in any order).

    Kept per product: quantity on hand summed over its stock rows, and — for products with a level —
    code, description, guid and level. The raw pages are never held, so a 50,000-product account fits
    in a few megabytes. `finish` applies the policy once every page of both has been counted.
    """

    def __init__(self) -> None:
        self.reading = Reading("unleashed", "low_stock")
        self.on_hand: dict[str, Decimal] = {}
        self.watched: list[tuple[str, str, str, Decimal]] = []  # (guid, code, description, level)

    def count_stock(self, rows: Iterable[StockLine]) -> None:
        on_hand, cache = self.on_hand, self.reading.stock
        for row in rows:
            self.reading.items_read += 1
            before = on_hand.get(row.ProductGuid)  # the first row's own Decimal is kept: no copy per product
            on_hand[row.ProductGuid] = row.QtyOnHand if before is None else before + row.QtyOnHand
            cache.append((row.ProductCode, row.WarehouseCode or "", row.QtyOnHand))

    def note_products(self, products: Iterable[ProductLevel]) -> None:
        for product in products:
            level = product.min_level
            if level is not None and not product.Obsolete:
                self.watched.append((product.Guid, product.ProductCode, product.ProductDescription, level))

    def finish(self) -> Reading:
        reading, unread = self.reading, 0
        for guid, code, description, level in self.watched:
            quantity = self.on_hand.get(guid)
            if quantity is None:
                unread += 1  # no stock row: unknown, not zero — nothing is invented
                continue
            reading.seen.add(code)
            finding = _unleashed_finding(code, description, level, quantity)
            if finding:
                reading.findings.append(finding)
        if unread:
            reading.notes.append(f"{unread} products with a minimum level had no stock-on-hand row (not checked)")
        return reading


def unleashed_low_stock(stock: Iterable[StockLine], products: Iterable[ProductLevel]) -> Reading:
    tally = UnleashedTally()
    tally.count_stock(stock)
    tally.note_products(products)
    return tally.finish()


def _unleashed_finding(code: str, description: str, level: Decimal, quantity: Decimal) -> Finding | None:
    severity: Severity | None = "critical" if quantity <= 0 else below(quantity, level)
    if severity is None:
        return None
    title = f"{description} ({code})" if description else code
    return Finding("unleashed", "low_stock", code, title, severity,
                   f"{number(quantity)} on hand, minimum {number(level)}",
                   {"on hand": number(quantity), "minimum": number(level)})


# --- Amazon ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmazonThresholds:
    low_units: Decimal
    min_days_cover: Decimal
    window_days: int


def amazon_low_stock(summaries: Iterable[FbaSummary], sold: UnitsSold | None, limits: AmazonThresholds,
                     now: datetime, marketplace: str) -> Reading:
    reading = Reading("amazon", "low_stock")
    for summary in summaries:
        reading.items_read += 1
        reading.seen.add(summary.seller_sku)
        reading.stock.append((summary.seller_sku, marketplace, summary.fulfillable))
        cover = days_of_cover(summary, sold, now)
        if cover is not None:
            reading.cover[summary.seller_sku] = cover  # kept in the inventory cache for the shift report
        finding = _amazon_finding(summary, sold, limits, now)
        if finding:
            reading.findings.append(finding)
    if sold is None:
        reading.partial = True
        reading.notes.append("order history unavailable: days of cover not checked this run")
    elif not sold.complete:
        reading.partial = True
        reading.notes.append("order history capped: sales understated, days of cover overstated")
    return reading


def days_of_cover(summary: FbaSummary, sold: UnitsSold | None, now: datetime) -> Decimal | None:
    """(fulfillable + inbound) ÷ recent daily sales; None without sales to divide by."""
    per_day = sold.per_day(summary.seller_sku, now) if sold is not None else Decimal(0)
    if per_day <= 0:
        return None
    return ((summary.fulfillable + summary.inbound) / per_day).quantize(Decimal("0.1"))


def _amazon_finding(summary: FbaSummary, sold: UnitsSold | None, limits: AmazonThresholds,
                    now: datetime) -> Finding | None:
    fulfillable, facts = summary.fulfillable, {"fulfillable": number(summary.fulfillable),
                                                "inbound": number(summary.inbound)}
    reasons = [f"{number(fulfillable)} fulfillable"]
    by_units = "critical" if fulfillable <= 0 else below(fulfillable, limits.low_units)
    if by_units and fulfillable > 0:
        reasons[0] += f" (below {number(limits.low_units)})"
    by_cover = None
    if sold is not None:
        per_day = sold.per_day(summary.seller_sku, now)
        facts[f"sold per day ({limits.window_days} d)"] = number(per_day.quantize(Decimal("0.01")))
        cover = days_of_cover(summary, sold, now)
        if cover is not None:
            facts["days of cover"] = number(cover)
            by_cover = below(cover, limits.min_days_cover)
            if by_cover:
                reasons.append(f"{number(cover)} days of cover (below {number(limits.min_days_cover)})")
    severity = worst(by_units, by_cover)
    if severity is None:
        return None
    title = f"{summary.product_name} ({summary.seller_sku})" if summary.product_name else summary.seller_sku
    return Finding("amazon", "low_stock", summary.seller_sku, title, severity, "; ".join(reasons), facts)


# --- quality --------------------------------------------------------------------------------------


def katana_yields(orders: Iterable[ManufacturingOrder], link: Callable[[int], str]) -> Reading:
    reading = Reading("katana", "yield")
    for order in orders:
        if order.status != "DONE" or order.deleted_at is not None:
            continue
        reading.items_read += 1
        if order.actual_quantity is None or order.planned_quantity <= 0:
            continue
        reading.seen.add(str(order.id))
        finding = yield_finding(order, link(order.id))
        if finding:
            reading.findings.append(finding)
    return reading


SCRAP_LINE = re.compile(r"\bscrap (\d+(?:\.\d+)?) \(([^)]+)\)")


def scrap_on(order: ManufacturingOrder) -> dict[str, Decimal]:
    """Scrap per reason, from the lines the floor commands add to the MO's additional_info."""
    found: dict[str, Decimal] = {}
    for amount, reason in SCRAP_LINE.findall(order.additional_info or ""):
        found[reason] = found.get(reason, Decimal(0)) + Decimal(amount)
    return found


def yield_finding(order: ManufacturingOrder, link: str | None) -> Finding | None:
    actual, planned = order.actual_quantity or Decimal(0), order.planned_quantity
    ratio = actual / planned
    severity: Severity | None = "high" if ratio < YIELD_HIGH else "medium" if ratio < YIELD_MEDIUM else None
    scrap = scrap_on(order)
    scrapped = sum(scrap.values(), Decimal(0))
    if severity is None and scrapped / planned >= 1 - YIELD_MEDIUM:
        severity = "medium"
    if severity is None:
        return None
    percent = (ratio * 100).quantize(Decimal("0.1"))
    summary = f"yield {number(percent)} % ({number(actual)} made of {number(planned)} planned)"
    facts = {"planned": number(planned), "actual": number(actual), "yield": f"{number(percent)} %"}
    if scrapped:
        facts["scrap"] = f"{number(scrapped)} (" + ", ".join(f"{r} {number(q)}" for r, q in scrap.items()) + ")"
        summary += f"; scrap {facts['scrap']}"
    return Finding("katana", "yield", str(order.id), order.order_no or f"MO {order.id}", severity, summary, facts,
                   observed=f"{number(actual)}/{number(planned)}" + (f"/{number(scrapped)}" if scrapped else ""),
                   link=link)
