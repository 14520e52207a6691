"""An index for every query shape (issue 19): the declared shapes are each served by a declared index, and
the bot, running the demo's whole shift and its workers, sends no shape that is not declared."""
from __future__ import annotations

from mongomock_motor import AsyncMongoMockClient

from bot.home import publisher
from commands import chain, timers
from models.clock import LocalClock
from models.query_shapes import QUERY_SHAPES, QueryShape, shape
from models.store import Store, open_store, store_over
from sandbox import demo
from sandbox.harness import shop_floor
from sandbox.query_log import RecordingDatabase, by_primary_key, served, shape_of


async def index_keys(store: Store) -> dict[str, list[list[tuple[str, int]]]]:
    await store.ensure_indexes()
    found: dict[str, list[list[tuple[str, int]]]] = {}
    for name in {s.collection for s in QUERY_SHAPES}:
        found[name] = [index["key"] for index in (await store.db[name].index_information()).values()]
    return found


async def test_every_declared_shape_is_served_by_a_declared_index() -> None:
    """Fails on main before issue 19: receipts.for_order had no index (`by_purchase_order`), nor did the
    audit CLI's lookups, /floor alerts' oldest-first list or the metrics' backlog age."""
    indexes = await index_keys(open_store(None, "shapes"))
    unserved = [s for s in QUERY_SHAPES if not any(served(s, keys) for keys in indexes[s.collection])]
    assert unserved == []


def test_the_prefix_rule_refuses_what_mongodb_would_scan_or_sort_in_memory() -> None:
    open_oldest_first = shape("alerts", "all_open", eq=("status",), sort=(("raised_at", 1),))
    assert not served(open_oldest_first, [("status", 1), ("severity", 1), ("raised_at", 1)])  # a blocking sort
    assert served(open_oldest_first, [("status", 1), ("raised_at", 1)])
    assert served(open_oldest_first, [("status", -1), ("raised_at", -1)])  # walked backwards
    by_po = shape("receipts", "for_order", eq=("purchase_order_id",))
    assert not served(by_po, [("_id", 1)]) and served(by_po, [("purchase_order_id", 1)])
    expired = shape("undo_offers", "expired", eq=("state",), range=("expires_at",))
    assert not served(expired, [("expires_at", 1)])  # the range first: every expired offer of any state
    assert served(shape("x", "", range=("at",)), [("at", 1)]) and not served(shape("x", "", range=("at",)), [("y", 1)])


def test_shapes_are_read_from_filters_as_the_planner_reads_them() -> None:
    query = {"status": {"$nin": ["recorded"]}, "$and": [{"$or": [{"next_attempt_at": None},
                                                                 {"next_attempt_at": {"$lte": 1}}]}]}
    assert shape_of("floor_actions", query) == QueryShape("floor_actions", frozenset(),
                                                          range=frozenset({"status", "next_attempt_at"}))
    assert shape_of("t", {"kind": {"$in": ["cook"]}, "status": "open", "at": {"$gte": 1}}, [("at", -1)]) == \
        QueryShape("t", frozenset({"kind", "status"}), (("at", -1),), frozenset({"at"}))


async def test_the_bot_sends_only_declared_shapes() -> None:
    """The demo's shift through the real bot, its workers' sweeps, App Home, the shift report and /metrics,
    on a store that notes every query. Fails when a repository gains a query without its line in
    QUERY_SHAPES (e.g. with the `all_open` line removed)."""
    client = AsyncMongoMockClient()
    recording = RecordingDatabase(client["recorded"])
    store = store_over("memory", client, recording, LocalClock())
    async with shop_floor(unleashed=demo.warehouse_stock(), supervisors=demo.SUE, katana_rate_limit_per_minute=600,
                          store=store) as sandbox:
        await demo.play(sandbox)
        floor = sandbox.bot.floor
        await timers.sweep(floor)
        await chain.post_unposted(floor)
        await sandbox.bot.recorder.resume_due()
        await sandbox.bot.events.retry_due()
        await publisher(floor, shift=sandbox.bot.reports.shift_so_far)(demo.SUE)
        await sandbox.bot.reports.publish("C0SUPER", sandbox.bot.reports.clock.current(sandbox.bot.reports.now()))
        await sandbox.bot.alerts.desk.escalate_due()
        await sandbox.bot.metrics.page()
        await sandbox.settle()
    sent = {s for s in recording.shapes if not by_primary_key(s)}
    assert len(sent) >= 15  # the recording saw the shift (not just start-up)
    assert sent - set(QUERY_SHAPES) == set()
