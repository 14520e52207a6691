"""`make demo`: one shift on a loopback shop floor, printed as the people there would see it.

Katana and Slack are the sandboxes from bot/sandbox; the bot is the real one, reached only
through its HTTP endpoints with signed requests, exactly as in production.
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp

from sandbox.alert_fakes import ALERT_CHANNELS, STOCK_CHANNEL
from sandbox.harness import FLOOR, Sandbox, shop_floor
from sandbox.katana_seed import CENTRAL_KITCHEN_ID, OIL_BATCH_ID, SO7_ID, SOUP_VARIANT_ID
from sandbox.katana_trade import OLIVE_OIL_VARIANT_ID
from sandbox.transcript import render_message, render_view
from sandbox.unleashed import FakeUnleashed

ANA, BEN, SUE = "U0ANA", "U0BEN", "U0SUP"
SUPERVISOR_DM = "D0SUE"
REPORT_CHANNEL = "C0SUPER"
CHART_FILE = Path(tempfile.gettempdir()) / "shopfloor-shift-report.png"
NAMES = {ANA: "Ana Lopez", BEN: "Ben Carter", SUE: "Sue Park", FLOOR: "floor", REPORT_CHANNEL: "supervisors",
         **ALERT_CHANNELS}


def say(text: str = "") -> None:
    print(text, flush=True)


def scene(title: str) -> None:
    say(f"\n━━ {title} " + "━" * max(0, 70 - len(title)))


def show(who: str, body: str) -> None:
    say(f"  ┌─ {who}")
    for line in body.splitlines():
        say(f"  │ {line}")
    say("  └─")


async def record_from_task(sandbox: Sandbox, user: str, task_text: str, values: dict[str, Any],
                           *, mistakes: dict[str, Any] | None = None) -> None:
    task = await sandbox.message_with(task_text)
    before = len(sandbox.slack.calls)
    started = time.monotonic()
    clicked = await sandbox.workspace.click_button(user, task, "task_record", channel_id=FLOOR)
    view = await sandbox.opened_form(before)
    say(f"  {NAMES[user]} taps [Record] → Slack got its ack in {clicked.elapsed * 1000:.0f} ms, "
        f"the form was open {1000 * (time.monotonic() - started):.0f} ms later")
    show(f"{NAMES[user]}'s phone: modal", render_view(view))
    if mistakes:
        reply = await sandbox.workspace.submit_view(user, view, {**values, **mistakes})
        errors = (reply.json or {}).get("errors", {})
        show(f"{NAMES[user]} submits {mistakes} by mistake → the form says", render_view(view, errors))
    await submit(sandbox, user, view, values)


def readable(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """What was entered, by the field's label where its block id says nothing (ingredients: ing_q_62031),
    and a chosen option by its text."""
    inputs = {b["block_id"]: b for b in view.get("blocks", []) if b.get("type") == "input"}
    shown = {}
    for key, value in values.items():
        block = inputs.get(key) or {}
        options = {o["value"]: o["text"]["text"].split(" · ")[0] for o in block.get("element", {}).get("options", [])}
        shown[block["label"]["text"] if key.startswith("ing_") and block else key] = options.get(value, value)
    return shown


async def submit(sandbox: Sandbox, user: str, view: dict[str, Any], values: dict[str, Any]) -> None:
    shown = readable(view, values)
    posted_before = len(sandbox.slack.messages)
    reply = await sandbox.workspace.submit_view(user, view, values)
    say(f"  {NAMES[user]} submits {shown} → ack in {reply.elapsed * 1000:.0f} ms, the modal says “Recording…”")
    await sandbox.settle()
    final = sandbox.slack.views.get(view["id"]) or sandbox.slack.closed_views.get(view["id"], view)
    show(f"{NAMES[user]}'s phone: modal", render_view(final))
    for message in sandbox.slack.messages[posted_before:]:
        show(f"#{NAMES.get(message['channel'], message['channel'])} sees", render_message(message, NAMES))


def katana_record(sandbox: Sandbox, mo_id: int) -> None:
    k = sandbox.katana
    mo = k.manufacturing_orders[mo_id]
    say(f"  {mo['order_no']}: status {mo['status']}, planned {mo['planned_quantity']}, "
        f"actual {mo.get('actual_quantity')} (what its production booked; the packing loss is its own adjustment)")
    for row in sorted((r for r in k.operation_rows.values() if r["manufacturing_order_id"] == mo_id),
                      key=lambda r: r["rank"]):
        people = ", ".join(o.get("name") or o.get("operator_name", "?") for o in row.get("completed_by_operators", []))
        say(f"  operation {row['operation_name']:<6} {row['status']:<11} time {row.get('total_actual_time')} s  by {people}")
    for p in (p for p in k.productions.values() if p["manufacturing_order_id"] == mo_id):
        say(f"  production #{p['id']}: {p['quantity']} on {p['production_date'][:16]}, ingredients consumed:")
        for used in p["ingredients"]:
            row = k.recipe_rows[used["manufacturing_order_recipe_row_id"]]
            item = k.item_of_variant(row["variant_id"])
            planned = row["planned_quantity_per_unit"] * p["quantity"]
            batches = ", ".join(f"from {k.batches[b]['batch_number']}" for b, _ in used.get("_batches") or [])
            say(f"    {item['name']:<11} {used['quantity']:>7} {item['uom']:<3} (plan {planned.normalize()}) {batches}")
    for a in (a for a in k.stock_adjustments.values() if mo["order_no"] in (a.get("additional_info") or "")):
        row = a["stock_adjustment_rows"][0]
        where = ", ".join(k.batches[t["batch_id"]]["batch_number"] for t in row["batch_transactions"])
        say(f"  stock adjustment {a['stock_adjustment_number']}: {row['quantity']} in batch {where} — {a['reason']}")
    for b in (b for b in k.batches.values() if b.get("variant_id") == mo["variant_id"]):
        say(f"  batch {b['batch_number']}: expiry {b.get('expiration_date')}, barcode {b.get('batch_barcode')}")
        batch_ledger(sandbox, b["id"])
    for b in (b for b in k.batches.values() if b["variant_id"] == OLIVE_OIL_VARIANT_ID):
        say(f"  olive oil batch {b['batch_number']}: {k.batch_stock(b['id'], CENTRAL_KITCHEN_ID)['quantity_in_stock']} l "
            "at the kitchen now")
    say("  additional info:")
    for line in (mo.get("additional_info") or "").splitlines():
        say(f"    {line}")
    say(f"  requests the bot sent to Katana: {len(k.requests)} ({len(k.writes())} writes); "
        f"requests the published spec does not allow: {len(k.violations)}")


def batch_ledger(sandbox: Sandbox, batch_id: int) -> None:
    """How the batch's stock at the kitchen came to be what it is: each movement Katana booked in it."""
    k, moves = sandbox.katana, []
    moves += [(p["quantity"], f"production #{p['id']}") for p in k.productions.values()
              if p.get("_batch_id") == batch_id and not p["deleted_at"]]
    moves += [(t["quantity"], f"stock adjustment {a['stock_adjustment_number']} ({a['reason']})")
              for a in k.stock_adjustments.values() for row in a["stock_adjustment_rows"]
              for t in row["batch_transactions"] if t["batch_id"] == batch_id]
    moves += [(-t["quantity"], f"fulfilment #{f['id']} ({f['status']})") for f in k.fulfillments.values()
              if f["status"] == "DELIVERED" for row in f["sales_order_fulfillment_rows"]
              for t in row["batch_transactions"] if t["batch_id"] == batch_id]
    if not moves:
        return
    now = k.batch_stock(batch_id, CENTRAL_KITCHEN_ID)["quantity_in_stock"]
    say("    " + ", ".join(f"{q:+} {what}" for q, what in moves) + f" → {now} in stock at the kitchen")


