"""`GET /metrics`: what operators of one or several replicas watch, in Prometheus's text format.

One `CollectorRegistry` per bot instance (never prometheus_client's global REGISTRY: two bots in one
process — the tests, the replica simulation — must not count into each other). Nothing counts into
prometheus objects: the Katana client, the Slack port, the alert poster and the scheduled-job wrapper keep
plain counters of their own (integrations/ knows nothing of Prometheus), and the collector reads them
when Prometheus scrapes. Figures from the store (floor actions, the webhook backlog) are read once per
scrape, before the page is written, within STORE_READ_SECONDS: during an election the page still answers,
with `shopfloor_store_up 0` and without them.

Every series carries `replica` (REPLICA_ID). Store figures are the same on every replica (one database):
aggregate them with max(), not sum(). Counters start at zero when a replica starts.
"""
from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from aiohttp import web
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector

from integrations.katana import KatanaClient
from models.base import utcnow
from models.store import Store

log = logging.getLogger(__name__)
STORE_READ_SECONDS = 5.0  # well inside Prometheus's default 10 s scrape timeout
Budget = Callable[[], Awaitable[tuple[int, int]]]  # (requests in the current window, the limit)


@dataclass
class StoreFigures:
    actions: dict[str, int]
    oldest_unfinished: datetime | None
    events: dict[str, int]
    oldest_pending: datetime | None
    shared_budget: tuple[int, int] | None
    read_at: datetime


@dataclass
class Sources:
    """What the collector reads: plain objects the composition root owns."""

    replica: str
    katana: KatanaClient
    job_runs: Counter[tuple[str, str]]
    slack_refusals: tuple[Counter[tuple[str, str]], ...]
    in_flight: Callable[[], int]
    draining: Callable[[], bool]


class BotMetrics:
    def __init__(self, store: Store, sources: Sources) -> None:
        self.store, self.sources = store, sources
        # Reads the Katana budget all replicas share in MongoDB (models/budget.py; set by bot/app.py): the
        # page shows it as scope="shared" beside this replica's own limiter (scope="replica").
        self.shared_budget: Budget | None = None
        self.figures: StoreFigures | None = None
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(FloorCollector(self))

    async def refresh(self) -> None:
        try:
            async with asyncio.timeout(STORE_READ_SECONDS):
                self.figures = await self._read_store()
        except Exception:  # noqa: BLE001 — a scrape must answer; the store's absence is itself a figure
            log.warning("/metrics: the store's figures could not be read", exc_info=log.isEnabledFor(logging.DEBUG))
            self.figures = None

    async def _read_store(self) -> StoreFigures:
        actions = await self.store.actions.count_by_status()
        oldest = await self.store.actions.oldest_unfinished()
        events, pending = await self.store.events.backlog()
        shared = await self.shared_budget() if self.shared_budget is not None else None
        return StoreFigures(actions, oldest, events, pending, shared, utcnow())

    async def page(self) -> bytes:
        await self.refresh()
        return generate_latest(self.registry)


class FloorCollector(Collector):
    def __init__(self, metrics: BotMetrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterable[Metric]:
        sources, figures = self.metrics.sources, self.metrics.figures
        yield from self.katana(sources)
        yield from self.process(sources)
        yield self.gauge("store_up", "1 when this scrape could read the store's figures", [((), figures is not None)])
        if figures is not None:
            yield from self.stored(figures)

    def katana(self, sources: Sources) -> Iterable[Metric]:
        yield self.counter("katana_requests", "Katana requests sent (every attempt, retries included) by answer",
                           ("result",), sorted(sources.katana.answers.items()))
        limiter = sources.katana.limiter
        budget = [(("replica",), (limiter.in_window, limiter.per_minute))]
        shared = self.metrics.figures.shared_budget if self.metrics.figures else None
        if shared is not None:
            budget.append((("shared",), shared))
        yield self.gauge("katana_budget_used", "Katana requests started in the last 60 s",
                         [(scope, used) for scope, (used, _) in budget], ("scope",))
        yield self.gauge("katana_budget_limit", "Katana requests allowed per 60 s",
                         [(scope, limit) for scope, (_, limit) in budget], ("scope",))

    def process(self, sources: Sources) -> Iterable[Metric]:
        yield self.counter("job_runs", "Scheduled job runs by result", ("job", "result"),
                           sorted(sources.job_runs.items()))
        refusals: Counter[tuple[str, str]] = Counter()
        for counted in sources.slack_refusals:
            refusals.update(counted)
        yield self.counter("slack_errors", "Slack Web API calls refused or unanswered", ("method", "error"),
                           sorted(refusals.items()))
        yield self.gauge("in_flight_jobs", "Floor work running in the background now (recordings, posts)",
                         [((), sources.in_flight())])
        yield self.gauge("draining", "1 after SIGTERM: /healthz answers 503 while in-flight work finishes",
                         [((), sources.draining())])

    def stored(self, figures: StoreFigures) -> Iterable[Metric]:
        yield self.gauge("floor_actions", "Floor actions stored, by state",
                         [((state,), n) for state, n in figures.actions.items()], ("state",))
        yield self.gauge("floor_action_oldest_unfinished_seconds", "Age of the oldest pending, running or waiting "
                         "floor action (0: none)", [((), age(figures.oldest_unfinished, figures.read_at))])
        yield self.gauge("webhook_backlog", "Katana webhook events waiting to be processed, or waiting after a failure",
                         [((state,), n) for state, n in figures.events.items()], ("state",))
        yield self.gauge("webhook_lag_seconds", "Age of the oldest pending Katana webhook event (0: none)",
                         [((), age(figures.oldest_pending, figures.read_at))])

    def gauge(self, name: str, doc: str, values: Iterable[tuple[tuple[str, ...], float]],
              labels: tuple[str, ...] = ()) -> GaugeMetricFamily:
        family = GaugeMetricFamily(f"shopfloor_{name}", doc, labels=["replica", *labels])
        for label_values, value in values:
            family.add_metric([self.metrics.sources.replica, *label_values], float(value))
        return family

    def counter(self, name: str, doc: str, labels: tuple[str, ...],
                values: Iterable[tuple[tuple[str, ...] | str, int]]) -> CounterMetricFamily:
        family = CounterMetricFamily(f"shopfloor_{name}", doc, labels=["replica", *labels])
        for label_values, value in values:
            named = (label_values,) if isinstance(label_values, str) else label_values
            family.add_metric([self.metrics.sources.replica, *named], float(value))
        return family


def age(since: datetime | None, now: datetime) -> float:
    return max(0.0, (now - since).total_seconds()) if since is not None else 0.0


def metrics_route(metrics: BotMetrics) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def serve_metrics(_: web.Request) -> web.Response:
        return web.Response(body=await metrics.page(), headers={"Content-Type": CONTENT_TYPE_LATEST})
    return serve_metrics
