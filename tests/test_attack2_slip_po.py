"""Attack 2: which PO a packing slip is received against, when the slip's words are unlucky.

header._open_po searches *every* row of the slip (read_letterhead is given all rows as `everything`), top
down, for any word (or two or three words run together) whose folded key equals an open PO's number, and
takes the first one it finds as the PO with confidence ~0.97: no ⚠, ahead of the PO number printed after
the slip's own "Your order:" label. UK postcodes of the Portsmouth / Isle of Wight area are "PO1".."PO41",
which fold to the same key as Katana's default PO numbers "PO-1".."PO-41". A supplier whose address line
says "Cowes PO31 8PB", delivering against its open PO-35, has the slip matched to PO-31, shown as "PO number
on the slip: PO-31" without ⚠ and "Matched by PO number PO-31 on the slip." The receiving form does not ask
anyone to confirm the PO, so Record receives the tomatoes into PO-31.

The reader here is the real offline parser (integrations.slips.offline.parse_boxes) fed hand-made OCR boxes
(as tests/test_slip_safety.py does); the bot then re-reads them against Katana's open POs (reconcile), as it
does with a real photo.
"""
from __future__ import annotations

from decimal import Decimal

from integrations.slips.offline import parse_boxes
from sandbox.harness import Sandbox
from sandbox.katana_seed import CENTRAL_KITCHEN_ID, TOMATOES_VARIANT_ID
from sandbox.katana_trade import FRESH_FARMS_ID, PO31_ID, _purchase_order, received_rows
from tests.slip_boxes import boxes_of
from tests.test_scenario_receive import ANA, jpeg

PO35_ID, PO35_ROW_ID = 9035, 90351


class BoxesAsRead:
    """The offline reader's answer for a slip whose OCR boxes are given (no OCR run)."""

    def __init__(self, boxes: list) -> None:
        self.boxes = boxes

    async def read(self, image: bytes, *, patience: float = 20.0):  # noqa: ANN201
        return parse_boxes(self.boxes)


def second_fresh_farms_order(shop: Sandbox) -> None:
    """Fresh Farms' standing weekly order: a second open PO of the same supplier, tomatoes again."""
    now = shop.katana.now()
    stamp = {"created_at": now, "updated_at": now, "deleted_at": None}
    _purchase_order(shop.katana, PO35_ID, "PO-35", FRESH_FARMS_ID, CENTRAL_KITCHEN_ID, stamp,
                    [(PO35_ROW_ID, (TOMATOES_VARIANT_ID, "50", "1.20"))])


SLIP = (["Fresh Farms Ltd", "Delivery Note"],
        ["Packhouse: Newport Road, Cowes PO31 8PB"],  # an Isle of Wight postcode
        ["Your order: PO-35", "Date: 04/05/2026"],
        ["MAT-TOMATO", "Tomatoes", "Qty: 50 kg", "Lot: L-7710"])


async def slip_confirmation(shop: Sandbox) -> dict:
    second_fresh_farms_order(shop)
    shop.bot.receiving.reader = BoxesAsRead(boxes_of(*SLIP))
    photo_form = await shop.form_from_command(ANA, "/receive")
    await shop.workspace.submit_view(ANA, photo_form, {"photo": [shop.slack.add_file("slip.jpg", jpeg(), "image/jpeg")]})
    return await shop.view_becomes(photo_form["id"], "receive_form")


def chosen_po(form: dict) -> str | None:
    block = next(b for b in form["blocks"] if b.get("block_id") == "po")
    return (block["element"].get("initial_option") or {}).get("value")


async def test_a_postcode_is_not_taken_for_the_po_the_slip_names_under_its_label(shop: Sandbox) -> None:
    form = await slip_confirmation(shop)
    said = str(form["blocks"])
    assert "PO number on the slip: PO-31" not in said or "PO-31 ⚠" in said, (
        "the postcode PO31 is shown as the slip's PO number, unmarked, though the slip says 'Your order: PO-35'")
    assert chosen_po(form) == str(PO35_ID), f"preselected PO id {chosen_po(form)} (PO-31), not PO-35: {said[:600]}"


async def test_recording_the_slip_as_shown_does_not_receive_into_another_po(shop: Sandbox) -> None:
    form = await slip_confirmation(shop)
    before = len(received_rows(shop.katana, PO31_ID))

    await shop.workspace.submit_view(ANA, form, {})  # nothing to tick: every field read sure
    await shop.settle()

    into_po31 = received_rows(shop.katana, PO31_ID)[before:]
    assert not into_po31, (f"50 kg of tomatoes from the PO-35 slip were received into PO-31: "
                           f"{[(r['id'], r['quantity']) for r in into_po31]}")
    assert shop.katana.purchase_order_rows[PO35_ROW_ID]["quantity"] == Decimal(50)


NEAR_SLIP = (["Fresh Farms Ltd", "Delivery Note"],
             ["Your order: PO-311", "Date: 04/05/2026"],  # no open PO has it; PO-31 is one character off
             ["MAT-TOMATO", "Tomatoes", "Qty: 50 kg", "Lot: L-7710"])


async def test_a_po_taken_for_a_number_one_character_off_must_be_confirmed_before_receiving(shop: Sandbox) -> None:
    """tests/test_slip_safety.py states the property: a value that may be wrong is marked ⚠ and must be
    confirmed. header._nearest_open_po marks the PO it substitutes for the printed number, but the form only
    makes the operator tick doubtful *line* fields (commands.receiving.confirm.check_lines); the PO's ⚠ is a
    glyph in the summary, where the slip's "PO-311" is shown as "PO number on the slip: PO-31 ⚠", and the
    select's hint says "Matched by PO number PO-31 on the slip." with no mark. Record receives into PO-31."""
    shop.bot.receiving.reader = BoxesAsRead(boxes_of(*NEAR_SLIP))
    photo_form = await shop.form_from_command(ANA, "/receive")
    await shop.workspace.submit_view(ANA, photo_form, {"photo": [shop.slack.add_file("slip.jpg", jpeg(), "image/jpeg")]})
    form = await shop.view_becomes(photo_form["id"], "receive_form")
    said = str(form["blocks"])
    assert chosen_po(form) == str(PO31_ID) and "PO-31 ⚠" in said  # the substitution, marked in the summary
    before = len(received_rows(shop.katana, PO31_ID))

    reply = await shop.workspace.submit_view(ANA, form, {})  # the form as shown: nothing else asked
    await shop.settle()

    into_po31 = received_rows(shop.katana, PO31_ID)[before:]
    assert not into_po31, ("a PO the slip does not print (it says PO-311) was received into without being "
                           f"confirmed: {[(r['id'], r['quantity']) for r in into_po31]}; reply {reply.json}")
