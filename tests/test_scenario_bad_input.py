"""Bad input gets a field error at the field that caused it, and nothing reaches Katana."""
from __future__ import annotations

import pytest

from sandbox.harness import Sandbox
from sandbox.katana_seed import MO101_ID

ANA = "U0ANA"
VALID = {"mo": str(MO101_ID), "quantity": "12", "batch": "B-1", "crate": "C-1", "minutes": ""}


def state(view: dict, values: dict[str, str]) -> dict:
    """State values exactly as a (possibly modified) client could send them."""
    out: dict = {}
    for block in view["blocks"]:
        element = block.get("element") or {}
        raw = values.get(block.get("block_id"))
        if element.get("type") == "static_select":
            option = {"text": {"type": "plain_text", "text": raw}, "value": raw} if raw else None
            out[block["block_id"]] = {element["action_id"]: {"type": "static_select", "selected_option": option}}
        elif element:
            out[block["block_id"]] = {element["action_id"]: {"type": element["type"], "value": raw}}
    return out


@pytest.mark.parametrize(("field", "value", "message"), [
    ("quantity", "abc", "must be a number"),
    ("quantity", "0", "more than 0"),
    ("quantity", "-3", "more than 0"),
    ("quantity", "1.123456", "at most 5 decimals"),
    ("quantity", "99999999", "too large"),
    ("quantity", "", "Enter the quantity cooked"),
    ("batch", "", "Enter the batch number"),
    ("batch", "B1; DROP", "letters, digits"),
    ("crate", "x" * 200, "too long"),
    ("minutes", "-5", "between 0 and 1440"),
    ("mo", "999999", "not open any more"),
    ("mo", "", "Choose the manufacturing order"),
])
async def test_cook_field_errors_write_nothing(shop: Sandbox, field: str, value: str, message: str) -> None:
    form = await shop.form_from_command(ANA, "/cook")
    reply = await shop.workspace.submit_crafted(ANA, form, state(form, {**VALID, field: value}))
    await shop.settle()
    assert reply.status == 200
    assert reply.json["response_action"] == "errors"
    assert message in reply.json["errors"][field], reply.json
    assert list(reply.json["errors"]) == [field], "only the offending field is flagged"
    assert shop.katana.writes() == []
    assert await shop.store.db["floor_actions"].count_documents({}) == 0


async def test_european_decimal_comma_is_understood(shop: Sandbox) -> None:
    form = await shop.form_from_command(ANA, "/cook")
    reply = await shop.workspace.submit_crafted(ANA, form, state(form, {**VALID, "quantity": "12,5"}))
    await shop.settle()
    assert reply.json["response_action"] == "update"
    [production] = [p for p in shop.katana.productions.values() if p["manufacturing_order_id"] == MO101_ID]
    assert str(production["quantity"]) in ("12.5", "12.50000")


async def test_double_submit_records_once(shop: Sandbox) -> None:
    form = await shop.form_from_command(ANA, "/cook")
    crafted = state(form, VALID)
    first = await shop.workspace.submit_crafted(ANA, form, crafted)
    again = await shop.workspace.submit_crafted(ANA, form, crafted)  # double tap / Slack retry: same view+hash
    await shop.settle()
    assert first.json["response_action"] == again.json["response_action"] == "update"
    productions = [p for p in shop.katana.productions.values() if p["manufacturing_order_id"] == MO101_ID]
    assert len(productions) == 1
    assert await shop.store.db["floor_actions"].count_documents({}) == 1


async def test_badly_signed_slack_request_is_refused(shop: Sandbox) -> None:
    body = b"command=%2Fcook&user_id=U0ANA&trigger_id=1.2.3&channel_id=C0FLOOR"
    headers = {**shop.workspace.sign(body), "Content-Type": "application/x-www-form-urlencoded"}
    headers["X-Slack-Signature"] = "v0=" + "0" * 64
    reply = await shop.workspace.post_raw(body, headers)
    assert reply.status == 401
    assert shop.slack.calls_to("views.open") == []


async def test_stale_slack_timestamp_is_refused(shop: Sandbox) -> None:
    import time

    body = b"command=%2Fcook&user_id=U0ANA&trigger_id=1.2.3&channel_id=C0FLOOR"
    headers = {**shop.workspace.sign(body, timestamp=int(time.time()) - 600),
               "Content-Type": "application/x-www-form-urlencoded"}
    reply = await shop.workspace.post_raw(body, headers)
    assert reply.status == 401


async def test_help_answers_privately_and_opens_nothing(shop: Sandbox) -> None:
    reply = await shop.workspace.slash_command(ANA, "/cook", "help")
    # A plain-text ack body is shown only to the person who typed the command.
    assert reply.status == 200 and "Records a production" in reply.body
    assert shop.slack.calls_to("views.open") == []


async def test_oversized_slack_body_is_refused_before_parsing(shop: Sandbox) -> None:
    body = b"payload=" + b"x" * (1024 * 1024 + 1)
    reply = await shop.workspace.post_raw(body, {**shop.workspace.sign(body),
                                                 "Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 413


async def test_forged_body_never_reaches_the_parser(shop: Sandbox) -> None:
    body = b'payload={"type": "view_submission", BROKEN'  # would make a parser choke; refused first
    headers = {**shop.workspace.sign(b"something else"), "Content-Type": "application/x-www-form-urlencoded"}
    reply = await shop.workspace.post_raw(body, headers)
    assert reply.status == 401 and "invalid signature" in reply.body
