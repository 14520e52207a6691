"""`/floor` for supervisors: integrations and syncs at a glance, a sync on demand, the open alerts.

    /floor status                      integrations, last sync of each job, open alerts by severity
    /floor sync unleashed|amazon|quality   run that sync now and say what it found
    /floor alerts                      open alerts, worst first, with their buttons
    /floor report today|yesterday|week|shift   the shift report for that period, posted here (bot/report)
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import Block

from bot.alerts import Alerts
from bot.alerts.config import alert_statuses
from bot.alerts.jobs import JOB_TITLES
from bot.alerts.messages import alerts_list, when
from bot.health import configuration
from bot.settings import Settings
from commands.cards import note, text
from models.store import Store

HELP = ("*/floor* — `status` (integrations, last syncs, open alerts) · `sync unleashed|amazon|quality` "
        "(sync now) · `alerts` (open alerts with Acknowledge/Snooze) · `report today|yesterday|week|shift` "
        "(made vs planned, yield, scrap, time per stage, what waits; chart and CSV in its thread)")
SHOWN_INTEGRATIONS = ("slack", "katana", "unleashed", "amazon", "quality_alerts", "alert_escalation", "packing_slips",
                      "store")


def parse(command_text: str) -> tuple[str, str | None]:
    words = (command_text or "").strip().lower().split()
    if not words:
        return "status", None
    return words[0], (words[1] if len(words) > 1 else None)


async def status_message(settings: Settings, store: Store, alerts: Alerts) -> dict[str, Any]:
    lines = [integration_line(s) for s in configuration(settings) if s.name in SHOWN_INTEGRATIONS]
    syncs = [await last_sync_line(store, name) for name in JOB_TITLES]
    counts = await store.alerts.open_counts()
    open_line = " · ".join(f"{counts[s]} {s}" for s in ("critical", "high", "medium"))
    blocks: list[Block] = [text("*Integrations*\n" + "\n".join(lines)), text("*Last syncs*\n" + "\n".join(syncs)),
                           text(f"*Open alerts:* {open_line}")]
    if alerts.unleashed is not None:
        blocks.append(note(alerts.unleashed.calls.describe()))
    return {"text": f"Floor status — open alerts: {open_line}", "blocks": [b.to_dict() for b in blocks]}


def integration_line(status: Any) -> str:
    if status.configured:
        return f":large_green_circle: *{status.name}* — {status.detail}"
    return f":white_circle: *{status.name}* — not configured: set {', '.join(status.missing)} ({status.detail})"


async def last_sync_line(store: Store, job: str) -> str:
    entry = await store.audit.latest("sync", job)
    title = JOB_TITLES[job]
    if entry is None:
        return f"{title}: never run"
    d = entry.details
    icon = {"ok": ":white_check_mark:", "partial": ":warning:", "failed": ":x:"}.get(entry.outcome, "")
    line = (f"{icon} {title}: {entry.outcome} at {when(entry.at)} — {d.get('items_read', 0)} read, "
            f"{d.get('alerts_raised', 0)} new, {d.get('alerts_resolved', 0)} resolved")
    errors = d.get("errors") or []
    return line + (f" — {'; '.join(errors)}" if errors else "")


async def sync_now(alerts: Alerts, job: str | None) -> str:
    known = ", ".join(JOB_TITLES)
    if job not in JOB_TITLES:
        return f"Which sync? `/floor sync {known.replace(', ', '|')}`"
    if job not in alerts.jobs.jobs:
        status = next(s for s in alert_statuses(alerts.settings) if s.name in (job, f"{job}_alerts"))
        return f"{JOB_TITLES[job]} is not configured: set {', '.join(status.missing)}."
    result = await alerts.jobs.run(job)
    return result.describe()


async def alerts_message(store: Store, now: datetime) -> dict[str, Any]:
    return alerts_list(await store.alerts.all_open(), now)
