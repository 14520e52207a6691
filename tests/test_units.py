"""Fast tests of pure logic: field rules, dedup keys, operation matching, log scrubbing, wiring."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from bot.logging import REDACTED, SecretFilter
from bot.settings import Settings, SettingsError, load_settings
from commands.fields import Form, read_quantity
from commands.operations import pick_operation
from integrations.katana.models import OperationRow
from models.base import utcnow
from models.events import EventRepository, RecentDeliveries, dedup_key
from models.store import open_store


@pytest.mark.parametrize(("raw", "value"), [
    ("12", Decimal("12")), ("12.5", Decimal("12.5")), ("12,5", Decimal("12.5")), (" 7 ", Decimal("7")),
    ("0.00001", Decimal("0.00001")), ("1000000", Decimal("1000000")), ("120.50", Decimal("120.5")),
])
def test_quantities_people_type(raw: str, value: Decimal) -> None:
    assert read_quantity(raw) == (None, value)


@pytest.mark.parametrize("raw", ["abc", "1e5", "nan", "inf", "1.000.000", "12.5.3", "0", "-1", "1000000.1",
                                 "0.000001", "--1", ""])
def test_quantities_refused(raw: str) -> None:
    problem, value = read_quantity(raw)
    assert problem is not None and value is None


def test_form_reads_each_element_type() -> None:
    form = Form({"mo": {"mo": {"type": "static_select", "selected_option": {"value": "7"}}},
                 "q": {"q": {"type": "number_input", "value": "3"}},
                 "d": {"d": {"type": "datepicker", "selected_date": "2027-01-02"}},
                 "t": {"t": {"type": "plain_text_input", "value": None}}})
    assert form.choice("mo", "MO", {"7"}) == "7"
    assert form.quantity("q") == Decimal(3)
    assert form.raw("d") == "2027-01-02"
    assert form.text("t", "note", required=False) is None
    assert not form.errors
    assert form.choice("mo", "MO", {"8"}) is None and "mo" in form.errors.errors


def row(id_: int, name: str, rank: int) -> OperationRow:
    return OperationRow.model_validate({"id": id_, "manufacturing_order_id": 1, "operation_name": name,
                                        "status": "NOT_STARTED", "rank": rank})


def test_operation_for_a_stage_by_name_then_position() -> None:
    named = [row(1, "Cooking", 1), row(2, "Labelling jars", 2), row(3, "Packing", 3)]
    assert pick_operation(named, "label").id == 2
    unnamed = [row(1, "Step A", 1), row(2, "Step B", 2), row(3, "Step C", 3)]
    assert pick_operation(unnamed, "pack").id == 3
    assert pick_operation([row(1, "Step A", 1)], "label") is None  # no guessing with a different routing


def test_dedup_key_ignores_key_order_but_not_content() -> None:
    a = {"resource_type": "manufacturing_order", "action": "x", "object": {"id": 1, "status": "DONE"}}
    b = {"object": {"status": "DONE", "id": 1}, "action": "x", "resource_type": "manufacturing_order"}
    assert dedup_key(a) == dedup_key(b)
    assert dedup_key(a) != dedup_key({**a, "object": {"id": 2, "status": "DONE"}})


async def test_identical_payload_after_the_repeat_window_is_processed_again() -> None:
    store = open_store(None, "units")
    another_process = lambda: EventRepository(store.db, repeat_window=timedelta(hours=1))  # noqa: E731 — no memory of the key
    events = another_process()
    payload = {"resource_type": "manufacturing_order", "action": "manufacturing_order.blocked", "object": {"id": 5}}
    long_ago = utcnow() - timedelta(hours=2)
    key, fresh = await events.deliver(payload, None)
    assert fresh is True
    await store.db["katana_events"].update_one({}, {"$set": {"last_received_at": long_ago}})
    assert (await another_process().deliver(payload, 1))[1] is False  # still pending: a retry
    await events.finish(await events.claim(key), "done")
    await store.db["katana_events"].update_one({}, {"$set": {"last_received_at": long_ago}})
    _, fresh = await another_process().deliver(payload, None)
    again = await events.get(key)
    assert fresh and again.status == "pending" and again.deliveries == 3


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now


BLOCKED = {"resource_type": "manufacturing_order", "action": "manufacturing_order.blocked", "object": {"id": 6}}


async def test_delivered_repeats_are_counted_and_reopen_only_after_the_window() -> None:
    clock = Clock()
    store = open_store(None, "repeats")
    events = EventRepository(store.db, repeat_window=timedelta(hours=1), clock=clock)
    key, fresh = await events.deliver(BLOCKED, None)
    assert fresh
    await events.finish(await events.claim(key), "done")
    for minutes, retry in ((10, 1), (50, 2)):  # repeats within the window: counted, not reopened
        clock.now += timedelta(minutes=minutes)
        assert await events.deliver(BLOCKED, retry) == (key, False)
    assert (await events.get(key)).deliveries == 1, "answered from memory, counted later"
    assert await events.write_repeats() == []
    stored = await events.get(key)
    assert (stored.deliveries, stored.retry_nums, stored.status) == (3, [1, 2], "processed")
    assert abs(stored.last_received_at - clock.now) < timedelta(milliseconds=1)
    clock.now += timedelta(minutes=61)  # an hour after the last delivery: a new occurrence
    assert await events.deliver(BLOCKED, None) == (key, True)
    assert (await events.get(key)).status == "pending"


async def test_an_event_gone_from_the_store_is_stored_again_when_its_repeat_is_counted() -> None:
    store = open_store(None, "gone")
    key, _ = await store.events.deliver(BLOCKED, None)
    await store.db["katana_events"].delete_one({"_id": key})  # nothing in the bot does this; an operator might
    assert await store.events.deliver(BLOCKED, 1) == (key, False)
    assert await store.events.write_repeats() == [key], "returned to be processed"
    again = await store.events.get(key)
    assert (again.status, again.deliveries, again.retry_nums, again.payload) == ("pending", 1, [1], BLOCKED)


class FailingWrites:
    """The store going down mid-write: updates fail after `ok` of them."""

    def __init__(self, col: Any, ok: int) -> None:
        self.col, self.ok = col, ok

    async def update_one(self, *args: Any, **kwargs: Any) -> Any:
        if self.ok == 0:
            raise ConnectionError("store unreachable")
        self.ok -= 1
        return await self.col.update_one(*args, **kwargs)


async def test_repeat_counts_the_store_did_not_take_are_written_next_time() -> None:
    store = open_store(None, "down")
    events = store.events
    payloads = [{**BLOCKED, "object": {"id": n}} for n in range(3)]
    keys = [(await events.deliver(p, None))[0] for p in payloads]
    for p in payloads:
        await events.deliver(p, 1)
    col, events.col = events.col, FailingWrites(events.col, ok=1)
    with pytest.raises(ConnectionError):
        await events.write_repeats()
    events.col = col
    await events.deliver(payloads[2], 2)  # tallied while the others wait
    assert await events.write_repeats() == []
    stored = [await events.get(k) for k in keys]
    assert [(e.deliveries, e.retry_nums) for e in stored] == [(2, [1]), (2, [1]), (3, [1, 2])]
    assert events.untold == {}


def test_recent_deliveries_forget_the_oldest_beyond_their_limit() -> None:
    recent, now = RecentDeliveries(timedelta(hours=1), limit=2), utcnow()
    for key in ("a", "b", "c"):
        recent.remember(key, now)
    assert [recent.counted_lately(k, now) for k in ("a", "b", "c")] == [False, True, True]
    recent.remember("b", now)  # remembered again: now the newest
    recent.remember("d", now)
    assert [recent.counted_lately(k, now) for k in ("b", "c", "d")] == [True, False, True]
    assert not recent.counted_lately("b", now + timedelta(minutes=59, seconds=59.5))  # within the margin


def test_secret_filter_scrubs_messages_args_and_tracebacks() -> None:
    secret = "xoxb-very-secret-token"
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "token %s in %s", (secret, "url"), None)
    try:
        raise RuntimeError(f"Authorization: Bearer {secret}")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    SecretFilter([secret]).filter(record)
    assert secret not in record.getMessage() and REDACTED in record.getMessage()
    assert secret not in (record.exc_text or "") and REDACTED in (record.exc_text or "")


def test_settings_defaults_and_errors() -> None:
    s = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (s.katana_url, s.slack_url, s.port, s.mongodb_db) == (
        "https://api.katanamrp.com/v1", "https://slack.com/api/", 3000, "shopfloor")
    assert s.katana_rate_limit_per_minute == 60 and not s.socket_mode
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN"):
        load_settings(_env_file=None, slack_app_token="xoxb-wrong-kind")


def test_socket_mode_serves_health_and_webhooks_but_no_slack_route() -> None:
    from bot.app import ShopfloorBot

    settings = Settings(_env_file=None, slack_bot_token="xoxb-1", slack_app_token="xapp-1-abc",  # type: ignore[call-arg]
                        katana_api_key="k")
    bot = ShopfloorBot(settings)
    paths = {r.resource.canonical for r in bot.web.router.routes() if r.resource is not None}
    assert "/healthz" in paths and "/webhooks/katana" in paths and "/slack/events" not in paths
    http_bot = ShopfloorBot(Settings(_env_file=None, slack_bot_token="xoxb-1", slack_signing_secret="s",  # type: ignore[call-arg]
                                     katana_api_key="k"))
    assert "/slack/events" in {r.resource.canonical for r in http_bot.web.router.routes() if r.resource}


async def test_only_the_lease_holder_can_save_or_settle() -> None:
    from models.actions import ActionStep, FloorAction

    store = open_store(None, "lease")
    now = utcnow()
    action = FloorAction(_id="V1:h", command="cook", user_id="U", user_name="Ana", input={},
                         steps=[ActionStep(_id="load_order")], created_at=now, updated_at=now)
    await store.actions.create(action)
    first = await store.actions.lease(action.id, -timedelta(seconds=1))  # already expired
    second = await store.actions.lease(action.id, timedelta(minutes=1))
    assert first is not None and second is not None and first.lease_token != second.lease_token
    assert await store.actions.save_step(first, 0, ActionStep(_id="load_order", state="done")) is False
    assert await store.actions.settle(first, "recorded") is False
    assert await store.actions.save_step(second, 0, ActionStep(_id="load_order", state="done")) is True
    assert await store.actions.lease(action.id, timedelta(minutes=1)) is None  # held


async def test_sweep_leaves_a_fresh_claim_alone_and_frees_a_stale_one() -> None:
    store = open_store(None, "stuck")
    payload = {"resource_type": "manufacturing_order", "action": "manufacturing_order.created", "object": {"id": 1}}
    key, _ = await store.events.deliver(payload, None)
    assert await store.events.claim(key) is not None
    await store.events.reset_stuck(utcnow())
    assert (await store.events.get(key)).status == "processing"
    await store.events.reset_stuck(utcnow() + timedelta(minutes=6))
    assert (await store.events.get(key)).status == "pending"
