"""App Home: my tasks, my stations' queue in the order it can be taken, my last actions, working buttons."""
from __future__ import annotations

import asyncio
import copy
import json
import re
from typing import Any

from sandbox.harness import FLOOR, Sandbox, shop_floor
from sandbox.katana_seed import SOUP_VARIANT_ID

ANA, BEN = "U0ANA", "U0BEN"
_events = iter(range(1, 10_000))


async def open_home(shop: Sandbox, user: str) -> dict[str, Any]:
    """Slack sends app_home_opened; the bot publishes the view (Bolt runs event listeners in its own tasks)."""
    before = len(shop.slack.calls_to("views.publish"))
    body = json.dumps({"token": "t", "team_id": "T0FLOOR", "api_app_id": "A0SHOPFLR", "type": "event_callback",
                       "event_id": f"EvHome{next(_events)}", "event_time": 1700000000,
                       "event": {"type": "app_home_opened", "user": user, "channel": f"D{user[1:]}", "tab": "home",
                                 "event_ts": "1700000000.000100"}}).encode()
    reply = await shop.workspace.post_raw(body, {**shop.workspace.sign(body), "Content-Type": "application/json"})
    assert reply.status == 200
    for _ in range(150):
        if len(shop.slack.calls_to("views.publish")) > before:
            break
        await asyncio.sleep(0.02)
    await shop.settle()
    return shop.slack.home_views[user]


def sections(home: dict[str, Any]) -> dict[str, list[str]]:
    """Section title → the MO numbers listed under it, in order."""
    found: dict[str, list[str]] = {}
    current = ""
    for block in home["blocks"]:
        words = (block.get("text") or {}).get("text", "") if block["type"] == "section" else ""
        title = re.match(r"\*(Your tasks|Next up|Your last actions)\*", words)
        if title:
            current = title.group(1)
            found[current] = []
        elif current and block["type"] in ("section", "context"):  # (supervisors' shift numbers come first)
            found[current] += re.findall(r"(?:Cook|Label|Pack) task — \*(MO-\d+)\*|/\w+ (MO-\d+)", json.dumps(block, ensure_ascii=False))
    return {k: [a or b for a, b in v] for k, v in found.items()}


def home_button(home: dict[str, Any], task_id: str) -> dict[str, Any]:
    block = next(b for b in home["blocks"] if b.get("block_id") == f"home:{task_id}")
    return {"type": "home", "id": home["id"], "blocks": [block]}


async def new_cook_task(shop: Sandbox) -> dict:
    mo = shop.katana.create_manufacturing_order(variant_id=SOUP_VARIANT_ID, planned_quantity=50)
    await shop.message_with(f"Cook task: {mo['order_no']}")
    return mo


async def tap(shop: Sandbox, user: str, mo: dict, action: str) -> None:
    message = await shop.message_with(f"Cook task: {mo['order_no']}")
    await shop.workspace.click_button(user, message, action, channel_id=FLOOR)
    await shop.settle()


async def test_app_home_lists_my_tasks_and_my_queue_in_order(shop: Sandbox) -> None:
    done, bens, mine, blocked, free = [await new_cook_task(shop) for _ in range(5)]
    form = await shop.form_from_task(ANA, f"Cook task: {done['order_no']}")
    await shop.workspace.submit_view(ANA, form, {"quantity": "49", "crate": "C-1"})
    await shop.settle()
    await tap(shop, BEN, bens, "task_start")
    await tap(shop, ANA, mine, "task_start")
    before = len(shop.slack.calls)
    await shop.workspace.click_button(BEN, await shop.message_with(f"Cook task: {blocked['order_no']}"), "task_block",
                                      channel_id=FLOOR)
    await shop.workspace.submit_view(BEN, await shop.opened_form(before), {"reason": "Quality hold"})
    await shop.settle()

    home = await open_home(shop, ANA)
    listed = sections(home)
    assert listed["Your tasks"] == [mine["order_no"]]
    # free to start first (oldest first), then under way by someone else, then blocked
    assert listed["Next up"] == [free["order_no"], done["order_no"], bens["order_no"], blocked["order_no"]]
    assert listed["Your last actions"] == [done["order_no"]]
    assert ":white_check_mark: recorded — /cook" in json.dumps(home["blocks"], ensure_ascii=False)
    assert "Label task" in json.dumps(home["blocks"], ensure_ascii=False)  # the next stage of the MO Ana cooked
    assert len(home["blocks"]) <= 100

    await shop.workspace.click_button(ANA, home_button(home, f"cook:{free['id']}"), "task_start")  # Start from Home
    await shop.settle()
    task = await shop.store.tasks.get(f"cook:{free['id']}")
    assert task.timer_state == "running" and task.assignee == ANA
    assert sections(shop.slack.home_views[ANA])["Your tasks"] == [mine["order_no"], free["order_no"]]

    bens_home = copy.deepcopy(await open_home(shop, BEN))
    bens_home["blocks"] = home["blocks"]  # his Home was opened before Ana's Start: it still shows Start
    await shop.workspace.click_button(BEN, home_button(bens_home, f"cook:{free['id']}"), "task_start")
    await shop.settle()
    top = shop.slack.home_views[BEN]["blocks"][0]["text"]["text"]
    assert "Ana Lopez started" in top and (await shop.store.tasks.get(f"cook:{free['id']}")).timer_version == 1


async def test_stations_follow_the_allow_lists() -> None:
    async with shop_floor(cook_allowed=BEN) as shop:
        mo = await new_cook_task(shop)
        assert mo["order_no"] not in json.dumps((await open_home(shop, ANA))["blocks"])  # Ana does not cook here
        assert sections(await open_home(shop, BEN))["Next up"] == [mo["order_no"]]


async def test_record_from_home_opens_the_prefilled_form(shop: Sandbox) -> None:
    mo = await new_cook_task(shop)
    home = await open_home(shop, ANA)
    before = len(shop.slack.calls)
    await shop.workspace.click_button(ANA, home_button(home, f"cook:{mo['id']}"), "task_record")
    form = await shop.opened_form(before)
    order = next(b for b in form["blocks"] if b.get("block_id") == "mo")
    assert order["element"]["initial_option"]["value"] == str(mo["id"])
    await shop.workspace.submit_view(ANA, form, {"crate": "C-4"})
    await shop.settle()
    assert await shop.message_with("cooked 50")  # the confirmation reaches the floor channel
    assert sections(shop.slack.home_views[ANA])["Your last actions"] == [mo["order_no"]]  # Home refreshed itself