def warehouse_stock() -> FakeUnleashed:
    """What the Unleashed sandbox holds: two items short, one out, the rest fine."""
    unleashed = FakeUnleashed()
    unleashed.add_product("JAR-500", "Glass jar 500 ml", on_hand=140, min_level=400)
    unleashed.add_product("LID-70", "Lid 70 mm", on_hand=0, min_level=300)
    unleashed.add_product("TOM-PASTE", "Tomato paste, kg", on_hand=35, min_level=40)
    unleashed.add_product("SALT", "Sea salt, kg", on_hand=80, min_level=10)
    return unleashed


async def supervisor_reply(sandbox: Sandbox, text: str) -> dict[str, Any]:
    before = len(sandbox.slack.calls)
    await sandbox.workspace.slash_command(SUE, "/floor", text, channel_id=SUPERVISOR_DM)
    await sandbox.slack.wait_for(lambda c: c.method == "response_url" and sandbox.slack.calls.index(c) >= before)
    await sandbox.settle()
    return [e for e in sandbox.slack.ephemerals if e.get("user") == SUE][-1]


async def stock_alerts(sandbox: Sandbox) -> None:
    scene("12:30 The Unleashed stock sync runs (every 15 min in production)")
    result = await sandbox.bot.alerts.jobs.run("unleashed")
    say(f"  read {result.items_read} items · {result.raised} new alerts")
    alerts = [m for m in sandbox.slack.messages if m["channel"] == STOCK_CHANNEL]
    for message in alerts:
        show(f"#{NAMES[STOCK_CHANNEL]} sees", render_message(message, NAMES))
    again = await sandbox.bot.alerts.jobs.run("unleashed")
    say(f"  the next run finds the same shortages: {again.raised} new posts (one open alert per item)")

    scene("12:35 Sue, the supervisor, acknowledges the lids alert")
    lids = next(m for m in alerts if "Lid 70 mm" in m["text"])
    await sandbox.workspace.click_button(SUE, lids, "alert_ack", channel_id=STOCK_CHANNEL)
    await sandbox.slack.wait_for(lambda c: "Acknowledged" in str(sandbox.slack.find_message(STOCK_CHANNEL, lids["ts"])))
    show(f"#{NAMES[STOCK_CHANNEL]} sees the same message, updated",
         render_message(sandbox.slack.find_message(STOCK_CHANNEL, lids["ts"]), NAMES))

    scene("14:00 Jars arrive; the next sync resolves that alert")
    sandbox.unleashed.set_stock("JAR-500", 900)
    resolved = await sandbox.bot.alerts.jobs.run("unleashed")
    jars = next(m for m in alerts if "Glass jar" in m["text"])
    say(f"  {resolved.resolved} resolved; the jar alert now reads:")
    show(f"#{NAMES[STOCK_CHANNEL]}", render_message(sandbox.slack.find_message(STOCK_CHANNEL, jars["ts"]), NAMES))
    show("Sue types /floor status and sees", render_message(await supervisor_reply(sandbox, "status"), NAMES))


