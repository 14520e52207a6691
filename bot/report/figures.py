"""The shift's numbers, computed from `Records` alone: pure functions, exact Decimals, no I/O.

Only floor actions that were recorded in Katana (and not undone by their author) count toward what was
made, scrapped, timed, received and shipped; the others are counted as waiting or failed. Yield is
actual ÷ planned (per MO, and for the shift: all made ÷ all planned of the MOs finished). Planned time of a
stage is Katana's, from the operation row the action completed: `planned_time_parameter` seconds per unit
× the MO's planned quantity for `process` and `perUnit` rows, the parameter itself for `setup` and `fixed`
rows (Katana's docs: "to either manufacture one unit of a product or complete a manufacturing order
(based on type)"; which types count per unit is not spelled out there: unverified).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from bot.report.periods import Period
from bot.report.records import Records
from commands.facts import OrderFacts, ReceiveFacts, ShipFacts
from commands.registry import COMMANDS
from models.actions import FloorAction
from models.base import whole_number

STAGES = ("cook", "label", "pack")
WHOLE_ORDER_TYPES = ("setup", "fixed")  # their planned time is the operation's, not per unit
UNSETTLED = ("pending", "running", "waiting")


def percent(part: Decimal, whole: Decimal | None) -> Decimal | None:
    return (part / whole * 100).quantize(Decimal("0.1")) if whole else None


@dataclass(frozen=True)
class FinishedOrder:
    order_no: str
    sku: str
    planned: Decimal | None
    made: Decimal

    @property
    def yield_percent(self) -> Decimal | None:
        return percent(self.made, self.planned)


@dataclass(frozen=True)
class ProductTotal:
    sku: str
    orders: int
    planned: Decimal
    made: Decimal

    @property
    def yield_percent(self) -> Decimal | None:
        return percent(self.made, self.planned)


@dataclass(frozen=True)
class Share:
    label: str
    quantity: Decimal
    percent: Decimal  # of all scrap


@dataclass(frozen=True)
class StageTime:
    stage: str
    timed: int  # recordings with minutes
    minutes: int  # all of them
    planned_minutes: Decimal | None  # Katana's plan, for the recordings whose plan is known
    compared_minutes: int  # actual minutes of those same recordings

    @property
    def percent_of_plan(self) -> Decimal | None:
        return percent(Decimal(self.compared_minutes), self.planned_minutes)


@dataclass(frozen=True)
class Waiting:
    kind: str
    order_no: str
    sku: str | None
    state: str
    age: timedelta


@dataclass(frozen=True)
class Receipts:
    orders: tuple[str, ...]  # POs received
    lines: int
    corrected: int  # lines where a person changed what the slip reader read

    @property
    def confirmed(self) -> int:
        return self.lines - self.corrected


@dataclass(frozen=True)
class Shipments:
    by_carrier: tuple[str, ...]  # sales orders fulfilled
    to_fba: tuple[str, ...]  # sales orders sent to Amazon FBA (stock transfers)
    units: Decimal


@dataclass(frozen=True)
class ShiftFigures:
    period: Period
    actions: int
    recorded: int
    unsettled: int
    failed: int
    undone: int
    finished: tuple[FinishedOrder, ...]
    products: tuple[ProductTotal, ...]
    scrap_by_reason: tuple[Share, ...]
    scrap_by_stage: tuple[Share, ...]
    stages: tuple[StageTime, ...]
    waiting: tuple[Waiting, ...]
    receipts: Receipts
    shipments: Shipments
    alerts: dict[str, int]
    cover: tuple[tuple[str, Decimal], ...]

    @property
    def empty(self) -> bool:
        return self.actions == 0

    @property
    def made(self) -> Decimal:
        return sum((p.made for p in self.products), Decimal(0))

    @property
    def planned(self) -> Decimal:
        return sum((p.planned for p in self.products), Decimal(0))

    @property
    def shift_yield(self) -> Decimal | None:
        return percent(self.made, self.planned)

    @property
    def scrap(self) -> Decimal:
        return sum((s.quantity for s in self.scrap_by_reason), Decimal(0))

    @property
    def slowest(self) -> StageTime | None:
        """The stage furthest over Katana's plan; without any plan, the one that took longest per recording."""
        planned = [s for s in self.stages if s.percent_of_plan is not None]
        if planned:
            return max(planned, key=lambda s: s.percent_of_plan or Decimal(0))
        timed = [s for s in self.stages if s.timed]
        return max(timed, key=lambda s: Decimal(s.minutes) / s.timed) if timed else None


