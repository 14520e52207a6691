"""/ship Mark delivered: a carrier (and tracking number) Katana already holds is taken as it is; a carrier is a
name, not a label code (from an outside attack, tests/test_attack_delivery.py on branch attack)."""
from __future__ import annotations

from sandbox.harness import Sandbox
from tests.test_scenario_deliver import ANA


async def deliver_form_from_command(shop: Sandbox, user: str, so_id: int) -> dict:
    pick = await shop.form_from_command(user, "/ship")
    await shop.workspace.submit_view(user, pick, {"so": str(so_id), "method": "deliver"})
    return await shop.view_becomes(pick["id"], "ship_form", "packed and waiting for pickup")


async def test_a_carrier_typed_in_katana_is_not_refused_when_the_form_is_left_as_prefilled(shop: Sandbox) -> None:
    """commands/shipping/delivery.py prefills the carrier Katana has (typed in Katana's app: any text) into a
    field read with Form.code (letters, digits, spaces and . _ / # - only): the person who only ticks what the
    carrier took is told "Carrier may use letters, digits…" about a value they never typed."""
    from sandbox.katana_seed import SOUP_BATCH_ID
    from sandbox.katana_trade import SO8_ID, SO8_ROW_IDS
    soup, _ = SO8_ROW_IDS
    packed = await shop.bot.katana.client.post("/sales_order_fulfillments", {
        "sales_order_id": SO8_ID, "status": "PACKED", "tracking_carrier": "Royal Mail (24h)",
        "sales_order_fulfillment_rows": [
            {"sales_order_row_id": soup, "quantity": 2, "traceability": [{"batch_id": SOUP_BATCH_ID, "quantity": "2"}]}]})
    form = await deliver_form_from_command(shop, ANA, SO8_ID)
    state = _untouched(form)
    state["packed"] = {"packed": {"type": "checkboxes", "selected_options": [
        {"text": {"type": "plain_text", "text": "x"}, "value": str(packed["id"])}]}}
    reply = await shop.workspace.submit_crafted(ANA, form, state)
    assert reply.json["response_action"] == "update", reply.json


def _untouched(form: dict) -> dict:
    """state.values as Slack's client sends a form whose prefilled values were left as they are."""
    from sandbox.slack_user import _element_state, _initial  # noqa: PLC2701
    state = {}
    for block in form["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        value = _initial(element)
        if element["type"] == "plain_text_input":
            state[block["block_id"]] = {element["action_id"]: {"type": element["type"], "value": value}}
        else:
            state[block["block_id"]] = {element["action_id"]: _element_state(element, value)}
    return state


async def test_a_long_carrier_and_tracking_katana_holds_are_delivered_as_they_are(shop: Sandbox) -> None:
    """Katana takes a carrier of any length and a tracking number up to 256 characters of any text: left as
    prefilled, both are kept (the input is long enough to hold them, nothing is refused, Katana keeps them)."""
    from sandbox.katana_seed import SOUP_BATCH_ID
    from sandbox.katana_trade import SO8_ID, SO8_ROW_IDS
    soup, _ = SO8_ROW_IDS
    carrier, tracking = "Spedition Müller & Söhne GmbH (Kühlfracht, Nachtsprung) — Lager Nord, Tor 3", "RM 12/34 (2)"
    packed = await shop.bot.katana.client.post("/sales_order_fulfillments", {
        "sales_order_id": SO8_ID, "status": "PACKED", "tracking_carrier": carrier, "tracking_number": tracking,
        "sales_order_fulfillment_rows": [
            {"sales_order_row_id": soup, "quantity": 2, "traceability": [{"batch_id": SOUP_BATCH_ID, "quantity": "2"}]}]})
    form = await deliver_form_from_command(shop, ANA, SO8_ID)
    reply = await shop.workspace.submit_crafted(ANA, form, _untouched(form))
    assert reply.json["response_action"] == "update", reply.json
    await shop.settle()
    fulfilment = shop.katana.fulfillments[packed["id"]]
    assert (fulfilment["status"], fulfilment["tracking_carrier"], fulfilment["tracking_number"]) == (
        "DELIVERED", carrier, tracking)


async def test_a_carrier_typed_with_brackets_is_a_name_not_a_label_code(shop: Sandbox) -> None:
    """The carrier is a name, not a code printed on our labels: "Royal Mail (24h)" typed in /ship is recorded
    (Katana takes any text; it is escaped wherever it is shown). A tracking number stays a code."""
    from sandbox.katana_seed import SO7_ID, SO7_ROW_ID
    from tests.test_scenario_ship import ship_form
    form = await ship_form(shop, SO7_ID)
    refused = await shop.workspace.submit_view(ANA, form, {f"q_{SO7_ROW_ID}": "4", "carrier": "Royal Mail (24h)",
                                                           "tracking": "RM<1>"})
    assert refused.json["response_action"] == "errors" and list(refused.json["errors"]) == ["tracking"]
    reply = await shop.workspace.submit_view(ANA, form, {f"q_{SO7_ROW_ID}": "4", "carrier": "Royal Mail (24h)",
                                                         "tracking": "RM-1"})
    assert reply.json["response_action"] == "update", reply.json
    await shop.settle()
    [fulfilment] = shop.katana.fulfillments.values()
    assert fulfilment["tracking_carrier"] == "Royal Mail (24h)"


async def test_a_carrier_with_slack_markup_is_shown_as_text(shop: Sandbox) -> None:
    """Any text is a carrier now: what it says reaches Katana as typed and the channel escaped."""
    from sandbox.katana_seed import SO7_ID, SO7_ROW_ID
    from tests.test_hostile_text import RAW_MARKUP, SHORT, mrkdwn_texts
    from tests.test_scenario_ship import ship_form
    form = await ship_form(shop, SO7_ID)
    reply = await shop.workspace.submit_view(ANA, form, {f"q_{SO7_ROW_ID}": "4", "carrier": f"{SHORT} @everyone"})
    assert reply.json["response_action"] == "update", reply.json
    await shop.settle()
    [fulfilment] = shop.katana.fulfillments.values()
    assert fulfilment["tracking_carrier"] == f"{SHORT} @everyone"
    told = await shop.message_with("shipped SO-7")
    shown = list(mrkdwn_texts(told))
    assert shown and not [t for t in shown if RAW_MARKUP.search(t)], shown