async def ship_order(sandbox: Sandbox) -> None:
    scene("11:30 Ben ships what was packed for SO-7")
    task = await sandbox.message_with("Ship task")
    before = len(sandbox.slack.calls)
    await sandbox.workspace.click_button(BEN, task, "task_record", channel_id=FLOOR)
    pick = await sandbox.opened_form(before)
    show("Ben's phone: modal", render_view(pick))
    reply = await sandbox.workspace.submit_view(BEN, pick, {"so": str(SO7_ID), "method": "carrier"})
    say(f"  Ben picks SO-7, by carrier → ack in {reply.elapsed * 1000:.0f} ms")
    form = await sandbox.view_becomes(pick["id"], "ship_form")
    show("Ben's phone: modal", render_view(form))
    row = next(b["block_id"] for b in form["blocks"] if str(b.get("block_id", "")).startswith("q_"))
    await submit(sandbox, BEN, form, {row: "116", "carrier": "DHL", "tracking": "JD014600"})


def fresh_farms_slip() -> bytes:
    """Fresh Farms' printed despatch note for PO-31: 40 kg tomatoes, 30 l olive oil (lot OIL-2406). Drawn by the
    tuning renderer from seed 29, printed in DejaVu Sans throughout (other seeds write quantities by hand)."""
    from sandbox.slips.corpus import TruthLine, make_truth
    from sandbox.slips.render import render

    lines = [TruthLine("MAT-TOMATO", "Tomatoes", Decimal(40), "kg", None, None, "40", "kg", ""),
             TruthLine("FF-OIL-5L", "Olive oil", Decimal(30), "l", "OIL-2406", date(2027, 6, 30), "30", "l", "30/06/2027")]
    slip = dataclasses.replace(make_truth(2, degraded=False, seed=29), supplier="Fresh Farms Ltd", po_number="PO-31",
                               lines=lines)
    return render(slip)[0]


