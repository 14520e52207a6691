"""Row 5's measured side, in its own process so its peak memory is the sync's alone.

`python -m bench.sync_child URL` runs the bot's Unleashed stock sync once (the job the scheduler
runs) against the fake at URL and prints one JSON line: wall seconds, peak RSS before and after,
items read, alerts raised, Unleashed calls, outcome.
"""
from __future__ import annotations

import asyncio
import json
import logging
import sys
import time

import httpx

from bench.measure import peak_rss_mb
from bot.alerts import build_alerts
from bot.jobs import ReplicaJobs
from bot.settings import Settings
from models.store import open_store
from sandbox import memory_indexes

API_ID, API_KEY = "unleashed-sandbox-id", "unleashed-sandbox-key"


async def sync_once(url: str) -> dict[str, object]:
    settings = Settings(_env_file=None, slack_bot_token="xoxb-bench", slack_signing_secret="bench",  # type: ignore[call-arg]
                        katana_api_key="bench", unleashed_api_id=API_ID, unleashed_api_key=API_KEY,
                        unleashed_base_url=url, log_level="ERROR")
    memory_indexes.install()
    store = open_store(None, "bench")
    await store.ensure_indexes()
    async with httpx.AsyncClient(timeout=60) as http:
        alerts = build_alerts(settings, store, http, None, None, lambda mo_id: "",  # type: ignore[arg-type]
                              ReplicaJobs(store.leases, "bench"))
        before = peak_rss_mb()
        started = time.perf_counter()
        result = await alerts.jobs.run("unleashed")
        wall = time.perf_counter() - started
    return {"wall": wall, "rss_before": before, "rss_peak": peak_rss_mb(), "items": result.items_read,
            "raised": result.raised, "calls": alerts.unleashed.calls.used if alerts.unleashed else 0,
            "outcome": result.outcome, "errors": result.errors, "notes": result.notes}


def main() -> None:
    logging.basicConfig(level=logging.ERROR)
    print(json.dumps(asyncio.run(sync_once(sys.argv[1]))))


if __name__ == "__main__":
    main()