def compute(records: Records) -> ShiftFigures:
    counted = [a for a in records.actions if a.status == "recorded" and a.id not in records.undone]
    production = [(a, facts_of(a)) for a in counted if a.command in STAGES]
    orders = [(a, f) for a, f in production if isinstance(f, OrderFacts)]
    finished = finished_orders(orders, records.skus)
    statuses: Counter[str] = Counter(str(a.status) for a in records.actions)
    return ShiftFigures(
        period=records.period, actions=len(records.actions), recorded=len(counted),
        unsettled=sum(statuses[s] for s in UNSETTLED), failed=statuses["failed"],
        undone=sum(1 for a in records.actions if a.id in records.undone), finished=finished,
        products=product_totals(finished), scrap_by_reason=scrap_shares(orders, by_stage=False),
        scrap_by_stage=scrap_shares(orders, by_stage=True), stages=stage_times(orders, records.rows),
        waiting=tuple(waiting(records)), receipts=receipts([facts_of(a) for a in counted if a.command == "receive"]),
        shipments=shipments([facts_of(a) for a in counted if a.command == "ship"]),
        alerts=dict(records.alerts), cover=tuple(records.cover))


def facts_of(action: FloorAction) -> Any:
    return COMMANDS[action.command].facts_of(action)


def finished_orders(orders: list[tuple[FloorAction, OrderFacts]], skus: dict[int, str]) -> tuple[FinishedOrder, ...]:
    found = []
    for action, facts in orders:
        made = facts.actual_quantity or facts.quantity
        if action.command != "pack" or made is None:
            continue
        found.append(FinishedOrder(facts.order, skus.get(facts.mo_id) or f"MO {facts.mo_id}",
                                   facts.planned_quantity, made))
    return tuple(found)


def product_totals(finished: Iterable[FinishedOrder]) -> tuple[ProductTotal, ...]:
    totals: dict[str, ProductTotal] = {}
    for order in finished:
        was = totals.get(order.sku, ProductTotal(order.sku, 0, Decimal(0), Decimal(0)))
        totals[order.sku] = ProductTotal(order.sku, was.orders + 1, was.planned + (order.planned or order.made),
                                         was.made + order.made)
    return tuple(sorted(totals.values(), key=lambda p: (-p.planned, p.sku)))


def scrap_shares(orders: list[tuple[FloorAction, OrderFacts]], *, by_stage: bool) -> tuple[Share, ...]:
    amounts: dict[str, Decimal] = {}
    for action, facts in orders:
        if facts.scrap:
            label = action.command if by_stage else (facts.scrap_reason or "no reason given")
            amounts[label] = amounts.get(label, Decimal(0)) + facts.scrap
    total = sum(amounts.values(), Decimal(0))
    shares = [Share(label, quantity, percent(quantity, total) or Decimal(0)) for label, quantity in amounts.items()]
    return tuple(sorted(shares, key=lambda s: (-s.quantity, s.label)))


def stage_times(orders: list[tuple[FloorAction, OrderFacts]],
                rows: dict[int, list[dict[str, Any]]]) -> tuple[StageTime, ...]:
    stages = []
    for stage in STAGES:
        timed = [f for a, f in orders if a.command == stage and f.minutes is not None]
        if not timed:
            continue
        plans = [(f, planned_seconds(f, rows.get(f.mo_id, []))) for f in timed]
        known = [(f, seconds) for f, seconds in plans if seconds is not None]
        planned = (sum((s for _, s in known), Decimal(0)) / 60).quantize(Decimal("0.1")) if known else None
        stages.append(StageTime(stage, len(timed), sum(f.minutes or 0 for f in timed), planned,
                                sum(f.minutes or 0 for f, _ in known)))
    return tuple(stages)


def planned_seconds(facts: OrderFacts, rows: list[dict[str, Any]]) -> Decimal | None:
    row = next((r for r in rows if r.get("id") == facts.operation_row_id), None)
    if row is None:
        return None
    per = row.get("planned_time_parameter")
    per = row.get("planned_time_per_unit") if per is None else per  # the field it replaced
    if per is None:
        return None
    if row.get("type") in WHOLE_ORDER_TYPES:
        return Decimal(str(per))
    return Decimal(str(per)) * facts.planned_quantity if facts.planned_quantity is not None else None


def waiting(records: Records) -> list[Waiting]:
    return [Waiting(t.kind, t.mo_order_no, t.sku, t.timer_state, records.now - t.created_at) for t in records.waiting]


def receipts(received: list[ReceiveFacts]) -> Receipts:
    lines = corrected = 0
    for facts in received:
        numbers = {line.line for line in facts.lines}
        lines += len(numbers)
        corrected += len(numbers & {int(c["line"]) for c in facts.changes if whole_number(c.get("line")) is not None})
    return Receipts(tuple(dict.fromkeys(f.order for f in received)), lines, corrected)


def shipments(shipped: list[ShipFacts]) -> Shipments:
    units = sum((line.quantity for facts in shipped for line in facts.lines), Decimal(0))
    return Shipments(tuple(dict.fromkeys(f.order for f in shipped if f.method == "carrier")),
                     tuple(dict.fromkeys(f.order for f in shipped if f.method == "fba")), units)
