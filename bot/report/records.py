"""What the shift report is computed from, read from the store once (the report's only reads).

Floor actions submitted in the period, the SKUs of their MOs (from the MOs' tasks), the operation rows the
bot last saw for those MOs (Katana's planned times), the open tasks, the open alerts and the days of FBA
cover from the last Amazon sync. Katana is read only for planned times the bot never saw, and at most
`KATANA_READS` times per report: the report must not eat the floor's 60 calls a minute.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from bot.report.periods import Period
from integrations.katana import Katana, KatanaError
from models.actions import FloorAction
from models.store import Store
from models.tasks import ProductionTask

log = logging.getLogger(__name__)
KATANA_READS = 5  # operation-row reads per report, at most
WAITING_SHOWN = 3
COVER_SHOWN = 3
PRODUCTION = ("cook", "label", "pack")


@dataclass(frozen=True)
class Records:
    period: Period
    now: datetime
    actions: list[FloorAction]  # submitted in the period, oldest first
    undone: frozenset[str] = frozenset()  # ids of actions their author took back
    skus: dict[int, str] = field(default_factory=dict)  # MO id → SKU
    rows: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # MO id → operation rows as last seen
    waiting: list[ProductionTask] = field(default_factory=list)  # open tasks nobody is on, oldest first
    alerts: dict[str, int] = field(default_factory=dict)  # open alerts by severity
    cover: list[tuple[str, Decimal]] = field(default_factory=list)  # (SKU, days of FBA cover), fewest first


async def gather(store: Store, period: Period, now: datetime, katana: Katana | None = None,
                 katana_reads: int = KATANA_READS) -> Records:
    actions = await store.actions.created_between(period.start, period.end)
    mo_ids = sorted({a.mo_id for a in actions if a.mo_id is not None and a.command in PRODUCTION})
    undone = await store.undo_offers.states([a.id for a in actions])
    tasks = await store.tasks.of_orders(mo_ids)
    rows = await store.orders.last_seen_rows(mo_ids)
    if katana is not None:
        rows.update(await read_missing_rows(katana, [m for m in mo_ids if m not in rows][:katana_reads]))
    return Records(period=period, now=now, actions=actions,
                   undone=frozenset(i for i, state in undone.items() if state == "undone"),
                   skus={t.mo_id: t.sku for t in tasks if t.sku}, rows=rows,
                   waiting=await waiting_tasks(store), alerts=await store.alerts.open_counts(),
                   cover=await fewest_days_of_cover(store))


async def read_missing_rows(katana: Katana, mo_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    for mo_id in mo_ids:
        try:
            found[mo_id] = [row.model_dump(mode="json") for row in await katana.manufacturing.operation_rows(mo_id)]
        except KatanaError as exc:  # planned times are a comparison, not the report: go on without them
            log.warning("shift report: operation rows of MO %s not read: %s", mo_id, exc)
            break
    return found


async def waiting_tasks(store: Store) -> list[ProductionTask]:
    open_tasks = await store.tasks.open_tasks(limit=50)  # oldest first
    return [t for t in open_tasks if t.timer_state != "running"][:WAITING_SHOWN]


async def fewest_days_of_cover(store: Store) -> list[tuple[str, Decimal]]:
    last = await store.audit.latest("sync", "amazon")
    if last is None or last.outcome == "failed":
        return []
    since = last.details.get("started_at") or last.at
    rows = await store.inventory.fewest_days_of_cover("amazon", since, COVER_SHOWN)
    return [(row.sku, row.days_of_cover) for row in rows if row.days_of_cover is not None]
