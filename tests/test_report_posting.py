"""Posting the shift report through the real bot and the Slack sandbox: a failed upload still leaves the
text, two replicas at a shift's end post once, a refused post is tried again later, `/floor report` posts
where it was typed, and supervisors' App Home shows the shift so far."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.report.periods import ShiftClock
from bot.report.post import ShiftReports
from models.base import utcnow
from sandbox.harness import Sandbox
from tests.test_app_home import open_home
from tests.test_report_figures import action

SUPERVISORS = "C0SUPER"
BERLIN = ShiftClock((time(14), time(22)), ZoneInfo("Europe/Berlin"))
NIGHT_ENDS = datetime(2026, 3, 3, 13, 0, tzinfo=UTC)  # 14:00 Berlin: the night shift 22:00–14:00 holds 05:00 UTC


async def seed_pack(shop: Sandbox, at: datetime) -> None:
    done = action(1, "pack", mo_id=7, quantity="95", planned_quantity="100", actual_quantity="95", order_no="MO-7",
                  scrap="5", scrap_reason="burnt")
    await shop.store.actions.create(done.model_copy(update={"created_at": at, "updated_at": at}))


def replica(shop: Sandbox, now: datetime, channel: str = SUPERVISORS) -> ShiftReports:
    """Another bot process on the same database and Slack workspace, its clock at `now`."""
    return ShiftReports(shop.store, shop.bot.slack, BERLIN, channel=channel, now=lambda: now)


def posts_to(shop: Sandbox, channel: str) -> list[dict]:
    return [m for m in shop.slack.messages if m["channel"] == channel and not m.get("thread_ts")]


async def test_a_failed_upload_still_posts_the_text(shop: Sandbox) -> None:
    await seed_pack(shop, NIGHT_ENDS - timedelta(hours=8))
    shop.slack.scopes.remove("files:write")  # an app installed before the scope was added
    ts = await replica(shop, NIGHT_ENDS + timedelta(seconds=5)).post_due()
    assert ts is not None and "1 MO(s) finished, yield 95 %" in posts_to(shop, SUPERVISORS)[0]["text"]
    (note,) = [m for m in shop.slack.messages if m.get("thread_ts") == ts]
    assert note["text"].startswith(":warning: The chart and the CSV could not be attached (Slack: missing_scope)")
    assert shop.slack.uploads.shared == []


async def test_two_replicas_at_the_shifts_end_post_it_once(shop: Sandbox) -> None:
    await seed_pack(shop, NIGHT_ENDS - timedelta(hours=8))
    at_end = NIGHT_ENDS + timedelta(seconds=1)
    posted = await asyncio.gather(replica(shop, at_end).post_due(), replica(shop, at_end).post_due())
    assert sorted(posted, key=bool)[0] is None and sum(1 for ts in posted if ts) == 1
    assert await replica(shop, at_end + timedelta(minutes=3)).post_due() is None  # a restart: not again
    assert len(posts_to(shop, SUPERVISORS)) == 1
    assert len(shop.slack.uploads.shared) == 2  # chart and CSV, once
    stored = await shop.store.reports.get(SUPERVISORS, NIGHT_ENDS)
    assert stored is not None and stored.message_ts in posted and stored.shift_start == NIGHT_ENDS - timedelta(hours=16)


async def test_a_refused_post_is_released_and_a_late_bot_does_not_post_old_news(shop: Sandbox) -> None:
    at_end = NIGHT_ENDS + timedelta(seconds=1)
    assert await replica(shop, at_end, channel="C0GONE").post_due() is None  # channel_not_found
    assert await shop.store.reports.get("C0GONE", NIGHT_ENDS) is None  # the next try may post it
    assert await replica(shop, NIGHT_ENDS + timedelta(hours=1, minutes=1)).post_due() is None
    assert await shop.store.reports.get(SUPERVISORS, NIGHT_ENDS) is None
    late = await replica(shop, NIGHT_ENDS + timedelta(minutes=59)).post_due()  # a restart within the hour
    assert late is not None and posts_to(shop, SUPERVISORS)[0]["text"].endswith("nothing was recorded on the floor.")


async def test_floor_report_posts_where_it_was_typed(shop: Sandbox) -> None:
    await seed_pack(shop, utcnow() - timedelta(seconds=1))
    reply = await shop.workspace.slash_command("U0SUP", "/floor", "report today", channel_id=SUPERVISORS)
    assert reply.body.startswith("Putting the report for today together")
    await shop.settle()
    (report,) = posts_to(shop, SUPERVISORS)
    assert report["text"].startswith("Shift report — today, ")
    assert {f.thread_ts for f in shop.slack.uploads.shared} == {report["ts"]}
    wrong = await shop.workspace.slash_command("U0SUP", "/floor", "report fortnight", channel_id=SUPERVISORS)
    assert wrong.body == "Which period? `/floor report shift|today|yesterday|week`"


async def test_supervisors_home_shows_the_shift_so_far(shop: Sandbox) -> None:
    await seed_pack(shop, utcnow() - timedelta(seconds=1))
    home = await open_home(shop, "U0SUP")
    texts = [b["text"]["text"] for b in home["blocks"] if b["type"] == "section"]
    assert texts[0].startswith("*This shift so far* — shift ")
    assert texts[1] == "*Made* — 1 MO(s) finished: 95 of 100 planned, yield *95 %*\n• MO 7: 95 of 100 (95 %)"
    assert texts[2].startswith("*Scrap* — 5 in all\nby reason: burnt 5 (100 %)")


async def test_where_the_bot_cannot_post_only_the_asker_sees_the_numbers(shop: Sandbox) -> None:
    await seed_pack(shop, utcnow() - timedelta(seconds=1))
    await shop.workspace.slash_command("U0SUP", "/floor", "report", channel_id="C0PRIVATE")  # a channel it is not in
    await shop.settle()
    assert posts_to(shop, "C0PRIVATE") == [] and shop.slack.uploads.shared == []
    answer = [e for e in shop.slack.ephemerals if e["user"] == "U0SUP" and e["text"].startswith("Shift report — shift")]
    assert len(answer) == 1 and "only you see this" in str(answer[0]["blocks"][-1])