def ticks(view: dict[str, Any]) -> dict[str, list[str]]:
    """Every "I checked … against the slip" box on a /receive confirmation, ticked (lines' and the PO's)."""
    return {b["block_id"]: ["checked"] for b in view["blocks"]
            if str(b.get("block_id")).startswith("ok_") or b.get("block_id") == "po_ok"}


async def receive_delivery(sandbox: Sandbox) -> None:
    scene("12:00 A delivery for PO-31: Ana photographs the packing slip")
    photo = sandbox.slack.add_file("slip.png", fresh_farms_slip(), "image/png")
    form = await sandbox.form_from_command(ANA, "/receive")
    show("Ana's phone: modal", render_view(form))
    started = time.monotonic()
    reply = await sandbox.workspace.submit_view(ANA, form, {"photo": [photo]})
    say(f"  Ana attaches the photo and submits → ack in {reply.elapsed * 1000:.0f} ms, the modal says "
        f"“Reading the packing slip…”")
    confirm = await sandbox.view_becomes(form["id"], "receive_form", timeout=120)  # OCR: seconds of CPU, more on a busy machine
    say(f"  read offline (no ANTHROPIC_API_KEY here) in {time.monotonic() - started:.1f} s")
    show("Ana's phone: modal", render_view(confirm))
    reply = await sandbox.workspace.submit_view(ANA, confirm, ticks(confirm))
    say(f"  Ana checks what is marked ⚠ against the slip, ticks it and taps [Receive] → ack in {reply.elapsed * 1000:.0f} ms")
    show("#floor sees", render_message(await sandbox.message_with("received PO-31"), NAMES))


def packed_batch(sandbox: Sandbox, mo: dict[str, Any]) -> None:
    """What people selling the soup see in Katana once it is packed (before any of it ships)."""
    k = sandbox.katana
    for b in (b for b in k.batches.values() if b["variant_id"] == mo["variant_id"] and b["batch_number"].startswith("MO")):
        held = k.batch_stock(b["id"], CENTRAL_KITCHEN_ID)["quantity_in_stock"]
        say(f"  Katana now holds {held} of batch {b['batch_number']} at the kitchen: what was packed")
        if held != 116:
            raise RuntimeError(f"batch {b['batch_number']} holds {held} after packing 116")


async def play(sandbox: Sandbox) -> dict[str, Any]:
    """The shift itself, scene by scene (tests/test_report_shift.py replays it and checks its report)."""
    scene("06:00 Katana — the planner creates an MO for sales order SO-7")
    mo = sandbox.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=120,
                                                   order_no="MO-103", sales_order_id=SO7_ID)
    say(f"  Katana sends manufacturing_order.created for {mo['order_no']} (signed webhook to /webhooks/katana)")
    show("#floor sees", render_message(await sandbox.message_with("Cook task"), NAMES))

    scene("07:30 Ana cooks the batch: the kettle took 1.5 l of olive oil from batch OIL-2405, not the plan's")
    oil = next(r["id"] for r in sandbox.katana.recipe_rows.values()
               if r["manufacturing_order_id"] == mo["id"] and r["variant_id"] == OLIVE_OIL_VARIANT_ID)
    await record_from_task(sandbox, ANA, "Cook task: MO-103",
                           {"quantity": "118", "crate": "C-12", "minutes": "95", f"ing_q_{oil}": "1.5",
                            f"ing_b_{oil}": str(OIL_BATCH_ID)},
                           mistakes={"quantity": "1180000"})

    scene("09:10 Ben labels it")
    await record_from_task(sandbox, BEN, "Label task: MO-103",
                           {"to_crate": "C-20", "minutes": "40", "expiry": "2027-02-24"})

    scene("10:00 Ana packs it and the MO is finished: 116 jars, 2 fewer than were cooked")
    await record_from_task(sandbox, ANA, "Pack task: MO-103", {"quantity": "116", "minutes": "30"})
    packed_batch(sandbox, mo)

    await ship_order(sandbox)
    await receive_delivery(sandbox)
    await stock_alerts(sandbox)
    return mo


