"""Text nobody at this company wrote — a person's Slack name, a pause reason, an order number and a product
typed in Katana, a slip's lines, a Katana error, a product name in Unleashed, a `/floor` argument — is shown
in Slack as text: never a link, a channel ping or a mention (issue 14, point 10).

Every message, ephemeral, modal and App Home the fake Slack received is searched: no hostile markup appears
unescaped in any mrkdwn text or fallback `text`, nothing is escaped twice, and the hostile text did reach
Slack (escaped), so the search can fail. Katana, being no Slack surface, keeps the text as it was typed.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from models.packing_slip import PackingSlip, Read, SlipLine
from sandbox.harness import FLOOR, Sandbox, shop_floor
from sandbox.katana_seed import SOUP_VARIANT_ID
from sandbox.unleashed import FakeUnleashed
from tests.alert_helpers import STOCK_CHANNEL, SUPERVISOR, alert_floor, last_response
from tests.test_app_home import open_home
from tests.test_scenario_receive import confirmation, line, sure
from tests.test_scenario_timers import pause_with, tap

ANA, BEN = "U0ANA", "U0BEN"
HOSTILE = "<https://evil.example|Open MO> <!channel> <@U0EVIL> <#C0EVIL> <!here> @everyone R&D"
SHORT = "<!channel><https://evil.example|x>"  # where only a few characters fit (order numbers, codes)
RAW_MARKUP = re.compile(r"<https://evil|<!channel>|<!here>|<@U0EVIL>|<#C0EVIL>|<!everyone>|@everyone")


def mrkdwn_texts(value: Any) -> Iterator[str]:
    """Every text Slack would parse as mrkdwn: `mrkdwn` text objects and messages' fallback `text`."""
    if isinstance(value, dict):
        if value.get("type") == "mrkdwn" and isinstance(value.get("text"), str):
            yield value["text"]
        for key, child in value.items():
            if key == "text" and isinstance(child, str) and "blocks" in value:
                yield child  # a message's fallback (notifications), parsed as mrkdwn
            yield from mrkdwn_texts(child)
    elif isinstance(value, list):
        for child in value:
            yield from mrkdwn_texts(child)


SHOWING = ("chat.postMessage", "chat.update", "chat.postEphemeral", "views.open", "views.update", "views.push",
           "views.publish", "response_url")


def sent(call_args: dict[str, Any]) -> dict[str, Any]:
    """A Web API call's arguments with JSON-encoded fields (form posts) decoded; `text` marked as a message's."""
    decoded = {k: json.loads(v) if k in ("blocks", "view") and isinstance(v, str) else v for k, v in call_args.items()}
    return {**decoded, "blocks": decoded.get("blocks") or []} if "text" in decoded else decoded


def everything_shown(shop: Sandbox) -> list[str]:
    """Every version of everything, not only what is on screen at the end (an update replaces a message)."""
    slack = shop.slack
    surfaces = [slack.messages, slack.ephemerals, list(slack.views.values()), list(slack.closed_views.values()),
                list(slack.home_views.values()), [sent(c.args) for c in slack.calls if c.method in SHOWING]]
    ephemeral_texts = [e["text"] for e in slack.ephemerals]  # (a plain-text ephemeral is mrkdwn too)
    return [*mrkdwn_texts(surfaces), *ephemeral_texts]


def assert_shown_only_as_text(shop: Sandbox) -> None:
    shown = everything_shown(shop)
    leaks = [t for t in shown if RAW_MARKUP.search(t)]
    assert leaks == [], "hostile markup reached Slack unescaped:\n" + "\n".join(leaks[:5])
    assert not [t for t in shown if "&amp;lt;" in t or "&amp;amp;" in t], "escaped twice"
    assert any("&lt;!channel&gt;" in t for t in shown), "the hostile text never reached Slack: the test proves nothing"


def make_ana_hostile(shop: Sandbox) -> None:
    user = shop.slack.users[ANA]
    user["real_name"] = user["profile"]["real_name"] = HOSTILE


