"""The period's floor records as a CSV: one row per floor action, for people who want a spreadsheet.

Cells that begin with `=`, `+`, `-`, `@`, a tab or a carriage return get a leading `'`, so a batch code or
a name typed as a formula is shown as text by Excel or Sheets instead of being run (OWASP's CSV injection
advice). Quantities are exact decimals; times are local, with their offset.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from bot.report.figures import facts_of
from bot.report.message import num
from bot.report.records import Records
from models.actions import FloorAction

COLUMNS = ("time", "command", "person", "order", "status", "quantity", "planned", "made", "yield %", "scrap",
           "scrap reason", "minutes", "batch", "crate", "lines", "undone", "action id")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    if value is None:
        return ""
    text = num(value) if isinstance(value, Decimal) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def row(action: FloorAction, zone: ZoneInfo, undone: bool) -> list[str]:
    facts = facts_of(action)  # OrderFacts, ShipFacts or ReceiveFacts: a column a command lacks stays empty
    lines = getattr(facts, "lines", None) or []
    quantity = sum((line.quantity for line in lines), Decimal(0)) if lines else getattr(facts, "quantity", None)
    per_order = [getattr(facts, name, None) for name in ("planned_quantity", "actual_quantity", "yield_percent",
                                                          "scrap", "scrap_reason", "minutes", "batch", "crate")]
    values = [action.created_at.astimezone(zone).isoformat(timespec="seconds"), action.command,
              facts.person or action.user_name, facts.order_no, action.status, quantity, *per_order,
              len(lines) or None, "yes" if undone else "", action.id]
    return [cell(v) for v in values]


def floor_records_csv(records: Records, zone: ZoneInfo) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for action in records.actions:
        writer.writerow(row(action, zone, action.id in records.undone))
    return out.getvalue().encode("utf-8-sig")  # with a BOM, Excel reads the text as UTF-8