async def shift_report(sandbox: Sandbox) -> None:
    """The end-of-shift report as the scheduler posts it to REPORT_CHANNEL (here: called at once), its
    thread with the chart and the CSV, and the chart written to a file a new user can open."""
    scene("14:00 The shift ends: the shift report goes to #supervisors")
    reports = sandbox.bot.reports
    period = reports.clock.current(reports.now())  # the shift under way: the demo's whole day
    ts = await reports.publish(REPORT_CHANNEL, period)
    report = sandbox.slack.find_message(REPORT_CHANNEL, ts or "")
    if report is None:
        raise RuntimeError("the shift report was not posted")
    show(f"#{NAMES[REPORT_CHANNEL]} sees", render_message(report, NAMES))
    for reply in (m for m in sandbox.slack.messages if m.get("thread_ts") == ts and m["ts"] != ts):
        say("  in its thread: " + ", ".join(f"{f['title']} ({f['name']})" for f in reply.get("files", [])))
    chart = next((f for f in sandbox.slack.uploads.shared if f.filename.endswith(".png")), None)
    if chart is None:
        raise RuntimeError("the shift report's chart was not uploaded")
    CHART_FILE.write_bytes(chart.content)
    say(f"  The chart is written to {CHART_FILE} — open it to see what supervisors see on their phones.")


# What an operator's Prometheus reads, a few series of it (the page has every series, for this replica).
METRICS_SHOWN = ("shopfloor_katana_requests_total", "shopfloor_floor_actions{", "shopfloor_webhook_backlog",
                 "shopfloor_webhook_lag_seconds", "shopfloor_slack_errors_total")


async def metrics(sandbox: Sandbox) -> None:
    scene("What the operators' Prometheus reads from GET /metrics (a few of its series)")
    async with aiohttp.ClientSession() as http, http.get(f"{sandbox.url}/metrics") as reply:
        page = await reply.text()
    for line in page.splitlines():
        if line.startswith(METRICS_SHOWN) and not line.endswith(" 0.0"):
            say("  " + line)


async def shift() -> int:
    logging.getLogger().setLevel(logging.WARNING)  # the transcript is the output; only problems are logged
    # A day's work replayed in seconds would need more than Katana's 60 calls a minute; the bot would
    # simply wait for its budget (as it does in production), so the demo gives the sandbox a bigger one.
    async with shop_floor(spec_required=False, unleashed=warehouse_stock(), supervisors=SUE,
                          katana_rate_limit_per_minute=600) as sandbox:
        say(f"Bot serving on {sandbox.url} · Katana sandbox {sandbox.katana.base_url} · Slack sandbox {sandbox.slack.api_url}")
        say(f"Katana requests checked against the published spec: {'yes' if sandbox.katana.validator else 'no (spec not found)'}")
        mo = await play(sandbox)

        scene("What a supervisor scrolling #floor sees at the end of the shift")
        for message in (m for m in sandbox.slack.messages if m["channel"] == FLOOR):  # updated in place
            say("  " + render_message(message, NAMES).splitlines()[1].strip())

        scene("What Katana now holds for MO-103")
        katana_record(sandbox, mo["id"])
        await shift_report(sandbox)
        await metrics(sandbox)
        problems = sandbox.katana.violations + getattr(sandbox.katana, "server_errors", [])
        if problems:
            say(f"\nProblems: {problems}")
            return 1
        say("\nShift replayed: every step went through the real HTTP endpoints.")
        return 0


async def run() -> int:
    try:
        return await asyncio.wait_for(shift(), timeout=120)
    except (RuntimeError, TimeoutError) as exc:
        print(f"demo failed: {exc}", file=sys.stderr)
        return 1
