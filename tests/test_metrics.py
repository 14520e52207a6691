"""GET /metrics (issue 19): what the page says after a recorded /cook, a 429 from Katana and a refused Slack
call, read over HTTP from the real app and parsed as Prometheus parses it."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from bot.app import ShopfloorBot
from bot.settings import Settings
from commands.ports import SlackRefused
from models.actions import ActionStep, FloorAction
from models.base import utcnow
from models.store import Store, open_store
from sandbox.flaky_store import Faults, flaky_store
from sandbox.harness import Sandbox, shop_floor
from sandbox.katana_seed import SOUP_VARIANT_ID

REPLICA = "replica-a"


@pytest.fixture
async def shop() -> AsyncIterator[Sandbox]:
    async with shop_floor(replica_id=REPLICA, worker_interval_seconds=0.2) as sandbox:
        yield sandbox
        assert sandbox.katana.violations == []


async def scrape(shop: Sandbox) -> tuple[str, dict[tuple[str, tuple[tuple[str, str], ...]], float]]:
    async with aiohttp.ClientSession() as http, http.get(f"{shop.url}/metrics") as reply:
        assert reply.status == 200
        content_type, text = reply.headers["Content-Type"], await reply.text()
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            assert sample.labels.pop("replica") == REPLICA  # every series names its replica
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return content_type, samples


async def test_metrics_after_a_recorded_cook_a_429_and_a_refused_slack_call(shop: Sandbox) -> None:
    """Fails without the route, or with any of its sources not counted: the client's answers, the job
    wrapper, the Slack port's refusals, the store's actions and backlog."""
    mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=120)
    shop.katana.fail_next(1, status=429, method="POST", path_prefix="/manufacturing_order_productions")
    form = await shop.form_from_task("U0ANA", f"Cook task: {mo['order_no']}")
    await shop.workspace.submit_view("U0ANA", form, {"quantity": "118", "crate": "C-12", "minutes": "95"})
    await shop.settle()
    with pytest.raises(SlackRefused):
        await shop.bot.floor.slack.update("C0FLOOR", "1.000001", {"text": "a message that is not there"})
    while ("resume_floor_actions", "ok") not in shop.bot.scheduled.results:  # the worker's sweep, every 0.2 s
        await asyncio.sleep(0.05)

    content_type, samples = await scrape(shop)
    assert content_type.startswith("text/plain; version=")
    assert samples[("shopfloor_katana_requests_total", (("result", "rate_limited"),))] == 1
    assert samples[("shopfloor_katana_requests_total", (("result", "ok"),))] >= 5
    assert samples[("shopfloor_katana_budget_limit", (("scope", "replica"),))] == 60
    assert samples[("shopfloor_katana_budget_used", (("scope", "replica"),))] >= 6
    assert samples[("shopfloor_katana_budget_limit", (("scope", "shared"),))] == 60  # the window in MongoDB
    assert samples[("shopfloor_katana_budget_used", (("scope", "shared"),))] >= 6
    assert samples[("shopfloor_floor_actions", (("state", "recorded"),))] == 1
    assert samples[("shopfloor_floor_actions", (("state", "waiting"),))] == 0
    assert samples[("shopfloor_floor_action_oldest_unfinished_seconds", ())] == 0
    assert samples[("shopfloor_webhook_backlog", (("state", "pending"),))] == 0
    assert samples[("shopfloor_webhook_lag_seconds", ())] == 0
    assert samples[("shopfloor_job_runs_total", (("job", "resume_floor_actions"), ("result", "ok")))] >= 1
    assert samples[("shopfloor_slack_errors_total", (("error", "message_not_found"), ("method", "chat.update")))] == 1
    assert samples[("shopfloor_store_up", ())] == 1 and samples[("shopfloor_draining", ())] == 0


def parse(page: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(sample.name, tuple(sorted((k, v) for k, v in sample.labels.items() if k != "replica"))): sample.value
            for family in text_string_to_metric_families(page.decode()) for sample in family.samples}


def bot_over(store: Store) -> ShopfloorBot:
    return ShopfloorBot(Settings(_env_file=None, slack_bot_token="xoxb-1", slack_signing_secret="s",  # type: ignore[call-arg]
                                 katana_api_key="k", replica_id=REPLICA), store=store)


async def test_a_waiting_action_and_a_pending_event_show_as_backlog_and_age() -> None:
    """Fails if the oldest unfinished action or pending event is not the oldest (a sort the wrong way)."""
    store = open_store(None, "backlog")
    now = utcnow()
    for minutes_ago in (60, 5):
        at = now - timedelta(minutes=minutes_ago)
        await store.actions.create(FloorAction(_id=f"V{minutes_ago}:h", command="cook", user_id="U", user_name="Ana",
                                               input={}, steps=[ActionStep(_id="load_order")], created_at=at,
                                               updated_at=at))
    for minutes_ago, mo in ((30, 1), (2, 2)):
        store.events.clock = lambda m=minutes_ago: now - timedelta(minutes=m)
        await store.events.deliver({"resource_type": "manufacturing_order", "action": "manufacturing_order.created",
                                    "object": {"id": mo}}, None)
    samples = parse(await bot_over(store).metrics.page())
    assert samples[("shopfloor_floor_actions", (("state", "pending"),))] == 2
    assert 3600 <= samples[("shopfloor_floor_action_oldest_unfinished_seconds", ())] < 3660
    assert samples[("shopfloor_webhook_backlog", (("state", "pending"),))] == 2
    assert 1800 <= samples[("shopfloor_webhook_lag_seconds", ())] < 1860


async def test_the_page_answers_while_the_store_does_not() -> None:
    """An election (the store unreachable): the process's own counters still, and store_up 0."""
    store = flaky_store(Faults(rule=lambda call: call.method == "count_documents"))
    samples = parse(await bot_over(store).metrics.page())
    assert samples[("shopfloor_store_up", ())] == 0
    assert ("shopfloor_katana_budget_limit", (("scope", "replica"),)) in samples
    assert not [name for name, _ in samples if name.startswith("shopfloor_floor_actions")]


def test_each_bot_has_its_own_registry() -> None:
    """Fails if the metrics are registered in prometheus_client's global REGISTRY: two bots in one process
    (the tests, the replica simulation) would count into one another, and the second would not start."""
    settings = Settings(_env_file=None, slack_bot_token="xoxb-1", slack_signing_secret="s",  # type: ignore[call-arg]
                        katana_api_key="k")
    first, second = ShopfloorBot(settings), ShopfloorBot(settings)
    assert first.metrics.registry is not second.metrics.registry
    assert not [name for name in REGISTRY._names_to_collectors if name.startswith("shopfloor")]