async def test_names_reasons_order_numbers_and_skus_are_shown_as_text() -> None:
    async with shop_floor(supervisor_channel="C0SUPER", supervisors="U0SUP") as shop:
        make_ana_hostile(shop)
        shop.katana.variants[SOUP_VARIANT_ID]["sku"] = SHORT
        mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=40, order_no=SHORT)
        task = await shop.message_with("Cook task: ")
        await tap(shop, ANA, task, "task_start")
        await tap(shop, BEN, task, "task_pause")  # refused, naming Ana's running timer
        await pause_with(shop, ANA, task, "task_pause", "Other", HOSTILE[:100])
        await tap(shop, BEN, task, "task_start")  # Ben takes over
        await pause_with(shop, BEN, task, "task_block", "Other", HOSTILE[:100])
        await open_home(shop, ANA)
        form = await shop.form_from_task(ANA, "Cook task: ")
        await shop.workspace.submit_view(ANA, form, {"quantity": "40", "batch": "B-1", "crate": "C-1"})
        confirmation_message = await shop.message_with("cooked")
        await shop.workspace.click_button(ANA, confirmation_message, "action_author_undo", channel_id=FLOOR)
        await shop.settle()
        await open_home(shop, ANA)
        note = shop.katana.manufacturing_orders[mo["id"]]["additional_info"] or ""
        assert HOSTILE[:20] in note or "cook" not in note, "Katana keeps what was typed, unescaped"
        assert_shown_only_as_text(shop)


async def test_a_decision_and_its_cancel_show_names_and_orders_as_text() -> None:
    async with shop_floor(supervisor_channel="C0SUPER", supervisors="U0SUP") as shop:
        make_ana_hostile(shop)
        mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=40, order_no=SHORT)
        form = await shop.form_from_command(ANA, "/cook")
        shop.katana.fail_next(1, status=422, method="PATCH", path_prefix="/manufacturing_order_operation_rows")
        await shop.workspace.submit_view(ANA, form, {"mo": str(mo["id"]), "quantity": "5", "batch": "B-9",
                                                     "crate": "C-9"})
        decision = await shop.message_with("needs a decision")
        await shop.workspace.click_button("U0SUP", decision, "action_cancel", channel_id="C0SUPER")
        await shop.settle()
        preview = shop.slack.find_message("C0SUPER", decision["ts"])
        await shop.workspace.click_button("U0SUP", preview, "action_undo", channel_id="C0SUPER")
        await shop.settle()
        assert_shown_only_as_text(shop)


async def test_a_slip_read_with_hostile_lines_is_shown_as_text(shop: Sandbox) -> None:
    slip = PackingSlip(supplier=sure(HOSTILE), po_number=sure("PO-31"), slip_date=sure(date(2026, 5, 4)), lines=[
        line("MAT-TOMATO", "2", "kg", description=HOSTILE),
        SlipLine(sku=sure(SHORT), description=sure(HOSTILE), quantity=sure(1), unit=sure("kg"), lot=Read())])
    view = await confirmation(shop, slip)
    assert view["callback_id"] == "receive_form"
    assert_shown_only_as_text(shop)


async def test_alerts_and_floor_answers_show_product_names_and_arguments_as_text() -> None:
    unleashed = FakeUnleashed()
    unleashed.add_product("SOUP-TOM", HOSTILE, on_hand=0, min_level=20)
    async with alert_floor(unleashed=unleashed) as shop:
        before = len(shop.slack.calls)
        await shop.workspace.slash_command(SUPERVISOR, "/floor", "sync unleashed", channel_id="C0SUPER")
        await last_response(shop, SUPERVISOR, before)
        assert [m for m in shop.slack.messages if m["channel"] == STOCK_CHANNEL]
        reply = await shop.workspace.slash_command(SUPERVISOR, "/floor", f"sync {SHORT}", channel_id="C0SUPER")
        assert "<!channel>" not in reply.body
        reply = await shop.workspace.slash_command(SUPERVISOR, "/floor", "<!channel>", channel_id="C0SUPER")
        await shop.settle()
        assert_shown_only_as_text(shop)
