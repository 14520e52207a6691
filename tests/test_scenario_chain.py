"""The production chain end to end: signed webhooks and signed Slack requests to the real app."""
from __future__ import annotations

from decimal import Decimal

from sandbox.harness import Sandbox
from sandbox.katana_seed import (
    ANA_OPERATOR_ID,
    CHILI_BATCH_NUMBER,
    CHILI_VARIANT_ID,
    MO101_ADDITIONAL_INFO,
    MO101_ID,
    MO101_ROW_IDS,
    SO7_ID,
    SOUP_VARIANT_ID,
)

ANA, BEN = "U0ANA", "U0BEN"


def new_mo(shop: Sandbox, *, linked: bool = True, planned: int = 120) -> dict:
    return shop.katana.create_manufacturing_order(
        variant_id=SOUP_VARIANT_ID if linked else CHILI_VARIANT_ID, planned_quantity=planned,
        sales_order_id=SO7_ID if linked else None)


def productions_of(shop: Sandbox, mo_id: int) -> list[dict]:
    return [p for p in shop.katana.productions.values() if p["manufacturing_order_id"] == mo_id]


def rows_of(shop: Sandbox, mo_id: int) -> list[dict]:
    return sorted((r for r in shop.katana.operation_rows.values() if r["manufacturing_order_id"] == mo_id),
                  key=lambda r: r["rank"])


async def test_mo_created_webhook_posts_one_cook_task_even_when_redelivered(shop: Sandbox) -> None:
    mo = new_mo(shop)
    task = await shop.message_with(f"Cook task: {mo['order_no']}")
    assert any(b.get("type") == "actions" for b in task["blocks"]), "the task has a Record button"

    await shop.katana.redeliver_last(1)  # Katana's retry: identical payload, X-Katana-Retry-Num: 1
    await shop.settle()

    assert len(shop.messages_with(f"Cook task: {mo['order_no']}")) == 1
    events = [e async for e in shop.store.db["katana_events"].find({"object_id": str(mo["id"])})]
    assert len(events) == 1 and events[0]["deliveries"] == 2 and events[0]["retry_nums"] == [1]


async def test_cook_from_task_records_production_operation_and_crate(shop: Sandbox) -> None:
    mo = new_mo(shop)
    form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
    reply = await shop.workspace.submit_view(ANA, form, {"quantity": "118.5", "batch": "B-77", "crate": "C-12",
                                                         "minutes": "95"})
    assert reply.status == 200 and reply.json["response_action"] == "update"
    await shop.settle()

    [production] = productions_of(shop, mo["id"])
    assert Decimal(str(production["quantity"])) == Decimal("118.5")
    batch = next(b for b in shop.katana.batches.values() if b["batch_number"] == "B-77")
    assert batch["variant_id"] == SOUP_VARIANT_ID
    cook = rows_of(shop, mo["id"])[0]
    assert cook["status"] == "COMPLETED" and cook["total_actual_time"] == 95 * 60
    assert [o.get("operator_id") for o in cook["completed_by_operators"]] == [ANA_OPERATOR_ID]
    assert "crate C-12" in shop.katana.manufacturing_orders[mo["id"]]["additional_info"]

    label_task = await shop.message_with(f"Label task: {mo['order_no']}")
    assert "crate C-12" in str(label_task["blocks"]) and "B-77" in str(label_task["blocks"])
    confirmation = await shop.message_with("cooked 118.5")
    assert confirmation["channel"] == "C0FLOOR"
    assert "Recorded in Katana" in str(shop.slack.views[form["id"]]["blocks"])


async def test_note_on_mo_keeps_what_planners_wrote(shop: Sandbox) -> None:
    form = await shop.form_from_command(BEN, "/cook")
    await shop.workspace.submit_view(BEN, form, {"mo": str(MO101_ID), "quantity": "40", "batch": "B-1", "crate": "C-3"})
    await shop.settle()
    info = shop.katana.manufacturing_orders[MO101_ID]["additional_info"]
    assert info.startswith(MO101_ADDITIONAL_INFO) and "crate C-3" in info  # Katana wipes it unless echoed


async def test_full_chain_cook_label_pack_finishes_mo_and_opens_ship_task(shop: Sandbox) -> None:
    mo = new_mo(shop)
    no = mo["order_no"]
    cook = await shop.form_from_task(ANA, f"Cook task: {no}")
    await shop.workspace.submit_view(ANA, cook, {"quantity": "118", "batch": "B-9", "crate": "C-1"})
    label = await shop.form_from_task(BEN, f"Label task: {no}")
    await shop.workspace.submit_view(BEN, label, {"to_crate": "C-2", "expiry": "2027-03-01", "barcode": "9001"})
    pack = await shop.form_from_task(ANA, f"Pack task: {no}")
    await shop.workspace.submit_view(ANA, pack, {"quantity": "116"})
    await shop.settle()

    order = shop.katana.manufacturing_orders[mo["id"]]
    assert order["status"] == "DONE" and Decimal(str(order["actual_quantity"])) == 116
    assert [r["status"] for r in rows_of(shop, mo["id"])] == ["COMPLETED"] * 3
    batch = next(b for b in shop.katana.batches.values() if b["batch_number"] == "B-9")
    assert batch["expiration_date"].startswith("2027-03-01") and batch["batch_barcode"] == "9001"
    assert len(shop.messages_with(f"Ship task: {no}")) == 1
    for kind in ("Cook", "Label", "Pack"):  # each task message now says who did it
        assert shop.messages_with(f"{kind} done: {no}"), kind
    assert "yield 96.7 %" in str((await shop.message_with("packed 116"))["blocks"])


