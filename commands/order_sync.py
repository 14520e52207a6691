"""Katana's open orders into the store (models.open_orders), so the order fields search the store.

- load: every open order of a kind, read in pages of 250 (one query per open status: Katana filters on
  one status), once — at the first form that needs the list, or by the scheduled re-sync. Orders the
  read no longer lists are closed in the store (sweep).
- light re-sync (scheduled, bot/app.py): only what Katana says changed since the last one
  (`updated_at_min`, one paged query per kind, every status), so an `.updated` event needs no read of
  its own. A full load is repeated every FULL_EVERY in case something was missed. Katana's dateFilter
  semantics (is `updated_at` bumped by every status change?) are not confirmed live: the full load is
  the safety net.
- webhooks (bot/katana_events.py) put or close one order from the read their handler makes anyway.

Each kind is read by one replica at a time (a lease in the store). SKUs and product names come from
`/variants?extend=product_or_material`, remembered per variant (they rarely change) so a re-read of an
order costs no variant read.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from integrations.katana import Katana, ManufacturingOrder, PurchaseOrder, SalesOrder
from integrations.katana.client import iso
from integrations.katana.manufacturing import OPEN_MO_STATUSES
from integrations.katana.purchasing import OPEN_PO_STATUSES, open_rows, supplier_name
from integrations.katana.sales import OPEN_SO_STATUSES
from integrations.keyed import BoundedCache
from models.base import utcnow
from models.open_orders import Kind, OpenOrder, OpenOrderRepository, seen

log = logging.getLogger(__name__)

PATHS: dict[Kind, str] = {"mo": "/manufacturing_orders", "so": "/sales_orders", "po": "/purchase_orders"}
OPEN_STATUSES: dict[Kind, tuple[str, ...]] = {"mo": OPEN_MO_STATUSES, "so": OPEN_SO_STATUSES, "po": OPEN_PO_STATUSES}
EXTRA_QUERY: dict[Kind, dict[str, Any]] = {"mo": {}, "so": {}, "po": {"extend": ["supplier"]}}
FULL_EVERY = timedelta(hours=6)
OVERLAP = timedelta(minutes=2)  # clocks differ and reads lag: a re-sync looks a little further back
LEASE_SECONDS = 600.0
VARIANTS_PER_READ = 100  # ids per /variants query: keeps the URL short
VARIANTS_KEPT = 5000  # more than a kitchen makes and buys; the oldest are read again (issue 14: state forgets)


class Variants:
    """SKU and product (or material) name per variant id, read once per variant."""

    def __init__(self, katana: Katana, *, kept: int = VARIANTS_KEPT) -> None:
        self.katana = katana
        self.known: BoundedCache[int, tuple[str | None, str | None]] = BoundedCache(kept)

    async def learn(self, variant_ids: Iterable[int | None]) -> None:
        missing = sorted({v for v in variant_ids if v is not None and v not in self.known})
        for start in range(0, len(missing), VARIANTS_PER_READ):
            chunk = missing[start:start + VARIANTS_PER_READ]
            rows = await self.katana.client.get_all("/variants", {"ids": chunk, "extend": ["product_or_material"]})
            for row in rows:
                if row.get("id") in chunk:  # unknown filters are ignored: check
                    item = row.get("product_or_material") or {}
                    self.known.put(int(row["id"]), (row.get("sku") or None, item.get("name") or None))

    def sku(self, variant_id: int | None) -> str | None:
        return (self.known.get(variant_id or 0) or (None, None))[0]

    def name(self, variant_id: int | None) -> str | None:
        return (self.known.get(variant_id or 0) or (None, None))[1]


def label(*parts: str | None) -> str:
    return " · ".join(p for p in parts if p)[:75]  # Slack's option text limit


def words(text: str | None) -> str:
    return (text or "").replace("_", " ").lower()


def unique(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def mo_entry(order: ManufacturingOrder, variants: Variants) -> OpenOrder:
    sku = variants.sku(order.variant_id)
    return OpenOrder(kind="mo", order_id=order.id, order_no=order.order_no, skus=unique([sku]),
                     names=unique([variants.name(order.variant_id)]), planned_quantity=order.planned_quantity,
                     status=order.status, due=order.production_deadline_date,
                     label=label(order.order_no, sku, f"{order.planned_quantity:f} planned"))


def so_entry(order: SalesOrder, variants: Variants) -> OpenOrder:
    skus = unique(variants.sku(r.variant_id) for r in order.sales_order_rows)
    rows = len(order.sales_order_rows)
    return OpenOrder(kind="so", order_id=order.id, order_no=order.order_no, skus=skus,
                     names=unique(variants.name(r.variant_id) for r in order.sales_order_rows),
                     planned_quantity=sum((r.quantity for r in order.sales_order_rows), Decimal(0)),
                     status=order.status or "", due=order.delivery_date,
                     label=label(order.order_no, words(order.status), f"{rows} row{'s' if rows != 1 else ''}",
                                 ", ".join(skus[:2])))


def po_entry(order: PurchaseOrder, variants: Variants) -> OpenOrder:
    rows = open_rows(order)
    return OpenOrder(kind="po", order_id=order.id, order_no=order.order_no,
                     skus=unique(variants.sku(r.variant_id) for r in rows),
                     names=unique([supplier_name(order), *(variants.name(r.variant_id) for r in rows)]),
                     planned_quantity=sum((r.quantity for r in rows), Decimal(0)), status=order.status or "",
                     due=order.expected_arrival_date, label=label(order.order_no, supplier_name(order)))


def parse(kind: Kind, raw: dict[str, Any]) -> ManufacturingOrder | SalesOrder | PurchaseOrder:
    model = {"mo": ManufacturingOrder, "so": SalesOrder, "po": PurchaseOrder}[kind]
    return model.model_validate(raw)  # type: ignore[attr-defined, no-any-return]


def variant_ids(order: ManufacturingOrder | SalesOrder | PurchaseOrder) -> list[int | None]:
    if isinstance(order, ManufacturingOrder):
        return [order.variant_id]
    if isinstance(order, SalesOrder):
        return [r.variant_id for r in order.sales_order_rows]
    return [r.variant_id for r in order.purchase_order_rows]


def is_open(kind: Kind, order: ManufacturingOrder | SalesOrder | PurchaseOrder) -> bool:
    deleted = getattr(order, "deleted_at", None) or (order.model_extra or {}).get("deleted_at")
    return not deleted and (order.status or "") in OPEN_STATUSES[kind]


class OrderSync:
    """Reads Katana's open orders into the store: all of a kind, what changed, or one order."""

    def __init__(self, katana: Katana, repo: OpenOrderRepository, variants: Variants) -> None:
        self.katana, self.repo, self.variants = katana, repo, variants

    async def take(self, kind: Kind, order: ManufacturingOrder | SalesOrder | PurchaseOrder,
                   read_at: datetime) -> bool:
        """One order as Katana showed it at `read_at`: stored if open, closed if not; True if it changed."""
        if not is_open(kind, order):
            return await self.repo.close(kind, order.id, read_at)
        await self.variants.learn(variant_ids(order))
        entry = {"mo": mo_entry, "so": so_entry, "po": po_entry}[kind](order, self.variants)  # type: ignore[operator]
        return bool(await self.repo.put(entry, read_at))

    async def taken(self, kind: Kind, order: ManufacturingOrder | SalesOrder | PurchaseOrder,
                    read_at: datetime) -> None:
        """`take`, then forms built from the old list are rebuilt (a webhook's one order)."""
        if await self.take(kind, order, read_at):
            await self.repo.changed(kind)

    async def refresh(self, kind: Kind, order_id: int) -> None:
        """One order again, as a webhook announced a change of it: read through the list endpoint (the
        list shape carries rows and, for POs, the supplier); not listed any more → closed."""
        read_at = utcnow()
        rows = await self.katana.client.get_all(PATHS[kind], {"ids": [order_id], **EXTRA_QUERY[kind]}, max_pages=1)
        order = next((parse(kind, r) for r in rows if isinstance(r, dict) and r.get("id") == order_id), None)
        if order is None:
            await self.closed(kind, order_id)
        else:
            await self.taken(kind, order, read_at)

    async def closed(self, kind: Kind, order_id: int) -> None:
        """Katana says the order is gone (deleted): no read needed."""
        if await self.repo.close(kind, order_id, utcnow()):
            await self.repo.changed(kind)

    async def load(self, kind: Kind) -> int:
        """Every open order of a kind, page by page; what Katana no longer lists is closed. → orders read."""
        started, count = utcnow(), 0
        for status in OPEN_STATUSES[kind]:
            rows = await self.katana.client.get_all(PATHS[kind], {"status": status, **EXTRA_QUERY[kind]})
            count += await self._take_all(kind, rows, started)
        await self.repo.sweep(kind, started)
        await self.repo.changed(kind, loaded_at=started, synced_at=started)
        return count

    async def catch_up(self, kind: Kind, since: datetime) -> int:
        """Only the orders Katana changed since `since` (any status: one that closed is closed here)."""
        started = utcnow()
        query = {"updated_at_min": iso(since - OVERLAP), **EXTRA_QUERY[kind]}
        count = await self._take_all(kind, await self.katana.client.get_all(PATHS[kind], query), started)
        await self.repo.changed(kind, synced_at=started)
        return count

    async def _take_all(self, kind: Kind, rows: list[Any], read_at: datetime) -> int:
        orders = [parse(kind, r) for r in rows if isinstance(r, dict)]
        await self.variants.learn(v for o in orders for v in variant_ids(o))  # one read for the page's variants
        for order in orders:
            await self.take(kind, order, read_at)
        return len(orders)

    async def resync(self, kind: Kind) -> str:
        """The scheduled job's work for one kind: a full load when due, else a catch-up; one replica."""
        token = await self.repo.claim_sync(kind, LEASE_SECONDS)
        if token is None:
            return "another replica is reading"
        try:
            state = await self.repo.state(kind)
            loaded, synced = seen(state, "loaded_at"), seen(state, "synced_at")
            if loaded is None or utcnow() - loaded >= FULL_EVERY or synced is None:
                return f"loaded {await self.load(kind)}"
            return f"caught up {await self.catch_up(kind, synced)}"
        finally:
            await self.repo.release_sync(kind, token)

    async def ensure_loaded(self, kind: Kind) -> None:
        """Before the first form of a kind: load it unless the store has it (or another replica is loading)."""
        if seen(await self.repo.state(kind), "loaded_at") is None:
            await self.resync(kind)
