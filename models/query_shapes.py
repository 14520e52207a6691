"""Every query shape the repositories send, so that each can be checked against the declared indexes.

A shape is what decides which index can serve a query: the fields compared for equality (a value, `$eq` or
`$in`), the sort, and the fields compared otherwise (`$lt`, `$gte`, `$ne`, `$nin`, inside `$or`/`$and`…).
Queries naming `_id` are served by the primary key and are not listed. tests/test_query_shapes.py checks
that each shape here is served by an index its repository declares (equality fields first, then the sort,
then a range: MongoDB's ESR rule) and that the bot, running a whole shift, sends no shape missing here.
A new query needs its line here, and maybe an index.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class QueryShape:
    collection: str
    equality: frozenset[str] = frozenset()
    sort: tuple[tuple[str, int], ...] = ()
    range: frozenset[str] = frozenset()
    used_by: str = field(default="", compare=False)


def shape(collection: str, used_by: str, *, eq: tuple[str, ...] = (), sort: tuple[tuple[str, int], ...] = (),
          range: tuple[str, ...] = ()) -> QueryShape:
    return QueryShape(collection, frozenset(eq), sort, frozenset(range), used_by)


NEWEST, OLDEST = -1, 1

QUERY_SHAPES: tuple[QueryShape, ...] = (
    # floor_actions (models/actions.py)
    shape("floor_actions", "due", range=("status", "next_attempt_at", "lease_until")),
    shape("floor_actions", "completing_row", eq=("steps.result.operation_row_id", "steps._id"),
          sort=(("created_at", NEWEST),), range=("created_at",)),
    shape("floor_actions", "for_order", eq=("mo_id",), sort=(("created_at", OLDEST),)),
    shape("floor_actions", "latest_of", eq=("user_id",), sort=(("created_at", NEWEST),), range=("command",)),
    shape("floor_actions", "created_between", sort=(("created_at", OLDEST),), range=("created_at",)),
    shape("floor_actions", "count_by_status", eq=("status",)),
    shape("floor_actions", "oldest_unfinished", eq=("status",), sort=(("created_at", OLDEST),)),
    shape("floor_actions", "bot/audit.py order_id", eq=("steps.result.order_no",)),
    # production_tasks (models/tasks.py)
    shape("production_tasks", "unposted", eq=("status", "message_ts"), range=("posting_since",)),
    shape("production_tasks", "running_since_before", eq=("timer_state", "status"), range=("timer_running_since",)),
    shape("production_tasks", "unsynced", eq=("katana_sync", "status")),
    shape("production_tasks", "open_for_kinds", eq=("kind", "status"), sort=(("created_at", OLDEST),)),
    shape("production_tasks", "open_tasks", eq=("status",), sort=(("created_at", OLDEST),)),
    shape("production_tasks", "for_order", eq=("mo_id",)),
    shape("production_tasks", "bot/audit.py order_id", eq=("mo_order_no",)),
    # katana_events (models/events.py, models/order_memory.py)
    shape("katana_events", "due", range=("status", "next_attempt_at", "claim_until")),
    shape("katana_events", "reset_stuck", eq=("status",), range=("claim_until",)),
    shape("katana_events", "backlog (counts)", eq=("status",)),
    shape("katana_events", "backlog (oldest pending)", eq=("status",), sort=(("received_at", OLDEST),)),
    shape("katana_events", "OrderMemory._changed_since (order)", eq=("resource_type", "object_id"),
          range=("action", "last_received_at")),
    shape("katana_events", "OrderMemory._changed_since (rows)", eq=("resource_type", "object_id"),
          range=("last_received_at",)),
    # sync_log and inventory_cache (models/audit.py)
    shape("sync_log", "for_order", eq=("mo_id",), sort=(("at", OLDEST),)),
    shape("sync_log", "latest", eq=("kind", "subject"), sort=(("at", NEWEST),)),
    shape("sync_log", "since", eq=("kind", "subject"), sort=(("at", OLDEST),), range=("at",)),
    shape("inventory_cache", "fewest_days_of_cover", eq=("source",), range=("updated_at", "days_of_cover")),
    # alerts (models/alerts.py)
    shape("alerts", "open_for", eq=("status", "source")),
    shape("alerts", "open_for (kind)", eq=("status", "source", "kind")),
    shape("alerts", "all_open", eq=("status",), sort=(("raised_at", OLDEST),)),
    shape("alerts", "was_seen", eq=("source", "kind", "item", "observed")),
    shape("alerts", "due_for_escalation", eq=("status", "severity", "acknowledged_at", "escalated_at"),
          range=("severe_since",)),
    shape("alerts", "open_counts", eq=("status",)),
    # undo_offers (models/undo_offers.py): the worker's sweep for Undo buttons whose window is over
    shape("undo_offers", "expired", eq=("state",), range=("expires_at",)),
    # modal_drafts (models/receipts.py): packing slips whose read is not over
    shape("modal_drafts", "reads_due", eq=("status",), range=("lease_until",)),
    shape("modal_drafts", "reads_of", eq=("status", "reader")),
    # receipts (models/receipts.py)
    shape("receipts", "for_order", eq=("purchase_order_id",)),
    # open_orders (models/open_orders.py): what the order fields offer and search
    shape("open_orders", "all_open", eq=("kind", "open"), sort=(("order_id", NEWEST),)),
    shape("open_orders", "count", eq=("kind", "open")),
    shape("open_orders", "not_seen_since (re-sync)", eq=("kind", "open"), range=("seen_at",)),
    shape("open_orders", "forget_tombstones", eq=("kind", "open"), range=("closed_at",)),
    shape("open_orders", "search", eq=("kind",), sort=(("order_id", NEWEST),), range=("keys",)),
)
