"""Stock and quality alerts: sync jobs for Unleashed, Amazon FBA and Katana yield, and the alert desk.

`build_alerts` is called by the composition root; only configured sources get a job (see config.py).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import httpx
from slack_sdk.web.async_client import AsyncWebClient

from bot.alerts.config import amazon_configured, quality_configured, unleashed_configured
from bot.alerts.desk import AlertDesk
from bot.alerts.jobs import SyncJob, SyncJobs, SyncResult
from bot.alerts.poster import AlertPoster, Pacer
from bot.alerts.sources import AmazonReader, QualityReader, read_unleashed, thresholds
from bot.jobs import ReplicaJobs
from bot.settings import Settings
from integrations.amazon import Amazon, build_amazon
from integrations.katana import Katana
from integrations.unleashed import Unleashed, build_unleashed
from models.base import utcnow
from models.store import Store


@dataclass
class Alerts:
    settings: Settings
    store: Store
    desk: AlertDesk
    jobs: SyncJobs
    unleashed: Unleashed | None = None
    amazon: Amazon | None = None

    async def start(self, scheduler: object) -> list[str]:
        """At server start: pick up this month's Unleashed call count, then schedule the syncs."""
        if self.unleashed is not None:
            month_start = utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
            runs = await self.store.audit.since("sync", "unleashed", month_start)
            self.unleashed.calls.seed(sum(int(r.details.get("calls") or 0) for r in runs))
        return self.jobs.schedule(scheduler)


def build_alerts(settings: Settings, store: Store, http: httpx.AsyncClient, slack: AsyncWebClient, katana: Katana,
                 katana_link: Callable[[int], str], replicas: ReplicaJobs, *, now: Callable[[], datetime] = utcnow,
                 pacer: Pacer | None = None) -> Alerts:
    desk = AlertDesk(store.alerts, AlertPoster(slack, pacer), escalation_channel=settings.alerts_escalation_channel,
                     escalate_after_minutes=settings.alert_escalate_after_minutes, now=now)
    alerts = Alerts(settings=settings, store=store, desk=desk, jobs=SyncJobs(store, desk, [], replicas))
    jobs: list[SyncJob] = []
    if unleashed_configured(settings):
        alerts.unleashed = _unleashed(settings, http)
        unleashed = alerts.unleashed
        jobs.append(SyncJob("unleashed", lambda: read_unleashed(unleashed), settings.alerts_inventory_channel,
                            settings.unleashed_sync_minutes, calls=lambda: unleashed.calls.used))
    if amazon_configured(settings):
        alerts.amazon = _amazon(settings, http)
        reader = AmazonReader(alerts.amazon, thresholds(settings.amazon_low_stock_units, settings.amazon_min_days_cover,
                                                        settings.amazon_sales_window_days), now)
        client = alerts.amazon.client
        jobs.append(SyncJob("amazon", reader.read, settings.alerts_inventory_channel, settings.amazon_sync_minutes,
                            calls=lambda: client.calls))
    if quality_configured(settings):
        quality = QualityReader(katana, katana_link, now)
        jobs.append(SyncJob("quality", quality.read, settings.alerts_quality_channel, settings.quality_sync_minutes))
    alerts.jobs = SyncJobs(store, desk, jobs, replicas)
    return alerts


def _unleashed(settings: Settings, http: httpx.AsyncClient) -> Unleashed:
    assert settings.unleashed_api_id and settings.unleashed_api_key
    return build_unleashed(http, base_url=str(settings.unleashed_base_url).rstrip("/"),
                           api_id=settings.unleashed_api_id, api_key=settings.unleashed_api_key.get_secret_value(),
                           client_type=settings.unleashed_client_type,
                           monthly_limit=settings.unleashed_monthly_call_limit)


def _amazon(settings: Settings, http: httpx.AsyncClient) -> Amazon:
    assert settings.amazon_lwa_client_id and settings.amazon_lwa_client_secret and settings.amazon_refresh_token
    return build_amazon(http, sp_api_url=str(settings.amazon_sp_api_url).rstrip("/"),
                        lwa_url=str(settings.amazon_lwa_url), client_id=settings.amazon_lwa_client_id,
                        client_secret=settings.amazon_lwa_client_secret.get_secret_value(),
                        refresh_token=settings.amazon_refresh_token.get_secret_value(),
                        marketplace_id=settings.amazon_marketplace_id or "")


__all__ = ["AlertDesk", "Alerts", "SyncJobs", "SyncResult", "build_alerts"]
