"""Posting the shift report: the message first, then the chart and the CSV into its thread.

The message goes out before anything is uploaded, so a failed upload (Slack refusing it, or down) still
leaves the report's text in the channel, with one line in its thread saying the files are missing.
Files use Slack's two-step upload (files.getUploadURLExternal → POST the bytes → files.completeUploadExternal,
what slack_sdk's `files_upload_v2` does; scope `files:write`); the retired `files.upload` is never called.

`ShiftReports.post_due` is the scheduled job and the start-up catch-up in one function (a job lease can wrap
it): it covers the shift that ended last, and claims "report for that shift posted" in the store under a
unique key before posting, so two replicas, or a restart right after the shift's end, post it once.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.report import chart
from bot.report.figures import ShiftFigures, compute
from bot.report.message import num, pct, report_message, summary_lines
from bot.report.periods import Period, PeriodKind, ShiftClock
from bot.report.records import Records, gather
from bot.report.spreadsheet import floor_records_csv
from integrations.katana import Katana
from models.base import utcnow
from models.store import Store

log = logging.getLogger(__name__)
CATCH_UP = timedelta(hours=1)  # a bot (re)started within this long after a shift's end still posts its report
JOB_ID = "shift_report"


@dataclass(frozen=True)
class Report:
    figures: ShiftFigures
    message: dict[str, Any]
    files: list[dict[str, Any]]  # for files_upload_v2: content, filename, title (and alt_txt)


class ShiftReports:
    def __init__(self, store: Store, slack: AsyncWebClient, clock: ShiftClock, *, channel: str | None,
                 katana: Katana | None = None, now: Callable[[], datetime] = utcnow) -> None:
        self.store, self.slack, self.clock, self.channel = store, slack, clock, channel
        self.katana, self.now = katana, now

    # ---- when ------------------------------------------------------------------------------------------
    def schedule(self, scheduler: Any) -> str | None:
        """One job firing at every shift end (in SHIFT_TZ); none without REPORT_CHANNEL."""
        if not self.channel:
            return None
        trigger = OrTrigger([CronTrigger(hour=end.hour, minute=end.minute, timezone=self.clock.zone)
                             for end in self.clock.ends])
        scheduler.add_job(self.post_due, trigger, id=JOB_ID, max_instances=1, coalesce=True,
                          misfire_grace_time=int(CATCH_UP.total_seconds()))
        return JOB_ID

    async def post_due(self) -> str | None:
        """Post the report of the shift that ended last, unless it is older than CATCH_UP or already
        posted (or being posted) by anyone; returns the message ts when this call posted it."""
        now = self.now()
        shift = self.clock.last_ended(now)
        if not self.channel or now - shift.end > CATCH_UP:
            return None
        if not await self.store.reports.claim(self.channel, shift.start, shift.end):
            return None
        ts = await self.publish(self.channel, shift)
        if ts is None:
            await self.store.reports.release(self.channel, shift.end)  # the next try may post it
            return None
        await self.store.reports.posted(self.channel, shift.end, ts)
        return ts

    # ---- what ------------------------------------------------------------------------------------------
    async def records(self, period: Period) -> Records:
        return await gather(self.store, period, self.now(), self.katana)

    async def build(self, period: Period) -> Report:
        records = await self.records(period)
        figures = compute(records)
        files = [] if figures.empty else await asyncio.to_thread(self.render_files, records, figures)
        note = "chart and CSV in the thread" if files else None
        return Report(figures, report_message(figures, attachments_note=note), files)

    def render_files(self, records: Records, figures: ShiftFigures) -> list[dict[str, Any]]:
        """Off the event loop: drawing takes a few hundred ms the bot's acks must not wait for."""
        stem = f"floor-{figures.period.kind}-{figures.period.end.astimezone(self.clock.zone):%Y-%m-%d-%H%M}"
        files = []
        if chart.wants_chart(figures):
            files.append({"content": chart.draw(figures), "filename": f"{stem}.png",
                          "title": f"Shift report chart — {figures.period.title}", "alt_txt": alt_text(figures)})
        files.append({"content": floor_records_csv(records, self.clock.zone), "filename": f"{stem}.csv",
                      "title": f"Floor records — {figures.period.title}"})
        return files

    async def shift_so_far(self) -> tuple[str, list[str]]:
        """Supervisors' App Home: the shift under way, from the store alone (no Katana read)."""
        period = self.clock.current(self.now())
        figures = compute(await gather(self.store, period, self.now()))
        return f"*This shift so far* — {period.title}", summary_lines(figures)

    async def report_for(self, kind: PeriodKind) -> Report:
        return await self.build(self.clock.period(kind, self.now()))

    # ---- where -----------------------------------------------------------------------------------------
    async def publish(self, channel: str, period: Period) -> str | None:
        return await self.send(channel, await self.build(period))

    async def send(self, channel: str, report: Report) -> str | None:
        """The message, then its files in its thread; the message's ts, or None if Slack refused it."""
        try:
            reply = await self.slack.chat_postMessage(channel=channel, unfurl_links=False, unfurl_media=False,
                                                      **report.message)
        except SlackApiError as exc:
            log.warning("could not post the shift report to %s: %s", channel, exc.response.get("error"))
            return None
        ts, posted_in = str(reply["ts"]), str(reply["channel"])
        if report.files:
            await self.attach(posted_in, ts, report.files)
        return ts

    async def attach(self, channel: str, ts: str, files: list[dict[str, Any]]) -> bool:
        try:
            await self.slack.files_upload_v2(file_uploads=files, channel=channel, thread_ts=ts)
            return True
        except SlackApiError as exc:
            why = str(exc.response.get("error") or "refused")
        except (SlackClientError, aiohttp.ClientError, TimeoutError) as exc:  # the upload step or the network
            why = type(exc).__name__
        log.warning("shift report files not attached in %s: %s", channel, why)
        try:
            await self.slack.chat_postMessage(channel=channel, thread_ts=ts, text=(
                f":warning: The chart and the CSV could not be attached (Slack: {why}). "
                "The numbers above are complete."))
        except SlackApiError:
            pass  # the report itself is posted; the log says what is missing
        return False


def alt_text(figures: ShiftFigures) -> str:
    """What a screen reader says for the chart (Slack allows 1000 characters)."""
    made = "; ".join(f"{p.sku} {num(p.made)} made of {num(p.planned)} planned" for p in figures.products[:8])
    scrap = "; ".join(f"{s.label} {num(s.quantity)}" for s in figures.scrap_by_reason[:8]) or "none"
    text = (f"Bar charts. Made vs planned per product, yield {pct(figures.shift_yield)}: {made or 'no MO finished'}. "
            f"Scrap by reason: {scrap}.")
    return text[:1000]
