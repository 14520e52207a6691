"""The report's numbers and words from hand-made documents (no Slack, no Katana): scrap shares, what does
not count, planned time per row type, waiting ages, FBA cover, an empty shift, and typed text kept as text."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from PIL import Image

from bot.report.chart import CHART_SIZE, draw
from bot.report.figures import Share, compute
from bot.report.message import report_message, shown
from bot.report.periods import Period
from bot.report.records import Records
from bot.report.spreadsheet import floor_records_csv
from models.actions import ActionStep, FloorAction
from models.tasks import ProductionTask

START = datetime(2026, 3, 3, 5, 0, tzinfo=UTC)
PERIOD = Period("shift", START, START + timedelta(hours=8), "shift Tue 03 Mar 06:00 – 14:00")
NOW = START + timedelta(hours=8)


def action(n: int, command: str, status: str = "recorded", **facts: Any) -> FloorAction:
    learned = {k: facts.pop(k) for k in list(facts) if k in ("planned_quantity", "actual_quantity", "order_no",
                                                             "operation_row_id", "person")}
    return FloorAction.model_validate({
        "_id": f"a{n}", "command": command, "user_id": "U0ANA", "user_name": "ana", "mo_id": facts.get("mo_id"),
        "input": facts, "steps": [ActionStep(id="load", state="done", result=learned).model_dump(by_alias=True)],
        "status": status, "created_at": START + timedelta(minutes=n), "updated_at": START + timedelta(minutes=n)})


def task(kind: str, mo_id: int, order_no: str, created: datetime, state: str = "idle") -> ProductionTask:
    return ProductionTask.model_validate({"_id": f"{kind}:{mo_id}", "kind": kind, "mo_id": mo_id, "mo_order_no": order_no,
                                          "sku": f"SKU-{mo_id}", "created_at": created, "updated_at": created,
                                          "timer_state": state})


def shift_records() -> Records:
    rows = {1: [{"id": 11, "type": "process", "planned_time_parameter": 30},
                {"id": 13, "type": "setup", "planned_time_parameter": 600}],
            2: [{"id": 21, "type": "perUnit", "planned_time_per_unit": 12}]}  # only the deprecated name
    actions = [
        action(1, "cook", mo_id=1, quantity="100", scrap="3", scrap_reason="burnt", minutes=60, operation_row_id=11,
               planned_quantity="100", order_no="MO-1"),
        action(2, "cook", mo_id=2, quantity="50", scrap="1", scrap_reason="spilled", minutes=15, operation_row_id=21,
               planned_quantity="50", order_no="MO-2"),
        action(3, "pack", mo_id=1, quantity="95", scrap="2", scrap_reason="burnt", minutes=20, operation_row_id=13,
               planned_quantity="100", actual_quantity="95", order_no="MO-1"),
        action(4, "pack", mo_id=2, quantity="48", minutes=5, operation_row_id=99, planned_quantity="50",
               actual_quantity="48", order_no="MO-2"),
        action(5, "pack", mo_id=3, quantity="10", planned_quantity="10", actual_quantity="10", order_no="MO-3"),  # undone
        action(6, "cook", "waiting", mo_id=4, quantity="7", order_no="MO-4"),
        action(7, "cook", "failed", mo_id=5, quantity="9", scrap="9", scrap_reason="damaged", order_no="MO-5"),
    ]
    waiting = [task("label", 7, "MO-7", NOW - timedelta(hours=26, minutes=5), "paused"),
               task("cook", 8, "MO-8", NOW - timedelta(minutes=42))]
    return Records(PERIOD, NOW, actions, undone=frozenset({"a5"}), skus={1: "SOUP", 2: "CHILI"}, rows=rows,
                   waiting=waiting, alerts={"critical": 0, "high": 2, "medium": 1},
                   cover=[("FBA-CHILI", Decimal("3.5")), ("FBA-SOUP", Decimal("12"))])


def test_what_counts_and_how_it_adds_up() -> None:
    figures = compute(shift_records())
    assert (figures.actions, figures.recorded, figures.unsettled, figures.failed, figures.undone) == (7, 4, 1, 1, 1)
    assert [(o.order_no, o.sku, o.made, o.yield_percent) for o in figures.finished] == [
        ("MO-1", "SOUP", Decimal(95), Decimal("95.0")), ("MO-2", "CHILI", Decimal(48), Decimal("96.0"))]
    assert figures.shift_yield == Decimal("95.3")  # 143 of 150, not the mean of the two yields
    # Scrap: only recorded, not undone actions; the failed /cook's 9 damaged is not counted.
    assert figures.scrap_by_reason == (Share("burnt", Decimal(5), Decimal("83.3")), Share("spilled", Decimal(1), Decimal("16.7")))
    assert figures.scrap_by_stage == (Share("cook", Decimal(4), Decimal("66.7")), Share("pack", Decimal(2), Decimal("33.3")))


def test_planned_time_per_row_type() -> None:
    stages = {s.stage: s for s in compute(shift_records()).stages}
    # cook: process 30 s × 100 = 50 min, perUnit 12 s × 50 = 10 min (from the deprecated field) → 75 of 60 min.
    cook = stages["cook"]
    assert (cook.timed, cook.minutes, cook.planned_minutes, cook.percent_of_plan) == (2, 75, Decimal("60.0"), Decimal("125.0"))
    # pack: setup 600 s for the whole order = 10 min against MO-1's 20; MO-2's row is unknown (no plan, not compared).
    pack = stages["pack"]
    assert (pack.timed, pack.minutes, pack.planned_minutes, pack.compared_minutes) == (2, 25, Decimal("10.0"), 20)
    assert pack.percent_of_plan == Decimal("200.0")
    assert compute(shift_records()).slowest == pack


def test_the_message_lines_for_what_the_demo_lacks() -> None:
    lines = [b["text"]["text"] for b in report_message(compute(shift_records()))["blocks"] if b["type"] == "section"]
    assert "*Scrap* — 6 in all\nby reason: burnt 5 (83.3 %) · spilled 1 (16.7 %)\nby stage: cook 4 (66.7 %) · pack 2 (33.3 %)" in lines
    assert "*Waiting longest*\n• label MO-7 · SKU-7 — 26 h 05 min (paused)\n• cook MO-8 · SKU-8 — 42 min" in lines
    assert "*Fewest days of FBA cover* — FBA-CHILI 3.5 d · FBA-SOUP 12 d" in lines
    assert "*Open alerts* — 0 critical · 2 high · 1 medium" in lines


def test_an_empty_shift_is_one_line() -> None:
    message = report_message(compute(Records(PERIOD, NOW, [])))
    assert message["text"] == "Shift report — shift Tue 03 Mar 06:00 – 14:00: nothing was recorded on the floor."
    assert len(message["blocks"]) == 1


def test_typed_text_never_mentions_or_links() -> None:
    hostile = "<!channel> @here <http://evil.example|click> & co"
    assert shown(hostile) == "&lt;!channel&gt; @\u200bhere &lt;http://evil.example|click&gt; &amp; co"
    records = shift_records()
    records.skus[1] = hostile
    message = report_message(compute(records))
    text = str(message)
    assert "<!channel>" not in text and "<http" not in text and "@here" not in text
    assert "http" not in message["text"]  # the notification carries no typed text at all
    assert all(b["text"].get("verbatim") for b in message["blocks"] if b["type"] == "section")


def test_csv_rows_are_the_floor_actions_with_formulas_defused() -> None:
    records = shift_records()
    records.actions[0].input["batch"] = "=HYPERLINK(\"http://evil.example\")"
    rows = list(csv.DictReader(io.StringIO(floor_records_csv(records, ZoneInfo("Europe/Berlin")).decode("utf-8-sig"))))
    assert [r["action id"] for r in rows] == [f"a{n}" for n in range(1, 8)]
    assert [r["status"] for r in rows] == ["recorded"] * 5 + ["waiting", "failed"]
    assert rows[0]["batch"].startswith("'=") and rows[0]["time"] == "2026-03-03T06:01:00+01:00"
    assert rows[4]["undone"] == "yes" and rows[0]["scrap reason"] == "burnt" and rows[2]["made"] == "95"


def test_the_chart_is_a_png_of_the_stated_size_whatever_the_skus_say() -> None:
    records = shift_records()
    records.skus[1] = "SOUP$^$500"  # between two `$` matplotlib parses math, and `^` alone is an error
    image = Image.open(io.BytesIO(draw(compute(records))))
    assert (image.format, image.size) == ("PNG", CHART_SIZE)