async def test_pack_without_sales_order_opens_no_ship_task(shop: Sandbox) -> None:
    mo = new_mo(shop, linked=False, planned=80)
    form = await shop.form_from_command(ANA, "/pack")
    await shop.workspace.submit_view(ANA, form, {"mo": str(mo["id"]), "quantity": "80", "batch": CHILI_BATCH_NUMBER})
    await shop.settle()
    assert shop.katana.manufacturing_orders[mo["id"]]["status"] == "DONE"
    assert shop.messages_with("Ship task") == []


async def test_stage_completed_in_katana_app_advances_chain_like_slack(shop: Sandbox) -> None:
    mo = new_mo(shop)
    await shop.message_with(f"Cook task: {mo['order_no']}")
    cook_row = rows_of(shop, mo["id"])[0]
    shop.katana.complete_operation_in_app(cook_row["id"])
    await shop.settle()
    assert len(shop.messages_with(f"Label task: {mo['order_no']}")) == 1
    assert shop.messages_with(f"Cook done: {mo['order_no']}")


async def test_slack_recording_and_its_own_webhook_make_one_next_task(shop: Sandbox) -> None:
    """The bot's PATCH makes Katana send operation_row.completed: that must not open a second task."""
    mo = new_mo(shop)
    form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
    await shop.workspace.submit_view(ANA, form, {"quantity": "10", "batch": "B-2", "crate": "C-4"})
    await shop.settle()
    await shop.katana.redeliver_last(3)
    await shop.settle()
    assert any(d["event"] == "manufacturing_order_operation_row.completed" for d in shop.katana.deliveries)
    assert len(shop.messages_with(f"Label task: {mo['order_no']}")) == 1
    assert await shop.store.db["production_tasks"].count_documents({"mo_id": mo["id"], "kind": "label"}) == 1


async def test_mo_done_in_katana_closes_open_production_tasks(shop: Sandbox) -> None:
    mo = new_mo(shop)
    await shop.message_with(f"Cook task: {mo['order_no']}")
    shop.katana.finish_order_in_app(mo["id"], 120)
    await shop.settle()
    tasks = {t["kind"]: t["status"] async for t in shop.store.db["production_tasks"].find({"mo_id": mo["id"]})}
    assert tasks == {"cook": "closed", "ship": "open"}
    assert "closed: MO done in Katana" in str((await shop.message_with(f"Cook done: {mo['order_no']}"))["blocks"])


async def test_recording_on_a_done_mo_is_refused_and_writes_nothing(shop: Sandbox) -> None:
    form = await shop.form_from_command(ANA, "/cook")
    shop.katana.finish_order_in_app(MO101_ID, 120)  # finished in Katana while the modal was open
    await shop.settle()
    writes_before = len(shop.katana.writes())
    await shop.workspace.submit_view(ANA, form, {"mo": str(MO101_ID), "quantity": "5", "batch": "B-5", "crate": "C-5"})
    await shop.settle()
    assert len(shop.katana.writes()) == writes_before
    outcome = str(shop.slack.views[form["id"]]["blocks"])
    assert "already done in Katana" in outcome and "Recorded in Katana: nothing" in outcome
    assert MO101_ROW_IDS[0] not in [r["id"] for r in shop.katana.operation_rows.values() if r["status"] == "COMPLETED"]


async def test_audit_prints_an_mos_whole_history(shop: Sandbox) -> None:
    import io

    from bot.audit import print_history

    mo = new_mo(shop)
    form = await shop.form_from_task(ANA, f"Cook task: {mo['order_no']}")
    await shop.workspace.submit_view(ANA, form, {"quantity": "50", "batch": "B-50", "crate": "C-5"})
    await shop.settle()
    out = io.StringIO()
    assert await print_history(shop.store, mo["order_no"], out) == 0
    history = " ".join(out.getvalue().split())
    assert "manufacturing_order.created → cook task" in history
    assert "/cook → recorded by Ana Lopez" in history
    production_id = next(p["id"] for p in shop.katana.productions.values() if p["manufacturing_order_id"] == mo["id"])
    assert f"'production_id': {production_id}" in history
    assert "label open" in history and "cook done by Ana Lopez" in history
    assert await print_history(shop.store, "MO-404", io.StringIO()) == 1
