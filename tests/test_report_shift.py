"""The shift report of the demo's shift (sandbox/demo.py `play`, replayed through the real bot): every
figure exact, the message as supervisors read it, the upload through the fake Slack's two-step file API
in order, the chart a PNG of the stated size, and the CSV one row per floor action."""
from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
import pytest_asyncio
from PIL import Image

from bot.report.chart import CHART_SIZE
from bot.report.figures import FinishedOrder, ProductTotal, Receipts, ShiftFigures, Shipments, StageTime, compute
from bot.report.message import report_message
from bot.report.records import Records
from sandbox import demo
from sandbox.harness import Sandbox, shop_floor

SUPERVISORS = "C0SUPER"
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shift() -> AsyncIterator[tuple[Sandbox, Records]]:
    async with shop_floor(unleashed=demo.warehouse_stock(), supervisors=demo.SUE,
                          katana_rate_limit_per_minute=600) as sandbox:
        await demo.play(sandbox)
        reports = sandbox.bot.reports
        yield sandbox, await reports.records(reports.clock.current(reports.now()))
        assert sandbox.katana.violations == []


async def test_every_figure_of_the_demo_shift(shift: tuple[Sandbox, Records]) -> None:
    figures = compute(shift[1])
    assert (figures.actions, figures.recorded, figures.unsettled, figures.failed, figures.undone) == (5, 5, 0, 0, 0)
    assert figures.finished == (FinishedOrder("MO-103", "SOUP-TOM-500", Decimal(120), Decimal(116)),)
    assert figures.finished[0].yield_percent == Decimal("96.7")
    assert figures.products == (ProductTotal("SOUP-TOM-500", 1, Decimal(120), Decimal(116)),)
    assert (figures.made, figures.planned, figures.shift_yield) == (Decimal(116), Decimal(120), Decimal("96.7"))
    assert figures.scrap_by_reason == figures.scrap_by_stage == () and figures.scrap == 0
    # Minutes as typed; plans from the operation rows the bot read when the task was made (30, 6 and 10 s
    # per unit in the Katana sandbox's routing, × 120 planned).
    assert figures.stages == (StageTime("cook", 1, 95, Decimal("60.0"), 95), StageTime("label", 1, 40, Decimal("12.0"), 40),
                              StageTime("pack", 1, 30, Decimal("20.0"), 30))
    assert [s.percent_of_plan for s in figures.stages] == [Decimal("158.3"), Decimal("333.3"), Decimal("150.0")]
    assert figures.slowest is not None and figures.slowest.stage == "label"
    assert figures.waiting == ()  # the ship task was closed by /ship
    assert figures.receipts == Receipts(("PO-31",), 2, 0) and figures.receipts.confirmed == 2
    assert figures.shipments == Shipments(("SO-7",), (), Decimal(116))
    assert figures.alerts == {"medium": 1, "high": 0, "critical": 1}  # lids out, tomato paste low; jars resolved
    assert figures.cover == ()  # no Amazon sync in the demo


async def test_the_message_supervisors_read(shift: tuple[Sandbox, Records]) -> None:
    figures: ShiftFigures = compute(shift[1])
    message = report_message(figures, attachments_note="chart and CSV in the thread")
    assert message["text"] == f"Shift report — {figures.period.title}: 1 MO(s) finished, yield 96.7 %"
    lines = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
    assert lines == [
        "*Made* — 1 MO(s) finished: 116 of 120 planned, yield *96.7 %*\n• SOUP-TOM-500: 116 of 120 (96.7 %)",
        "*Scrap* — none recorded",
        "*Time per stage* (recorded vs Katana's plan)\n• cook: 95 min over 1 recording(s) · plan 60 min → 158.3 %\n"
        "• label: 40 min over 1 recording(s) · plan 12 min → 333.3 %\n"
        "• pack: 30 min over 1 recording(s) · plan 20 min → 150 %\nslowest: *label*",
        "*Open alerts* — 1 critical · 0 high · 1 medium",
        "*Yield per MO*\n• MO-103 (SOUP-TOM-500): 116 of 120 → 96.7 %",
        "*Waiting longest* — no open task",
        "*Received* — 1 PO(s) (PO-31): 2 line(s), 2 confirmed as read, 0 corrected by a person",
        "*Shipped* — 1 SO(s) fulfilled (SO-7), 0 FBA transfer(s): 116 units",
        "*FBA cover* — no days of cover from the last Amazon sync",
    ]
    assert all(b["text"]["verbatim"] for b in message["blocks"] if b["type"] == "section")
    assert message["blocks"][-1]["elements"][0]["text"] == "5 floor action(s) · 5 recorded · chart and CSV in the thread"


async def test_posted_with_chart_and_csv_through_the_two_step_upload(shift: tuple[Sandbox, Records]) -> None:
    sandbox, records = shift
    before = len(sandbox.slack.calls)
    ts = await sandbox.bot.reports.publish(SUPERVISORS, records.period)
    assert ts is not None and sandbox.slack.find_message(SUPERVISORS, ts) is not None
    calls = list(sandbox.slack.calls[before:])
    assert [c.method for c in calls] == ["chat.postMessage", "files.getUploadURLExternal", "files.getUploadURLExternal",
                                         "upload", "upload", "files.completeUploadExternal"]
    assert all(c.ok for c in calls)
    assert [c.args["bytes"] == c.args["declared"] for c in calls if c.method == "upload"] == [True, True]
    complete = calls[-1].args
    assert (complete["channel_id"], complete["thread_ts"]) == (SUPERVISORS, ts)
    shared = [f for f in sandbox.slack.uploads.shared if f.thread_ts == ts]
    assert [f.filename.rsplit(".", 1)[1] for f in shared] == ["png", "csv"]
    assert {f.channel for f in shared} == {SUPERVISORS}

    chart = Image.open(io.BytesIO(shared[0].content))
    assert (chart.format, chart.size) == ("PNG", CHART_SIZE)
    assert "SOUP-TOM-500 116 made of 120 planned" in str(shared[0].alt_txt)

    rows = list(csv.DictReader(io.StringIO(shared[1].content.decode("utf-8-sig"))))
    assert [r["action id"] for r in rows] == [a.id for a in records.actions]
    assert [(r["command"], r["person"], r["order"], r["status"], r["quantity"]) for r in rows] == [
        ("cook", "Ana Lopez", "MO-103", "recorded", "118"), ("label", "Ben Carter", "MO-103", "recorded", "118"),
        ("pack", "Ana Lopez", "MO-103", "recorded", "116"), ("ship", "Ben Carter", "SO-7", "recorded", "116"),
        ("receive", "Ana Lopez", "PO-31", "recorded", "70")]
    assert [r["minutes"] for r in rows[:3]] == ["95", "40", "30"] and rows[2]["yield %"] == "96.7"
