"""/receive with the real offline reader: a printed packing slip, read by OCR, becomes a PO receipt with batches.

Kept apart from test_scenario_receive.py (which stands in for the reader to steer confidences) because
OCR takes seconds of CPU.
"""
from __future__ import annotations

from sandbox.demo import fresh_farms_slip, ticks
from sandbox.harness import Sandbox
from sandbox.katana_seed import TOMATOES_VARIANT_ID
from sandbox.katana_trade import OLIVE_OIL_VARIANT_ID, PO31_ID, received_rows
from tests.test_scenario_receive import ANA, TOMATOES_ROW, confirmation, stock


def printed_slip() -> bytes:
    """A packing slip for PO-31 drawn by the accuracy corpus's renderer (clean scan), as `make demo` shows it."""
    return fresh_farms_slip()


def offline_reader(shop: Sandbox) -> None:
    """The bot's own reader: built by integrations.slips.build_slip_reader, offline OCR (no API key here)."""
    from integrations.slips import OfflineSlipReader

    assert isinstance(shop.bot.receiving.reader, OfflineSlipReader)


async def test_a_photo_becomes_a_po_receipt_with_batches(shop: Sandbox) -> None:
    offline_reader(shop)
    form = await confirmation(shop, None, shop.slack.add_file("slip.png", printed_slip(), "image/png"), wait=30.0)
    blocks = str(form["blocks"])
    assert "PO-31" in blocks and "100 kg left" in blocks and "PO number PO-31 on the slip" in blocks
    assert "read offline" in blocks
    tomatoes_before = stock(shop, TOMATOES_VARIANT_ID)

    reply = await shop.workspace.submit_view(ANA, form, ticks(form))  # as read: nothing to correct
    assert reply.json["response_action"] == "update"
    await shop.settle()

    received = {r["variant_id"]: r for r in received_rows(shop.katana, PO31_ID)}
    assert received[TOMATOES_VARIANT_ID]["quantity"] == 40
    assert shop.katana.purchase_order_rows[TOMATOES_ROW]["quantity"] == 60  # the row keeps what is still to come
    [batch] = [b for b in shop.katana.batches.values() if b["batch_number"] == "OIL-2406"]
    assert batch["variant_id"] == OLIVE_OIL_VARIANT_ID and batch["expiration_date"].startswith("2027-06-30")
    assert received[OLIVE_OIL_VARIANT_ID]["batch_transactions"] == [{"batch_id": batch["id"], "quantity": 30}]
    assert stock(shop, TOMATOES_VARIANT_ID) == tomatoes_before + 40
    assert shop.katana.purchase_orders[PO31_ID]["status"] == "PARTIALLY_RECEIVED"

    message = await shop.message_with("received PO-31")
    assert "40 kg × MAT-TOMATO" in message["text"] and "OIL-2406" in message["text"]
    [receipt] = [r async for r in shop.store.db["receipts"].find({})]
    assert receipt["photo_file_id"].startswith("F") and receipt["extraction"]["po_number"]["value"] == "PO-31"
    assert [l["quantity"] for l in receipt["lines"]] == ["40", "30"] and receipt["changes"] == []
    assert await shop.store.db["sync_log"].count_documents({"subject": "receipt PO-31"}) == 1


