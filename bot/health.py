"""`GET /healthz` and `python -m bot check`: what is configured, what is missing, what answers."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Any

from aiohttp import web

from bot.alerts.config import alert_statuses
from bot.settings import Settings
from bot.statuses import IntegrationStatus


def configuration(settings: Settings) -> list[IntegrationStatus]:
    """Per integration, which variables are missing. No network."""
    slack_needed = ["SLACK_BOT_TOKEN"] + ([] if settings.socket_mode else ["SLACK_SIGNING_SECRET"])
    slack_missing = [n for n in slack_needed if not getattr(settings, n.lower())]
    mode = "Socket Mode" if settings.socket_mode else "HTTP (/slack/events)"
    statuses = [
        IntegrationStatus("slack", not slack_missing, slack_missing, detail=mode),
        IntegrationStatus("katana", bool(settings.katana_api_key),
                          [] if settings.katana_api_key else ["KATANA_API_KEY"],
                          detail=settings.katana_url),
        IntegrationStatus("katana_webhooks", bool(settings.katana_webhook_token),
                          [] if settings.katana_webhook_token else ["KATANA_WEBHOOK_TOKEN"], required_for_serve=False,
                          detail="run `python -m bot webhooks register --url https://…` to get the token"),
        IntegrationStatus("floor_channel", bool(settings.floor_channel),
                          [] if settings.floor_channel else ["FLOOR_CHANNEL"], required_for_serve=False,
                          detail="tasks are posted here"),
        IntegrationStatus("store", True, [], required_for_serve=False,
                          detail="MongoDB" if settings.mongodb_uri
                          else "in-memory: NOTHING PERSISTS (set MONGODB_URI)"),
        IntegrationStatus("packing_slips", True, [] if settings.anthropic_api_key else ["ANTHROPIC_API_KEY"],
                          required_for_serve=False,
                          detail=(f"/receive reads photos with {settings.anthropic_model}, offline OCR if it is busy"
                                  if settings.anthropic_api_key else
                                  "/receive reads photos with offline OCR "
                                  "(set ANTHROPIC_API_KEY for the vision model)")),
    ]
    statuses.extend(alert_statuses(settings))
    return statuses


def health_route(bot: Any) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def healthz(_: web.Request) -> web.Response:
        store_ok = await bot.store.ping()
        integrations = {s.name: asdict(s) for s in configuration(bot.settings)}
        jobs = [{"id": j.id, "next_run": j.next_run_time.isoformat() if j.next_run_time else None}
                for j in bot.scheduler.get_jobs()] if bot.scheduler.running else []
        healthy = store_ok and bot.scheduler.running
        body = {"status": "ok" if healthy else "degraded",
                "store": {"kind": bot.store.kind, "ok": store_ok},
                "scheduler": {"running": bot.scheduler.running, "jobs": jobs},
                "integrations": integrations,
                "in_flight_jobs": bot.floor.jobs.running}
        return web.json_response(body, status=200 if healthy else 503)
    return healthz
